"""A stand-in for Ghost's Admin API (docs.ghost.org/admin-api; source
``ghost/core/core/server/services/auth/api-key/admin.js`` and ``api/endpoints/posts.js``):

- ``Authorization: Ghost <jwt>`` (else 401 ``INVALID_AUTH_HEADER``); the JWT's header must carry a
  ``kid`` (else 400); an unknown ``kid`` → 401 ``UNKNOWN_ADMIN_API_KEY``; the signature (HS256
  with the hex-decoded secret), ``alg``, ``aud`` (``/?admin/?$``), ``exp`` and an ``iat`` at most
  5 minutes old are checked → 401 ``INVALID_JWT``. ``Accept-Version: v5.x`` required.
- Errors ``{"errors": [{"message", "type", "code"}]}``.
- ``GET /ghost/api/admin/posts/?filter=tag:<slug>``: posts of every status carrying the tag.
- ``POST /ghost/api/admin/posts/?source=html`` ``{"posts": [{"title", "html", "status", …}]}``:
  ``title`` required; tags by name (``#name`` is internal, slug ``hash-name``); 201. A status
  other than ``draft``, or a ``newsletter`` (Ghost takes it on edits only), is a violation.
- ``PUT /ghost/api/admin/posts/<id>/?newsletter=<slug>``: ``updated_at`` must be the post's
  current one (else 409 ``UpdateCollisionError``); ``scheduled`` needs a future
  ``published_at``; published with a newsletter emails now: a violation, the test fails.
- ``DELETE /ghost/api/admin/posts/<id>/``: 204; 404 if unknown.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.services import Reply, Seen, ServiceServer

KEY_ID = "6489c2a1e4b0f1a2b3c4d5e6"
SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
ADMIN_KEY = f"{KEY_ID}:{SECRET}"
NEWSLETTER = "default-newsletter"
POSTS = "/ghost/api/admin/posts/"
_ONE = re.compile(r"^/ghost/api/admin/posts/([0-9a-f]+)/$")


def _error(status: int, kind: str, code: str, message: str) -> Reply:
    return Reply(status, {"errors": [{"message": message, "type": kind, "code": code}]})


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _slug(name: str) -> str:
    return ("hash-" + name[1:] if name.startswith("#") else name).lower()


class GhostStandIn(ServiceServer):
    name = "ghost"

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keys = keys or {KEY_ID: SECRET}
        self.posts: dict[str, dict[str, Any]] = {}
        self.emailed: list[tuple[str, str]] = []
        """(post id, newsletter) of each post scheduled to be emailed."""
        self._made = 0

    def failure_reply(self, kind: str) -> Reply:
        if kind == "429":
            return _error(429, "TooManyRequestsError", "TOO_MANY_REQUESTS", "Too many requests.")
        return _error(500, "InternalServerError", "INTERNAL_SERVER_ERROR", "An unexpected error occurred.")

    def handle(self, seen: Seen) -> Reply:
        with self.lock:
            return self._handle(seen)

    def check_token(self, header: str) -> Reply | None:
        """None for a good Admin API token, else Ghost's answer."""
        scheme, _, token = header.partition(" ")
        if scheme != "Ghost" or token.count(".") != 2:
            return _error(
                401,
                "UnauthorizedError",
                "INVALID_AUTH_HEADER",
                'Authorization header format is "Ghost [token]"',
            )
        head, body, signature = token.split(".")
        try:
            header_json = json.loads(_unb64(head))
            claims = json.loads(_unb64(body))
            sig = _unb64(signature)
        except (ValueError, binascii.Error):
            return _error(400, "BadRequestError", "INVALID_JWT", "Invalid JWT")
        kid = header_json.get("kid") if isinstance(header_json, dict) else None
        if not kid:
            return _error(400, "BadRequestError", "INVALID_JWT", "Invalid JWT: no kid")
        secret = self.keys.get(kid)
        if secret is None:
            return _error(401, "UnauthorizedError", "UNKNOWN_ADMIN_API_KEY", "Unknown Admin API Key")
        expected = hmac.new(bytes.fromhex(secret), f"{head}.{body}".encode(), hashlib.sha256).digest()
        now = self.clock().timestamp()
        if (
            header_json.get("alg") != "HS256"
            or not hmac.compare_digest(sig, expected)
            or not re.search(r"/?admin/?$", str(claims.get("aud", "")))
            or not isinstance(claims.get("exp"), int)
            or claims["exp"] < now
            or not isinstance(claims.get("iat"), int)
            or now - claims["iat"] > 300
            or claims["exp"] - claims["iat"] > 300
        ):
            return _error(401, "UnauthorizedError", "INVALID_JWT", "Invalid token")
        return None

    def _handle(self, seen: Seen) -> Reply:
        refused = self.check_token(seen.headers.get("authorization", ""))
        if refused is not None:
            return refused
        if not seen.headers.get("accept-version", "").startswith("v5."):
            return _error(400, "BadRequestError", "INVALID_VERSION", "Accept-Version v5.x expected")
        if seen.path == POSTS and seen.method == "GET":
            wanted = seen.query.get("filter", "")
            found = [
                p
                for p in self.posts.values()
                if not wanted or (wanted.startswith("tag:") and wanted[4:] in p["tag_slugs"])
            ]
            return Reply(200, {"posts": found, "meta": {"pagination": {"page": 1, "total": len(found)}}})
        if seen.path == POSTS and seen.method == "POST":
            return self._create(seen)
        one = _ONE.match(seen.path)
        post = self.posts.get(one[1]) if one else None
        if post is None:
            return _error(404, "NotFoundError", "NOT_FOUND", "Post not found.")
        if seen.method == "DELETE":
            del self.posts[post["id"]]
            return Reply(204)
        if seen.method == "PUT":
            return self._edit(post, seen)
        return _error(405, "MethodNotAllowedError", "METHOD_NOT_ALLOWED", "Not allowed")

    def _create(self, seen: Seen) -> Reply:
        if "newsletter" in seen.query:
            self.violations.append("a newsletter on create (Ghost emails only on an edit)")
        if seen.query.get("source") != "html":
            self.violations.append("html sent without ?source=html (Ghost would drop it)")
        posts = seen.body.get("posts") if isinstance(seen.body, dict) else None
        if not isinstance(posts, list) or len(posts) != 1 or not isinstance(posts[0], dict):
            return _error(422, "ValidationError", "VALIDATION", "posts: one post expected")
        given = posts[0]
        if not given.get("title"):
            return _error(422, "ValidationError", "VALIDATION", "Value in [posts.title] cannot be blank.")
        if given.get("status", "draft") != "draft":
            self.violations.append(f"post created {given.get('status')!r}, not a draft")
        if len(given.get("custom_excerpt") or "") > 300:
            return _error(422, "ValidationError", "VALIDATION", "custom_excerpt is too long")
        self._made += 1
        id = secrets.token_hex(12)
        stamp = (self.clock() + timedelta(seconds=self._made)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        names = [t["name"] for t in given.get("tags") or []]
        post = {
            "id": id,
            "title": given["title"],
            "html": given.get("html", ""),
            "custom_excerpt": given.get("custom_excerpt"),
            "status": given.get("status", "draft"),
            "tags": [{"name": n, "slug": _slug(n)} for n in names],
            "tag_slugs": [_slug(n) for n in names],
            "created_at": stamp,
            "updated_at": stamp,
            "published_at": None,
            "url": f"https://blog.example/p/{id}/",
        }
        self.posts[id] = post
        return Reply(201, {"posts": [post]})

    def _edit(self, post: dict[str, Any], seen: Seen) -> Reply:
        posts = seen.body.get("posts") if isinstance(seen.body, dict) else None
        if not isinstance(posts, list) or len(posts) != 1:
            return _error(422, "ValidationError", "VALIDATION", "posts: one post expected")
        given = posts[0]
        if given.get("updated_at") != post["updated_at"]:
            return _error(
                409,
                "UpdateCollisionError",
                "UPDATE_COLLISION",
                "Saving failed! Someone else is editing this post.",
            )
        status = given.get("status", post["status"])
        newsletter = seen.query.get("newsletter")
        if status == "scheduled":
            try:
                moment = datetime.fromisoformat(str(given.get("published_at")).replace("Z", "+00:00"))
            except ValueError:
                return _error(422, "ValidationError", "VALIDATION", "published_at is invalid")
            if moment.tzinfo is None or moment <= self.clock():
                return _error(
                    422, "ValidationError", "VALIDATION", "Date must be at least 2 minutes in the future."
                )
            post["published_at"] = given["published_at"]
            if newsletter:
                self.emailed.append((post["id"], newsletter))
        elif status == "published" and newsletter:
            self.violations.append(f"SENT: post {post['id']} published with newsletter {newsletter!r}")
        post["status"] = status
        post["updated_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return Reply(200, {"posts": [post]})
