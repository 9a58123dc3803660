"""A stand-in for a Mastodon server's API (docs.joinmastodon.org: methods/statuses, methods/instance,
api/rate-limits, entities/Instance; source: app/services/post_status_service.rb,
app/validators/status_length_validator.rb):

- ``GET /api/v2/instance`` (no token): ``configuration.statuses.max_characters`` (500) and
  ``characters_reserved_per_url`` (23).
- Everything else needs ``Authorization: Bearer <token>`` of a known account, else 401
  ``{"error":"The access token is invalid"}``.
- ``POST /api/v1/statuses`` (JSON or form): ``status`` required (422 if blank), ``visibility``
  one of public/unlisted/private/direct, ``language`` ISO 639-1 (two letters; stricter than
  Mastodon, which drops an unknown one); over ``max_characters`` grapheme clusters, each URL
  counted as 23: 422 ``{"error":"Validation failed: Text character limit of 500 exceeded"}``.
  Parameters outside the documented ones are a violation (to catch a misspelt one). 200 Status.
- ``Idempotency-Key``: kept per account for one hour of :attr:`clock`; a repeat within the hour
  answers the status it made. After the hour the key is forgotten. Two requests with one key at
  the same moment make one status here (requests are answered one after the other); Mastodon
  itself reads the key before creating and stores it after (post_status_service.rb), with no
  lock, so two truly simultaneous runs could make two: deliveries must not run in parallel.
- ``DELETE /api/v1/statuses/:id``: 200 with the status; 404 ``{"error":"Record not found"}`` for
  an unknown one (or another account's).
- A scripted ``429`` carries ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` (an ISO 8601 time)
  and no ``Retry-After``, as Mastodon's do.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from tests.services import FakeClock, Reply, Seen, ServiceServer, bearer, graphemes

TOKEN = "mastodon-test-token"
ACCOUNT = "shop"
LIMIT = 500
URL_LENGTH = 23
KEPT = timedelta(hours=1)
RESET_AFTER = 42
"""Seconds from now to a scripted 429's ``X-RateLimit-Reset``."""
PARAMETERS = {
    "status",
    "media_ids",
    "media_ids[]",
    "poll",
    "in_reply_to_id",
    "sensitive",
    "spoiler_text",
    "visibility",
    "language",
    "scheduled_at",
}
VISIBILITIES = {"public", "unlisted", "private", "direct"}
_URL = re.compile(r"https?://\S*[^\s.,;:!?)\]}'\"»…]")


def countable(text: str) -> int:
    """Grapheme clusters, each URL counted as :data:`URL_LENGTH`."""
    return graphemes(_URL.sub("x" * URL_LENGTH, text))


class MastodonStandIn(ServiceServer):
    name = "mastodon"

    def __init__(self, clock: FakeClock | None = None, tokens: dict[str, str] | None = None) -> None:
        super().__init__(clock)
        self.tokens = tokens or {TOKEN: ACCOUNT}
        self.token = next(iter(self.tokens))
        self.statuses: dict[str, dict[str, Any]] = {}
        self.owners: dict[str, str] = {}
        self.keys: dict[tuple[str, str], tuple[str, Any]] = {}
        self._next_id = 113_000_000_000_000_000

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            reset = self.clock() + timedelta(seconds=RESET_AFTER)
            return Reply(
                429,
                {"error": "Too many requests"},
                {
                    "X-RateLimit-Limit": "300",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                },
            )
        return Reply(500, {"error": "We're sorry, but something went wrong on our end."})

    def texts(self) -> list[str]:
        """Every status's text, oldest first."""
        with self.lock:
            return [status["text"] for status in self.statuses.values()]

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def _handle(self, seen: Seen) -> Reply:
        if seen.method == "GET" and seen.path == "/api/v2/instance":
            return Reply(200, self._instance())
        account = self.tokens.get(bearer(seen) or "")
        if account is None:
            return Reply(401, {"error": "The access token is invalid"})
        if seen.method == "POST" and seen.path == "/api/v1/statuses":
            return self._create(seen, account)
        found = re.fullmatch(r"/api/v1/statuses/(\d+)", seen.path)
        if seen.method == "DELETE" and found:
            status_id = found.group(1)
            if self.owners.get(status_id) != account:
                return Reply(404, {"error": "Record not found"})
            del self.owners[status_id]
            return Reply(200, self.statuses.pop(status_id))
        return Reply(404, {"error": "Record not found"})

    def _instance(self) -> dict[str, Any]:
        return {
            "domain": "mastodon.test",
            "title": "Mastodon stand-in",
            "configuration": {
                "urls": {"streaming": "wss://mastodon.test"},
                "statuses": {
                    "max_characters": LIMIT,
                    "max_media_attachments": 4,
                    "characters_reserved_per_url": URL_LENGTH,
                },
            },
        }

    def _create(self, seen: Seen, account: str) -> Reply:
        body = seen.body
        if not isinstance(body, dict):
            return Reply(422, {"error": "Validation failed: Text can't be blank"})
        unknown = sorted(set(body) - PARAMETERS)
        if unknown:
            self.violation(f"POST /api/v1/statuses with undocumented parameters {unknown}")
        key = seen.headers.get("idempotency-key")
        if key:
            kept = self.keys.get((account, key))
            if kept and self.clock() - kept[1] < KEPT:
                return Reply(200, self.statuses.get(kept[0]) or {"id": kept[0]})
        text = body.get("status")
        if not isinstance(text, str) or not text.strip():
            return Reply(422, {"error": "Validation failed: Text can't be blank"})
        visibility = body.get("visibility", "public")
        if visibility not in VISIBILITIES:
            return Reply(422, {"error": f"Validation failed: Visibility {visibility!r} is not valid"})
        language = body.get("language")
        if language is not None and not (isinstance(language, str) and re.fullmatch(r"[a-z]{2}", language)):
            return Reply(422, {"error": f"Validation failed: Language {language!r} is not ISO 639-1"})
        if countable(text) > LIMIT:
            return Reply(422, {"error": f"Validation failed: Text character limit of {LIMIT} exceeded"})
        self._next_id += 1
        status_id = str(self._next_id)
        status = {
            "id": status_id,
            "created_at": self.clock().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "uri": f"{self.url}/users/{account}/statuses/{status_id}",
            "url": f"{self.url}/@{account}/{status_id}",
            "visibility": visibility,
            "language": language,
            "content": f"<p>{text}</p>",
            "text": text,
            "account": {"id": "1", "username": account, "acct": account},
        }
        self.statuses[status_id] = status
        self.owners[status_id] = account
        if key:
            self.keys[(account, key)] = (status_id, self.clock())
        return Reply(200, status)

    def violation(self, message: str) -> None:
        self.violations.append(message)
