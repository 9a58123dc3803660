"""One item model for every feed format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from followhome.site import layout

FORMATS = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}
"""Format -> file name inside the feed's folder."""
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass(frozen=True)
class FeedItem:
    id: str
    """The content's permanent id (RSS guid, JSON id); Atom uses :attr:`tag`."""
    tag: str
    """``tag:`` URI built from the permanent id, for Atom's IRI ids."""
    title: str
    url: str | None
    """Absolute URL of the item's page, if it has one on the site."""
    published: datetime
    updated: datetime | None
    author: str
    summary: str
    content_html: str
    categories: tuple[str, ...]

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


@dataclass(frozen=True)
class Feed:
    key: str
    """``all``, ``stories``, ``updates`` or ``value-<id>``."""
    title: str
    description: str
    home_url: str
    """Absolute URL of the page the feed belongs to."""
    folder: str
    """Site-relative folder of the feed files (``""``, ``stories/``, ``values/<id>/``)."""
    site_url: str
    language: str
    author: str
    tag: str
    items: tuple[FeedItem, ...]
    updated: datetime
    """Newest item's date; for an empty feed, the newest date of the whole site."""
    policy_url: str

    def path(self, fmt: str) -> str:
        """Site-relative path of the file in format ``fmt``."""
        return f"{self.folder}{FORMATS[fmt]}"

    def url(self, fmt: str) -> str:
        return f"{self.site_url}{self.path(fmt)}"


def value_feed_key(value_id: str) -> str:
    return f"value-{value_id}"


def feed_keys_for(src_uri: str) -> list[str]:
    """Feeds a page announces: the site-wide one, plus its own collection's or value's."""
    keys = ["all"]
    if src_uri == layout.STORIES or src_uri.startswith("stories/page/"):
        keys.append("stories")
    elif src_uri == layout.UPDATES or src_uri.startswith("updates/page/"):
        keys.append("updates")
    elif src_uri.startswith("values/") and src_uri != layout.VALUES:
        value_id = src_uri.removeprefix("values/").removesuffix(".md").split("/")[0]
        keys.append(value_feed_key(value_id))
    return keys
