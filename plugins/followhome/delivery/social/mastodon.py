"""Mastodon: one status per item, public, through ``POST /api/v1/statuses``.

A retried create is safe for an hour: the ``Idempotency-Key`` (from the item's permanent id) is
kept by the server for one hour per account and a repeat answers the status already made. After
the hour the same key makes a second status, so the record of what went out
(``delivered.yml``) is what keeps an item from going twice across runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from followhome.delivery.credentials import require
from followhome.delivery.handover import Handed, Post, idempotency_key
from followhome.delivery.http import Api, ServiceError

SERVICE = "mastodon"
URL_VARIABLE = "FOLLOWHOME_MASTODON_URL"
TOKEN_VARIABLE = "FOLLOWHOME_MASTODON_TOKEN"
DEFAULT_LIMIT = 500
DEFAULT_URL_LENGTH = 23


def _now() -> datetime:
    return datetime.now(UTC)


class Mastodon:
    """One account on one Mastodon server; ``api`` carries the ``Authorization: Bearer`` header."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._statuses: dict[str, Any] | None = None

    def _configuration(self) -> dict[str, Any]:
        """``configuration.statuses`` of ``GET /api/v2/instance``, asked once."""
        if self._statuses is None:
            data = self.api.request("GET", "/api/v2/instance", what="instance limits").json()
            statuses = (data.get("configuration") or {}).get("statuses") if isinstance(data, dict) else None
            self._statuses = statuses if isinstance(statuses, dict) else {}
        return self._statuses

    def limit(self) -> int:
        """The characters a status may have (``max_characters``; 500 if the server does not say)."""
        value = self._configuration().get("max_characters")
        return value if isinstance(value, int) and value > 0 else DEFAULT_LIMIT

    def url_length(self) -> int:
        """What each URL counts towards the limit (``characters_reserved_per_url``; 23)."""
        value = self._configuration().get("characters_reserved_per_url")
        return value if isinstance(value, int) and value > 0 else DEFAULT_URL_LENGTH

    def create(self, post: Post) -> Handed:
        """The status for ``post``: made now, or the one made by an earlier try within the hour."""
        response = self.api.request(
            "POST",
            "/api/v1/statuses",
            what=post.key,
            headers={"Idempotency-Key": idempotency_key(SERVICE, post.key)},
            json={"status": post.text, "visibility": "public", "language": post.language},
        )
        data = response.json()
        if not isinstance(data, dict) or not data.get("id"):
            raise ServiceError(
                SERVICE, response.status_code, f"{SERVICE}: {post.key}: no status in the answer"
            )
        return Handed(id=str(data["id"]), url=str(data.get("url") or data.get("uri") or ""))

    def delete(self, status_id: str) -> None:
        """Delete a status; one already gone (404) is fine."""
        self.api.request("DELETE", f"/api/v1/statuses/{status_id}", ok=(200, 404), what=f"delete {status_id}")

    def close(self) -> None:
        self.api.close()


def from_env(
    env: Mapping[str, str],
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] = _now,
    log: Callable[[str], None] = lambda message: None,
) -> Mastodon:
    """The client for ``FOLLOWHOME_MASTODON_URL`` (the server, ``https://mastodon.social``) and
    ``FOLLOWHOME_MASTODON_TOKEN`` (an access token with ``write:statuses``);
    :class:`~followhome.delivery.credentials.MissingCredentialsError` naming each one unset."""
    values = require(env, [URL_VARIABLE, TOKEN_VARIABLE])
    api = Api(
        service=SERVICE,
        base_url=values[URL_VARIABLE].rstrip("/"),
        headers={"Authorization": f"Bearer {values[TOKEN_VARIABLE]}"},
        transport=transport,
        sleep=sleep,
        clock=clock,
        log=log,
    )
    return Mastodon(api)
