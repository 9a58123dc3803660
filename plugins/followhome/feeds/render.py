"""Serialize a feed in each format, and check what subscribers will receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from followhome.feeds.atom import render_atom
from followhome.feeds.jsonfeed import render_json
from followhome.feeds.model import Feed
from followhome.feeds.rss import render_rss
from followhome.render.html_urls import non_absolute_urls

RENDERERS: dict[str, Callable[[Feed], str]] = {"rss": render_rss, "atom": render_atom, "json": render_json}


@dataclass(frozen=True)
class FeedFile:
    path: str
    """Site-relative path, e.g. ``values/less-waste/atom.xml``."""
    text: str

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


class RelativeUrlError(Exception):
    """An item's content still holds a URL that is not absolute."""

    def __init__(self, feed: Feed, item_id: str, urls: list[str]) -> None:
        self.feed = feed
        self.item_id = item_id
        self.urls = urls
        super().__init__(
            f"feed '{feed.key}' item '{item_id}' has URLs that are not absolute: {', '.join(urls)}"
        )


def check_urls(feed: Feed) -> None:
    """Raise :class:`RelativeUrlError` if any item content has a non-absolute URL."""
    for item in feed.items:
        bad = non_absolute_urls(item.content_html)
        if bad:
            raise RelativeUrlError(feed, item.id, bad)


def feed_files(feed: Feed) -> list[FeedFile]:
    """The three files of one feed."""
    check_urls(feed)
    return [FeedFile(feed.path(fmt), render(feed)) for fmt, render in RENDERERS.items()]
