"""A stand-in for Mailchimp's Marketing API v3 (mailchimp.com/developer: marketing-api-conventions,
fundamentals, errors; the Swagger 3.0.55 for campaigns):

- HTTP Basic, any user name, the API key as the password; else 401.
- Errors are problem details ``{type, title, status, detail, instance}`` (+ ``errors[{field,
  message}]`` for invalid fields). Served as ``application/json``: the shared base sets the type,
  not ``application/problem+json`` as Mailchimp does (the clients read the status only).
- ``GET /3.0/campaigns?count=&fields=``: ``count`` ≤ 1000; ``fields`` (comma-separated dotted
  paths) honoured.
- ``POST /3.0/campaigns``: ``type`` one of regular|plaintext|absplit|rss|variate;
  ``recipients.list_id`` an existing audience; ``segment_opts`` with ``match`` any|all and
  conditions ``{condition_type: StaticSegment, field: static_segment, op: static_is, value:
  <an existing tag id>}``; ``settings`` with ``subject_line``, ``preview_text``, ``title``. 200
  with the campaign, status ``save``.
- ``PUT /3.0/campaigns/<id>/content`` {html, plain_text}: 200, for a campaign not sent.
- ``POST /3.0/campaigns/<id>/actions/schedule`` {schedule_time}: a future UTC time on a quarter
  hour, a campaign with content, status ``save`` or ``paused``; 204, status ``schedule``.
- ``POST /3.0/campaigns/<id>/actions/send``: sends now — a violation, the test fails.
- ``DELETE /3.0/campaigns/<id>``: 204; 404 if unknown.
- ``GET /3.0/lists/<list_id>/segments?type=static``: the audience's tags.
- A scripted ``429`` has no ``Retry-After`` (Mailchimp documents none).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from tests.services import Reply, Seen, ServiceServer

KEY = "0123456789abcdef0123456789abcdef-us6"
LIST_ID = "a1b2c3d4e5"
TAGS = {"reliability": 101, "care": 102}
TYPES = {"regular", "plaintext", "absplit", "rss", "variate"}
_ONE = re.compile(r"^/3\.0/campaigns/([0-9a-f]+)$")
_CONTENT = re.compile(r"^/3\.0/campaigns/([0-9a-f]+)/content$")
_ACTION = re.compile(r"^/3\.0/campaigns/([0-9a-f]+)/actions/([a-z-]+)$")
_SEGMENTS = re.compile(r"^/3\.0/lists/([0-9a-z]+)/segments$")


def problem(status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None) -> Reply:
    body: dict[str, Any] = {
        "type": "https://mailchimp.com/developer/marketing/docs/errors/",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": secrets.token_hex(8),
    }
    if errors:
        body["errors"] = errors
    return Reply(status, body)


def _project(item: dict[str, Any], paths: list[list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in paths:
        source: Any = item
        for part in path:
            source = source.get(part) if isinstance(source, dict) else None
        if source is None:
            continue
        target = out
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = source
    return out


class MailchimpStandIn(ServiceServer):
    name = "mailchimp"

    def __init__(self, key: str = KEY) -> None:
        super().__init__()
        self.key = key
        self.campaigns: dict[str, dict[str, Any]] = {}
        self._made = 0

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            return problem(
                429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections."
            )
        return problem(500, "Internal Server Error", "An unexpected internal error has occurred.")

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def _authorised(self, seen: Seen) -> bool:
        scheme, _, value = seen.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _user, _, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return password == self.key

    def _handle(self, seen: Seen) -> Reply:
        if not self._authorised(seen):
            return problem(
                401,
                "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
            )
        if seen.path == "/3.0/campaigns" and seen.method == "GET":
            return self._browse(seen)
        if seen.path == "/3.0/campaigns" and seen.method == "POST":
            return self._create(seen)
        if (segments := _SEGMENTS.match(seen.path)) and seen.method == "GET":
            if segments[1] != LIST_ID:
                return problem(404, "Resource Not Found", "The requested resource could not be found.")
            found = [{"id": n, "name": name, "type": "static"} for name, n in TAGS.items()]
            return Reply(200, {"segments": found, "total_items": len(found)})
        one = _ONE.match(seen.path) or _CONTENT.match(seen.path) or _ACTION.match(seen.path)
        campaign = self.campaigns.get(one[1]) if one else None
        if campaign is None:
            return problem(404, "Resource Not Found", "The requested resource could not be found.")
        if _ONE.match(seen.path) and seen.method == "DELETE":
            del self.campaigns[campaign["id"]]
            return Reply(204)
        if _CONTENT.match(seen.path) and seen.method == "PUT":
            if campaign["status"] not in ("save", "paused"):
                return problem(400, "Bad Request", "This campaign's content cannot be changed now.")
            body = seen.body if isinstance(seen.body, dict) else {}
            campaign["content"] = {"html": body.get("html", ""), "plain_text": body.get("plain_text", "")}
            return Reply(200, campaign["content"])
        action = _ACTION.match(seen.path)
        if action and seen.method == "POST" and action[2] == "schedule":
            return self._schedule(campaign, seen)
        if action and seen.method == "POST" and action[2] == "send":
            self.violations.append(f"SENT: campaign {campaign['id']} sent now")
            campaign["status"] = "sending"
            return Reply(204)
        return problem(405, "Method Not Allowed", "The requested method and resource are not compatible.")

    def _browse(self, seen: Seen) -> Reply:
        count = seen.query.get("count", "10")
        if not count.isdigit() or int(count) > 1000:
            return problem(400, "Invalid Resource", "count must be at most 1000.")
        if seen.query.get("sort_field", "create_time") not in ("create_time", "send_time"):
            return problem(400, "Invalid Resource", "sort_field must be create_time or send_time.")
        newest_first = seen.query.get("sort_dir", "ASC") == "DESC"
        campaigns = sorted(self.campaigns.values(), key=lambda c: c["create_time"], reverse=newest_first)[
            : int(count)
        ]
        fields = seen.query.get("fields", "")
        if fields:
            paths = [f.split(".")[1:] for f in fields.split(",") if f.startswith("campaigns.")]
            listed = [_project(c, paths) for c in campaigns]
            return Reply(200, {"campaigns": listed})
        return Reply(200, {"campaigns": campaigns, "total_items": len(self.campaigns)})

    def _create(self, seen: Seen) -> Reply:
        body = seen.body if isinstance(seen.body, dict) else {}
        errors: list[dict[str, str]] = []
        if body.get("type") not in TYPES:
            errors.append(
                {"field": "type", "message": "Data did not match any of the schemas described in anyOf."}
            )
        recipients = body.get("recipients") or {}
        if recipients.get("list_id") != LIST_ID:
            errors.append({"field": "recipients.list_id", "message": "Invalid audience."})
        opts = recipients.get("segment_opts")
        if opts is not None:
            if opts.get("match", "any") not in ("any", "all"):
                errors.append({"field": "recipients.segment_opts.match", "message": "any or all"})
            for condition in opts.get("conditions") or []:
                if (
                    condition.get("condition_type") != "StaticSegment"
                    or condition.get("field") != "static_segment"
                    or condition.get("op") != "static_is"
                    or condition.get("value") not in TAGS.values()
                ):
                    errors.append(
                        {"field": "recipients.segment_opts.conditions", "message": f"invalid {condition}"}
                    )
        settings = body.get("settings") or {}
        for name in settings:
            if name not in (
                "subject_line",
                "preview_text",
                "title",
                "from_name",
                "reply_to",
                "to_name",
                "template_id",
            ):
                errors.append({"field": f"settings.{name}", "message": "unknown field"})
        if errors:
            return problem(400, "Invalid Resource", "The resource submitted could not be validated.", errors)
        self._made += 1
        id = secrets.token_hex(5)
        created = self.clock() + timedelta(seconds=self._made)
        campaign = {
            "id": id,
            "web_id": self._made,
            "type": body["type"],
            "create_time": created.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "status": "save",
            "recipients": recipients,
            "settings": settings,
            "content": None,
        }
        self.campaigns[id] = campaign
        return Reply(200, campaign)

    def _schedule(self, campaign: dict[str, Any], seen: Seen) -> Reply:
        when = seen.body.get("schedule_time") if isinstance(seen.body, dict) else None
        try:
            moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
        except ValueError:
            return problem(400, "Invalid Resource", "schedule_time must be an ISO 8601 time.")
        if moment.tzinfo is None or moment <= self.clock():
            return problem(400, "Invalid Resource", "The schedule time must be in the future.")
        if moment.minute % 15 or moment.second:
            return problem(400, "Invalid Resource", "Campaigns can only be scheduled on the quarter hour.")
        if campaign["status"] not in ("save", "paused") or not (campaign["content"] or {}).get("html"):
            return problem(400, "Bad Request", "Your Campaign is not ready to send.")
        campaign["status"] = "schedule"
        campaign["send_time"] = when
        return Reply(204)
