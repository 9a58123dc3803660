"""The email services' clients: each turns an :class:`~followhome.delivery.handover.EmailDraft`
into a draft (or, with a schedule, a scheduled email) at the service, never an email sent now,
and makes it once per item however often the command runs.

Each module has the client class and ``from_env(env, audience, transport=None, sleep=...,
clock=...)``, which reads the service's variables (every missing one named by
:class:`~followhome.delivery.credentials.MissingCredentialsError`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any


def utc_iso(moment: datetime) -> str:
    """``2026-12-03T09:15:00Z``: a schedule as the services take it (a naive time is UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def keep_oldest(
    found: list[dict[str, Any]], draft_status: str, delete: Callable[[str], None]
) -> dict[str, Any] | None:
    """For services with no idempotency key (two runs at once, or a create whose answer was
    lost, can make two): the oldest of ``found`` (oldest first), the other drafts deleted."""
    for extra in found[1:]:
        if extra.get("status") == draft_status:
            delete(str(extra["id"]))
    return found[0] if found else None
