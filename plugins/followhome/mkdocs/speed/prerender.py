"""Render the generated pages' Markdown on every core while MkDocs goes through them.

MkDocs renders the pages one after the other in one process. Forked workers take pages
ahead of it (see :mod:`followhome.mkdocs.speed.pageworkers`) and render them with MkDocs' own
``Page.render``, from the same Markdown, configuration and files, then fill in the generated
blocks of the pages the core marked ``sanitised`` (sanitising them: the costly part). When
MkDocs reaches one of those pages, the page takes the result instead of rendering again, if
its Markdown and meta are still what the worker rendered (a plugin that changed them gets an
ordinary render). What the worker's render logged (a broken link, say) is logged again in
the build's process at that point, so `--strict` counts it as before. If a worker fails,
MkDocs renders the pages itself. What a Markdown extension collects while rendering
(cross-references, say) would stay in the worker: the speed path runs only with the
extensions on its tested list (:mod:`followhome.mkdocs.speed.decision`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.meta import get_data

from followhome.mkdocs.speed.pageworkers import PageWorkers

Fill = Callable[[Page, str], str | None]
"""What ``on_page_content`` makes of a page's rendered HTML (sanitised, blocks filled in), done
ahead by the workers; None for a page the build does itself (cheap, or not generated)."""


@dataclass
class Rendered:
    """What ``Page.render`` set on one page."""

    markdown: str
    meta: dict[str, Any]
    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    """By the linked page's source path (File objects do not cross processes)."""
    filled: str | None

    def apply(self, page: Page, files: Files) -> None:
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchor_ids
        if self.links_to_anchors is not None:
            page.links_to_anchors = {}
            for src_uri, links in self.links_to_anchors.items():
                target = files.get_file_from_path(src_uri)
                if target is not None:
                    page.links_to_anchors[target] = links


def _render(page: Page, config: MkDocsConfig, files: Files, fill: Fill) -> Rendered:
    try:
        page.markdown, page.meta = get_data(page.file.content_string)
        config._current_page = page
        Page.render(page, config, files)  # MkDocs' own, not the subclass's
        assert page.content is not None
        links = page.links_to_anchors
        return Rendered(
            page.markdown,
            page.meta,
            page.content,
            page.toc,
            page._title_from_render,
            page.present_anchor_ids,
            None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
            fill(page, page.content),
        )
    finally:
        config._current_page = None


class Prerender:
    """Workers rendering ``pages`` ahead of MkDocs; :meth:`take` gives a page its result."""

    def __init__(self, workers: PageWorkers[Rendered]) -> None:
        self.workers = workers
        self.filled: dict[str, tuple[str, str]] = {}
        self.applied = 0
        """Pages that took a worker's result."""

    @classmethod
    def start(
        cls, pages: Sequence[Page], config: MkDocsConfig, files: Files, fill: Fill, count: int
    ) -> Prerender:
        """``count`` workers rendering ``pages`` ahead of the build."""
        return cls(PageWorkers(pages, lambda page: _render(page, config, files, fill), count))

    def take(self, page: Page) -> Rendered | None:
        """The worker's result for ``page`` if it still applies, or None if MkDocs should render it."""
        done = self.workers.take(page)
        if done is None:
            return None
        result = done.result
        if result.markdown != page.markdown or result.meta != page.meta:
            return None
        done.replay()
        if result.filled is not None:
            self.filled[page.file.src_uri] = (result.content, result.filled)
        self.applied += 1
        return result

    def filled_content(self, page: Page, html: str) -> str | None:
        """The worker's filled content if ``html`` is the very text it rendered (no plugin's
        ``on_page_content`` replaced it), else None."""
        rendered, filled = self.filled.pop(page.file.src_uri, (None, None))
        return filled if rendered is html else None

    def stop(self) -> None:
        self.workers.stop()
        self.filled = {}
        # `applied` stays: what this build's workers did


class PrerenderedPage(Page):
    """A generated page that takes its rendered Markdown from a worker when one made it."""

    prerender: Prerender | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        result = self.prerender.take(self) if self.prerender is not None else None
        if result is None:
            super().render(config, files)
        else:
            result.apply(self, files)
