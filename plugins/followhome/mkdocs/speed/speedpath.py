"""The speed path: the one object the content plugin calls at its events to build faster.

It decides once per build (at ``on_files``, when the configuration is final) whether other
processes may render the generated pages (:func:`followhome.mkdocs.speed.decision.decide`),
logs one INFO line saying which mode runs and why, and then, only where it is on, makes the
generated pages outside the navigation :class:`PrerenderedPage` objects, starts the workers
that render their Markdown (``on_nav``) and fill their templates (``on_env``), and hands
their results to MkDocs as it reaches each page. Off, MkDocs builds every page itself, as
without followhome. Two in-process speed-ups live here too: the navigation partials rendered
once per folder (``shared_nav``) and the garbage collector's thresholds during the build.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping, Sequence
from types import ModuleType

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from followhome.cache import background
from followhome.mkdocs.config import FollowhomeConfig
from followhome.mkdocs.speed import pageworkers
from followhome.mkdocs.speed.collector import Collector
from followhome.mkdocs.speed.decision import Mode, decide, extension_name
from followhome.mkdocs.speed.navcache import SharedNavigation
from followhome.mkdocs.speed.prerender import Prerender, PrerenderedPage
from followhome.mkdocs.speed.templating import Templates
from followhome.pages.generate import GeneratedPage

log = get_plugin_logger(__name__)


def nav_paths(nav: object) -> set[str]:
    """Every page path the ``nav`` of mkdocs.yml (or followhome's own) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return {path for item in nav for path in nav_paths(item)}
    return set()


def hook_events(module: ModuleType) -> list[str]:
    """The MkDocs events a hook module implements."""
    return sorted(name for name, value in vars(module).items() if name.startswith("on_") and callable(value))


class SpeedPath:
    """One build's speed path (a new one for every build, ``mkdocs serve`` rebuilds included)."""

    def __init__(self, options: FollowhomeConfig, command: str, dirty: bool) -> None:
        self.options = options
        self.command = command
        self.dirty = dirty
        self.mode: Mode | None = None
        """What :func:`decide` said for this build (None until ``on_files``)."""
        self.pages: Mapping[str, GeneratedPage] = {}
        """The content plugin's generated pages with HTML to fill in, by source path."""
        self.parallel_pages: list[PrerenderedPage] = []
        """Generated pages other processes render ahead of MkDocs."""
        self.nav: Navigation | None = None
        self.shared_nav: SharedNavigation | None = None
        self.prerender: Prerender | None = None
        self.templates: Templates | None = None
        self.prerendered = 0
        """Pages of this build whose Markdown a worker rendered."""
        self.filled = 0
        """Pages of this build whose template a worker filled."""
        self.collector = Collector()
        if options.enabled:
            self.collector.relax()

    def decide(self, config: MkDocsConfig, pages: int) -> Mode:
        """The mode of this build, from what it is and what it uses (see :func:`decide`)."""
        plugins = dict(config.plugins.items())
        return decide(
            parallel=self.options.parallel,
            platform=sys.platform,
            fork=background.available(),
            command=self.command,
            threads=threading.active_count(),
            extensions=[extension_name(extension) for extension in config.markdown_extensions],
            plugins=[name for name, plugin in plugins.items() if not isinstance(plugin, ModuleType)],
            hooks={name: hook_events(hook) for name, hook in plugins.items() if isinstance(hook, ModuleType)},
            pages=pages,
            cores=background.usable_cores(),
            smallest_share=pageworkers.SMALLEST_SHARE,
        )

    def on_files(
        self, config: MkDocsConfig, generated: Sequence[File], pages: Mapping[str, GeneratedPage]
    ) -> None:
        """Decide, say so, and make the pages the workers may render (``generated``: the
        generated pages' files; ``pages``: those with HTML to fill in)."""
        self.pages = pages
        # MkDocs keeps a page a plugin made for a file; it makes the ones the nav names itself,
        # with the nav's titles. Under --dirty, only the pages that changed are built.
        in_nav = nav_paths(config.nav)
        candidates = [
            file
            for file in generated
            if file.src_uri not in in_nav and (not self.dirty or file.is_modified())
        ]
        self.mode = self.decide(config, len(candidates))
        log.info(self.mode.message())
        if self.mode.on:
            for file in candidates:
                PrerenderedPage(None, file, config)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
        """The navigation and files are final: start rendering Markdown ahead of MkDocs."""
        if self.mode is None:
            return  # the content plugin is off, or made no pages
        self.nav = nav
        if self.options.shared_nav:
            self.shared_nav = SharedNavigation(page.url for page in nav.pages)
        if not self.mode.on:
            return
        self.parallel_pages = [
            file.page for file in files.documentation_pages() if isinstance(file.page, PrerenderedPage)
        ]
        if self.parallel_pages:
            self.prerender = Prerender.start(
                self.parallel_pages, config, files, self._fill_ahead, self.mode.workers
            )
            for page in self.parallel_pages:
                page.prerender = self.prerender

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        """Every page's Markdown is rendered and the environment final: start filling templates."""
        self._stop_prerender()
        if self.shared_nav is not None:
            self.shared_nav.install(env)
        if self.parallel_pages and self.nav is not None and self.mode is not None:
            # The pages MkDocs' build goes through (the speed path runs in `mkdocs build` only).
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            # The workers fork inside start(), before self.templates is set: in them,
            # on_page_context takes nothing.
            self.templates = Templates.start(
                self.parallel_pages, config, self.nav, env, doc_files, self.mode.workers
            )

    def _fill_ahead(self, page: Page, html: str) -> str | None:
        """In a worker: what :meth:`fill` makes of a sanitised page's rendered HTML."""
        generated = self.pages.get(page.file.src_uri)
        if generated is None or not (generated.sanitised or generated.regions):
            return None  # cheap: the build fills it in when it gets there
        return generated.fill(html)

    def fill(self, page: Page, html: str, generated: GeneratedPage) -> str:
        """``on_page_content`` of a generated page: ``generated.fill(html)``, done by the worker
        that rendered the page if ``html`` is what it rendered (sanitised once either way)."""
        filled = self.prerender.filled_content(page, html) if self.prerender is not None else None
        return generated.fill(html) if filled is None else filled

    def on_page_context(self, page: Page, context: TemplateContext) -> None:
        """Last in ``on_page_context``: the template's render gives the worker's HTML, if any."""
        if self.templates is not None:
            self.templates.take(page, context)

    def stop(self) -> None:
        """The build ended (or failed): stop every worker and restore the collector."""
        self._stop_prerender()
        self.nav, self.parallel_pages = None, []  # not kept alive between `serve` rebuilds
        if self.templates is not None:
            self.templates.stop()
            self.filled = self.templates.filled
            self.templates = None
        self.collector.restore()

    def _stop_prerender(self) -> None:
        if self.prerender is not None:
            self.prerender.stop()
            self.prerendered = self.prerender.applied
            self.prerender = None
