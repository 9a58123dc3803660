"""Mailchimp: an item's email as a draft campaign (or a scheduled one) for the configured
audience, narrowed to the item's tags when it has any.

A campaign made through the API is a draft (status ``save``) until someone sends or schedules it;
a schedule is ``POST /campaigns/{id}/actions/schedule``, which Mailchimp takes only on a quarter
hour (:00, :15, :30, :45): another time is refused here, before any request. Mailchimp has no
idempotency key, so each item is made once by a look-up: the campaign's title carries the item's
key (:attr:`EmailDraft.name`). Two runs at once can both miss it and both create; so after
creating, ``create`` looks again and keeps the oldest campaign carrying the key, deleting the
other drafts (a retried create that Mailchimp had done the first time is cleaned up the same
way). Tags are Mailchimp tags (static segments) of the audience, matched by name: the campaign
goes to subscribers with any of them.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import SetupError, require
from followhome.delivery.esp import keep_oldest, utc_iso
from followhome.delivery.handover import EmailDraft, Handed
from followhome.delivery.http import Api, ServiceError

SERVICE = "mailchimp"
TOKEN = "FOLLOWHOME_MAILCHIMP_TOKEN"
URL = "FOLLOWHOME_MAILCHIMP_URL"
STATUS = {"save": "draft", "schedule": "scheduled"}
"""Mailchimp's campaign statuses in the clients' words (others: as Mailchimp says them)."""


def carries(title: str, key: str) -> bool:
    """Whether a campaign title is the one :attr:`EmailDraft.name` gives the item ``key``."""
    return title.startswith(f"followhome {key}:")


def base_url(token: str) -> str:
    """``https://us6.api.mailchimp.com`` for a key ending ``-us6``."""
    _, dash, dc = token.rpartition("-")
    if not dash or not dc.isalnum():
        raise SetupError(
            f"{TOKEN} does not end in its data center (like -us6); set {URL} to the API address instead"
        )
    return f"https://{dc}.api.mailchimp.com"


def check_schedule(moment: datetime) -> None:
    """Refuse a time Mailchimp would refuse: not on a quarter hour."""
    if moment.minute % 15 or moment.second or moment.microsecond:
        raise ServiceError(
            SERVICE,
            0,
            f"mailchimp: cannot schedule at {utc_iso(moment)}: Mailchimp schedules on the quarter hour "
            "(:00, :15, :30 or :45); choose such a time",
        )


class Mailchimp:
    """Mailchimp's Marketing API (``api`` carries HTTP Basic with the key); campaigns go to the
    audience ``list_id``."""

    def __init__(self, api: Api, list_id: str) -> None:
        if not list_id:
            raise SetupError("mailchimp: no audience to send to: set channels.email.audience to its list id")
        self.api = api
        self.list_id = list_id

    def find(self, key: str) -> list[dict[str, Any]]:
        """The campaigns whose title carries ``key``, oldest first."""
        response = self.api.request(
            "GET",
            "/3.0/campaigns",
            ok=(200,),
            what=f"look up {key}",
            params={  # the newest 1,000: an item's campaign is recent (it was new within the window)
                "count": "1000",
                "sort_field": "create_time",
                "sort_dir": "DESC",
                "fields": "campaigns.id,campaigns.settings.title,campaigns.status,campaigns.create_time",
            },
        )
        campaigns = response.json().get("campaigns") or []
        found = [c for c in campaigns if carries(str((c.get("settings") or {}).get("title", "")), key)]
        return sorted(found, key=lambda c: (str(c.get("create_time", "")), str(c["id"])))

    def segment_opts(self, tags: tuple[str, ...]) -> dict[str, Any]:
        """Subscribers with any of ``tags`` (the audience's tags, by name)."""
        response = self.api.request(
            "GET",
            f"/3.0/lists/{self.list_id}/segments",
            ok=(200,),
            what="tags",
            params={"type": "static", "count": "1000", "fields": "segments.id,segments.name"},
        )
        ids = {str(s["name"]): s["id"] for s in response.json().get("segments") or []}
        missing = [tag for tag in tags if tag not in ids]
        if missing:
            raise ServiceError(
                SERVICE,
                0,
                f"mailchimp: the audience {self.list_id} has no tag {', '.join(map(repr, missing))}: "
                "add it in Mailchimp or change channels.email.value_tags",
            )
        return {
            "match": "any",
            "conditions": [
                {
                    "condition_type": "StaticSegment",
                    "field": "static_segment",
                    "op": "static_is",
                    "value": ids[tag],
                }
                for tag in tags
            ],
        }

    def payload(self, draft: EmailDraft) -> dict[str, Any]:
        recipients: dict[str, Any] = {"list_id": self.list_id}
        if draft.tags:
            recipients["segment_opts"] = self.segment_opts(draft.tags)
        return {
            "type": "regular",
            "recipients": recipients,
            "settings": {"subject_line": draft.subject, "preview_text": draft.preheader, "title": draft.name},
        }

    def create(self, draft: EmailDraft) -> Handed:
        if draft.schedule is not None:
            check_schedule(draft.schedule)
        found = self.find(draft.key)
        if found:
            campaign = found[0]
        else:
            response = self.api.request(
                "POST", "/3.0/campaigns", ok=(200,), what=draft.key, json=self.payload(draft)
            )
            campaign = self._keep_one(draft.key) or response.json()
        id, status = str(campaign["id"]), str(campaign.get("status", ""))
        if status == "save":  # a draft: its content (again, if an earlier run stopped here)
            self.api.request(
                "PUT",
                f"/3.0/campaigns/{id}/content",
                ok=(200,),
                what="content",
                json={"html": draft.html, "plain_text": draft.text},
            )
            if draft.schedule is not None:
                self.api.request(
                    "POST",
                    f"/3.0/campaigns/{id}/actions/schedule",
                    ok=(204,),
                    what="schedule",
                    json={"schedule_time": utc_iso(draft.schedule)},
                )
                status = "schedule"
        return Handed(id=id, status=STATUS.get(status, status))

    def _keep_one(self, key: str) -> dict[str, Any] | None:
        """The oldest campaign carrying ``key``; the other drafts carrying it deleted."""
        return keep_oldest(self.find(key), "save", self.delete)

    def delete(self, id: str) -> None:
        """Delete a campaign (gone already is fine)."""
        self.api.request("DELETE", f"/3.0/campaigns/{id}", ok=(200, 204, 404), what="delete")

    def close(self) -> None:
        self.api.close()


def from_env(
    env: Mapping[str, str],
    audience: str | list[int] | None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Mailchimp:
    """The client for ``FOLLOWHOME_MAILCHIMP_TOKEN`` (its ``-us6`` ending says the address;
    ``FOLLOWHOME_MAILCHIMP_URL`` overrides it), drafting for the audience (list) id ``audience``."""
    token = require(env, [TOKEN])[TOKEN]
    base = env.get(URL, "").strip() or base_url(token)
    if isinstance(audience, list):
        raise SetupError("mailchimp: channels.email.audience must be one audience (list) id, a string")
    basic = base64.b64encode(f"followhome:{token}".encode()).decode()
    api = Api(
        SERVICE,
        base.rstrip("/"),
        {"Authorization": f"Basic {basic}", "Accept": "application/json"},
        transport=transport,
        sleep=sleep,
        clock=clock,
    )
    try:
        return Mailchimp(api, (audience or "").strip())
    except ValueError:
        api.close()
        raise
