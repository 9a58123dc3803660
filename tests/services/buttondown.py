"""A stand-in for Buttondown's API (OpenAPI in github.com/buttondown/docs ``public/openapi.json``;
docs.buttondown.com: api-authentication, api-idempotency-keys, api-rate-limits,
drafting-emails-via-the-api, scheduling-emails-via-the-api):

- ``Authorization: Token <key>``, else 401 ``{"detail": ...}``.
- ``POST /v1/emails`` with a JSON object: ``subject`` required (≤ 2000; else 400
  ``{code, detail, metadata}``); fields outside the documented ones: 422 ``{detail: [{type, loc,
  msg}]}`` (stricter than Buttondown, to catch a misspelt field); ``status`` missing or
  ``about_to_send`` (or any status that sends) is answered as Buttondown would — the email goes
  out — and recorded as a violation: the test fails. ``scheduled`` needs a future
  ``publish_date`` (400 ``publish_date_missing``). 201 with the Email.
- ``X-Idempotency-Key`` (≤ 200 characters): a repeated key gets the original response again.
  Kept forever: Buttondown documents no retention window. Two requests with one key at the same
  time are answered one after the other (the second gets the first's response); Buttondown does
  not document that case.
- ``DELETE /v1/emails/<id>``: 204, 404 if unknown.
- A scripted ``429`` carries ``Retry-After`` (seconds), as Buttondown's do.

Sending at once is a violation: the ``with`` block fails the test when it ends.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from tests.services import Reply, Seen, ServiceServer

TOKEN = "bd-test-token"
FIELDS = {
    "subject",
    "body",
    "status",
    "publish_date",
    "slug",
    "description",
    "canonical_url",
    "metadata",
    "filters",
    "email_type",
    "image",
    "attachments",
    "secondary_id",
    "commenting_mode",
    "related_email_ids",
    "featured",
}
SAFE = {"draft", "scheduled"}
RETRY_AFTER = 7


class ButtondownStandIn(ServiceServer):
    name = "buttondown"

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.emails: dict[str, dict[str, Any]] = {}
        self.replays: dict[str, Reply] = {}

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            return Reply(429, {"detail": "Request was throttled."}, {"Retry-After": str(RETRY_AFTER)})
        return Reply(500, {"detail": "Server error."})

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def _handle(self, seen: Seen) -> Reply:
        if seen.headers.get("authorization") != f"Token {self.token}":
            return Reply(401, {"detail": "Invalid token."})
        key = seen.headers.get("x-idempotency-key")
        if key is not None:
            if len(key) > 200:
                return Reply(400, {"code": "invalid", "detail": "Idempotency key too long.", "metadata": {}})
            if key in self.replays:
                return self.replays[key]
        reply = self._answer(seen)
        if key is not None:
            self.replays[key] = reply
        return reply

    def _answer(self, seen: Seen) -> Reply:
        if seen.path == "/v1/emails" and seen.method == "POST":
            return self._create(seen)
        if seen.path.startswith("/v1/emails/") and seen.method == "DELETE":
            if self.emails.pop(seen.path.removeprefix("/v1/emails/").strip("/"), None) is None:
                return Reply(404, {"detail": "Not found."})
            return Reply(204)
        return Reply(404, {"detail": "Not found."})

    def _create(self, seen: Seen) -> Reply:
        if "json" not in seen.headers.get("content-type", ""):
            return Reply(415, {"detail": "Unsupported media type."})
        body = seen.body
        if not isinstance(body, dict):
            return Reply(422, {"detail": [{"type": "dict_type", "loc": ["body"], "msg": "not an object"}]})
        extra = sorted(set(body) - FIELDS)
        if extra:
            return Reply(
                422,
                {
                    "detail": [
                        {"type": "extra_forbidden", "loc": ["body", k], "msg": "unknown"} for k in extra
                    ]
                },
            )
        subject = body.get("subject")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 2000:
            return Reply(400, {"code": "subject_invalid", "detail": "A subject is required.", "metadata": {}})
        status = body.get("status", "about_to_send")
        if status not in SAFE:
            self.violations.append(
                f"SENT: {subject!r} created with status {body.get('status')!r} (sends at once)"
            )
        if status == "scheduled":
            when = body.get("publish_date")
            try:
                moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None or moment <= self.clock():
                return Reply(
                    400,
                    {
                        "code": "publish_date_missing",
                        "detail": "A scheduled email needs a future publish_date.",
                        "metadata": {},
                    },
                )
        id = str(uuid.uuid4())
        email = {
            "id": id,
            "subject": subject,
            "body": body.get("body", ""),
            "description": body.get("description", ""),
            "metadata": body.get("metadata", {}),
            "status": status,
            "publish_date": body.get("publish_date"),
            "creation_date": self.clock().isoformat(),
            "absolute_url": f"https://buttondown.com/test/archive/{id}/",
        }
        self.emails[id] = email
        return Reply(201, email)
