"""The ``followhome-feeds`` MkDocs plugin: RSS, Atom and JSON Feed files and their discovery tags."""

from __future__ import annotations

import html

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from followhome.feeds.build import FeedOptions, build_feeds
from followhome.feeds.model import Feed, feed_keys_for
from followhome.feeds.render import RelativeUrlError, feed_files
from followhome.mkdocs.context import add_to_head, edition_of
from followhome.mkdocs.markdown import site_markdown
from followhome.mkdocs.report import report_of
from followhome.render.feed_formats import FORMAT_NAMES, FORMATS, MEDIA_TYPES

NAME = "followhome-feeds"
log = get_plugin_logger(NAME)


class FeedsConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    max_items = c.Type(int, default=50)
    """Most items in one feed, newest first."""
    size_budget_kb = c.Type(int, default=1024)
    """Warn when a feed file grows beyond this many kilobytes."""


def discovery_tags(feeds: list[Feed], page_url: str) -> str:
    """``<link rel="alternate">`` tags for the head of the page at ``page_url``.

    The links are relative, so a preview (``mkdocs serve``) points at its own feeds.
    """
    up = "../" * page_url.count("/")
    return "".join(
        f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" '
        f'title="{html.escape(feed.title)} ({FORMAT_NAMES[fmt]})" href="{html.escape(up + feed.path(fmt))}">'
        for feed in feeds
        for fmt in FORMATS
    )


class FeedsPlugin(BasePlugin[FeedsConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.feeds = {}  # per-build state; the instance may survive `mkdocs serve` rebuilds
        if self.config.max_items < 1 or self.config.size_budget_kb < 1:
            raise PluginError(
                f"{NAME}: options 'max_items' and 'size_budget_kb' in mkdocs.yml must be 1 or more"
            )
        return config

    # After the content plugin (priority 100) has put its pages in; before search and others.
    @event_priority(90)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        edition = edition_of(config, NAME)
        render = site_markdown(config)
        options = FeedOptions(items=self.config.max_items, directory_urls=config.use_directory_urls)
        budget = self.config.size_budget_kb * 1024
        for feed in build_feeds(edition, render, options):
            self.feeds[feed.key] = feed
            try:
                outputs = feed_files(feed)
            except RelativeUrlError as exc:
                raise PluginError(
                    f"{NAME}: {exc}; make the link absolute or point it at a page or file in content/"
                ) from None
            for output in outputs:
                if output.size > budget:
                    report_of(config).warning(
                        log,
                        f"{output.path} is {output.size // 1024} KB, over the {self.config.size_budget_kb} KB "
                        f"budget; lower `max_items` (now {self.config.max_items}) or raise `size_budget_kb` "
                        f"under {NAME} in mkdocs.yml",
                    )
                files.append(File.generated(config, output.path, content=output.text))
        return files

    def _feeds_for(self, page: Page) -> list[Feed]:
        return [self.feeds[k] for k in feed_keys_for(page.file.src_uri) if k in self.feeds]

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.feeds:
            return output
        tags = discovery_tags(self._feeds_for(page), page.url)
        return add_to_head(output, tags)
