"""The text of a social post: title, summary, the customer's name, the disclosure, the link.

Measured as the networks measure it: in grapheme clusters (with the ``regex`` module's ``\\X``
when it is installed; otherwise in code points, which are never fewer than the grapheme clusters,
so a post may come out shorter than it could be but never too long), Mastodon counting every URL
as ``characters_reserved_per_url``. Shortened at word boundaries only; the customer's name is
whole or left out; the disclosure is never cut (the rest is shortened instead); the link is last.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable

from followhome.render.items import RenderedItem

ELLIPSIS = "…"
SHORTEST_SUMMARY = 20
"""A summary cut shorter than this (to keep the name beside it) is not worth keeping."""
_URL = re.compile(r"https?://\S*[^\s.,;:!?)\]}'\"»…]")
"""A URL as a network sees it in text: trailing punctuation is the sentence's, not the URL's."""
_TRAILING = " ,;:.—–-"


class PostTooLongError(ValueError):
    """The disclosure and the link alone do not fit: the disclosure is never cut."""


def _grapheme_counter() -> tuple[Callable[[str], int], bool]:
    if importlib.util.find_spec("regex") is None:
        return len, False
    pattern = importlib.import_module("regex").compile(r"\X")
    return (lambda text: len(pattern.findall(text))), True


count_graphemes, GRAPHEMES_EXACT = _grapheme_counter()
"""Grapheme clusters in a text (code points without ``regex``: never fewer), and which it is."""


def measure(text: str, url_length: int | None = None) -> int:
    """The length a network counts: grapheme clusters, each URL as ``url_length`` if given."""
    if url_length is None:
        return count_graphemes(text)
    return count_graphemes(_URL.sub("", text)) + url_length * len(_URL.findall(text))


def _clean(text: str) -> str:
    return " ".join(text.split())


def shorten(text: str, room: int, size: Callable[[str], int]) -> str:
    """``text`` if it fits in ``room``, else its most words that fit with an ellipsis ("" if none)."""
    if size(text) <= room:
        return text
    kept = ""
    for word in text.split(" "):
        candidate = f"{kept} {word}".strip()
        if size(candidate.rstrip(_TRAILING) + ELLIPSIS) > room:
            break
        kept = candidate
    kept = kept.rstrip(_TRAILING)
    return kept + ELLIPSIS if kept else ""


def _lead(title: str, summary: str) -> str:
    if not title or not summary:
        return title or summary
    return f"{title} {summary}" if title.endswith((".", "!", "?", ":", ELLIPSIS)) else f"{title}: {summary}"


def _head(title: str, summary: str, byline: str, room: int, size: Callable[[str], int]) -> str:
    """Title, summary and name in ``room``: the summary shortened first, then the name left out
    (never cut), then the summary left out, the title shortened last."""

    def fits(text: str) -> bool:
        return size(text) <= room

    def joined(*parts: str) -> str:
        return " ".join(part for part in parts if part)

    whole = joined(_lead(title, summary), byline)
    if fits(whole):
        return whole
    for name in (byline, "") if byline else ("",):
        lead_room = room - (size(joined("x", name)) - 1)  # what the name and its space leave
        frame = size(_lead(title, "x")) - 1 if title else 0
        cut = shorten(summary, lead_room - frame, size) if summary else ""
        if summary and size(cut) >= SHORTEST_SUMMARY and fits(joined(_lead(title, cut), name)):
            return joined(_lead(title, cut), name)
    for candidate in (joined(title, byline), title):
        if candidate and fits(candidate):
            return candidate
    return shorten(title, room, size)


def post_text(
    item: RenderedItem, link: str, disclosure: str | None, limit: int, url_length: int | None
) -> str:
    """The post for ``item`` within ``limit``, measured as the network does (``url_length``:
    what each URL counts, Mastodon's 23; None where a URL counts as its characters, Bluesky).

    The customer's name is ``item.author`` as ``show_as`` already allows, shown for stories
    only. :class:`PostTooLongError` if the disclosure and the link alone do not fit."""

    def size(text: str) -> int:
        return measure(text, url_length)

    tail = "\n\n".join(part for part in (_clean(disclosure or ""), link.strip()) if part)
    if size(tail) > limit:
        raise PostTooLongError(
            f"{item.id}: the disclosure and the link alone are {size(tail)} characters, over the "
            f"network's {limit}; the disclosure is never cut, so shorten the connection's note"
        )
    author = _clean(item.author)
    byline = f"— {author}" if item.kind == "story" and author else ""
    room = limit - size(tail) - (2 if tail else 0)
    head = _head(_clean(item.title), _clean(item.summary), byline, room, size) if room > 0 else ""
    return "\n\n".join(part for part in (head, tail) if part)
