"""One row's fields checked one by one: the same rules for every file format.

The readers (:mod:`.formats`, :mod:`.csvfile`, :mod:`.mail`) find each row's fields, its
reference and its date; :func:`check_row` turns them into a :class:`Submission`, a
:class:`WithdrawalRequest`, :class:`Spam` or the row's problems (all of them, not only the first).

Text is read as it was written apart from control characters and direction overrides
(:func:`strip_control`): markup, template tags and merge tags stay as they are, for every
output escapes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import cast

from followhome.intake.rows import (
    NOT_UTF8,
    NOT_UTF8_FIX,
    UNDECODABLE,
    Outcome,
    RowContext,
    field_text,
    filled,
    type_problem,
)
from followhome.intake.submission import RowProblem, Spam, Submission, WithdrawalRequest
from followhome.model.content import Channel, ShowAs
from followhome.model.text import strip_control

LINE_FIELDS = ("title", "name", "role", "location")
LINE_MAX = 200
CONTACT_MAX = 320
SHOW_AS: tuple[ShowAs, ...] = ("full", "first-name", "initials", "anonymous")
CHANNELS = tuple(Channel)
MULTI_CHOICE = ("values", "consent")
_FORM_VERSION = re.compile(r"^[0-9a-f]{6,16}$")


def _line(raw: Mapping[str, object], field: str, ctx: RowContext) -> str | RowProblem | None:
    text = field_text(raw, field, ctx)
    if not isinstance(text, str):
        return text
    line = " ".join(text.split())
    if len(line) > LINE_MAX:
        return ctx.problem(
            field,
            f"is {len(line)} characters long; at most {LINE_MAX} fit",
            f"shorten the {field} in the file, or leave it out and add it to the draft story",
        )
    return line or None


def _words(raw: Mapping[str, object], ctx: RowContext) -> str | RowProblem:
    if not ctx.words_column:
        return ctx.problem(
            "words",
            "the file has no 'words' column",
            "name the column with the story 'words' in the first row of the file",
        )
    text = field_text(raw, "words", ctx)
    if isinstance(text, RowProblem):
        return text
    words = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not words:
        return ctx.problem(
            "words",
            "is empty: the submission has no story",
            "ask the customer again, or delete the row",
        )
    return words


def _choices(raw: Mapping[str, object], field: str, ctx: RowContext) -> list[str] | RowProblem:
    """A multi-choice field: a list of strings or one comma-separated string."""
    value = raw.get(field)
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = [part for item in cast(list[str], value) for part in item.split(",")]
    else:
        return type_problem(ctx, field, value, "text or a list of texts")
    if any(UNDECODABLE.search(item) for item in items):
        return ctx.problem(field, NOT_UTF8, NOT_UTF8_FIX)
    return [c for c in (strip_control(item).strip() for item in items) if c]


def _values(raw: Mapping[str, object], ctx: RowContext, notes: list[str]) -> tuple[str, ...] | RowProblem:
    items = _choices(raw, "values", ctx)
    if isinstance(items, RowProblem):
        return items
    known = {value_id.lower(): value_id for value_id in ctx.settings.value_ids}
    found: list[str] = []
    for item in items:
        value_id = known.get(item.lower())
        if value_id is None:
            notes.append(f"value {item[:60]!r} is not one of the site's values (values/); left out")
        elif value_id not in found:
            found.append(value_id)
    return tuple(found)


def _consent(raw: Mapping[str, object], ctx: RowContext) -> tuple[Channel, ...] | RowProblem:
    items = _choices(raw, "consent", ctx)
    if isinstance(items, RowProblem):
        return items
    unknown = [item for item in items if item.lower() not in CHANNELS]
    if unknown:
        return ctx.problem(
            "consent",
            f"{', '.join(repr(item[:40]) for item in unknown)} is not one of site, feed, email, social",
            "ask the customer which of site, feed, email and social they agree to; consent is never guessed",
        )
    ticked = {item.lower() for item in items}
    return tuple(channel for channel in CHANNELS if channel in ticked)


def _show_as(raw: Mapping[str, object], ctx: RowContext) -> ShowAs | RowProblem | None:
    text = field_text(raw, "show_as", ctx)
    if not isinstance(text, str):
        return text
    choice = text.strip().lower()
    if not choice:
        return None
    for known in SHOW_AS:
        if choice == known:
            return known
    return ctx.problem(
        "show_as",
        f"{choice[:40]!r} is not one of full, first-name, initials, anonymous",
        "write one of full, first-name, initials or anonymous, or leave it empty",
    )


def _contact(raw: Mapping[str, object], ctx: RowContext) -> str | RowProblem | None:
    text = field_text(raw, "contact", ctx)
    if not isinstance(text, str):
        return text
    contact = text.strip()
    if "\n" in contact or "\r" in contact:
        return ctx.problem(
            "contact",
            "spans more than one line",
            "keep one email address or phone number on one line",
        )
    if len(contact) > CONTACT_MAX:
        return ctx.problem(
            "contact",
            f"is {len(contact)} characters long; at most {CONTACT_MAX} fit",
            "keep one email address or phone number",
        )
    return contact or None


def _form_version(raw: Mapping[str, object], ctx: RowContext, notes: list[str]) -> str | RowProblem | None:
    text = field_text(raw, "form_version", ctx)
    if not isinstance(text, str) or not text.strip():
        return text if isinstance(text, RowProblem) else None
    if _FORM_VERSION.match(text.strip()):
        return text.strip()
    notes.append(f"form_version {text.strip()[:40]!r} is not 6-16 hex digits; left out")
    return None


def check_row(
    raw: Mapping[str, object],
    ctx: RowContext,
    reference: str | RowProblem,
    submitted_at: datetime | RowProblem,
    notes: list[str],
) -> Outcome:
    """The row as a submission, withdrawal request or spam, or every problem found in it.

    A filled-in honeypot makes it spam whatever else it holds; a filled-in ``withdraw`` makes
    it a withdrawal request (its ``words`` are not read). ``notes`` are kept on a submission."""
    if filled(raw.get(ctx.settings.honeypot)):
        return Spam(ctx.where, ctx.settings.honeypot)
    problems = [p for p in (reference, submitted_at) if isinstance(p, RowProblem)]
    if filled(raw.get("withdraw")):
        story = field_text(raw, "withdraw", ctx)
        contact = _contact(raw, ctx)
        problems += [p for p in (story, contact) if isinstance(p, RowProblem)]
        if isinstance(story, str) and not story.strip():
            problems.append(ctx.problem("withdraw", "is empty", "write the story's address or id"))
        if problems:
            return problems
        assert isinstance(reference, str) and isinstance(submitted_at, datetime)
        assert isinstance(story, str) and not isinstance(contact, RowProblem)
        return WithdrawalRequest(ctx.where, reference, submitted_at, story.strip(), contact)

    words = _words(raw, ctx)
    lines = {field: _line(raw, field, ctx) for field in LINE_FIELDS}
    show_as = _show_as(raw, ctx)
    values = _values(raw, ctx, notes)
    consent = _consent(raw, ctx)
    contact = _contact(raw, ctx)
    form_version = _form_version(raw, ctx, notes)
    checked = (words, *lines.values(), show_as, values, consent, contact, form_version)
    problems += [p for p in checked if isinstance(p, RowProblem)]
    if problems:
        return problems
    assert isinstance(reference, str) and isinstance(submitted_at, datetime)
    assert isinstance(words, str) and isinstance(values, tuple) and isinstance(consent, tuple)
    assert not isinstance(show_as, RowProblem) and not isinstance(contact, RowProblem)
    assert not isinstance(form_version, RowProblem)
    title, name, role, location = (cast(str | None, lines[field]) for field in LINE_FIELDS)
    return Submission(
        where=ctx.where,
        reference=reference,
        submitted_at=submitted_at,
        means=ctx.means,
        service=ctx.service,
        words=words,
        title=title,
        name=name,
        show_as=show_as,
        role=role,
        location=location,
        values=values,
        consent=consent,
        contact=contact,
        form_version=form_version,
        notes=tuple(notes),
    )
