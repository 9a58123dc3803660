"""The ``followhome`` MkDocs plugin: content in, generated pages out.

It loads and validates ``content/`` through the core, reports every problem as a
warning (so ``mkdocs build --strict`` fails on any of them), removes the editors'
source files and brand.yml from the build, and adds the generated pages as virtual
files. Unpublishable stories never become files, so no other plugin (search,
sitemap, feeds) can see them.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from followhome.cache.background import WorkError
from followhome.cache.fingerprint import fingerprint
from followhome.mkdocs.collector import Collector
from followhome.mkdocs.config import FollowhomeConfig
from followhome.mkdocs.context import add_to_head, cache_dir, display_prefix, plugin_enabled, set_edition
from followhome.mkdocs.navcache import SharedNavigation
from followhome.mkdocs.prerender import Prerender, PrerenderedPage
from followhome.mkdocs.report import report_of
from followhome.mkdocs.sharing import Sharing
from followhome.mkdocs.templating import Templates
from followhome.mkdocs.theme import apply_brand, ensure_extensions, icon_exists
from followhome.model import addresses
from followhome.model.loader import BRAND_FILE, COLLECTION_DIRS, HOME_FILE, load_content
from followhome.pages.cards import CardCache
from followhome.pages.generate import GeneratedPage, SiteOptions, site_pages
from followhome.pages.nav import nav
from followhome.pages.notice import withdrawn_notice
from followhome.pages.theme import BRAND_CSS, COMPONENTS_CSS, brand_css, components_css
from followhome.publishing.edition import Edition
from followhome.publishing.today import TodayError, resolve_today
from followhome.render.sanitize import clean_page_html

log = get_plugin_logger(__name__)
SEARCH_DIALOG = 'data-md-component="search" role="dialog"'
FEEDS_PLUGIN = "followhome-feeds"


def _owned_by_followhome(file: File) -> bool:
    """brand.yml and any data file stay private; nothing but the generated pages leaves the
    collection folders (a stray file there is a problem the loader names)."""
    if file.src_uri == BRAND_FILE or file.src_uri.endswith((".yml", ".yaml")):
        return True
    return file.src_uri == HOME_FILE or file.src_uri.split("/", 1)[0] in COLLECTION_DIRS


def withdrawn_notices(edition: Edition, directory_urls: bool) -> list[tuple[str, str]]:
    """(file path, HTML) of the notice at each withdrawn story's old address.

    Static files, not pages: they stay out of the sitemap, the search index and the nav.
    """
    brand = edition.catalog.brand.config
    notices = []
    for slug in edition.catalog.withdrawn_slugs():
        url = addresses.url(addresses.story(slug), directory_urls)
        path = url + "index.html" if url.endswith("/") else url
        up = "../" * path.count("/")
        notices.append(
            (
                path,
                withdrawn_notice(
                    brand.name,
                    brand.language,
                    up or "./",
                    f"{up}{addresses.url(addresses.POLICY, directory_urls)}",
                ),
            )
        )
    return notices


def _untrusted_page(src_uri: str) -> bool:
    """Story and update pages carry customers' and editors' raw Markdown bodies."""
    top = src_uri.split("/", 1)[0]
    return top in ("stories", "updates") and not addresses.in_nav(src_uri) and "/page/" not in f"/{src_uri}"


def _nav_paths(nav: object) -> set[str]:
    """Every page path the ``nav`` of mkdocs.yml (or followhome's own) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return {path for item in nav for path in _nav_paths(item)}
    return set()


def _clean(page: Page, html: str) -> str | None:
    """What on_page_content does to an untrusted page's HTML (done ahead by the prerender workers)."""
    return clean_page_html(html) if _untrusted_page(page.file.src_uri) else None


class _GeneratedPageFile(File):
    """A generated page that can say it did not change since the previous build."""

    unchanged = False

    def is_modified(self) -> bool:
        if self.unchanged and Path(self.abs_dest_path).is_file():
            return False
        return super().is_modified()


class FollowhomePlugin(BasePlugin[FollowhomeConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.dirty = False
        self.page_keys: dict[str, str] = {}
        """Fingerprint of each generated page in the previous build (kept across `serve` rebuilds)."""
        self.edition: Edition | None = None
        self.auto_nav = False
        self.sharing: Sharing | None = None
        self.pages: dict[str, GeneratedPage] = {}
        """Generated pages with HTML blocks to fill in, by source path."""
        self.shared_nav: SharedNavigation | None = None
        self.command = "build"
        self.nav: Navigation | None = None
        self.parallel_pages: list[PrerenderedPage] = []
        """Generated pages other processes render ahead of MkDocs."""
        self.prerender: Prerender | None = None
        self.prerendered = 0
        """Pages of the last build whose Markdown a worker rendered."""
        self.templates: Templates | None = None
        self.filled = 0
        """Pages of the last build whose template a worker filled."""
        self.collector = Collector()
        self.refused: frozenset[str] = frozenset()
        """Files in docs_dir that must reach no output (links out of it, special files)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.command = command
        self.dirty = dirty

    # on_config runs first among plugins (priority 100) so the brand's site_url, theme
    # and Markdown extensions are in place before any other plugin reads them.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # Reset per-build state: under `mkdocs serve` the instance survives rebuilds.
        if self.sharing is not None:
            self.sharing.stop()  # a previous build that failed may have left cards drawing
        self._stop_workers()
        self.prerendered = self.filled = 0
        self.edition = None
        self.auto_nav = False
        self.sharing = None
        self.pages = {}
        set_edition(config, None)
        if not self.config.enabled:
            return config
        self.collector.relax()
        for option in ("per_page", "featured", "latest_updates"):
            if self.config[option] < (1 if option == "per_page" else 0):
                raise PluginError(
                    f"followhome: option '{option}' in mkdocs.yml is {self.config[option]}; "
                    f"set it to {'1' if option == 'per_page' else '0'} or more"
                )
        result = load_content(Path(config.docs_dir), display_prefix(config), cache_dir(config), icon_exists)
        catalog = result.catalog
        self.refused = result.refused
        report = report_of(config)
        for problem in result.problems:
            report.warning(log, str(problem))
        if catalog is None:
            report.fail(log, "followhome cannot build the site without a valid brand.yml")
        try:
            today = resolve_today(catalog.brand.tz)
        except TodayError as exc:
            raise PluginError(str(exc)) from None
        self.edition = Edition(catalog, today)
        set_edition(config, self.edition)
        apply_brand(config, catalog.brand)
        ensure_extensions(config)
        if config.nav is None:
            self.auto_nav = True
            config.nav = nav([(v.id, v.meta.title) for v in catalog.values])
        return config

    # on_files runs first (priority 100) so that unpublishable content is gone before
    # any other plugin (search, sitemap, feeds, blog) sees the file list.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        edition = self.edition
        if edition is None:
            return files
        refused = tuple(f"{path}/" for path in self.refused)  # a refused folder: all that is in it
        for file in [
            f
            for f in files
            if _owned_by_followhome(f) or f.src_uri in self.refused or f.src_uri.startswith(refused)
        ]:
            files.remove(file)
        options = SiteOptions(
            directory_urls=config.use_directory_urls,
            per_page=self.config.per_page,
            featured=self.config.featured,
            latest_updates=self.config.latest_updates,
            feeds=plugin_enabled(config, FEEDS_PLUGIN),
        )
        # Under `serve --dirty`, a page that is the same as in the last build, and shows the
        # same navigation, brand and theme, is not rebuilt. Only worth working out there.
        shared = (
            fingerprint(
                config.site_dir,
                json.dumps(config.nav, default=str),
                edition.catalog.brand.config.model_dump_json(),
                json.dumps([config.extra_css, config.theme.get("palette")], default=str),
                *sorted(f.src_uri for f in files.documentation_pages()),  # editors' pages join the nav
            )
            if self.dirty
            else None
        )
        keys = {}
        # MkDocs keeps a page a plugin made for a file; it makes the ones the nav names itself,
        # with the nav's titles.
        in_nav = _nav_paths(config.nav)
        for page in site_pages(edition, options):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = _GeneratedPageFile.generated(
                config, page.src_uri, content=page.markdown, inclusion=inclusion
            )
            assert isinstance(file, _GeneratedPageFile)
            if self.config.parallel and page.src_uri not in in_nav:
                PrerenderedPage(None, file, config)
            if shared is not None:
                keys[page.src_uri] = fingerprint(shared, page.expanded())
                file.unchanged = self.page_keys.get(page.src_uri) == keys[page.src_uri]
            files.append(file)
            if page.blocks or page.unindexed or page.sanitised or page.regions:
                self.pages[page.src_uri] = page
        self.page_keys = keys
        for path, notice in withdrawn_notices(edition, config.use_directory_urls):
            files.append(File.generated(config, path, content=notice))
        if self.config.social_cards:
            self.sharing = Sharing(edition, CardCache(cache_dir(config) / "cards"))
            self.sharing.start()
        files.append(File.generated(config, COMPONENTS_CSS, content=components_css()))
        if BRAND_CSS in config.extra_css:
            palette = edition.catalog.brand.config.image.palette
            files.append(File.generated(config, BRAND_CSS, content=brand_css(palette)))
        if self.auto_nav and config.nav is not None:
            # Editors' own pages (an "about" page, say) join the navigation before Subscribe.
            extra = sorted(
                f.src_uri
                for f in files.documentation_pages()
                if f.inclusion == InclusionLevel.UNDEFINED
                and not addresses.in_nav(f.src_uri)
                and not f.src_uri.startswith(tuple(f"{d}/" for d in COLLECTION_DIRS))
            )
            config.nav[-2:-2] = extra
        return files

    # Last (-100): the navigation and files are final when the workers start rendering.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.shared_nav = None
        if self.edition is not None and self.config.shared_nav:
            self.shared_nav = SharedNavigation(page.url for page in nav.pages)
        self.nav = nav
        if self.edition is not None and self.config.parallel:
            self.parallel_pages = [
                file.page
                for file in files.documentation_pages()
                if isinstance(file.page, PrerenderedPage) and (not self.dirty or file.is_modified())
            ]
            self.prerender = Prerender.start(self.parallel_pages, config, files, _clean)
            for page in self.parallel_pages:
                page.prerender = self.prerender
        return nav

    # Last (-100): the environment is final when the workers start filling templates.
    @event_priority(-100)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        self._stop_prerender()  # every page's Markdown is rendered
        if self.shared_nav is not None:
            self.shared_nav.install(env)
        if self.parallel_pages and self.nav is not None:
            # The pages MkDocs' build goes through (the drafts too under `serve`).
            inclusion = InclusionLevel.is_in_serve if self.command == "serve" else InclusionLevel.is_included
            doc_files = files.documentation_pages(inclusion=inclusion)
            # The workers fork inside start(), before self.templates is set: in them, this
            # plugin's on_page_context fills nothing in.
            self.templates = Templates.start(self.parallel_pages, config, self.nav, env, doc_files)
        return env

    # Last (-100), after every Markdown extension and plugin has produced the page's HTML.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.edition is None:
            return html
        if _untrusted_page(page.file.src_uri):
            # The editor's Markdown as rendered; the generated blocks are escaped as they are made.
            cleaned = self.prerender.clean_content(page, html) if self.prerender is not None else None
            html = clean_page_html(html) if cleaned is None else cleaned
        generated = self._generated(page)
        return html if generated is None else generated.fill(html)

    # After the search plugin indexed the page (see GeneratedPage.unindexed).
    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        generated = self._generated(page)
        if generated is not None and page.content is not None:
            page.content = generated.fill_unindexed(page.content)
        if self.templates is not None:
            self.templates.take(page, context)
        return context

    def _generated(self, page: Page) -> GeneratedPage | None:
        if self.edition is None or not page.file.generated_by:
            return None
        return self.pages.get(page.file.src_uri)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.edition is None:
            return output
        extra = self.sharing.head(page, config) if self.sharing else ""
        # Name Material's search dialog for assistive technology (axe: aria-dialog-name).
        output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG + ' aria-label="Search"', 1)
        return add_to_head(output, extra)

    def _finish(self, *, config: MkDocsConfig) -> None:
        self._stop_workers()
        self.collector.restore()
        if self.sharing is not None:
            try:
                self.sharing.finish(Path(config.site_dir))
            except WorkError as exc:
                raise PluginError(f"followhome: drawing the social cards failed: {exc}") from None

    # Last (-100): every followhome plugin has reported its problems by then.
    @event_priority(-100)
    def _fail_if_strict(self, *, config: MkDocsConfig) -> None:
        report_of(config).fail_if_strict(config, log)

    on_post_build = CombinedEvent(_finish, _fail_if_strict)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()
        self.collector.restore()
        if self.sharing is not None:
            self.sharing.stop()

    def _stop_workers(self) -> None:
        self._stop_prerender()
        self.nav, self.parallel_pages = None, []  # not kept alive between `serve` rebuilds
        if self.templates is not None:
            self.templates.stop()
            self.filled = self.templates.filled
            self.templates = None

    def _stop_prerender(self) -> None:
        if self.prerender is not None:
            self.prerender.stop()
            self.prerendered = self.prerender.applied
            self.prerender = None
