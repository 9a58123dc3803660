"""A stand-in for a Bluesky PDS (AT Protocol lexicons com.atproto.server.createSession,
com.atproto.repo.createRecord/getRecord/deleteRecord, app.bsky.feed.post,
app.bsky.richtext.facet, app.bsky.embed.external; atproto.com/specs/tid and /specs/record-key;
docs.bsky.app advanced-guides/rate-limits; packages/pds createRecord.ts):

- ``createSession`` ``{identifier, password}``: the handle (or DID) and its app password, else
  401 ``AuthenticationRequired``. Answers ``accessJwt``, ``refreshJwt``, ``handle``, ``did``.
- ``createRecord``/``deleteRecord`` need ``Authorization: Bearer <accessJwt>`` (401 otherwise),
  ``repo`` the session's DID or handle, ``collection`` ``app.bsky.feed.post``, an ``rkey`` of TID
  syntax (13 characters, base32-sortable, first in ``234567abcdefghij``). The record is checked as
  the lexicon says: ``$type``, ``text`` ≤ 300 grapheme clusters and ≤ 3000 UTF-8 bytes,
  ``createdAt`` an RFC 3339 time with its offset, ``langs`` ≤ 3, each facet's byte range inside
  the text's UTF-8 bytes (start < end) with known features, an ``app.bsky.embed.external`` with
  ``uri``, ``title`` and ``description``; else 400 ``InvalidRequest``. An ``rkey`` already taken
  answers 500 ``{"error":"InternalServerError","message":"Internal Server Error"}``, as the PDS
  does (its MST throws; undocumented).
- ``getRecord`` (no token needed): the record, or 400 ``{"error":"RecordNotFound"}``.
- ``deleteRecord``: 200 whether or not the record was there.
- A scripted ``429`` carries ``RateLimit-Limit``/``-Remaining``/``-Reset`` (Unix seconds) and
  ``RateLimit-Policy``, body ``RateLimitExceeded``; no ``Retry-After``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime, timedelta
from typing import Any

from tests.services import FakeClock, Reply, Seen, ServiceServer, bearer, graphemes

HANDLE = "shop.bsky.social"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
COLLECTION = "app.bsky.feed.post"
RESET_AFTER = 42
TID = re.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
FEATURES = {"app.bsky.richtext.facet#link", "app.bsky.richtext.facet#mention", "app.bsky.richtext.facet#tag"}
XRPC = "/xrpc/"


def _invalid(message: str) -> Reply:
    return Reply(400, {"error": "InvalidRequest", "message": message})


def check_post(record: Any) -> str | None:
    """What is wrong with an ``app.bsky.feed.post`` record, or None."""
    if not isinstance(record, dict) or record.get("$type") != COLLECTION:
        return f"Invalid {COLLECTION} record: $type must be {COLLECTION}"
    text = record.get("text")
    if not isinstance(text, str):
        return "Record/text must be a string"
    if graphemes(text) > 300 or len(text.encode()) > 3000:
        return "Record/text must not be longer than 300 graphemes"
    created = record.get("createdAt")
    if not isinstance(created, str) or not DATETIME.fullmatch(created):
        return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
    try:
        datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)"
    langs = record.get("langs", [])
    if not isinstance(langs, list) or len(langs) > 3 or not all(isinstance(x, str) and x for x in langs):
        return "Record/langs must be an array of at most 3 language tags"
    size = len(text.encode())
    for number, facet in enumerate(record.get("facets", [])):
        index = facet.get("index") if isinstance(facet, dict) else None
        start = index.get("byteStart") if isinstance(index, dict) else None
        end = index.get("byteEnd") if isinstance(index, dict) else None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
            return f"Record/facets/{number}/index must be a byte range inside the text"
        features = facet.get("features")
        if not isinstance(features, list) or not features:
            return f"Record/facets/{number}/features must not be empty"
        for feature in features:
            kind = feature.get("$type") if isinstance(feature, dict) else None
            if kind not in FEATURES:
                return f"Record/facets/{number}/features has an unknown type {kind!r}"
            if kind.endswith("#link") and not isinstance(feature.get("uri"), str):
                return f"Record/facets/{number}/features/0/uri must be a string"
    embed = record.get("embed")
    if embed is not None:
        external = embed.get("external") if isinstance(embed, dict) else None
        if embed.get("$type") != "app.bsky.embed.external" or not isinstance(external, dict):
            return "Record/embed must be an app.bsky.embed.external here"
        for name in ("uri", "title", "description"):
            if not isinstance(external.get(name), str):
                return f"Record/embed/external/{name} must be a string"
    return None


class BlueskyStandIn(ServiceServer):
    name = "bluesky"

    def __init__(
        self, clock: FakeClock | None = None, handle: str = HANDLE, password: str = APP_PASSWORD
    ) -> None:
        super().__init__(clock)
        self.account = handle
        self.did = DID
        self.password = password
        self.tokens: set[str] = set()
        self.records: dict[str, dict[str, Any]] = {}
        """By rkey: ``{"uri", "cid", "value"}``."""
        self.sessions = 0

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            reset = self.clock() + timedelta(seconds=RESET_AFTER)
            return Reply(
                429,
                {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                {
                    "RateLimit-Limit": "5000",
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(int(reset.timestamp())),
                    "RateLimit-Policy": "5000;w=3600",
                },
            )
        return Reply(500, {"error": "InternalServerError", "message": "Internal Server Error"})

    def texts(self) -> list[str]:
        with self.lock:
            return [entry["value"]["text"] for entry in self.records.values()]

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def _handle(self, seen: Seen) -> Reply:
        method = seen.path.removeprefix(XRPC) if seen.path.startswith(XRPC) else ""
        if method == "com.atproto.server.createSession" and seen.method == "POST":
            return self._session(seen)
        if method == "com.atproto.repo.getRecord" and seen.method == "GET":
            return self._get(seen.query)
        if (
            method in ("com.atproto.repo.createRecord", "com.atproto.repo.deleteRecord")
            and seen.method == "POST"
        ):
            token = bearer(seen)
            if token is None:
                return Reply(401, {"error": "AuthenticationRequired", "message": "Authentication Required"})
            if token not in self.tokens:
                return Reply(400, {"error": "InvalidToken", "message": "Token could not be verified"})
            body = seen.body
            if not isinstance(body, dict):
                return _invalid("Input must be an object")
            if body.get("repo") not in (self.did, self.account):
                return _invalid(f"Could not find repo: {body.get('repo')}")
            if body.get("collection") != COLLECTION:
                return _invalid(f"Invalid collection: {body.get('collection')}")
            rkey = body.get("rkey")
            if not isinstance(rkey, str) or not TID.fullmatch(rkey):
                return _invalid(f"Invalid record key: {rkey!r} (a TID is expected)")
            if method.endswith("deleteRecord"):
                self.records.pop(rkey, None)
                return Reply(200, {"commit": {"cid": self._cid(rkey), "rev": "3l" + rkey[2:]}})
            return self._create(body, rkey)
        return Reply(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})

    def _session(self, seen: Seen) -> Reply:
        body = seen.body if isinstance(seen.body, dict) else {}
        if body.get("identifier") not in (self.account, self.did) or body.get("password") != self.password:
            return Reply(
                401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
            )
        self.sessions += 1
        token = f"access-{self.sessions}"
        self.tokens.add(token)
        return Reply(
            200,
            {
                "accessJwt": token,
                "refreshJwt": f"refresh-{self.sessions}",
                "handle": self.account,
                "did": self.did,
                "active": True,
            },
        )

    def _get(self, query: dict[str, str]) -> Reply:
        if query.get("repo") not in (self.did, self.account) or query.get("collection") != COLLECTION:
            return _invalid("Could not find repo")
        rkey = query.get("rkey", "")
        entry = self.records.get(rkey)
        if entry is None:
            uri = f"at://{self.did}/{COLLECTION}/{rkey}"
            return Reply(400, {"error": "RecordNotFound", "message": f"Could not locate record: {uri}"})
        return Reply(200, entry)

    def _create(self, body: dict[str, Any], rkey: str) -> Reply:
        problem = check_post(body.get("record"))
        if problem:
            return _invalid(problem)
        if rkey in self.records:
            return Reply(500, {"error": "InternalServerError", "message": "Internal Server Error"})
        record = body["record"]
        cid = self._cid(json.dumps(record, sort_keys=True))
        uri = f"at://{self.did}/{COLLECTION}/{rkey}"
        self.records[rkey] = {"uri": uri, "cid": cid, "value": record}
        return Reply(
            200,
            {
                "uri": uri,
                "cid": cid,
                "commit": {"cid": self._cid(uri), "rev": "3l" + rkey[2:]},
                "validationStatus": "valid",
            },
        )

    @staticmethod
    def _cid(content: str) -> str:
        digest = hashlib.sha256(content.encode()).digest()
        return "bafyrei" + base64.b32encode(digest).decode().lower().rstrip("=")[:52]
