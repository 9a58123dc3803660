"""Email-service profiles: each service's unsubscribe merge tag, and merge tags in general."""

from __future__ import annotations

import re
from dataclasses import dataclass

MERGE_TAG = re.compile(r"\*\|[A-Z0-9_:]+\|\*|\{\{.*?\}\}|\{%.*?%\}|%%\{[^}]*\}%%")
"""Merge tags of Mailchimp (*|X|*), Buttondown/Listmonk (Jinja/Go templates) and Ghost (%%{x}%%)."""


@dataclass(frozen=True)
class EspProfile:
    name: str
    label: str
    unsubscribe: str | None
    """The service's unsubscribe merge tag; None for plain SMTP, which uses the brand's own URL."""


PROFILES = {
    "mailchimp": EspProfile("mailchimp", "Mailchimp", "*|UNSUB|*"),
    "buttondown": EspProfile("buttondown", "Buttondown", "{{ unsubscribe_url }}"),
    "listmonk": EspProfile("listmonk", "Listmonk", "{{ UnsubscribeURL }}"),
    "ghost": EspProfile("ghost", "Ghost", "%%{unsubscribe_url}%%"),
    "smtp": EspProfile("smtp", "plain SMTP", None),
}


def merge_tags(text: str) -> list[str]:
    return MERGE_TAG.findall(text)
