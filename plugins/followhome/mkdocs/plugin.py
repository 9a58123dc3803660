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
from followhome.mkdocs.config import FollowhomeConfig
from followhome.mkdocs.context import add_to_head, cache_dir, display_prefix, plugin_enabled, set_edition
from followhome.mkdocs.report import report_of
from followhome.mkdocs.sharing import Sharing
from followhome.mkdocs.speed import SpeedPath
from followhome.mkdocs.speed.navcache import SharedNavigation
from followhome.mkdocs.theme import apply_brand, ensure_extensions, icon_exists
from followhome.model import addresses
from followhome.model.loader import BRAND_FILE, COLLECTION_DIRS, HOME_FILE, load_content
from followhome.pages.cards import CardCache
from followhome.pages.generate import GeneratedPage, SiteOptions, site_pages
from followhome.pages.nav import nav
from followhome.pages.notice import withdrawn_notice
from followhome.pages.qrcode import qr_svg
from followhome.pages.theme import BRAND_CSS, COMPONENTS_CSS, brand_css, components_css
from followhome.publishing.edition import Edition
from followhome.publishing.today import TodayError, resolve_today

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
        """Generated pages with HTML blocks to fill in (or to sanitise), by source path."""
        self.command = "build"
        self.speed: SpeedPath | None = None
        """The last build's speed path (mkdocs/speed/): other processes, where safe."""
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
        if self.speed is not None:
            self.speed.stop()  # and pages rendering
        self.speed = SpeedPath(self.config, self.command, self.dirty)
        self.edition = None
        self.auto_nav = False
        self.sharing = None
        self.pages = {}
        set_edition(config, None)
        if not self.config.enabled:
            return config
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
        generated = []
        for page in site_pages(edition, options):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = _GeneratedPageFile.generated(
                config, page.src_uri, content=page.markdown, inclusion=inclusion
            )
            assert isinstance(file, _GeneratedPageFile)
            if shared is not None:
                keys[page.src_uri] = fingerprint(shared, page.expanded())
                file.unchanged = self.page_keys.get(page.src_uri) == keys[page.src_uri]
            files.append(file)
            generated.append(file)
            if page.blocks or page.unindexed or page.sanitised or page.regions:
                self.pages[page.src_uri] = page
        self.page_keys = keys
        self._speed.on_files(config, generated, self.pages)
        for path, notice in withdrawn_notices(edition, config.use_directory_urls):
            files.append(File.generated(config, path, content=notice))
        if self.config.social_cards:
            self.sharing = Sharing(edition, CardCache(cache_dir(config) / "cards"))
            self.sharing.start()
        if edition.catalog.brand.config.channels.intake is not None:
            share_url = edition.catalog.brand.url + addresses.url(addresses.SHARE, config.use_directory_urls)
            files.append(File.generated(config, addresses.SHARE_QR, content=qr_svg(share_url)))
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
        self._speed.on_nav(nav, config, files)
        return nav

    # Last (-100): the environment is final when the workers start filling templates.
    @event_priority(-100)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        self._speed.on_env(env, config, files)
        return env

    # Last (-100), after every Markdown extension and plugin has produced the page's HTML:
    # sanitises what the core marked (GeneratedPage.sanitised, .regions) and fills the blocks.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        generated = self._generated(page)
        return html if generated is None else self._speed.fill(page, html, generated)

    # After the search plugin indexed the page (see GeneratedPage.unindexed).
    @event_priority(-100)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        generated = self._generated(page)
        if generated is not None and page.content is not None:
            page.content = generated.fill_unindexed(page.content)
        self._speed.on_page_context(page, context)
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
        self._speed.stop()
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
        if self.speed is not None:
            self.speed.stop()
        if self.sharing is not None:
            self.sharing.stop()

    @property
    def _speed(self) -> SpeedPath:
        assert self.speed is not None, "made in on_config"
        return self.speed

    @property
    def prerendered(self) -> int:
        """Pages of the last build whose Markdown another process rendered."""
        return self.speed.prerendered if self.speed is not None else 0

    @property
    def filled(self) -> int:
        """Pages of the last build whose template another process filled."""
        return self.speed.filled if self.speed is not None else 0

    @property
    def shared_nav(self) -> SharedNavigation | None:
        """The navigation partials the last build rendered once per folder, if it did."""
        return self.speed.shared_nav if self.speed is not None else None
