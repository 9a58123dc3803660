"""Per-page sharing metadata and social cards for the content plugin."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from followhome.cache import background
from followhome.cache.background import Background
from followhome.model import addresses
from followhome.model.content import Channel, Story
from followhome.pages.cards import SUFFIX, Card, CardCache, Ensured, place
from followhome.pages.sharing import Share, head_tags, json_ld, organization, review
from followhome.publishing.edition import Edition
from followhome.publishing.names import display_name

SITE_CARD = f"assets/cards/site{SUFFIX}"
PARALLEL_FROM = 32
"""Cards to draw from which other processes are worth starting."""
CHECK_PARALLEL_FROM = 512
"""Cached cards from which checking them against their checksums (~70 µs each) is worth
another process, as much as drawing PARALLEL_FROM cards is."""
log = get_plugin_logger(__name__)


@dataclass
class Sharing:
    """Cards for this build and what each page puts in its head.

    Every card of the build is checked against the checksum recorded when it was drawn, and
    the missing and damaged ones drawn, while MkDocs builds the pages (in other processes
    when there are many); the cards are placed into the site at the end of the build."""

    edition: Edition
    cache: CardCache
    cards: dict[str, str] = field(default_factory=dict)
    """Page source path -> card image path in the site."""
    stories: dict[str, Story] = field(default_factory=dict)
    placed: list[tuple[str, Card]] = field(default_factory=list)
    """(path in the site, card) of every card of this build."""
    pages: dict[str, str] = field(default_factory=dict)
    """Card key -> the first page showing it, to name it in messages."""
    workers: list[Background[Ensured]] = field(default_factory=list)

    def start(self) -> None:
        """Work out every page's card and start checking and drawing them."""
        brand = self.edition.catalog.brand.config
        palette = brand.image.palette
        wanted: list[tuple[str, str, Card]] = []  # (page source, card path in the site, card)

        def card(page_src: str, src_path: str, title: str, text: str) -> None:
            wanted.append(
                (page_src, src_path, Card(brand.name, title, text, palette.primary, palette.accent))
            )

        card(addresses.HOME, SITE_CARD, brand.name, brand.promise)
        for value in self.edition.catalog.values:
            card(
                addresses.value(value.id),
                f"assets/cards/values/{value.id}{SUFFIX}",
                value.meta.title,
                value.meta.summary,
            )
        for story in self.edition.stories(Channel.SITE):
            src = addresses.story(story.slug)
            self.stories[src] = story
            words = f"\u201c{' '.join(story.meta.quote.split())}\u201d - {display_name(story.meta.customer)}"
            card(src, f"assets/cards/stories/{story.slug}{SUFFIX}", story.meta.title, words)
        for page_src, src_path, drawn in wanted:
            self.cards[page_src] = src_path
            self.placed.append((src_path, drawn))
            self.pages.setdefault(self.cache.use(drawn), page_src)
        unique = {drawn.key: drawn for _, _, drawn in wanted}
        cached = self.cache.index()
        missing = [c for c in unique.values() if c.key not in cached]
        present = [c for c in unique.values() if c.key in cached]
        work = len(missing) + len(present) * PARALLEL_FROM / CHECK_PARALLEL_FROM
        split = background.shares([*missing, *present], PARALLEL_FROM, work)
        if split is None:
            self._done(self.cache.ensure([*missing, *present]))
        else:
            self.workers = [Background(partial(self.cache.ensure, list(share))) for share in split]

    def _done(self, ensured: Ensured) -> None:
        for name in ensured.damaged:
            page = self.pages.get(name.split(".")[0], "")
            log.info(
                f"social card {self.cache.folder / name} (of {page}) does not match the checksum "
                "recorded when it was drawn; drawn again"
            )

    def finish(self, site_dir: Path) -> None:
        """Wait for the cards, put every card into the site, forget unused cards."""
        running, self.workers = self.workers, []
        try:
            for worker in running:
                self._done(worker.result())
        finally:
            for worker in running:
                worker.stop()
        cached = self.cache.index()
        gone = {card.key: card for _, card in self.placed if card.key not in cached}
        if gone:  # deleted by something else while the pages were built: drawn again
            self._done(self.cache.ensure(list(gone.values())))
            cached = self.cache.index()
        for src_path, card in self.placed:
            place(self.cache.folder / cached[card.key], site_dir / src_path)
        self.cache.prune()  # cards no longer drawn (a withdrawn story's) leave the cache

    @cached_property
    def organization(self) -> str:
        """The site's Organization, the same on every page."""
        brand = self.edition.catalog.brand
        logo = brand.config.image.logo
        return json_ld(organization(brand, brand.url + logo if logo else None))

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def head(self, page: Page, config: MkDocsConfig) -> str:
        brand = self.edition.catalog.brand
        site_url = brand.url
        src = page.file.src_uri
        title = html.unescape(page.title or brand.config.name)
        description = html.unescape(str(page.meta.get("description") or config.site_description or ""))
        image = site_url + self.cards.get(src, SITE_CARD)
        story = self.stories.get(src)
        url = site_url + page.url
        share = Share(title, description, url, image, "article" if story else "website")
        parts = [head_tags(share, brand.config.name, brand.config.language), self.organization]
        if story:
            parts.append(json_ld(review(story, brand, url)))
        return "".join(parts)
