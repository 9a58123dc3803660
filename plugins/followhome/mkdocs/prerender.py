"""Render the generated pages' Markdown on every core while MkDocs goes through them.

MkDocs renders the pages one after the other in one process. Before it starts, forked
workers take a share of the generated pages each (every n-th page) and render them with
MkDocs' own ``Page.render``, from the same Markdown, configuration and files, then run the
sanitiser on story and update pages; they send the results back in the order MkDocs goes.
When MkDocs reaches one of those pages, the page takes the result instead of rendering
again, if its Markdown and meta are still what the worker rendered (a plugin that changed
them gets an ordinary render). What the worker's render logged (a broken link, say) is
logged again in the build's process at that point, so `--strict` counts it as before.
Where fork() is not available, or a worker fails, MkDocs renders the pages itself. What a
Markdown extension collects while rendering (cross-references, say) stays in the worker:
such sites set ``parallel: false``.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.meta import get_data

from followhome import background

Clean = Callable[[Page, str], str | None]
"""The sanitised content of a page, or None for a page that is not sanitised."""
BATCH = 8
"""Pages a worker sends at a time."""
SMALLEST_SHARE = 100
"""Pages a worker must have to be worth starting."""


@dataclass
class Rendered:
    """What ``Page.render`` set on one page, and what it logged."""

    markdown: str
    meta: dict[str, Any]
    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    """By the linked page's source path (File objects do not cross processes)."""
    records: list[logging.LogRecord]
    cleaned: str | None

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
        for record in self.records:
            logging.getLogger(record.name).handle(record)


class _Capture(logging.Handler):
    """Keeps a worker's log records (message formatted) to send back with the page."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


def _render(
    page: Page, config: MkDocsConfig, files: Files, clean: Clean, capture: _Capture
) -> Rendered | None:
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
            capture.take(),
            clean(page, page.content),
        )
    except Exception:  # the build renders this page itself and reports the problem there
        capture.take()
        return None
    finally:
        config._current_page = None


def _work(
    pages: Sequence[Page], config: MkDocsConfig, files: Files, clean: Clean, writer: Connection
) -> None:
    gc.freeze()  # see background._child
    capture = _Capture()
    # Send what is logged back instead of printing it here, each record once.
    for name in ("mkdocs", ""):
        logging.getLogger(name).handlers = [capture]
    logging.getLogger("mkdocs").propagate = False
    batch: list[tuple[str, Rendered | None]] = []
    try:
        for page in pages:
            batch.append((page.file.src_uri, _render(page, config, files, clean, capture)))
            if len(batch) == BATCH:
                writer.send(batch)
                batch = []
        if batch:
            writer.send(batch)
    finally:
        writer.close()


class Prerender:
    """Workers rendering shares of ``pages``; :meth:`take` gives a page its result."""

    def __init__(
        self, shares: Sequence[Sequence[Page]], config: MkDocsConfig, files: Files, clean: Clean
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.readers: list[Connection] = []
        self.processes: list[BaseProcess] = []
        self.owner: dict[str, int] = {}
        """Which worker renders each page, until the page took its result."""
        self.results: dict[str, Rendered | None] = {}
        self.cleaned: dict[str, tuple[str, str]] = {}
        self.applied = 0
        """Pages that took a worker's result."""
        for number, share in enumerate(shares):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(share, config, files, clean, writer), daemon=True)
            process.start()
            writer.close()
            self.readers.append(reader)
            self.processes.append(process)
            self.owner.update((page.file.src_uri, number) for page in share)

    @classmethod
    def start(
        cls, pages: Sequence[Page], config: MkDocsConfig, files: Files, clean: Clean
    ) -> Prerender | None:
        """Workers for all but the first of :func:`background.shares` of ``pages`` (the build's
        process renders that one), or None if not worth it."""
        split = background.shares(pages, SMALLEST_SHARE)
        if split is None or len(split) < 2:
            return None
        return cls(split[1:], config, files, clean)

    def take(self, page: Page) -> Rendered | None:
        """The worker's result for ``page``, or None if MkDocs should render it."""
        src_uri = page.file.src_uri
        number = self.owner.pop(src_uri, None)
        if number is None:
            return None
        reader = self.readers[number]
        if not reader.closed:
            try:
                # Wait for this page, then take whatever else is ready, so the worker never waits.
                while src_uri not in self.results or reader.poll():
                    self.results.update(reader.recv())
            except (EOFError, OSError):  # the worker finished, or stopped: MkDocs renders what is missing
                reader.close()
        result = self.results.pop(src_uri, None)
        if result is not None and result.cleaned is not None:
            self.cleaned[src_uri] = (result.content, result.cleaned)
        return result

    def clean_content(self, page: Page, html: str) -> str | None:
        """The worker's sanitised content if ``html`` is still what it rendered, else None."""
        rendered, cleaned = self.cleaned.pop(page.file.src_uri, (None, None))
        return cleaned if rendered is html else None

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for reader in self.readers:
            reader.close()
        self.processes, self.readers, self.owner, self.results, self.cleaned = [], [], {}, {}, {}
        # `applied` stays: what this build's workers did


class PrerenderedPage(Page):
    """A generated page that takes its rendered Markdown from a worker when one made it."""

    prerender: Prerender | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        result = self.prerender.take(self) if self.prerender is not None else None
        if result is None or result.markdown != self.markdown or result.meta != self.meta:
            super().render(config, files)
        else:
            result.apply(self, files)
            assert self.prerender is not None
            self.prerender.applied += 1
