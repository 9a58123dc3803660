"""Allowlist sanitising of HTML that leaves the site (feeds now; pages and email later).

Story and update bodies are Markdown that may carry raw HTML from customers' words:
nh3 (ammonia) keeps formatting and drops scripts, frames, event handlers and any URL
scheme but http(s), mailto and tel.
"""

from __future__ import annotations

import nh3

URL_SCHEMES = {"http", "https", "mailto", "tel"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES.setdefault("time", set()).add("datetime")
_ATTRIBUTES["*"] = {"class", "lang", "dir", "title"}


def clean_html(fragment: str) -> str:
    """``fragment`` with only allowlisted tags, attributes and URL schemes."""
    return nh3.clean(fragment, attributes=_ATTRIBUTES, url_schemes=URL_SCHEMES)


_PAGE_TAGS = set(nh3.ALLOWED_TAGS) | {
    "footer",
    "section",
    "time",
    "figure",
    "figcaption",
    "details",
    "summary",
}
_PAGE_ATTRIBUTES = {tag: set(attrs) for tag, attrs in _ATTRIBUTES.items()}
_PAGE_ATTRIBUTES["*"] = {"class", "id", "lang", "dir", "title"}
_PAGE_ATTRIBUTES["img"] = _PAGE_ATTRIBUTES.get("img", set()) | {"loading"}


def clean_page_html(fragment: str) -> str:
    """A page's rendered content: the same allowlist, plus ids and the theme's structure; links keep their rel."""
    return nh3.clean(
        fragment, tags=_PAGE_TAGS, attributes=_PAGE_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
    )
