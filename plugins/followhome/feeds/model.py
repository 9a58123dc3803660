"""One item model for every feed format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from followhome.model import addresses
from followhome.render.feed_formats import feed_path, value_feed_key
from followhome.render.items import RenderedItem

FeedItem = RenderedItem
"""Feeds carry the shared rendered item."""


@dataclass(frozen=True)
class Feed:
    key: str
    """``all``, ``stories``, ``updates`` or ``value-<id>``."""
    title: str
    description: str
    home_url: str
    """Absolute URL of the page the feed belongs to."""
    site_url: str
    language: str
    author: str
    tag: str
    items: tuple[FeedItem, ...]
    updated: datetime
    """Newest item's date; for an empty feed, the newest date of the whole site."""
    policy_url: str
    hub: str | None = None
    """The WebSub hub every format declares (``channels.feeds.websub_hub``), if any."""

    def path(self, fmt: str) -> str:
        """Site-relative path of the file in format ``fmt``."""
        return feed_path(self.key, fmt)

    def url(self, fmt: str) -> str:
        return f"{self.site_url}{self.path(fmt)}"


def feed_keys_for(src_uri: str) -> list[str]:
    """Feeds a page announces: the site-wide one, plus its own collection's or value's."""
    keys = ["all"]
    if src_uri == addresses.STORIES or src_uri.startswith("stories/page/"):
        keys.append("stories")
    elif src_uri == addresses.UPDATES or src_uri.startswith("updates/page/"):
        keys.append("updates")
    elif src_uri.startswith("values/") and src_uri != addresses.VALUES:
        value_id = src_uri.removeprefix("values/").removesuffix(".md").split("/")[0]
        keys.append(value_feed_key(value_id))
    return keys
