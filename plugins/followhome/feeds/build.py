"""Turn an :class:`Edition` into feeds: everything, stories, updates and each value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from followhome.feeds.model import Feed
from followhome.model import addresses
from followhome.model.content import Channel, Story, Update
from followhome.model.text import strip_control
from followhome.publishing.edition import Edition
from followhome.render.feed_formats import value_feed_key
from followhome.render.items import ItemRenderer, Render

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedOptions:
    items: int = 50
    """Most items in one feed (newest first)."""
    directory_urls: bool = True


class _Builder:
    def __init__(self, edition: Edition, render: Render, options: FeedOptions) -> None:
        self.edition = edition
        self.options = options
        self.brand = edition.catalog.brand
        self.renderer = ItemRenderer(edition, render, options.directory_urls)
        settings = self.brand.config.channels.feeds
        self.hub = str(settings.websub_hub) if settings and settings.websub_hub else None

    def feed(self, spec: _Spec, sources: Iterable[Story | Update], site_updated: datetime) -> Feed:
        chosen = sorted(sources, key=lambda s: (s.published.timestamp(), s.id), reverse=True)
        items = tuple(self.renderer.item(s) for s in chosen[: self.options.items])
        updated = max((i.modified for i in items), key=lambda d: d.timestamp(), default=site_updated)
        return Feed(
            key=spec.key,
            title=strip_control(spec.title),
            description=strip_control(spec.description),
            home_url=self.renderer.page_url(spec.home_src),
            site_url=self.renderer.site_url,
            language=self.brand.config.language,
            author=strip_control(self.brand.config.name),
            tag=f"tag:{self.renderer.authority}:feed:{spec.key}",
            items=items,
            updated=updated,
            policy_url=self.renderer.page_url(addresses.POLICY),
            hub=self.hub,
        )

    def all(self) -> list[Feed]:
        name = self.brand.config.name
        stories: list[Story | Update] = list(self.edition.stories(Channel.FEED))
        updates: list[Story | Update] = list(self.edition.current_updates())
        everything = stories + updates
        newest = max(
            ((s.updated or s.published) for s in everything), key=lambda d: d.timestamp(), default=EPOCH
        )
        specs = [
            (_Spec("all", name, self.brand.config.promise, addresses.HOME), everything),
            (
                _Spec("stories", f"{name}: stories", f"Customer stories from {name}", addresses.STORIES),
                stories,
            ),
            (
                _Spec(
                    "updates",
                    f"{name}: updates",
                    f"News, how-tos, offers and events from {name}",
                    addresses.UPDATES,
                ),
                updates,
            ),
        ]
        for value in self.edition.catalog.values:
            spec = _Spec(
                value_feed_key(value.id),
                f"{name}: {value.meta.title}",
                value.meta.summary,
                addresses.value(value.id),
            )
            specs.append((spec, [s for s in everything if value.id in s.meta.values]))
        return [self.feed(spec, sources, newest) for spec, sources in specs]


@dataclass(frozen=True)
class _Spec:
    """What a feed is about: its key, wording and page."""

    key: str
    title: str
    description: str
    home_src: str


def build_feeds(edition: Edition, render: Render, options: FeedOptions | None = None) -> list[Feed]:
    """Every feed of the site: all, stories, updates, and one per value."""
    return _Builder(edition, render, options or FeedOptions()).all()
