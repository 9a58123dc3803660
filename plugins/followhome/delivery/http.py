"""Calling a service's API: retries with backoff on what is worth retrying, and clear errors.

Retried: 429 (after ``Retry-After`` in seconds or as an HTTP date, or the service's reset
header: Mastodon's ``X-RateLimit-Reset`` is an ISO 8601 time, Bluesky's ``RateLimit-Reset``
and Buttondown's ``X-RateLimit-Reset`` are Unix seconds), 5xx, time-outs and dropped
connections. Not retried: any other 4xx (the request itself is wrong). A caller makes a
retried POST safe with the service's idempotency key or a look-up before trying again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from followhome.delivery.credentials import SetupError

ATTEMPTS = 5
BACKOFF = (1.0, 2.0, 4.0, 8.0)
"""Seconds to wait before each retry when the service does not say."""
LONGEST_WAIT = 300.0
"""A service asking for a longer wait than this fails the item instead (the next run retries)."""
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class ServiceError(Exception):
    """A service refused or failed a request: ``status`` is the HTTP status (0: no answer)."""

    def __init__(self, service: str, status: int, message: str) -> None:
        self.service = service
        self.status = status
        super().__init__(message)


def _seconds_until(moment: datetime, now: datetime) -> float:
    return max(0.0, (moment - now).total_seconds())


def wait_for(response: httpx.Response, now: datetime) -> float | None:
    """Seconds the service asks to wait before the next request, if it says."""
    headers = response.headers
    retry_after = headers.get("Retry-After")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                return _seconds_until(parsedate_to_datetime(retry_after), now)
            except (TypeError, ValueError):
                pass
    for name in ("X-RateLimit-Reset", "RateLimit-Reset"):
        reset = headers.get(name)
        if not reset:
            continue
        try:
            number = float(reset)
        except ValueError:
            try:  # Mastodon: an ISO 8601 time
                return _seconds_until(datetime.fromisoformat(reset.replace("Z", "+00:00")), now)
            except ValueError:
                continue
        # Unix seconds (a reset time) or, for small numbers, seconds to wait (RateLimit draft)
        return (
            _seconds_until(datetime.fromtimestamp(number, UTC), now) if number > 10**9 else max(0.0, number)
        )
    return None


@dataclass
class Api:
    """One service's HTTP API, with retries."""

    service: str
    base_url: str
    headers: Mapping[str, str]
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    log: Callable[[str], None] = lambda message: None

    def __post_init__(self) -> None:
        try:
            self._client = httpx.Client(
                base_url=self.base_url, headers=dict(self.headers), timeout=TIMEOUT, transport=self.transport
            )
        except httpx.InvalidURL as exc:
            raise SetupError(f"{self.service}: '{self.base_url}' is not a usable address ({exc})") from None

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        ok: tuple[int, ...] = (200, 201, 202, 204),
        what: str = "",
        **kwargs: Any,
    ) -> httpx.Response:
        """The response with a status in ``ok``; :class:`ServiceError` after the retries, or at
        once for an answer that retrying cannot change."""
        label = f"{self.service}: {method} {path}" + (f" ({what})" if what else "")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._client.request(method, path, **kwargs)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == ATTEMPTS:
                    raise ServiceError(
                        self.service, 0, f"{label}: no answer after {ATTEMPTS} tries ({exc})"
                    ) from None
                self._pause(BACKOFF[attempt - 1], f"{label}: {type(exc).__name__}; trying again")
                continue
            if response.status_code in ok:
                return response
            retryable = response.status_code == 429 or response.status_code >= 500
            if not retryable or attempt == ATTEMPTS:
                raise ServiceError(self.service, response.status_code, f"{label}: {_explain(response)}")
            asked = wait_for(response, self.clock()) if response.status_code == 429 else None
            wait = BACKOFF[attempt - 1] if asked is None else asked
            if wait > LONGEST_WAIT:
                raise ServiceError(
                    self.service,
                    response.status_code,
                    f"{label}: rate limited for {wait:.0f} s; run the command again later",
                )
            self._pause(wait, f"{label}: {response.status_code}; waiting {wait:.0f} s")
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, seconds: float, message: str) -> None:
        self.log(message)
        self.sleep(seconds)


def _explain(response: httpx.Response) -> str:
    """The status and the service's own words about it, short."""
    text = response.text.strip().replace("\n", " ")
    return f"{response.status_code} {response.reason_phrase}" + (f": {text[:300]}" if text else "")
