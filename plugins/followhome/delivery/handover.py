"""What is handed to a service, and what it answers: the clients' common vocabulary.

A client turns one :class:`EmailDraft` or :class:`Post` into one object at the service (a draft
email, a status, a record) and answers a :class:`Handed` once the service confirmed it. Clients
keep no state between runs: the record of what went out is :mod:`.record`'s, written by the
command after each confirmed hand-over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


def idempotency_key(service: str, key: str) -> str:
    """The same key for the same item at the same service, run after run (≤ 64 characters):
    derived from the item's permanent id, never from its title or address."""
    return hashlib.sha256(f"followhome:{service}:{key}".encode()).hexdigest()[:40]


@dataclass(frozen=True)
class EmailDraft:
    """One email for an email service: an item's email, or a digest."""

    key: str
    """The item's permanent id (``s-8d3c4482``), or ``digest-SINCE-UNTIL``."""
    subject: str
    preheader: str
    html: str
    text: str
    tags: tuple[str, ...] = ()
    """The service's tags or segments for the values the item demonstrates."""
    schedule: datetime | None = None
    """None: a draft, sent by nobody until an editor does. A time: scheduled then."""

    @property
    def name(self) -> str:
        """The campaign name at services that have one: carries the key, so a look-up finds it."""
        return f"followhome {self.key}: {self.subject}"[:200]


@dataclass(frozen=True)
class Post:
    """One post for a social network."""

    key: str
    """The item's permanent id."""
    text: str
    """The whole text, link included, within the network's limit."""
    link: str
    """The item's address with UTM parameters (in the text too)."""
    title: str
    description: str
    language: str = "en"


@dataclass(frozen=True)
class Handed:
    """What the service holds now."""

    id: str
    status: str = ""
    """``draft`` or ``scheduled`` for email; empty for posts."""
    url: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    """Anything else needed to find or delete it later (a Bluesky record's rkey and cid)."""

    def entry(self, at: str) -> dict[str, str]:
        """The line of ``delivered.yml``."""
        out = {"at": at, "id": self.id}
        if self.status:
            out["status"] = self.status
        if self.url:
            out["url"] = self.url
        return {**out, **self.extra}
