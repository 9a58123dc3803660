"""Fill the theme's templates of the generated pages on every core.

Once every page's Markdown is rendered, MkDocs fills the theme's template for each page,
one after the other: most of a large build's time. Forked workers fill the templates of the
generated pages ahead of it (see :mod:`followhome.mkdocs.speed.pageworkers`), with the steps of
MkDocs' own ``_build_page`` up to the template: the page made active, its context, every
plugin's ``on_page_context``, the template the page names. When MkDocs reaches such a page,
followhome's ``on_page_context`` (the last plugin's) gives the worker's HTML to MkDocs' render
of the template, if the page's content and title are what the worker had (else the template
is filled as usual). MkDocs then runs ``on_post_page`` and writes the file as always, and the
plugins' ``on_page_context`` ran in the build's process as always (the search index is made
there). What a plugin keeps from one page's template to the next would stay in the worker:
the speed path runs only with the plugins on its tested list
(:mod:`followhome.mkdocs.speed.decision`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, Template
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from followhome.mkdocs.speed.pageworkers import PageWorkers


@dataclass
class Filled:
    """A page's template filled in by a worker."""

    html: str
    key: int
    """:func:`_key` of the page as the worker filled it."""


def _key(page: Page) -> int:
    # Forked processes share str's hash seed.
    return hash((page.content, page.title))


def _fill(
    page: Page, config: MkDocsConfig, nav: Navigation, env: Environment, pages: Sequence[File]
) -> Filled:
    """What MkDocs' ``_build_page`` renders for ``page`` before ``on_post_page``."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, pages, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return Filled(template.render(context), _key(page))
    finally:
        page.active = False
        config._current_page = None


class Templates:
    """Workers filling the templates of ``pages`` ahead of MkDocs."""

    def __init__(self, workers: PageWorkers[Filled]) -> None:
        self.workers = workers
        self.ready: tuple[TemplateContext, str] | None = None
        """The context MkDocs is about to render, and the worker's HTML for it."""
        self.filled = 0
        """Pages that took a worker's HTML."""

    @classmethod
    def start(
        cls,
        pages: Sequence[Page],
        config: MkDocsConfig,
        nav: Navigation,
        env: Environment,
        doc_files: Sequence[File],
        count: int,
    ) -> Templates | None:
        """``count`` workers filling the templates of ``pages`` ahead of the build, or None if
        another plugin set the environment's template class, which this would replace."""
        if env.template_class is not Template:
            return None
        templates = cls(PageWorkers(pages, lambda page: _fill(page, config, nav, env, doc_files), count))
        templates._install(env)
        return templates

    def _install(self, env: Environment) -> None:
        """Templates of ``env`` give the worker's HTML when rendering the context it is for."""
        templates = self

        class _Template(Template):
            def render(self, *args: Any, **kwargs: Any) -> str:
                html = templates._give(args[0]) if len(args) == 1 and not kwargs else None
                return super().render(*args, **kwargs) if html is None else html

        env.template_class = _Template
        if env.cache is not None:
            env.cache.clear()  # templates already loaded are made again with the class

    def take(self, page: Page, context: TemplateContext) -> None:
        """Called last in ``on_page_context``: the render of ``context`` gives the worker's HTML
        for ``page``, if it filled the template for the page as it is now."""
        self.ready = None
        done = self.workers.take(page)
        if done is not None and done.result.key == _key(page):
            done.replay()
            self.ready = (context, done.result.html)
            self.filled += 1

    def _give(self, context: object) -> str | None:
        ready, self.ready = self.ready, None
        return ready[1] if ready is not None and ready[0] is context else None

    def stop(self) -> None:
        self.workers.stop()
        self.ready = None
