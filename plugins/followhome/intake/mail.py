"""Messages sent by the mailto form: a ``.eml`` file (one message) or a ``.mbox`` mailbox.

The form's body is the browser's ``text/plain`` encoding: one ``name=value`` line per field.
A line that does not start with a known field name and ``=`` continues the value before it
(a newline kept), since a story may have several paragraphs; the HTML standard warns that
this encoding cannot be read back exactly, and this is the usual reading. Known names are
:data:`FIELDS`, ``withdraw`` and the honeypot; ``values=`` and ``consent=`` may repeat (one
line per box ticked). The mail client's signature (from a ``-- `` line on) is left out, and
``format=flowed`` bodies are unwrapped first (RFC 3676).

``submitted_at`` is the ``Date`` header; the reference is ``email-`` and a hash of the
``Message-ID`` header (of the whole message when it has none); ``contact`` is the form's
``contact`` value, else the address the message came from.
"""

from __future__ import annotations

import email.policy
import mailbox
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import MessageError
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from followhome.intake.fields import MULTI_CHOICE, check_row
from followhome.intake.rows import Outcome, RowContext, Settings, check_when, record, short_hash
from followhome.intake.submission import FIELDS, Read, RowProblem, Spam, Where

SERVICE = "email"
_PARSER = BytesParser(policy=email.policy.default)


def read_eml(data: bytes, file: str, settings: Settings, read: Read) -> None:
    """One message: row 1 of ``file``."""
    if data.strip():
        record(read, _message(data, Where(file, 1), settings))


def read_mbox(data: bytes, path: Path, file: str, settings: Settings, read: Read) -> None:
    """Every message of a mailbox, numbered from 1."""
    if not data.strip():
        return
    if not data.lstrip().startswith(b"From "):
        read.problems.append(
            RowProblem(
                Where(file, 0),
                "",
                "is not a mailbox: a .mbox file starts with a 'From ' line",
                "save one message as a .eml file, or export the folder again as mbox",
            )
        )
        return
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            record(read, _message(_unquote_from(box.get_bytes(key)), Where(file, number), settings))
    finally:
        box.close()


def _unquote_from(raw: bytes) -> bytes:
    """A body line a mail program wrote as ``>From …`` in the mailbox (so it would not start a
    new message) back as the customer wrote it: one ``>`` removed, as mboxrd readers do."""
    return re.sub(rb"(?m)^>(>*From )", rb"\1", raw)


_MAIL_ERRORS = (ValueError, TypeError, IndexError, LookupError, AttributeError, MessageError)
"""What the email package raises on some malformed messages."""


@dataclass
class _Parsed:
    raw: dict[str, object]
    reference: str
    submitted_at: datetime | RowProblem
    notes: list[str]
    repeated: list[str]


def _message(data: bytes, where: Where, settings: Settings) -> Outcome:
    ctx = RowContext(where, "email", SERVICE, settings)
    try:
        parsed = _parse(data, ctx)
    except _MAIL_ERRORS as error:
        return [
            ctx.problem(
                "",
                f"the message could not be read ({type(error).__name__}: {str(error)[:80]})",
                "save the message again from the mail program, or copy the story in by hand",
            )
        ]
    if isinstance(parsed, RowProblem):
        return [parsed]
    outcome = check_row(parsed.raw, ctx, parsed.reference, parsed.submitted_at, parsed.notes)
    if parsed.repeated and not isinstance(outcome, Spam):
        problems = [
            ctx.problem(name, "appears more than once in the message", "keep one line for it and read again")
            for name in parsed.repeated
        ]
        return problems + (outcome if isinstance(outcome, list) else [])
    return outcome


def _parse(data: bytes, ctx: RowContext) -> _Parsed | RowProblem:
    msg = _PARSER.parsebytes(data)
    assert isinstance(msg, EmailMessage)
    message_id = str(msg.get("Message-ID", "")).strip()
    reference = "email-" + short_hash(message_id.encode("utf-8", "surrogatepass") if message_id else data)
    body = msg.get_body(preferencelist=("plain",))
    if body is None:
        return ctx.problem(
            "body",
            "the message has no plain-text part, so it was not sent by the form",
            "ask the customer to use the form again, or copy the story in by hand",
        )
    notes: list[str] = []
    raw, repeated = body_fields(_plain_text(body), ctx.settings.honeypot, notes)
    if not str(raw.get("contact") or "").strip():  # the form always sends the line, empty or not
        sender = _sender(msg)
        if sender:
            raw["contact"] = sender
    return _Parsed(raw, reference, _date(msg, ctx), notes, repeated)


def _param(part: Message, name: str) -> str:
    value = part.get_param(name)
    return value.lower() if isinstance(value, str) else ""


def _plain_text(part: Message) -> str:
    """The part's text in its own character set; bytes that are not of it stay as lone
    surrogates, which the field checks report."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "utf-8"
    try:
        text = data.decode(charset, "surrogateescape")
    except LookupError:
        text = data.decode("utf-8", "surrogateescape")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _param(part, "format") == "flowed":
        text = _unflow(text, delsp=_param(part, "delsp") == "yes")
    return text


def _unflow(text: str, *, delsp: bool) -> str:
    """RFC 3676: a line ending in a space runs on into the next one."""
    out: list[str] = []
    running = False
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if running:
            out[-1] += line
        else:
            out.append(line)
        running = line.endswith(" ") and line != "-- "
        if running and delsp:
            out[-1] = out[-1][:-1]
    return "\n".join(out)


def body_fields(text: str, honeypot: str, notes: list[str]) -> tuple[dict[str, object], list[str]]:
    """The fields of a ``text/plain`` form body (LF line ends), and the single-value names that
    appear more than once. Text before the first field is left out with a note."""
    known = {*FIELDS, "withdraw", honeypot}
    raw: dict[str, object] = {}
    repeated: list[str] = []
    current: str | None = None
    stray = False
    for line in text.split("\n"):
        if line == "-- ":
            break
        name, sep, value = line.partition("=")
        if sep and name in known:
            current = name
            if name not in raw:
                raw[name] = [value] if name in MULTI_CHOICE else value
            elif name in MULTI_CHOICE:
                values = raw[name]
                assert isinstance(values, list)
                values.append(value)
            elif name not in repeated:
                repeated.append(name)
        elif current is None:
            stray = stray or bool(line.strip())
        elif current not in MULTI_CHOICE and current not in repeated:
            raw[current] = f"{raw[current]}\n{line}"
        else:
            # A line after a ticked box joins it, so a stray line makes an unknown choice that
            # is reported (consent) or noted (values) rather than dropped without a word.
            values = raw[current]
            if isinstance(values, list) and line.strip():
                values[-1] = f"{values[-1]}\n{line}"
    if not raw:
        # A plain email (the share page's advice when no mail program opens): all of it is the story.
        words = text.split("\n-- \n", 1)[0].strip()
        if words:
            notes.append(
                "the message holds no form fields: all of its text is taken as the story, nothing ticked"
            )
            return {"words": words}, repeated
    if stray:
        notes.append("text before the form's first field was left out")
    return raw, repeated


def _date(msg: EmailMessage, ctx: RowContext) -> datetime | RowProblem:
    header = msg.get("Date")
    fix = "the message has no usable Date header; add the date it was sent (Date: Fri, 01 May 2026 14:30:00 +0200)"
    if header is None or not str(header).strip():
        return ctx.problem("Date", "is missing", fix)
    try:
        when = parsedate_to_datetime(str(header))
    except (ValueError, TypeError, IndexError):
        return ctx.problem("Date", f"{str(header)[:40]!r} is not a date", fix)
    # RFC 5322's -0000 ("UTC, local zone unknown") comes back naive.
    return check_when(when if when.tzinfo else when.replace(tzinfo=UTC), "Date", ctx)


def _sender(msg: EmailMessage) -> str | None:
    header = msg.get("From")
    if header is None:
        return None
    for address in getattr(header, "addresses", ()):
        spec = str(address.addr_spec)
        if "@" in spec and address.domain:
            return spec
    spec = parseaddr(str(header))[1]
    return spec if "@" in spec else None
