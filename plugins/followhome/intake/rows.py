"""What every reader needs for one row: its context, its fields' text, its reference, its date,
and where its outcome goes.

A field that is absent, ``null`` (JSON) or empty counts as not filled in. A field that holds
bytes that were not UTF-8 (read as lone surrogates, ``errors="surrogateescape"``) is a problem
of its row alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from followhome.intake.submission import (
    FIELDS,
    Means,
    Read,
    RowProblem,
    Spam,
    Submission,
    Where,
    WithdrawalRequest,
)
from followhome.model.text import strip_control

Outcome = Submission | WithdrawalRequest | Spam | list[RowProblem]

REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
UNDECODABLE = re.compile("[\udc80-\udcff]")
NOT_UTF8 = "holds bytes that are not UTF-8 text"
NOT_UTF8_FIX = "save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8) and read it again"
_DATE_EXAMPLE = "write it like 2026-05-01T14:30:00+02:00 (or 2026-05-01 for midnight)"


@dataclass(frozen=True)
class Settings:
    """The site's settings every row is read with, and the time reading started."""

    tz: tzinfo
    honeypot: str
    value_ids: Collection[str]
    now: datetime


@dataclass(frozen=True)
class RowContext:
    """Where a row is, how it came, and the settings it is read with."""

    where: Where
    means: Means
    service: str
    settings: Settings
    words_column: bool = True
    """False for a CSV file whose header has no ``words`` column (a withdrawal form's export)."""

    def problem(self, field: str, message: str, fix: str) -> RowProblem:
        return RowProblem(self.where, field, message, fix)


def record(read: Read, outcome: Outcome) -> None:
    """Add one row's outcome to ``read``."""
    if isinstance(outcome, Submission):
        read.submissions.append(outcome)
    elif isinstance(outcome, WithdrawalRequest):
        read.withdrawals.append(outcome)
    elif isinstance(outcome, Spam):
        read.spam.append(outcome)
    else:
        read.problems.extend(outcome)


def kind(value: object) -> str:
    """What a JSON value is, in words: ``a number``, ``a list``, ..."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def type_problem(ctx: RowContext, field: str, value: object, wanted: str = "text") -> RowProblem:
    return ctx.problem(
        field,
        f"is {kind(value)}, not {wanted}",
        f"write the {field} as text in quotes, or leave it out",
    )


def field_text(raw: Mapping[str, object], field: str, ctx: RowContext) -> str | RowProblem | None:
    """The field's text without control characters, or None when it is absent or null."""
    value = raw.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        return type_problem(ctx, field, value)
    if UNDECODABLE.search(value):
        return ctx.problem(field, NOT_UTF8, NOT_UTF8_FIX)
    return strip_control(value)


def filled(value: object) -> bool:
    """Whether a field holds anything but white space."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def short_hash(data: bytes) -> str:
    """The first 12 hex digits of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:12]


def canonical_hash(value: object) -> str:
    """:func:`short_hash` of ``value`` as JSON with sorted keys (non-ASCII and undecodable bytes
    escaped, so any text hashes)."""
    dumped = json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return short_hash(dumped.encode("ascii"))


def generic_reference(raw: Mapping[str, object]) -> tuple[str, str | None]:
    """A generic row's reference: its ``id`` when it is a plain id (numbers too), otherwise
    ``form-`` and the hash of the row's form fields, with a note saying why.

    The hash covers the filled-in fields of :data:`FIELDS`, ``submitted_at`` and ``withdraw``
    as read (not the columns a reader ignores, nor the id), so a row read again from the same
    export gets the same reference."""
    value = raw.get("id")
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and REFERENCE.match(value.strip()):
        return value.strip(), None
    names = (*FIELDS, "submitted_at", "withdraw")
    hashed = "form-" + canonical_hash({k: raw[k] for k in names if filled(raw.get(k))})
    if not filled(value):
        why = "the row has no id"
    elif isinstance(value, str) and "@" in value:
        why = "its id looks like an email address, which must not be a reference"
    elif isinstance(value, str):
        why = "its id has characters other than letters, digits and . _ : - (or is over 100 long)"
    else:
        why = f"its id is {kind(value)}"
    return hashed, f"{why}; the reference {hashed} was made from its fields"


def parse_iso(
    raw: Mapping[str, object], field: str, ctx: RowContext, naive: tzinfo | None = None
) -> datetime | RowProblem:
    """An ISO 8601 date-time (``Z`` accepted; one without an offset is in ``naive``, by default
    the brand's time zone) or a date (midnight in the brand's time zone)."""
    value = field_text(raw, field, ctx)
    if isinstance(value, RowProblem):
        return value
    if value is None or not value.strip():
        return ctx.problem(field, "is missing: when the form was sent", _DATE_EXAMPLE)
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return ctx.problem(field, f"{value.strip()[:40]!r} is not a date and time", _DATE_EXAMPLE)
    if when.tzinfo is None:
        date_only = len(value.strip()) <= len("2026-05-01")
        when = when.replace(tzinfo=ctx.settings.tz if date_only or naive is None else naive)
    return check_when(when, field, ctx)


def check_when(when: datetime, field: str, ctx: RowContext) -> datetime | RowProblem:
    """``when`` unless it is more than a day in the future."""
    if when > ctx.settings.now + timedelta(days=1):
        return ctx.problem(
            field,
            f"{when.isoformat()} is in the future",
            "check the date, and the clock of the computer that made the file",
        )
    return when
