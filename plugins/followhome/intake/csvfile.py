"""CSV files with a header row: one submission per row after it.

Row 1 is the first row after the header, as a spreadsheet shows it on its line 2 (rows whose
cells are all empty are skipped but counted). Column names are matched without regard to case
and surrounding spaces; columns that are not the form's are ignored; a multi-choice field holds
comma-separated choices in one cell; a row with fewer cells than the header has the missing
ones empty. Quotes are read strictly: a quote left open is a problem at its row, and the rows
after it are not read (rather than read as one long cell).
"""

from __future__ import annotations

import csv
import io

from followhome.intake.fields import check_row
from followhome.intake.rows import (
    NOT_UTF8,
    NOT_UTF8_FIX,
    UNDECODABLE,
    RowContext,
    Settings,
    generic_reference,
    parse_iso,
    record,
)
from followhome.intake.submission import FIELDS, Read, RowProblem, Where


def read_csv(text: str, file: str, settings: Settings, read: Read) -> None:
    """Every row of a CSV file's ``text`` (decoded, without its byte-order mark)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a story has no length limit
    try:
        _read_csv_rows(text, file, settings, read)
    finally:
        csv.field_size_limit(limit)


def _read_csv_rows(text: str, file: str, settings: Settings, read: Read) -> None:
    # strict: a quote left open must not swallow the rest of the file into one story.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        header: list[str] | None = None
        for cells in reader:
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = _header(cells, file, settings, read)
                    if header is None:
                        return
                continue
            number += 1
            if any(cell.strip() for cell in cells):
                _csv_row(cells, header, Where(file, number), settings, read)
    except csv.Error as error:
        read.problems.append(
            RowProblem(
                Where(file, number + 1),
                "",
                f"the CSV cannot be read from here on ({error})",
                'check the quotes in this row: a quote inside a quoted cell is written twice ("")',
            )
        )


def _known(settings: Settings) -> set[str]:
    return {*FIELDS, "id", "submitted_at", "withdraw", settings.honeypot}


def _header(cells: list[str], file: str, settings: Settings, read: Read) -> list[str] | None:
    """The column names (the form's own spelling for its fields, whatever the case written);
    None (and a problem) when a column is named twice."""
    spelling = {name.lower(): name for name in _known(settings)}
    names = [spelling.get(cell.strip().lower(), cell.strip()) for cell in cells]
    if any(UNDECODABLE.search(name) for name in names):
        read.problems.append(RowProblem(Where(file, 0), "header", NOT_UTF8, NOT_UTF8_FIX))
    twice = sorted({name for name in names if name in _known(settings) and names.count(name) > 1})
    if twice:
        read.problems.append(
            RowProblem(
                Where(file, 0),
                "",
                f"names the column {', '.join(twice)} more than once in its first row",
                "keep one column of each name",
            )
        )
        return None
    return names


def _csv_row(cells: list[str], header: list[str], where: Where, settings: Settings, read: Read) -> None:
    known = _known(settings)
    if not known & set(header):
        read.problems.append(
            RowProblem(
                where,
                "words",
                "the file's first row names none of the form's columns (words, submitted_at, ...)",
                "add a first row naming the columns, like words,name,consent,submitted_at",
            )
        )
        return
    if any(cell.strip() for cell in cells[len(header) :]):
        read.problems.append(
            RowProblem(
                where,
                "",
                f"has {len(cells)} cells but the first row names {len(header)} columns",
                "put a cell that holds a comma in double quotes, or name the extra column in the first row",
            )
        )
        return
    raw = {name: cell for name, cell in zip(header, cells, strict=False) if name in known}
    ctx = RowContext(where, "web-form", "generic", settings, words_column="words" in header)
    reference, note = generic_reference(raw)
    notes = [note] if note else []
    if "consent" not in header:  # unticked boxes are not sent, but a missing column is worth saying
        notes.append("the file has no 'consent' column: taken as nothing ticked, so it is published nowhere")
    unread = [name for name in header if name and name not in known]
    if unread and where.row == 1:
        notes.append(
            f"column{'s' if len(unread) > 1 else ''} {', '.join(unread)} not read: not the form's fields"
        )
    record(read, check_row(raw, ctx, reference, parse_iso(raw, "submitted_at", ctx), notes))
