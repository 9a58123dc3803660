"""Stories and updates rendered for reading away from the site (feeds, email).

One renderer for every off-site output: the site's own Markdown pipeline, every URL
absolute, customer HTML sanitised, control characters removed, names as ``show_as``
allows, the disclosure next to the quote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from followhome.model import addresses
from followhome.model.content import Channel, Story, Update
from followhome.model.text import strip_control
from followhome.publishing.edition import Edition
from followhome.publishing.names import display_name
from followhome.render.blocks import quote_block
from followhome.render.html_urls import absolutize
from followhome.render.mdtext import inline
from followhome.render.sanitize import clean_html

Render = Callable[[str], str]
"""Markdown -> HTML with the site's own Markdown extensions."""


@dataclass(frozen=True)
class RenderedItem:
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
    kind: str = "story"
    """``story`` or an update's kind (news, how-to, offer, event)."""

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


def id_authority(edition: Edition) -> str:
    brand = edition.catalog.brand
    feeds = brand.config.channels.feeds
    if feeds and feeds.id_authority:
        return feeds.id_authority
    return f"{urlsplit(brand.url).hostname},2000"


class ItemRenderer:
    """Renders each story or update once, however many outputs carry it."""

    def __init__(self, edition: Edition, render: Render, directory_urls: bool = True) -> None:
        self.edition = edition
        self.render = render
        self.directory_urls = directory_urls
        self.brand = edition.catalog.brand
        self.site_url = self.brand.url
        self.authority = id_authority(edition)
        self.site_stories = {s.id for s in edition.stories(Channel.SITE)}
        self.update_pages = {u.id for u in edition.update_pages()}
        self.items: dict[str, RenderedItem] = {}

    def has_page(self, source: Story | Update) -> bool:
        """Whether the item has a page of its own on the site."""
        return source.id in (self.site_stories if isinstance(source, Story) else self.update_pages)

    def page_url(self, src_uri: str) -> str:
        return self.site_url + addresses.url(src_uri, self.directory_urls)

    def html(self, markdown: str, src_uri: str, page_url: str | None) -> str:
        """Render with the site's pipeline, make URLs absolute, sanitise (customer HTML is untrusted)."""
        rendered = self.render(strip_control(markdown))
        absolute = absolutize(rendered, src_uri, self.site_url, page_url, self.directory_urls)
        return strip_control(clean_html(absolute))

    def item(self, source: Story | Update) -> RenderedItem:
        if source.id not in self.items:
            self.items[source.id] = self._story(source) if isinstance(source, Story) else self._update(source)
        return self.items[source.id]

    def _story(self, story: Story) -> RenderedItem:
        src = addresses.story(story.slug)
        markdown = (
            quote_block(story, self.brand.config.name)
            + f"\n{inline(story.meta.takeaway)}\n{{ .fh-takeaway }}\n\n"
            + story.body.strip()
            + f"\n\n[{addresses.POLICY_TITLE}]({addresses.link(src, addresses.POLICY)})\n"
        )
        has_page = self.has_page(story)
        author = display_name(story.meta.customer)
        return self._item(story, src, has_page, markdown, author, story.meta.takeaway, "story")

    def _update(self, update: Update) -> RenderedItem:
        src = addresses.update(update.slug)
        markdown = f"{inline(update.meta.summary)}\n{{ .fh-summary }}\n\n{update.body.strip()}\n"
        has_page = self.has_page(update)
        author = self.brand.config.name
        return self._item(update, src, has_page, markdown, author, update.meta.summary, update.meta.kind)

    def _item(
        self,
        source: Story | Update,
        src: str,
        has_page: bool,
        markdown: str,
        author: str,
        summary: str,
        kind: str,
    ) -> RenderedItem:
        url = self.page_url(src) if has_page else None
        return RenderedItem(
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
            kind=kind,
        )
