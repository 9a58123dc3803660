"""Ghost: an item's email as a draft post, which Ghost emails only when someone publishes it with
a newsletter.

Ghost sends a post by email only on an edit that names a newsletter; creating a post never
does, so a draft is ``POST /ghost/api/admin/posts/?source=html`` with ``status: draft`` and no
newsletter. A schedule is an edit: ``PUT /ghost/api/admin/posts/{id}/?newsletter=<slug>`` with
``status: scheduled``, ``published_at`` and the post's current ``updated_at``: at that time Ghost
publishes the post and emails it to that newsletter (a schedule without a newsletter is refused:
it would publish the post on the site and email nobody). Each item is made once by a look-up:
the post carries the internal tag ``#followhome-<key>`` (internal tags are not shown on the
site). The item's value tags are not added: Ghost tags are public on the site.

Every request carries a fresh Admin API token (a JWT, HS256, made here with the standard
library): Ghost accepts a token for five minutes, and retries may take longer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Generator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import SetupError, require
from followhome.delivery.esp import keep_oldest, utc_iso
from followhome.delivery.handover import EmailDraft, Handed
from followhome.delivery.http import Api, ServiceError

SERVICE = "ghost"
URL = "FOLLOWHOME_GHOST_URL"
ADMIN_KEY = "FOLLOWHOME_GHOST_ADMIN_KEY"
POSTS = "/ghost/api/admin/posts/"
ACCEPT_VERSION = "v5.0"
LIFETIME = 300
"""Seconds an Admin API token is valid: Ghost takes at most five minutes."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def admin_token(admin_key: str, now: datetime) -> str:
    """A Ghost Admin API token for the key ``id:secret`` (the secret in hex), valid 5 minutes."""
    kid, _, secret = admin_key.partition(":")
    try:
        signing_key = bytes.fromhex(secret)
    except ValueError:
        signing_key = b""
    if not kid or not signing_key:
        raise SetupError(f"{ADMIN_KEY} must be the Admin API key as Ghost shows it: <id>:<hex secret>")
    iat = int(now.timestamp())
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    payload = {"iat": iat, "exp": iat + LIFETIME, "aud": "/admin/"}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    signature = hmac.new(signing_key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


class GhostAuth(httpx.Auth):
    """``Authorization: Ghost <token>`` with a token made for each request (each retry too)."""

    def __init__(self, admin_key: str, clock: Callable[[], datetime]) -> None:
        admin_token(admin_key, clock())  # a malformed key fails here, not at the first request
        self.admin_key = admin_key
        self.clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Ghost {admin_token(self.admin_key, self.clock())}"
        yield request


def tag_of(key: str) -> str:
    """The internal tag that marks the item's post."""
    return f"#followhome-{key}"


def slug_of(key: str) -> str:
    """The slug Ghost gives :func:`tag_of` (``#`` becomes ``hash-``)."""
    return f"hash-followhome-{key.lower()}"


class Ghost:
    """Ghost's Admin API at ``api`` (its base the site's admin address); a schedule emails the
    newsletter ``newsletter`` (a slug)."""

    def __init__(
        self,
        api: Api,
        admin_key: str,
        newsletter: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.api = api
        self.auth = GhostAuth(admin_key, clock)
        self.newsletter = newsletter

    def find(self, key: str) -> list[dict[str, Any]]:
        """The posts carrying the item's tag, oldest first."""
        response = self.api.request(
            "GET",
            POSTS,
            ok=(200,),
            what=f"look up {key}",
            auth=self.auth,
            params={
                "filter": f"tag:{slug_of(key)}",
                "fields": "id,status,updated_at,created_at,url",
                "limit": "all",
            },
        )
        posts = response.json().get("posts") or []
        return sorted(posts, key=lambda p: (str(p.get("created_at", "")), str(p["id"])))

    def create(self, draft: EmailDraft) -> Handed:
        if draft.schedule is not None and not self.newsletter:
            raise ServiceError(
                SERVICE,
                0,
                "ghost: a schedule needs a newsletter to email: set channels.email.audience to its slug",
            )
        found = self.find(draft.key)
        if found:
            post = found[0]
        else:
            body = {
                "posts": [
                    {
                        "title": draft.subject,
                        "html": draft.html,
                        "custom_excerpt": draft.preheader[:300],
                        "status": "draft",
                        "tags": [{"name": tag_of(draft.key)}],
                    }
                ]
            }
            response = self.api.request(
                "POST", POSTS, ok=(201,), what=draft.key, auth=self.auth, params={"source": "html"}, json=body
            )
            post = self._keep_one(draft.key) or response.json()["posts"][0]
        if draft.schedule is not None and post.get("status") == "draft":
            edit = {
                "posts": [
                    {
                        "status": "scheduled",
                        "published_at": utc_iso(draft.schedule),
                        "updated_at": post["updated_at"],
                    }
                ]
            }
            response = self.api.request(
                "PUT",
                f"{POSTS}{post['id']}/",
                ok=(200,),
                what="schedule",
                auth=self.auth,
                params={"newsletter": self.newsletter},
                json=edit,
            )
            post = response.json()["posts"][0]
        return Handed(id=str(post["id"]), status=str(post.get("status", "")), url=str(post.get("url") or ""))

    def _keep_one(self, key: str) -> dict[str, Any] | None:
        """The oldest post carrying the item's tag; the other drafts carrying it deleted."""
        return keep_oldest(self.find(key), "draft", self.delete)

    def delete(self, id: str) -> None:
        """Delete a post (gone already is fine)."""
        self.api.request("DELETE", f"{POSTS}{id}/", ok=(200, 204, 404), what="delete", auth=self.auth)

    def close(self) -> None:
        self.api.close()


def from_env(
    env: Mapping[str, str],
    audience: str | list[int] | None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Ghost:
    """The client for ``FOLLOWHOME_GHOST_URL`` (the site's admin address) and
    ``FOLLOWHOME_GHOST_ADMIN_KEY`` (an Admin API key, ``id:secret``); ``audience`` is the
    newsletter slug a schedule emails."""
    values = require(env, [URL, ADMIN_KEY])
    if isinstance(audience, list):
        raise SetupError("ghost: channels.email.audience must be a newsletter slug, a string")
    api = Api(
        SERVICE,
        values[URL].rstrip("/"),
        {"Accept-Version": ACCEPT_VERSION, "Accept": "application/json"},
        transport=transport,
        sleep=sleep,
        clock=clock,
    )
    try:
        return Ghost(api, values[ADMIN_KEY], (audience or "").strip(), clock)
    except ValueError:
        api.close()
        raise
