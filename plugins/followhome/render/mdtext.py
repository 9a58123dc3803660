"""Put editors' and customers' plain text into generated Markdown safely."""

from __future__ import annotations

import html
import re
from datetime import date

from followhome.model.text import strip_control

_INLINE = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^([#>+\-])")
_LIST_NUMBER = re.compile(r"^(\d+)\.")
_EXTENSION_START = re.compile(r"^([!?~])")
"""``!!!`` and ``???`` start admonitions and details, ``~~~`` a fenced code block: the first
character becomes an entity (Python-Markdown has no backslash escape for ``?`` and ``~``)."""


def _flat(text: str) -> str:
    """One line, without control or directional formatting characters (see :func:`strip_control`)."""
    return " ".join(strip_control(text).split())


def inline(text: str) -> str:
    """Escape ``text`` so Markdown and HTML show it literally, on one line."""
    flat = _flat(text)
    escaped = html.escape(flat, quote=False)
    escaped = _INLINE.sub(r"\\\1", escaped)
    escaped = _BLOCK_START.sub(r"\\\1", escaped)
    escaped = _EXTENSION_START.sub(lambda m: f"&#{ord(m.group(1))};", escaped)
    return _LIST_NUMBER.sub(r"\1\\.", escaped)


def cell(text: str) -> str:
    """:func:`inline` text for a cell of a Markdown table (a ``|`` would end the cell)."""
    return inline(text).replace("|", "\\|")


def paragraphs(text: str) -> str:
    """Escape multi-paragraph plain text; blank lines separate paragraphs."""
    parts = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(inline(p) for p in parts)


def text_html(text: str) -> str:
    """Plain text for an HTML block (one line, shown literally; Markdown does not touch it)."""
    return html.escape(_flat(text), quote=False)


def paragraphs_html(text: str) -> str:
    """Multi-paragraph plain text as HTML paragraphs, one per line."""
    parts = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(f"<p>{text_html(p)}</p>\n" for p in parts)


def attr(text: str) -> str:
    """Escape text for an HTML attribute value in double quotes."""
    return html.escape(_flat(text), quote=True)


def theme_text(text: str) -> str:
    """Text for a field MkDocs and Material print into HTML as it is, unescaped: a page's
    ``title`` and ``description`` (``<title>``, ``<meta content="…">``, headers) and the titles
    of the navigation. Consumers that want the text back (Open Graph tags, JSON-LD) unescape it."""
    return html.escape(strip_control(text), quote=True)


def human_date(day: date) -> str:
    """``14 March 2026``."""
    return f"{day.day} {day:%B %Y}"


def time_tag(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{human_date(day)}</time>'
