"""Feed formats: file names, media types, display names."""

from __future__ import annotations

FORMATS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
"""Format -> file name inside the feed's folder."""
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
