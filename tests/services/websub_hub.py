"""A WebSub hub on 127.0.0.1 that takes publish pings as hubs document them.

Checked, else ``400`` with a plain-text reason: ``POST`` only (else ``405``), to the hub's own
path (else ``404``); ``Content-Type: application/x-www-form-urlencoded``; a well-formed body;
``hub.mode=publish``; at least one ``hub.url``, each an absolute http(s) URL. A good ping answers
``204 No Content`` (PuSH 0.3 §7.1; Superfeedr always answers 204) and is kept in :attr:`pings`;
every request, good or bad, is kept in :attr:`received` with the status it got (0: none).

Failures for the next requests are scripted with :meth:`WebSubHub.fail_next`: ``"429"`` (with
``Retry-After``), ``"500"``, ``"timeout"`` (no answer for :data:`HANG` seconds, then the
connection closed) and ``"drop"`` (the connection closed at once without an answer). Failed
requests are not pings: the hub did not take them.

:func:`quick_transport` makes a client give up after half a second, so a time-out test waits
half a second, not the client's 30.
"""

from __future__ import annotations

import http.server
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

HANG = 1.5
"""Seconds a ``timeout`` failure holds the connection: longer than :func:`quick_transport`'s."""
FAULTS = ("429", "500", "timeout", "drop")
FORM = "application/x-www-form-urlencoded"


@dataclass
class Received:
    """One request as the hub received it, and the status it answered (0: no answer)."""

    method: str
    path: str
    headers: Message
    body: bytes
    status: int = 0
    reason: str = ""
    form: dict[str, list[str]] = field(default_factory=dict)

    @property
    def urls(self) -> list[str]:
        """The ``hub.url`` values, in the order sent."""
        return self.form.get("hub.url", [])


def _absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (time-out tests) is not an error here


class WebSubHub:
    """``with WebSubHub() as hub:`` a hub at :attr:`url`, answering in a thread."""

    def __init__(self, path: str = "/hub", retry_after: str = "7") -> None:
        self.path = path
        self.retry_after = retry_after
        """What a scripted ``429`` says in ``Retry-After`` (seconds)."""
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.faults: deque[str] = deque()
        self._release = threading.Event()
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hub._dispatch(self)

            def do_GET(self) -> None:
                hub._dispatch(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.path}"

    @property
    def pings(self) -> list[Received]:
        """The pings the hub took (answered 204)."""
        with self.lock:
            return [r for r in self.received if r.status == 204]

    def __enter__(self) -> WebSubHub:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, *faults: str) -> None:
        """Fail the next requests, one fault each, in order."""
        assert all(f in FAULTS for f in faults), faults
        with self.lock:
            self.faults.extend(faults)

    def _check(self, seen: Received) -> tuple[int, str]:
        """The status and reason a hub answers ``seen`` with."""
        if seen.method != "POST":
            return 405, "a publish ping is a POST"
        if seen.path != self.path:
            return 404, f"no hub at {seen.path}; the hub is at {self.path}"
        content_type = seen.headers.get_content_type() if seen.headers.get("Content-Type") else ""
        if content_type != FORM:
            return 400, f"Content-Type must be {FORM}, not {content_type or 'missing'}"
        try:
            seen.form = parse_qs(seen.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError) as exc:
            return 400, f"the body is not form-encoded ({exc})"
        if seen.form.get("hub.mode") != ["publish"]:
            return 400, f"hub.mode must be publish, not {seen.form.get('hub.mode')}"
        if not seen.urls:
            return 400, "hub.url is required: the URL of each feed that changed"
        wrong = [u for u in seen.urls if not _absolute_http(u)]
        if wrong:
            return 400, f"hub.url must be an absolute http(s) URL: {', '.join(wrong)}"
        return 204, ""

    def _dispatch(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        seen = Received(
            handler.command, urlsplit(handler.path).path, handler.headers, handler.rfile.read(length)
        )
        with self.lock:
            self.received.append(seen)
            fault = self.faults.popleft() if self.faults else ""
        if fault in ("timeout", "drop"):
            if fault == "timeout":
                self._release.wait(HANG)
            handler.close_connection = True
            return  # closed without an answer
        headers: dict[str, str] = {}
        if fault == "429":
            status, reason = 429, "too many pings"
            headers["Retry-After"] = self.retry_after
        elif fault == "500":
            status, reason = 500, "the hub broke"
        else:
            status, reason = self._check(seen)
            if status == 405:
                headers["Allow"] = "POST"
        with self.lock:
            seen.status, seen.reason = status, reason
        data = reason.encode() if status != 204 else b""
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            if data:
                handler.send_header("Content-Type", "text/plain; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up


class QuickTimeout(httpx.BaseTransport):
    """An HTTP transport whose every request gives up after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self._inner = httpx.HTTPTransport()
        self._seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = httpx.Timeout(self._seconds).as_dict()
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def quick_transport(seconds: float = 0.5) -> httpx.BaseTransport:
    return QuickTimeout(seconds)
