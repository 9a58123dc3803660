"""Bluesky (AT Protocol): one ``app.bsky.feed.post`` record per item, with a link card.

The record key is derived from the item's permanent id, so an item has one key run after run.
Before each create the key is looked up (``com.atproto.repo.getRecord``): a post already made, by
an earlier run, a lost answer or a run at the same time, is answered instead of made again.
A create on a key already taken fails with an undocumented 500 at the PDS, so a 500 is answered
by another look-up, never by a blind retry.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import require
from followhome.delivery.handover import Handed, Post
from followhome.delivery.http import ATTEMPTS, BACKOFF, Api, ServiceError
from followhome.delivery.record import utc_stamp

SERVICE = "bluesky"
DEFAULT_URL = "https://bsky.social"
URL_VARIABLE = "FOLLOWHOME_BLUESKY_URL"
HANDLE_VARIABLE = "FOLLOWHOME_BLUESKY_HANDLE"
PASSWORD_VARIABLE = "FOLLOWHOME_BLUESKY_APP_PASSWORD"
COLLECTION = "app.bsky.feed.post"
LIMIT = 300
"""Graphemes in a post's text (and at most 3000 UTF-8 bytes)."""
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(key: str) -> str:
    """A valid TID (13 characters, base32-sortable, top bit 0) for the item's permanent id:
    the same one run after run, derived from ``sha256("followhome:" + key)``."""
    number = int.from_bytes(hashlib.sha256(f"followhome:{key}".encode()).digest()[:8], "big") >> 1
    return "".join(TID_ALPHABET[(number >> shift) & 31] for shift in range(60, -1, -5))


def link_facet(text: str, link: str) -> dict[str, Any] | None:
    """The ``#link`` facet over the last occurrence of ``link`` in ``text`` (UTF-8 byte offsets)."""
    at = text.rfind(link) if link else -1
    if at < 0:
        return None
    start = len(text[:at].encode())
    return {
        "index": {"byteStart": start, "byteEnd": start + len(link.encode())},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
    }


def _now() -> datetime:
    return datetime.now(UTC)


class Bluesky:
    """One account: ``handle`` and an app password (never the account's own password)."""

    def __init__(self, api: Api, handle: str, app_password: str) -> None:
        self.api = api
        self.handle = handle.removeprefix("@")
        self._password = app_password
        self._session: tuple[str, str] | None = None

    def _auth(self) -> tuple[str, dict[str, str]]:
        """The account's DID and the ``Authorization`` header, from one session per run."""
        if self._session is None:
            data = self.api.request(
                "POST",
                "/xrpc/com.atproto.server.createSession",
                what="sign in",
                json={"identifier": self.handle, "password": self._password},
            ).json()
            if not isinstance(data, dict) or not data.get("accessJwt") or not data.get("did"):
                raise ServiceError(SERVICE, 200, f"{SERVICE}: sign in: no session in the answer")
            self._session = (str(data["did"]), str(data["accessJwt"]))
        did, token = self._session
        return did, {"Authorization": f"Bearer {token}"}

    def _handed(self, rkey: str, uri: str, cid: str) -> Handed:
        return Handed(
            id=rkey,
            url=f"https://bsky.app/profile/{self.handle}/post/{rkey}",
            extra={"uri": uri, "cid": cid},
        )

    def find(self, rkey: str) -> Handed | None:
        """The post at ``rkey`` if the account has one."""
        did, headers = self._auth()
        response = self.api.request(
            "GET",
            "/xrpc/com.atproto.repo.getRecord",
            ok=(200, 400),
            what=f"look up {rkey}",
            headers=headers,
            params={"repo": did, "collection": COLLECTION, "rkey": rkey},
        )
        data = response.json() if response.content else {}
        if response.status_code == 400:
            if isinstance(data, dict) and data.get("error") == "RecordNotFound":
                return None
            raise ServiceError(SERVICE, 400, f"{SERVICE}: look up {rkey}: 400 {response.text[:300]}")
        return self._handed(rkey, str(data.get("uri", "")), str(data.get("cid", "")))

    def record(self, post: Post) -> dict[str, Any]:
        """The ``app.bsky.feed.post`` record: text, time, language, the link facet and card."""
        record: dict[str, Any] = {
            "$type": COLLECTION,
            "text": post.text,
            "createdAt": utc_stamp(self.api.clock()),
            "langs": [post.language],
        }
        facet = link_facet(post.text, post.link)
        if facet:
            record["facets"] = [facet]
        if post.link:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": post.link, "title": post.title, "description": post.description},
            }
        return record

    def create(self, post: Post) -> Handed:
        """The post for ``post``: found at its record key, or made there now."""
        rkey = record_key(post.key)
        found = self.find(rkey)
        attempt = 0
        while found is None:
            attempt += 1
            did, headers = self._auth()
            response = self.api.request(
                "POST",
                "/xrpc/com.atproto.repo.createRecord",
                ok=(200, 500),  # a 500 may be "the key is taken": look before trying again
                what=post.key,
                headers=headers,
                json={"repo": did, "collection": COLLECTION, "rkey": rkey, "record": self.record(post)},
            )
            if response.status_code == 200:
                data = response.json()
                return self._handed(rkey, str(data.get("uri", "")), str(data.get("cid", "")))
            found = self.find(rkey)  # made by a try whose answer was lost, or by a run at once
            if found is None and attempt < ATTEMPTS:
                self.api.log(f"{SERVICE}: {post.key}: 500 and no post at {rkey}; trying again")
                self.api.sleep(BACKOFF[attempt - 1])
            elif found is None:
                raise ServiceError(
                    SERVICE,
                    500,
                    f"{SERVICE}: POST /xrpc/com.atproto.repo.createRecord ({post.key}): 500 {response.text.strip()[:300]} "
                    f"after {ATTEMPTS} tries, and no post at {rkey}; run the command again later",
                )
        return found

    def delete(self, rkey: str) -> None:
        """Delete the post at ``rkey``; one already gone is fine."""
        did, headers = self._auth()
        self.api.request(
            "POST",
            "/xrpc/com.atproto.repo.deleteRecord",
            what=f"delete {rkey}",
            headers=headers,
            json={"repo": did, "collection": COLLECTION, "rkey": rkey},
        )

    def close(self) -> None:
        self.api.close()


def from_env(
    env: Mapping[str, str],
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _now,
    log: Callable[[str], None] = lambda message: None,
) -> Bluesky:
    """The client for ``FOLLOWHOME_BLUESKY_HANDLE`` and ``FOLLOWHOME_BLUESKY_APP_PASSWORD``, at
    ``FOLLOWHOME_BLUESKY_URL`` (``https://bsky.social`` if unset);
    :class:`~followhome.delivery.credentials.MissingCredentialsError` naming each one unset."""
    values = require(env, [HANDLE_VARIABLE, PASSWORD_VARIABLE])
    api = Api(
        service=SERVICE,
        base_url=(env.get(URL_VARIABLE, "").strip() or DEFAULT_URL).rstrip("/"),
        headers={},
        transport=transport,
        sleep=sleep,
        clock=clock,
        log=log,
    )
    return Bluesky(api, values[HANDLE_VARIABLE], values[PASSWORD_VARIABLE])
