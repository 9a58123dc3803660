"""Stand-ins for the services followhome hands things to, on 127.0.0.1 (a port of the system's
choosing), each checking requests against the service's documented API.

Common to all: a request log, an injectable clock, failures scripted for the next requests
(``429``, ``500``, ``timeout``: no answer for longer than the client waits, ``drop``: the
connection closed without an answer, ``drop-after``: the request done, then the connection
closed, as when an answer is lost on the way back), failures aimed at creates (POSTs) only,
meeting points that hold requests until several have arrived (two runs at the same time,
deterministically), and violations: what the real service would have done that a test must never
cause (an email sent at once); the ``with`` block fails the test when it ends if there were any.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import httpx

FAILURES = ("429", "500", "timeout", "drop", "drop-after")
HANG = 2.0
"""Seconds a ``timeout`` failure keeps the client waiting (its time-out must be shorter)."""
CLIENT_TIMEOUT = 0.25


def graphemes(text: str) -> int:
    """Grapheme clusters (code points without the ``regex`` module), as the services count."""
    if importlib.util.find_spec("regex") is None:
        return len(text)
    return len(importlib.import_module("regex").findall(r"\X", text))


class FakeClock:
    """A clock the tests move; ``sleep`` moves it too, so waiting costs no time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


class ShortTimeout(httpx.BaseTransport):
    """An HTTP transport that gives up after ``seconds`` (``Api`` itself waits 30 s)."""

    def __init__(self, seconds: float = CLIENT_TIMEOUT) -> None:
        self.seconds = seconds
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = httpx.Timeout(self.seconds).as_dict()
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw: bytes = b""


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class Handler(BaseHTTPRequestHandler):
    server: ServiceServer.HTTP
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

    def log_message(self, format: str, *args: Any) -> None:  # the test output stays clean
        pass

    def _handle(self) -> None:
        service = self.server.service
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        body: Any = None
        if raw:
            kind = self.headers.get("Content-Type", "")
            if kind.startswith("application/json"):
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = ValueError("not JSON")
            elif kind.startswith("application/x-www-form-urlencoded"):
                body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            else:
                body = raw
        seen = Seen(
            self.command,
            parts.path,
            {k: v[-1] for k, v in parse_qs(parts.query).items()},
            {k.lower(): v for k, v in self.headers.items()},
            body,
            raw,
        )
        failure = service.take_failure(seen)
        service.log(seen)
        if failure == "timeout":
            service.stopping.wait(HANG)
            self.close_connection = True
            return
        if failure == "drop":
            self.close_connection = True
            return
        if failure in ("429", "500"):
            reply = service.failure_reply(failure)
        else:
            service.meet(seen.path)
            reply = service.handle(seen)
            if failure == "drop-after":
                self.close_connection = True
                return
        data = b"" if reply.body is None else json.dumps(reply.body).encode()
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle  # noqa: N815 (http.server names)


class ServiceServer:
    """A service on 127.0.0.1: subclasses answer :meth:`handle` (called with ``self.lock`` free:
    take it for the state) and :meth:`failure_reply`, and set :attr:`name`."""

    name = "service"
    """Starts the message of a test failed for :attr:`violations`."""

    class HTTP(ThreadingHTTPServer):
        daemon_threads = True
        service: ServiceServer

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.lock = threading.RLock()
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self.violations: list[str] = []
        self.create_faults: list[str] = []
        self._failures: list[tuple[str, str | None]] = []
        self._meetings: dict[str, threading.Barrier] = {}
        self._http = ServiceServer.HTTP(("127.0.0.1", 0), Handler)
        self._http.service = self
        # stopped in 0.05 s rather than serve_forever's default 0.5 s poll
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        for barrier in self._meetings.values():
            barrier.abort()
        self._http.shutdown()
        self._http.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self.violations and exc[0] is None:
            raise AssertionError(f"{self.name}: " + "; ".join(self.violations))

    # scripting
    def fail(self, kind: str, times: int = 1, path: str | None = None) -> None:
        """The next ``times`` requests (to ``path`` only, if given) fail as ``kind``."""
        assert kind in FAILURES, kind
        with self.lock:
            self._failures += [(kind, path)] * times

    def fail_create(self, kind: str, times: int = 1) -> None:
        """The next ``times`` POST requests fail as ``kind`` (look-ups go through)."""
        assert kind in FAILURES, kind
        with self.lock:
            self.create_faults += [kind] * times

    def meet(self, path: str, parties: int | None = None) -> None:
        """With ``parties``: from now on hold requests to ``path`` until that many have arrived.
        Without: wait at ``path``'s meeting point if there is one (the handler's side)."""
        if parties is not None:
            self._meetings[path] = threading.Barrier(parties, timeout=5)
            return
        barrier = self._meetings.get(path)
        if barrier is not None:
            barrier.wait()

    def take_failure(self, seen: Seen) -> str | None:
        with self.lock:
            if seen.method == "POST" and self.create_faults:
                return self.create_faults.pop(0)
            for index, (kind, path) in enumerate(self._failures):
                if path is None or path == seen.path:
                    del self._failures[index]
                    return kind
        return None

    def log(self, seen: Seen) -> None:
        with self.lock:
            self.requests.append(seen)

    def calls(self, method: str, path: str) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    # answers
    def handle(self, seen: Seen) -> Reply:
        raise NotImplementedError

    def failure_reply(self, kind: str) -> Reply:
        return Reply(500, {"error": "Internal Server Error"})


def running(server: ServiceServer) -> Iterator[ServiceServer]:
    """For fixtures: the server started, stopped afterwards."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


def bearer(seen: Seen) -> str | None:
    value = seen.headers.get("authorization", "")
    return value[len("Bearer ") :] if value.startswith("Bearer ") else None


Check = Callable[[Seen], Reply | None]
