"""A stand-in for Listmonk's API (listmonk.app/docs/apis/apis, …/campaigns; source
``internal/auth/auth.go``, ``cmd/campaigns.go``, ``internal/core/campaigns.go``):

- ``Authorization: token <user>:<token>`` (or HTTP Basic with the same pair); wrong credentials
  → 403 ``{"message": "invalid API credentials"}``, a malformed header → 400.
- Answers in the ``{"data": …}`` envelope; errors ``{"message": …}``.
- ``GET /api/campaigns?query=&per_page=(n|all)&page=``: ``query`` matched as Listmonk does
  (``ILIKE '%query%'`` on name and subject), newest first.
- ``POST /api/campaigns``: ``name``, ``subject`` (≤ 5000) and ``lists`` (ids of existing lists)
  required; ``type`` regular|optin; ``content_type`` html|richtext|markdown|plain|visual (other:
  richtext); ``send_at`` a future RFC 3339 time. ``status`` is not taken: every new campaign is a
  draft. 200 with the campaign.
- ``PUT /api/campaigns/<id>``: the same fields, for a draft, scheduled or paused campaign.
- ``PUT /api/campaigns/<id>/status``: ``scheduled`` from draft or paused with ``send_at``;
  ``running`` from draft or paused — sending now: a violation, the test fails —; ``draft`` from
  scheduled only; else 400.
- ``DELETE /api/campaigns/<id>``: 200 ``{"data": true}``; 404 if unknown.
- A scripted ``429`` has no ``Retry-After`` (Listmonk documents none).
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from datetime import datetime
from typing import Any

from tests.services import Reply, Seen, ServiceServer

USER = "followhome"
TOKEN = "lm-test-token"
LISTS = {3: "Customers", 7: "Neighbours"}
CONTENT_TYPES = {"richtext", "html", "markdown", "plain", "visual"}
_ONE = re.compile(r"^/api/campaigns/(\d+)$")
_STATUS = re.compile(r"^/api/campaigns/(\d+)/status$")


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"message": message})


class ListmonkStandIn(ServiceServer):
    name = "listmonk"

    def __init__(self, user: str = USER, token: str = TOKEN) -> None:
        super().__init__()
        self.user = user
        self.token = token
        self.campaigns: dict[int, dict[str, Any]] = {}
        self.ignored_status: list[Any] = []
        """``status`` values sent on create (Listmonk ignores them)."""
        self._next = 1

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            return _error(429, "Too many requests")
        return _error(500, "Internal server error")

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def _credentials(self, seen: Seen) -> str | None:
        header = seen.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "token":
            return value.strip()
        if scheme.lower() == "basic":
            try:
                return base64.b64decode(value, validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                return None
        return None

    def _handle(self, seen: Seen) -> Reply:
        pair = self._credentials(seen)
        if pair is None or ":" not in pair:
            return _error(400, "invalid authorization header")
        if pair != f"{self.user}:{self.token}":
            return _error(403, "invalid API credentials")
        if seen.path == "/api/campaigns" and seen.method == "GET":
            return self._browse(seen)
        if seen.path == "/api/campaigns" and seen.method == "POST":
            return self._create(seen)
        one = _ONE.match(seen.path)
        if one and seen.method == "PUT":
            return self._update(int(one[1]), seen)
        if one and seen.method == "DELETE":
            if self.campaigns.pop(int(one[1]), None) is None:
                return _error(404, "Campaign not found.")
            return Reply(200, {"data": True})
        status = _STATUS.match(seen.path)
        if status and seen.method == "PUT":
            return self._status(int(status[1]), seen)
        return _error(404, "Not found")

    def _browse(self, seen: Seen) -> Reply:
        per_page = seen.query.get("per_page", "20")
        if per_page != "all" and not per_page.isdigit():
            return _error(400, "invalid per_page")
        query = seen.query.get("query", "").lower()
        found = [
            c
            for c in sorted(self.campaigns.values(), key=lambda c: -int(c["id"]))
            if query in f"{c['name']} {c['subject']}".lower()
        ]
        size = len(found) if per_page == "all" else int(per_page)
        return Reply(
            200,
            {"data": {"results": found[:size], "total": len(found), "per_page": per_page, "page": 1}},
        )

    def _fields(self, body: Any) -> dict[str, Any] | Reply:
        if not isinstance(body, dict):
            return _error(400, "invalid JSON")
        name, subject, lists = body.get("name"), body.get("subject"), body.get("lists")
        if not isinstance(name, str) or not name.strip():
            return _error(400, "invalid name")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 5000:
            return _error(400, "invalid subject")
        if not isinstance(lists, list) or not lists or not all(isinstance(n, int) for n in lists):
            return _error(400, "invalid lists")
        if any(n not in LISTS for n in lists):
            return _error(400, "lists not found")
        kind = body.get("type", "regular")
        if kind not in ("regular", "optin"):
            return _error(400, "invalid type")
        content_type = body.get("content_type", "richtext")
        send_at = body.get("send_at")
        if send_at is not None:
            try:
                moment = datetime.fromisoformat(str(send_at).replace("Z", "+00:00"))
            except ValueError:
                return _error(400, "invalid send_at")
            if moment.tzinfo is None or moment <= self.clock():
                return _error(400, "send_at date should be in the future")
        tags = body.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return _error(400, "invalid tags")
        return {
            "name": name,
            "subject": subject,
            "lists": [{"id": n, "name": LISTS[n]} for n in lists],
            "type": kind,
            "content_type": content_type if content_type in CONTENT_TYPES else "richtext",
            "body": body.get("body", ""),
            "altbody": body.get("altbody"),
            "send_at": send_at,
            "tags": tags,
        }

    def _create(self, seen: Seen) -> Reply:
        fields = self._fields(seen.body)
        if isinstance(fields, Reply):
            return fields
        if isinstance(seen.body, dict) and "status" in seen.body:
            self.ignored_status.append(seen.body["status"])
        id = self._next
        self._next += 1
        now = self.clock().isoformat()
        campaign = {"id": id, "uuid": str(uuid.uuid4()), **fields, "status": "draft", "created_at": now}
        campaign["updated_at"] = now
        self.campaigns[id] = campaign
        return Reply(200, {"data": campaign})

    def _update(self, id: int, seen: Seen) -> Reply:
        campaign = self.campaigns.get(id)
        if campaign is None:
            return _error(404, "Campaign not found.")
        if campaign["status"] not in ("draft", "scheduled", "paused"):
            return _error(400, "Cannot update a running or finished campaign.")
        fields = self._fields(seen.body)
        if isinstance(fields, Reply):
            return fields
        campaign.update(fields, updated_at=self.clock().isoformat())
        return Reply(200, {"data": campaign})

    def _status(self, id: int, seen: Seen) -> Reply:
        campaign = self.campaigns.get(id)
        if campaign is None:
            return _error(404, "Campaign not found.")
        wanted = seen.body.get("status") if isinstance(seen.body, dict) else None
        now = campaign["status"]
        if wanted == "scheduled" and now in ("draft", "paused") and campaign["send_at"]:
            campaign["status"] = "scheduled"
        elif wanted == "running" and now in ("draft", "paused"):
            self.violations.append(f"SENT: campaign {id} {campaign['name']!r} started now")
            campaign["status"] = "running"
        elif wanted == "draft" and now == "scheduled":
            campaign["status"] = "draft"
        elif wanted in ("paused", "cancelled") and now in ("running", "scheduled"):
            campaign["status"] = wanted
        else:
            return _error(400, f"Cannot change status from {now} to {wanted}.")
        return Reply(200, {"data": campaign})
