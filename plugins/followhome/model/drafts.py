"""Stories in draft: what each still needs before it can be published, as advice.

A draft (``status: draft``) may lack what a published story must have: an imported
submission has no takeaway, maybe no values and no consent channels. ``followhome check``
lists those gaps as advice, never as errors, so drafts never turn CI red; the same gaps
become errors once the editor sets ``status: published``.
"""

from __future__ import annotations

from collections.abc import Iterable

from followhome.model.content import Draft
from followhome.model.problems import Problem
from followhome.model.trust import EMAIL, PHONE


def is_draft(data: object) -> bool:
    """Front matter that says ``status: draft``."""
    return isinstance(data, dict) and data.get("status") == "draft"


def draft_advice(draft: Draft, needs: Iterable[Problem]) -> list[Problem]:
    """The published-story problems of ``draft`` as advice, plus contact details in its words."""
    advice = [
        Problem(
            p.file,
            p.line,
            p.field,
            f"before publishing: {p.message}",
            p.fix,
            blocks=False,
        )
        for p in needs
        if p.field != "status"
    ]
    customer = draft.meta.customer
    texts = [("quote", draft.meta.quote or ""), ("title", draft.meta.title or ""), ("body", draft.body)]
    texts += [
        (f"customer.{name}", getattr(customer, name) or "")
        for name in ("name", "role", "organization", "location")
        if customer is not None
    ]
    for field, text in texts:
        for pattern, what in ((EMAIL, "an email address"), (PHONE, "a phone number")):
            if pattern.search(text):
                advice.append(
                    Problem(
                        draft.origin.path,
                        draft.origin.line_of(field),
                        field,
                        f"before publishing: holds what looks like {what}",
                        "remove the customer's contact details from their words; a published story with them "
                        "is refused",
                        blocks=False,
                    )
                )
    return advice
