"""What one form submission or withdrawal request says, once read from any format.

The readers (:mod:`.formats`) turn NDJSON, JSON arrays, CSV, the Netlify and Formspree API
JSON and mailto messages into these; everything after reading works on them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from followhome.model.content import Channel, ShowAs

Means = Literal["web-form", "email"]
"""How the submission arrived: a form service (``source.channel: web-form``) or a mailto form."""

FIELDS = (
    "words",
    "title",
    "name",
    "show_as",
    "role",
    "location",
    "values",
    "consent",
    "contact",
    "form_version",
)
"""The share form's field names (plus the honeypot, and ``withdraw`` on the withdrawal form)."""


@dataclass(frozen=True)
class Where:
    """The place of a row in the files given: ``file`` as typed, ``row`` 1-based (the data row of a
    CSV or NDJSON file, the element of a JSON array, the message of a mailbox)."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file} row {self.row}"


@dataclass(frozen=True)
class Submission:
    """A customer's story and what they agreed to, checked field by field."""

    where: Where
    reference: str
    """The service's id of the submission, or a hash of the message: ``consent.reference``."""
    submitted_at: datetime
    """When it was sent, time-zone aware (a date alone is midnight in the brand's time zone)."""
    means: Means
    service: str
    """``generic``, ``netlify``, ``formspree`` or ``email``: recorded as the means of consent."""
    words: str
    title: str | None = None
    name: str | None = None
    show_as: ShowAs | None = None
    role: str | None = None
    location: str | None = None
    values: tuple[str, ...] = ()
    consent: tuple[Channel, ...] = ()
    """The boxes ticked, in the form's order, each once."""
    contact: str | None = None
    form_version: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)
    """What reading changed without losing anything (an unknown value id left out, ...)."""


@dataclass(frozen=True)
class WithdrawalRequest:
    """A row or message of the withdrawal form: which story, and how to reach the person."""

    where: Where
    reference: str
    submitted_at: datetime
    story: str
    """The story's address or id as the customer wrote it."""
    contact: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """Why a row was skipped (or a whole file could not be read: ``row`` 0)."""

    where: Where
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.where.file if self.where.row == 0 else str(self.where)
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Spam:
    """A row whose hidden anti-spam field was filled in: skipped, and said so."""

    where: Where
    honeypot: str


@dataclass
class Read:
    """Everything read from the files given, in their order."""

    submissions: list[Submission] = field(default_factory=list)
    withdrawals: list[WithdrawalRequest] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    spam: list[Spam] = field(default_factory=list)
