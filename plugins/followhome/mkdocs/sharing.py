"""Per-page sharing metadata and social cards for the content plugin."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from followhome.model import Channel, Story
from followhome.names import display_name
from followhome.publishing import Edition
from followhome.site import layout
from followhome.site.cards import Card, CardCache
from followhome.site.sharing import Share, head_tags, json_ld, organization, review

SITE_CARD = "assets/cards/site.png"


@dataclass
class Sharing:
    """Cards drawn for this build and what each page puts in its head."""

    edition: Edition
    cache: CardCache
    cards: dict[str, str] = field(default_factory=dict)
    """Page source path -> card image path in the site."""
    stories: dict[str, Story] = field(default_factory=dict)

    def add_cards(self, files: Files, config: MkDocsConfig) -> None:
        brand = self.edition.catalog.brand.config
        palette = brand.image.palette
        wanted: list[tuple[str, str, Card]] = []  # (page source, card path in the site, card)

        def card(page_src: str, src_path: str, title: str, text: str) -> None:
            wanted.append(
                (page_src, src_path, Card(brand.name, title, text, palette.primary, palette.accent))
            )

        card(layout.HOME, SITE_CARD, brand.name, brand.promise)
        for value in self.edition.catalog.values:
            card(
                layout.value(value.id),
                f"assets/cards/values/{value.id}.png",
                value.meta.title,
                value.meta.summary,
            )
        for story in self.edition.stories(Channel.SITE):
            src = layout.story(story.slug)
            self.stories[src] = story
            words = f"\u201c{' '.join(story.meta.quote.split())}\u201d - {display_name(story.meta.customer)}"
            card(src, f"assets/cards/stories/{story.slug}.png", story.meta.title, words)
        images = self.cache.paths([c for _, _, c in wanted])
        for (page_src, src_path, _), image in zip(wanted, images, strict=True):
            files.append(File.generated(config, src_path, abs_src_path=str(image)))
            self.cards[page_src] = src_path

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
        parts = [head_tags(share, brand.config.name, brand.config.language)]
        logo = brand.config.image.logo
        parts.append(json_ld(organization(brand, site_url + logo if logo else None)))
        if story:
            parts.append(json_ld(review(story, brand, url)))
        return "".join(parts)


def card_cache(config: MkDocsConfig, folder: str) -> CardCache:
    root = Path(config.config_file_path or ".").parent
    return CardCache(root / folder / "cards")
