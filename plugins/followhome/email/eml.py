"""A ready-to-send message: multipart/alternative, UTF-8, one-click unsubscribe headers."""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from followhome.email.compose import EmailOutput


def build_message(
    output: EmailOutput,
    sender: str,
    recipient: str,
    unsubscribe_url: str,
    unsubscribe_email: str | None,
    date: datetime,
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = output.subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(date)
    host = urlsplit(unsubscribe_url).hostname or "localhost"
    message["Message-ID"] = f"<{output.campaign}@{host}>"
    targets = [f"<{unsubscribe_url}>"]
    if unsubscribe_email:
        targets.append(f"<mailto:{unsubscribe_email}?subject=unsubscribe>")
    message["List-Unsubscribe"] = ", ".join(targets)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(output.text, charset="utf-8")
    message.add_alternative(output.html, subtype="html", charset="utf-8")
    return message


def send(message: EmailMessage, host: str, port: int) -> None:
    """Hand the message to an SMTP server (no login, no TLS: a relay you run or trust)."""
    with smtplib.SMTP(host, port, timeout=30) as server:
        server.send_message(message)
