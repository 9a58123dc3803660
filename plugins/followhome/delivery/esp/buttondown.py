"""Buttondown: an item's email as a draft (or a scheduled email), never one sent now.

Buttondown's ``POST /v1/emails`` **sends at once** unless ``status`` says otherwise (its default
is ``about_to_send``), so every request names ``status``: ``draft``, or ``scheduled`` with the
``publish_date`` of ``--schedule``. Each item is made once: every create carries
``X-Idempotency-Key`` derived from the item's permanent id, and Buttondown answers a repeated key
with the original response (a re-run, or a retry after a time-out, gets the same email back).
How long Buttondown keeps the keys is not documented.

The email goes to the whole list: Buttondown targets subscribers by ``filters``, which followhome
does not write. The item's tags (the values it demonstrates) go in ``metadata`` as
``followhome_tags`` for an editor to filter by before sending.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import require
from followhome.delivery.esp import utc_iso
from followhome.delivery.handover import EmailDraft, Handed, idempotency_key
from followhome.delivery.http import Api

SERVICE = "buttondown"
BASE_URL = "https://api.buttondown.com"
TOKEN = "FOLLOWHOME_BUTTONDOWN_TOKEN"
URL = "FOLLOWHOME_BUTTONDOWN_URL"
EDITOR_MODE = "<!-- buttondown-editor-mode: fancy -->"


class Buttondown:
    """Buttondown's API (``api`` carries ``Authorization: Token …``)."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def payload(self, draft: EmailDraft) -> dict[str, Any]:
        """The JSON of ``POST /v1/emails``: always with a status that does not send now."""
        metadata = {"followhome_key": draft.key}
        if draft.tags:
            metadata["followhome_tags"] = ", ".join(draft.tags)
        body: dict[str, Any] = {
            "subject": draft.subject,
            "body": f"{EDITOR_MODE}\n{draft.html}",
            "description": draft.preheader,
            "metadata": metadata,
            "status": "draft",
        }
        if draft.schedule is not None:
            body["status"] = "scheduled"
            body["publish_date"] = utc_iso(draft.schedule)
        return body

    def create(self, draft: EmailDraft) -> Handed:
        response = self.api.request(
            "POST",
            "/v1/emails",
            ok=(200, 201),
            what=draft.key,
            json=self.payload(draft),
            headers={"X-Idempotency-Key": idempotency_key(SERVICE, draft.key)},
        )
        email = response.json()
        return Handed(
            id=str(email["id"]),
            status=str(email.get("status") or ""),
            url=str(email.get("absolute_url") or ""),
        )

    def delete(self, id: str) -> None:
        """Delete an email (gone already is fine)."""
        self.api.request("DELETE", f"/v1/emails/{id}", ok=(200, 204, 404), what="delete")

    def close(self) -> None:
        self.api.close()


def from_env(
    env: Mapping[str, str],
    audience: str | list[int] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Buttondown:
    """The client for ``FOLLOWHOME_BUTTONDOWN_TOKEN`` (``FOLLOWHOME_BUTTONDOWN_URL`` for another
    address). ``audience`` is not used: a Buttondown token belongs to one newsletter."""
    token = require(env, [TOKEN])[TOKEN]
    base = env.get(URL, "").strip() or BASE_URL
    api = Api(
        SERVICE,
        base.rstrip("/"),
        {"Authorization": f"Token {token}", "Accept": "application/json"},
        transport=transport,
        sleep=sleep,
        clock=clock,
    )
    return Buttondown(api)
