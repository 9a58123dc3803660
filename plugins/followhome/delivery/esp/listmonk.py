"""Listmonk: an item's email as a draft campaign (or a scheduled one) for the configured lists.

Listmonk makes every new campaign a draft (it takes no ``status`` on create); a schedule is
``send_at`` on the campaign, then ``PUT /api/campaigns/{id}/status`` ``scheduled``. Listmonk has
no idempotency key, so each item is made once by a look-up: the campaign's name carries the
item's key (:attr:`EmailDraft.name`), and ``create`` looks for it first. Two runs at once can
both miss it and both create; so after creating, ``create`` looks again and keeps the oldest
campaign carrying the key, deleting the other drafts (a retried create that the service had done
the first time is cleaned up the same way).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import SetupError, require
from followhome.delivery.esp import keep_oldest, utc_iso
from followhome.delivery.handover import EmailDraft, Handed
from followhome.delivery.http import Api

SERVICE = "listmonk"
URL = "FOLLOWHOME_LISTMONK_URL"
USER = "FOLLOWHOME_LISTMONK_USER"
TOKEN = "FOLLOWHOME_LISTMONK_TOKEN"


def carries(name: str, key: str) -> bool:
    """Whether a campaign name is the one :attr:`EmailDraft.name` gives the item ``key``."""
    return name.startswith(f"followhome {key}:")


class Listmonk:
    """Listmonk's API (``api`` carries ``Authorization: token user:token``); campaigns go to
    the list ids ``lists``."""

    def __init__(self, api: Api, lists: list[int]) -> None:
        if not lists:
            raise SetupError("listmonk: no list ids to send to: set channels.email.audience, e.g. [3]")
        self.api = api
        self.lists = list(lists)

    def find(self, key: str) -> list[dict[str, Any]]:
        """The campaigns whose name carries ``key``, oldest first."""
        response = self.api.request(
            "GET",
            "/api/campaigns",
            ok=(200,),
            what=f"look up {key}",
            params={"query": key, "per_page": "all"},
        )
        results = (response.json().get("data") or {}).get("results") or []
        found = [c for c in results if carries(str(c.get("name", "")), key)]
        return sorted(found, key=lambda c: int(c["id"]))

    def payload(self, draft: EmailDraft) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": draft.name,
            "subject": draft.subject,
            "lists": self.lists,
            "type": "regular",
            "content_type": "html",
            "body": draft.html,
            "altbody": draft.text,
            "tags": list(draft.tags),
        }
        if draft.schedule is not None:
            body["send_at"] = utc_iso(draft.schedule)
        return body

    def create(self, draft: EmailDraft) -> Handed:
        found = self.find(draft.key)
        if found:
            campaign = found[0]
        else:
            response = self.api.request(
                "POST", "/api/campaigns", ok=(200,), what=draft.key, json=self.payload(draft)
            )
            campaign = response.json()["data"]
            campaign = self._keep_one(draft.key) or campaign
        if draft.schedule is not None and campaign.get("status") == "draft":
            campaign = self._schedule(campaign, draft)
        return Handed(id=str(campaign["id"]), status=str(campaign.get("status", "")))

    def _keep_one(self, key: str) -> dict[str, Any] | None:
        """The oldest campaign carrying ``key``; the other drafts carrying it deleted."""
        return keep_oldest(self.find(key), "draft", self.delete)

    def _schedule(self, campaign: dict[str, Any], draft: EmailDraft) -> dict[str, Any]:
        id = campaign["id"]
        if not campaign.get("send_at"):  # made without a schedule by an earlier run
            self.api.request(
                "PUT", f"/api/campaigns/{id}", ok=(200,), what="set send_at", json=self.payload(draft)
            )
        response = self.api.request(
            "PUT", f"/api/campaigns/{id}/status", ok=(200,), what="schedule", json={"status": "scheduled"}
        )
        scheduled: dict[str, Any] = response.json()["data"]
        return scheduled

    def delete(self, id: str) -> None:
        """Delete a campaign (gone already is fine)."""
        self.api.request("DELETE", f"/api/campaigns/{id}", ok=(200, 204, 404), what="delete")

    def close(self) -> None:
        self.api.close()


def lists_of(audience: str | list[int] | None) -> list[int]:
    """Listmonk list ids from ``channels.email.audience`` (a list, or ``"3, 7"``)."""
    if isinstance(audience, list):
        return [int(number) for number in audience]
    try:
        return [int(part) for part in (audience or "").replace(",", " ").split()]
    except ValueError:
        raise SetupError(
            f"listmonk: channels.email.audience must be list ids, e.g. [3, 7], not {audience!r}"
        ) from None


def from_env(
    env: Mapping[str, str],
    audience: str | list[int] | None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Listmonk:
    """The client for ``FOLLOWHOME_LISTMONK_URL``, ``_USER`` and ``_TOKEN`` (an API user's
    name and token), drafting for the list ids ``audience``."""
    values = require(env, [URL, USER, TOKEN])
    api = Api(
        SERVICE,
        values[URL].rstrip("/"),
        {"Authorization": f"token {values[USER]}:{values[TOKEN]}", "Accept": "application/json"},
        transport=transport,
        sleep=sleep,
        clock=clock,
    )
    try:
        return Listmonk(api, lists_of(audience))
    except ValueError:
        api.close()
        raise
