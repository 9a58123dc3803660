"""A submission as a draft story file: front matter an editor completes, the words kept whole.

The draft holds only what the customer gave and agreed to: ``consent.channels`` exactly as
ticked, the customer as they asked to be named, the words as ``quote`` (or, when longer than
a quote may be, as the body, so nothing is cut). Their contact details never go into
``content/``: they stay in the private consent record (:mod:`.records`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import tzinfo

import yaml

from followhome.intake.submission import Submission
from followhome.model.scaffold import slugify
from followhome.model.trust import EMAIL, PHONE
from followhome.render.mdtext import paragraphs

QUOTE_LIMIT = 2000
"""The longest a story's ``quote`` may be (``Passage`` in the content model)."""
SLUG_WORDS = 8


class _NoAliases(yaml.SafeDumper):
    """Every value written out in full: the loader refuses YAML aliases, and editors read it."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def slug_for(submission: Submission, taken: Collection[str]) -> str:
    """The file name: from the title, else the first words; unique among ``taken`` slugs."""
    # The file name is the story's web address: never a phone number or an email address in it.
    text = PHONE.sub(" ", EMAIL.sub(" ", submission.title or ""))
    if not text.strip():
        text = " ".join(PHONE.sub(" ", EMAIL.sub(" ", submission.words)).split()[:SLUG_WORDS])
    base = slugify(text)
    if len(base) < 3 or base in {"index", "page"}:
        base = f"story-{hashlib.sha256(submission.reference.encode()).hexdigest()[:8]}"
    slug, number = base, 2
    while slug.casefold() in {t.casefold() for t in taken}:
        slug, number = f"{base}-{number}", number + 1
    return slug


def story_id(reference: str, taken: Collection[str]) -> str:
    """A permanent id made from the submission's reference: the same submission always gets the
    same id, so a withdrawn story's tombstone keeps a re-import from bringing it back."""
    digest = hashlib.sha256(f"followhome-intake:{reference}".encode()).hexdigest()
    for length in (8, 12, 16, 24):
        candidate = f"s-{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free id for {reference}")  # pragma: no cover - 2**96 ids taken


def draft_text(submission: Submission, item_id: str, tz: tzinfo) -> str:
    """The draft story file's text."""
    s = submission
    received = s.submitted_at.astimezone(tz).date()
    meta: dict[str, object] = {"id": item_id}
    if s.title:
        meta["title"] = s.title
    meta["status"] = "draft"
    customer = {
        key: value
        for key, value in (
            ("name", s.name),
            ("show_as", s.show_as),
            ("role", s.role),
            ("location", s.location),
        )
        if value
    }
    if customer:
        meta["customer"] = customer
    words = s.words.strip()
    if len(words) <= QUOTE_LIMIT:
        meta["quote"] = words
    if s.values:
        meta["values"] = list(s.values)
    meta["consent"] = {
        "given": received,
        "channels": [c.value for c in s.consent],
        "reference": s.reference,
    }
    meta["source"] = {"channel": s.means, "received": received}
    front = yaml.dump(
        meta, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=None
    )
    body = "" if len(words) <= QUOTE_LIMIT else "\n" + paragraphs(words) + "\n"
    return f"---\n{front}---\n{body}"
