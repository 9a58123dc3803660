"""A stand-in for Formspree on 127.0.0.1: the intake forms post to it in the browser tests.

It behaves as Formspree's documentation describes it (help.formspree.io, and formspree-js's
``formspree-core``), for what the share and withdrawal forms use:

- ``POST /f/<form_id>`` for a known form id only (404 ``FORM_NOT_FOUND`` otherwise), with a body
  that is ``application/x-www-form-urlencoded``, ``multipart/form-data`` or a JSON object
  (415 for any other type, e.g. the ``text/plain`` of a mailto form; 400 for a body that is not
  what its type says). A key sent several times (ticked checkboxes) is kept as a list.
- The honeypot ``_gotcha`` filled in: the submission is silently ignored (not stored), and
  answered exactly as a success, so a robot learns nothing.
- No field with a value: 422 ``EMPTY``.
- A success: with ``Accept: application/json`` 200 ``{"next": <thanks>, "ok": true}``; else (a
  browser's form post) 303 to the thank-you page set in the form's settings.
- ``GET /api/0/forms/<form_id>/submissions`` with HTTP Basic, an empty user and the API key
  (``curl -u :API_KEY``; 401 otherwise): ``{"fields": ["_date", ...names seen...], "submissions":
  [...]}``, newest first (``order=asc`` for oldest first; ``limit`` and ``offset`` too). In a
  submission a field sent once is a string, one sent several times a list; ``_date`` is the time
  it arrived in UTC as the documentation's sample shows it, ISO 8601 without a zone
  (``2018-11-03T07:28:29.707632``).

Errors are JSON ``{"error": ..., "errors": [{"code": ..., "message": ...}]}`` as Formspree's
AJAX answers are, whatever ``Accept`` says.
"""

from __future__ import annotations

import base64
import binascii
import http.server
import json
import re
import threading
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, parse_qsl, urlsplit

Value = str | list[str]
Record = dict[str, Value]

HONEYPOT = "_gotcha"
_POST = re.compile(r"^/f/([A-Za-z0-9_-]+)/?$")
_API = re.compile(r"^/api/0/forms/([A-Za-z0-9_-]+)/submissions/?$")


class BodyError(ValueError):
    """The body is not what its Content-Type says."""


def _now() -> datetime:
    return datetime.now(UTC)


def parse_body(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The (name, value) pairs of a form post, in order, repeated names repeated.

    Raises :class:`LookupError` for a type a form service does not take, :class:`BodyError` for a
    body that does not parse as its type."""
    main = content_type.split(";", 1)[0].strip().lower()
    if main == "application/x-www-form-urlencoded":
        try:
            return parse_qsl(
                body.decode("ascii"), keep_blank_values=True, strict_parsing=False, errors="strict"
            )
        except (UnicodeDecodeError, ValueError) as error:
            raise BodyError(f"not URL-encoded text: {error}") from error
    if main == "multipart/form-data":
        return _multipart(content_type, body)
    if main == "application/json":
        try:
            value = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BodyError(f"not JSON: {error}") from error
        if not isinstance(value, dict):
            raise BodyError("JSON that is not an object")
        pairs: list[tuple[str, str]] = []
        for name, item in value.items():
            for one in item if isinstance(item, list) else [item]:
                pairs.append((name, one if isinstance(one, str) else json.dumps(one)))
        return pairs
    raise LookupError(main or "no Content-Type")


def _multipart(content_type: str, body: bytes) -> list[tuple[str, str]]:
    if "boundary=" not in content_type:
        raise BodyError("multipart/form-data without a boundary")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise BodyError(f"a multipart body that does not parse: {message.defects}")
    pairs: list[tuple[str, str]] = []
    for part in cast(list[Message], message.get_payload()):
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise BodyError("a part without a name")
        filename = part.get_filename()
        if filename is not None:
            pairs.append((name, filename))  # an upload: its name stands for it here
            continue
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        try:
            pairs.append((name, raw.decode(part.get_content_charset() or "utf-8")))
        except (UnicodeDecodeError, LookupError) as error:
            raise BodyError(f"part {name!r} is not text: {error}") from error
    return pairs


def to_record(pairs: list[tuple[str, str]]) -> Record:
    """Names sent once as strings, names sent several times as lists, in first-seen order."""
    seen: dict[str, list[str]] = {}
    for name, value in pairs:
        seen.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in seen.items()}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": message, "errors": [{"code": code, "message": message}]}


class FormService:
    """Formspree on 127.0.0.1: ``start()`` it (or use ``with``), post to :meth:`action`.

    ``forms`` are the known form ids, ``thanks`` the page a browser is sent to after a post (set
    in Formspree's form settings), ``api_key`` the key of the read API, ``clock`` the time
    each submission is stamped with (a test pins it to its day)."""

    def __init__(
        self,
        forms: Collection[str],
        thanks: str,
        api_key: str,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.forms = frozenset(forms)
        self.thanks = thanks
        self.api_key = api_key
        self.clock = clock
        self._stored: dict[str, list[Record]] = {form: [] for form in self.forms}
        self.ignored: list[Record] = []
        """Submissions with the honeypot filled in: answered, never stored."""
        self.received: list[list[tuple[str, str]]] = []
        """Every form post's (name, value) pairs as they arrived, honeypot included, stored or not."""
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- running -------------------------------------------------------------------------

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>`` (no slash at the end)."""
        assert self._httpd is not None, "start() the service first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def action(self, form_id: str) -> str:
        """The form's address, for a ``<form action>``."""
        return f"{self.base}/f/{form_id}"

    def api(self, form_id: str) -> str:
        """The read API's address of the form's submissions."""
        return f"{self.base}/api/0/forms/{form_id}/submissions"

    def start(self) -> FormService:
        handler = type("Handler", (_Handler,), {"service": self})
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FormService:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    # --- what it holds -------------------------------------------------------------------

    def submissions(self, form_id: str) -> list[Record]:
        """The form's stored submissions, oldest first (copies)."""
        with self._lock:
            return [dict(record) for record in self._stored[form_id]]

    def clear(self) -> None:
        """Forget every submission (each test starts from an empty inbox)."""
        with self._lock:
            for records in self._stored.values():
                records.clear()
            self.ignored.clear()
            self.received.clear()

    def _store(self, form_id: str, fields: Record) -> None:
        stamp = self.clock().astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
        with self._lock:
            self._stored[form_id].append({"_date": stamp, **fields})

    def _receive(self, pairs: list[tuple[str, str]]) -> None:
        with self._lock:
            self.received.append(list(pairs))

    def _ignore(self, fields: Record) -> None:
        with self._lock:
            self.ignored.append(fields)

    def _listing(self, form_id: str, query: dict[str, list[str]]) -> dict[str, Any]:
        with self._lock:
            records = [dict(record) for record in self._stored[form_id]]
        fields: list[str] = []
        for record in records:
            fields.extend(name for name in record if name not in fields)
        if query.get("order", ["desc"])[0] != "asc":
            records.reverse()
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query["limit"][0]) if "limit" in query else None
        records = records[offset:] if limit is None else records[offset : offset + limit]
        return {"fields": fields, "submissions": records}


class _Handler(http.server.BaseHTTPRequestHandler):
    service: FormService
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(
        self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_POST(self) -> None:
        body = self._body()
        found = _POST.match(urlsplit(self.path).path)
        if not found:
            self._send(404, _error("NOT_FOUND", "Not found"))
            return
        form_id = found.group(1)
        if form_id not in self.service.forms:
            self._send(404, _error("FORM_NOT_FOUND", "Form not found"))
            return
        try:
            pairs = parse_body(self.headers.get("Content-Type", ""), body)
        except LookupError as kind:
            message = f"Unsupported Content-Type {kind}: send application/x-www-form-urlencoded or multipart/form-data"
            self._send(415, _error("UNSUPPORTED_MEDIA_TYPE", message))
            return
        except BodyError as error:
            self._send(400, _error("BAD_REQUEST", f"The body is {error}"))
            return
        self.service._receive(pairs)
        fields = to_record([(name, value) for name, value in pairs if name != HONEYPOT])
        if any(value for name, value in pairs if name == HONEYPOT):
            self.service._ignore(fields)
        elif not any(value for name, value in pairs if name != HONEYPOT):
            self._send(422, _error("EMPTY", "Empty form"))
            return
        else:
            self.service._store(form_id, fields)
        if "application/json" in self.headers.get("Accept", ""):
            self._send(200, {"next": self.service.thanks, "ok": True})
        else:
            self._send(303, headers={"Location": self.service.thanks})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        found = _API.match(parts.path)
        if not found:
            self._send(404, _error("NOT_FOUND", "Not found"))
            return
        if not self._authorised():
            self._send(
                401,
                {"error": "Unauthorized: give the API key as the password of HTTP Basic (curl -u :API_KEY)"},
                {"WWW-Authenticate": 'Basic realm="formspree"'},
            )
            return
        form_id = found.group(1)
        if form_id not in self.service.forms:
            self._send(404, _error("FORM_NOT_FOUND", "Form not found"))
            return
        try:
            listing = self.service._listing(form_id, parse_qs(parts.query))
        except ValueError:
            self._send(400, _error("BAD_REQUEST", "limit and offset are whole numbers"))
            return
        self._send(200, listing)

    def _authorised(self) -> bool:
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(token, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return user == "" and password == self.service.api_key


def basic_auth(api_key: str) -> str:
    """The ``Authorization`` header ``curl -u :API_KEY`` sends."""
    return "Basic " + base64.b64encode(f":{api_key}".encode()).decode()
