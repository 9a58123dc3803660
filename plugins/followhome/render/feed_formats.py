"""Feed formats: file names, media types, display names."""

from __future__ import annotations

FORMATS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
"""Format -> file name of the site-wide feed."""
SUFFIXES = {"rss": ".xml", "atom": ".atom.xml", "json": ".json"}
"""Format -> ending of every other feed's file (``stories.xml``, ``value-less-waste.atom.xml``)."""
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


def feed_path(key: str, fmt: str) -> str:
    """Site-relative file of a feed. Every feed sits at the site root: the theme fetches
    ``sitemap.xml`` next to each ``<link rel="alternate">`` target, which only exists there."""
    return FORMATS[fmt] if key == "all" else f"{key}{SUFFIXES[fmt]}"


def value_feed_key(value_id: str) -> str:
    return f"value-{value_id}"
