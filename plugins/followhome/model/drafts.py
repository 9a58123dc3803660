"""Stories in draft: what each still needs before it can be published, as advice.

A draft (``status: draft``) may lack what a published story must have: an imported
submission has no takeaway, maybe no values and no consent channels. ``followhome check``
lists those gaps as advice, never as errors, so drafts never turn CI red; the same gaps
become errors once the editor sets ``status: published``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from followhome.model.content import Brand, Draft
from followhome.model.problems import Problem
from followhome.model.trust import contact_details


def is_draft(data: object) -> bool:
    """Front matter that says ``status: draft``."""
    return isinstance(data, dict) and data.get("status") == "draft"


_FIXES = {
    "consent.channels": (
        "the customer agreed to no channel, so it can be published nowhere",
        "ask the customer where it may appear and record their answer; never tick a channel for them",
    ),
    "customer.show_as": (
        "how the customer may be named is not known",
        "ask the customer (full, first-name, initials or anonymous); never choose for them",
    ),
}
"""Gaps an editor must not fill in for the customer: the advice says whom to ask."""


def _draft_texts(draft: Draft) -> Iterator[tuple[str, str]]:
    """(field, text) of everything the draft would publish in words."""
    meta = draft.meta
    for field, text in (("title", meta.title), ("quote", meta.quote), ("takeaway", meta.takeaway)):
        if text:
            yield field, text
    yield "body", draft.body
    if meta.customer is not None:
        for name in ("name", "role", "organization", "location"):
            if value := getattr(meta.customer, name):
                yield f"customer.{name}", value
    if meta.connection:
        yield "connection.note", meta.connection.note


def draft_advice(draft: Draft, needs: Iterable[Problem], brand: Brand | None) -> list[Problem]:
    """The published-story problems of ``draft`` as advice, plus contact details in its words
    (found as the trust rules find them once it is published)."""
    advice = []
    for p in needs:
        if p.field == "status":
            continue
        message, fix = _FIXES.get(p.field, (p.message, p.fix))
        advice.append(Problem(p.file, p.line, p.field, f"before publishing: {message}", fix, blocks=False))
    if brand is None:
        return advice
    for field, what in contact_details(_draft_texts(draft), brand):
        advice.append(
            Problem(
                draft.origin.path,
                draft.origin.line_of(*field.split(".")),
                field,
                f"before publishing: holds {what}",
                "remove the customer's contact details from their words; a published story with them is refused",
                blocks=False,
            )
        )
    return advice


def as_advice(problems: Iterable[Problem]) -> list[Problem]:
    """Problems of a complete draft (trust rules, links) as advice: a draft never fails."""
    return [replace(p, message=f"before publishing: {p.message}", blocks=False) for p in problems]
