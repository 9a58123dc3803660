"""Turn an :class:`Edition` into feeds: everything, stories, updates and each value."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from followhome.feeds.model import Feed, FeedItem, value_feed_key
from followhome.html_urls import absolutize
from followhome.model import Channel, Story, Update
from followhome.names import display_name
from followhome.publishing import Edition
from followhome.sanitize import clean_html
from followhome.site import layout
from followhome.site.blocks import quote_block
from followhome.site.mdtext import inline
from followhome.site.pages import POLICY_TITLE
from followhome.text import strip_control

Render = Callable[[str], str]
"""Markdown -> HTML with the site's own Markdown extensions."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class FeedOptions:
    items: int = 50
    """Most items in one feed (newest first)."""
    directory_urls: bool = True


def id_authority(edition: Edition) -> str:
    brand = edition.catalog.brand
    feeds = brand.config.channels.feeds
    if feeds and feeds.id_authority:
        return feeds.id_authority
    return f"{urlsplit(brand.url).hostname},2000"


class _Builder:
    def __init__(self, edition: Edition, render: Render, options: FeedOptions) -> None:
        self.edition = edition
        self.render = render
        self.options = options
        self.brand = edition.catalog.brand
        self.site_url = self.brand.url
        self.authority = id_authority(edition)
        self.site_stories = {s.id for s in edition.stories(Channel.SITE)}
        self.update_pages = {u.id for u in edition.update_pages()}
        self.items: dict[str, FeedItem] = {}

    def page_url(self, src_uri: str) -> str:
        return self.site_url + layout.url(src_uri, self.options.directory_urls)

    def html(self, markdown: str, src_uri: str, page_url: str | None) -> str:
        """Render with the site's pipeline, make URLs absolute, sanitise (customer HTML is untrusted)."""
        rendered = self.render(strip_control(markdown))
        absolute = absolutize(rendered, src_uri, self.site_url, page_url, self.options.directory_urls)
        return strip_control(clean_html(absolute))

    def story(self, story: Story) -> FeedItem:
        src = layout.story(story.slug)
        markdown = (
            quote_block(story, self.brand.config.name)
            + f"\n{inline(story.meta.takeaway)}\n{{ .fh-takeaway }}\n\n"
            + story.body.strip()
            + f"\n\n[{POLICY_TITLE}]({layout.link(src, layout.POLICY)})\n"
        )
        has_page = story.id in self.site_stories
        author = display_name(story.meta.customer)
        return self._item(story, src, has_page, markdown, author, story.meta.takeaway)

    def update(self, update: Update) -> FeedItem:
        src = layout.update(update.slug)
        markdown = f"{inline(update.meta.summary)}\n{{ .fh-summary }}\n\n{update.body.strip()}\n"
        has_page = update.id in self.update_pages
        return self._item(update, src, has_page, markdown, self.brand.config.name, update.meta.summary)

    def _item(
        self, source: Story | Update, src: str, has_page: bool, markdown: str, author: str, summary: str
    ) -> FeedItem:
        url = self.page_url(src) if has_page else None
        return FeedItem(
            id=source.id,
            tag=f"tag:{self.authority}:{source.id}",
            title=strip_control(source.meta.title),
            url=url,
            published=source.published,
            updated=source.updated,
            author=strip_control(author),
            summary=strip_control(summary),
            content_html=self.html(markdown, src, url),
            categories=tuple(strip_control(v.meta.title) for v in self.edition.catalog.values_of(source)),
        )

    def item(self, source: Story | Update) -> FeedItem:
        """Each item is rendered once, however many feeds carry it."""
        if source.id not in self.items:
            self.items[source.id] = self.story(source) if isinstance(source, Story) else self.update(source)
        return self.items[source.id]

    def feed(self, spec: _Spec, sources: Iterable[Story | Update], site_updated: datetime) -> Feed:
        chosen = sorted(sources, key=lambda s: (s.published.timestamp(), s.id), reverse=True)
        items = tuple(self.item(s) for s in chosen[: self.options.items])
        updated = max((i.modified for i in items), key=lambda d: d.timestamp(), default=site_updated)
        return Feed(
            key=spec.key,
            title=strip_control(spec.title),
            description=strip_control(spec.description),
            home_url=self.page_url(spec.home_src),
            folder=spec.folder,
            site_url=self.site_url,
            language=self.brand.config.language,
            author=strip_control(self.brand.config.name),
            tag=f"tag:{self.authority}:feed:{spec.key}",
            items=items,
            updated=updated,
            policy_url=self.page_url(layout.POLICY),
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
            (_Spec("all", name, self.brand.config.promise, layout.HOME, ""), everything),
            (
                _Spec(
                    "stories", f"{name}: stories", f"Customer stories from {name}", layout.STORIES, "stories/"
                ),
                stories,
            ),
            (
                _Spec(
                    "updates",
                    f"{name}: updates",
                    f"News, how-tos, offers and events from {name}",
                    layout.UPDATES,
                    "updates/",
                ),
                updates,
            ),
        ]
        for value in self.edition.catalog.values:
            spec = _Spec(
                value_feed_key(value.id),
                f"{name}: {value.meta.title}",
                value.meta.summary,
                layout.value(value.id),
                f"values/{value.id}/",
            )
            specs.append((spec, [s for s in everything if value.id in s.meta.values]))
        return [self.feed(spec, sources, newest) for spec, sources in specs]


@dataclass(frozen=True)
class _Spec:
    """What a feed is about: its key, wording, page and folder."""

    key: str
    title: str
    description: str
    home_src: str
    folder: str


def build_feeds(edition: Edition, render: Render, options: FeedOptions | None = None) -> list[Feed]:
    """Every feed of the site: all, stories, updates, and one per value."""
    return _Builder(edition, render, options or FeedOptions()).all()
