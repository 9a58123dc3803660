"""Reading form submissions from files: :func:`read_files`.

With ``source="auto"`` the extension says the format:

- ``.ndjson``, ``.jsonl``: one JSON object per line; blank lines are skipped, and a row is the
  line's number in the file (blank lines counted, as an editor shows them).
- ``.json``: a JSON array of objects (row = element number from 1), or one object (row 1), or
  NDJSON content (rows numbered as in an NDJSON file). The Netlify and Formspree API JSON are recognised by their shape (an array of
  objects each with ``data`` and ``created_at``; an object with ``submissions``).
- ``.csv``: a header row naming the columns, then one submission per row (:mod:`.csvfile`;
  row 1 = the first row after the header).
- ``.eml``, ``.mbox``: messages of the mailto form (:mod:`.mail`).

Generic rows (NDJSON, JSON, CSV) hold the fields of :data:`FIELDS`, ``id``, ``submitted_at``,
the honeypot and ``withdraw``; other keys and columns are ignored. ``source="netlify"`` reads the Netlify API's JSON (fields from
``data`` only, so ``ip``, ``user_agent`` and ``referrer`` are never read; the reference is the
submission's ``id``); ``source="formspree"`` reads Formspree's (``{fields, submissions}`` or the
``submissions`` array alone; the reference is ``formspree-`` and a hash of the submission but
its ``_status``, which changes as Formspree delivers it; ``_date`` without an offset is UTC).

Nothing raises for bad input: each file that cannot be read is a problem at row 0, and each
row that cannot be used is one or more problems naming its field, with a fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Literal

from followhome.intake.csvfile import read_csv
from followhome.intake.fields import check_row
from followhome.intake.mail import read_eml, read_mbox
from followhome.intake.rows import (
    REFERENCE,
    UNDECODABLE,
    RowContext,
    Settings,
    canonical_hash,
    generic_reference,
    kind,
    parse_iso,
    record,
)
from followhome.intake.submission import Read, RowProblem, Where

Source = Literal["auto", "netlify", "formspree"]
Kind = Literal["ndjson", "json", "csv", "eml", "mbox", "netlify", "formspree"]

EXTENSIONS: Mapping[str, Kind] = {
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
    ".csv": "csv",
    ".eml": "eml",
    ".mbox": "mbox",
}

_NDJSON_FIX = 'write one JSON object per line, like {"words": "...", "submitted_at": "2026-05-01"}'


def read_files(
    paths: Sequence[Path],
    source: Source,
    tz: tzinfo,
    honeypot: str,
    value_ids: Collection[str],
) -> Read:
    """Every submission, withdrawal request, spam row and problem in ``paths``, in their order.

    ``tz`` is the brand's time zone (for dates without one), ``honeypot`` the name of the hidden
    anti-spam field, ``value_ids`` the site's values (other ids are left out with a note)."""
    settings = Settings(tz, honeypot, tuple(value_ids), datetime.now(UTC))
    read = Read()
    for path in paths:
        _read_file(path, source, settings, read)
    return read


def _file_problem(read: Read, file: str, message: str, fix: str) -> None:
    read.problems.append(RowProblem(Where(file, 0), "", message, fix))


def _read_file(path: Path, source: Source, settings: Settings, read: Read) -> None:
    file = str(path)
    if path.is_dir():
        _file_problem(read, file, "is a folder", "give the files inside it")
        return
    if not path.exists():
        _file_problem(read, file, "was not found", "check the file's name and folder")
        return
    if source == "auto":
        found = EXTENSIONS.get(path.suffix.lower())
        if found is None:
            _file_problem(
                read,
                file,
                f"is not a kind of file that can be read ({path.suffix or 'no extension'})",
                "give a .ndjson, .jsonl, .json, .csv, .eml or .mbox file; for a form service's "
                "JSON export say which with --from netlify or --from formspree",
            )
            return
        kind_: Kind = found
    else:
        kind_ = source
    try:
        data = path.read_bytes()
    except OSError as error:
        _file_problem(read, file, f"could not be read ({error.strerror})", "check the file can be opened")
        return
    if kind_ == "eml":
        read_eml(data, file, settings, read)
        return
    if kind_ == "mbox":
        read_mbox(data, path, file, settings, read)
        return
    text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    if not text.strip():
        return
    if kind_ == "csv":
        read_csv(text, file, settings, read)
    else:
        _read_json(text, kind_, file, settings, read)


# JSON ----------------------------------------------------------------------------------------


def _loads(text: str) -> object:
    """``json.loads``, with JSON nested too deeply for Python's stack as a JSON error."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


def _ndjson(text: str) -> Iterator[tuple[int, object]]:
    """Each non-blank line's value (or JSON error) with its line number."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield number, _loads(line)
            except json.JSONDecodeError as error:
                yield number, error


def _json_rows(text: str, kind_: Kind, file: str, read: Read) -> tuple[Kind, list[tuple[int, object]]]:
    """The file's rows and what they are (``json`` becomes ``netlify`` or ``formspree`` when
    the content has their shape); no rows after a file problem."""
    if kind_ == "ndjson":
        return kind_, list(_ndjson(text))
    try:
        value = _loads(text)
    except json.JSONDecodeError as error:
        first = next(line for line in text.splitlines() if line.strip())
        try:
            ndjson = error.msg == "Extra data" or isinstance(_loads(first), dict)
        except json.JSONDecodeError:
            ndjson = False
        if ndjson:
            return kind_, list(_ndjson(text))
        _file_problem(
            read,
            file,
            f"is not JSON: {error.msg} (line {error.lineno} column {error.colno})",
            "give the file exactly as the form service exported it, or fix the JSON at that place",
        )
        return kind_, []
    if isinstance(value, dict) and isinstance(value.get("submissions"), list) and kind_ != "netlify":
        return "formspree", list(enumerate(value["submissions"], start=1))
    if isinstance(value, list):
        if kind_ == "json" and value and all(_netlify_shaped(item) for item in value):
            kind_ = "netlify"
        return kind_, list(enumerate(value, start=1))
    if isinstance(value, dict) and kind_ == "json":
        return kind_, [(1, value)]
    if kind_ == "formspree":
        found = "an object without a 'submissions' list" if isinstance(value, dict) else kind(value)
        message = f"is {found} in JSON, not Formspree's API JSON ({{fields, submissions}})"
    elif kind_ == "netlify":
        message = f"is {kind(value)} in JSON, not the Netlify API's array of submissions"
    else:
        message = f"is {kind(value)} in JSON, not an array of objects"
    _file_problem(read, file, message, "give the file as the form service exported it")
    return kind_, []


def _netlify_shaped(item: object) -> bool:
    return isinstance(item, dict) and "data" in item and "created_at" in item and "words" not in item


def _read_json(text: str, kind_: Kind, file: str, settings: Settings, read: Read) -> None:
    kind_, rows = _json_rows(text, kind_, file, read)
    row_reader = _ROW_READERS.get(kind_, _generic_row)
    for number, value in rows:
        where = Where(file, number)
        if isinstance(value, json.JSONDecodeError):
            message = f"is not JSON: {value.msg} (column {value.colno})"
            read.problems.append(RowProblem(where, "", message, _NDJSON_FIX))
        elif not isinstance(value, dict):
            message = f"is {kind(value)} in JSON, not an object with the form's fields"
            read.problems.append(RowProblem(where, "", message, _NDJSON_FIX))
        else:
            row_reader(value, where, settings, read)


def _generic_row(raw: Mapping[str, object], where: Where, settings: Settings, read: Read) -> None:
    ctx = RowContext(where, "web-form", "generic", settings)
    reference, note = generic_reference(raw)
    notes = [note] if note else []
    record(read, check_row(raw, ctx, reference, parse_iso(raw, "submitted_at", ctx), notes))


def _netlify_row(item: Mapping[str, object], where: Where, settings: Settings, read: Read) -> None:
    ctx = RowContext(where, "web-form", "netlify", settings)
    value = item.get("id")
    reference: str | RowProblem
    if isinstance(value, str) and REFERENCE.match(value) and not UNDECODABLE.search(value):
        reference = value
    else:
        reference = ctx.problem(
            "id",
            "is missing or not a Netlify submission id",
            "give the JSON exactly as Netlify's API returned it (each submission has an id)",
        )
    data = item.get("data")
    if not isinstance(data, dict):
        problem = ctx.problem(
            "data",
            f"is {kind(data)}, not the object of the form's fields",
            "give the JSON exactly as Netlify's API returned it",
        )
        read.problems.extend([reference, problem] if isinstance(reference, RowProblem) else [problem])
        return
    # Only the form's fields are read from data: never ip, user_agent or referrer.
    record(read, check_row(data, ctx, reference, parse_iso(item, "created_at", ctx), []))


def _formspree_row(item: Mapping[str, object], where: Where, settings: Settings, read: Read) -> None:
    ctx = RowContext(where, "web-form", "formspree", settings)
    # _status (delivery flags) changes after the submission, so it is not part of its identity.
    reference = "formspree-" + canonical_hash({k: v for k, v in item.items() if k != "_status"})
    # Formspree writes _date in UTC without saying so ("2018-11-03T07:28:29.707632").
    record(read, check_row(item, ctx, reference, parse_iso(item, "_date", ctx, naive=UTC), []))


_ROW_READERS: Mapping[Kind, Callable[[Mapping[str, object], Where, Settings, Read], None]] = {
    "netlify": _netlify_row,
    "formspree": _formspree_row,
}
