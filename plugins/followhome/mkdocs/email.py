"""The ``followhome-email`` MkDocs plugin: the outbox of email-ready files and social/SMS snippets.

The outbox is written next to the site, not inside it: a story consented for email but
not for the site must not become a public page.
"""

from __future__ import annotations

import json
import os
import shutil
from functools import partial
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from followhome.cache import background
from followhome.cache.background import Background, WorkError
from followhome.cache.fingerprint import code_fingerprint, fingerprint
from followhome.email.compose import Composer, EmailSetupError
from followhome.email.folders import FolderJob, OutboxWorkerError, Results, compose_folders
from followhome.email.keys import images_fingerprint, source_fingerprint
from followhome.email.manifest import Entry, Manifest
from followhome.email.outbox import MARKER, Planned, planned_items
from followhome.email.profiles import PROFILES
from followhome.mkdocs.context import edition_of, project_root
from followhome.mkdocs.markdown import site_markdown
from followhome.mkdocs.report import report_of
from followhome.render.items import ItemRenderer

NAME = "followhome-email"
log = get_plugin_logger(NAME)
COLLECTIONS = ("stories", "updates")
PARALLEL_FROM = 64
"""Folders to compose from which a second process is worth starting."""
CHECK_PARALLEL_FROM = 512
"""Folders to reuse from which checking them against their checksums (~0.1 ms each) is worth
another process, as much as composing PARALLEL_FROM folders is."""


class EmailConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    outbox_dir = c.Type(str, default="outbox")
    """Where the files go, relative to mkdocs.yml; never inside the site or content."""
    esp = c.Optional(c.Choice(tuple(PROFILES)))
    """Email service profile; defaults to channels.email.service in brand.yml."""
    check = c.Type(bool, default=True)
    """Check every email against the email-client rules and warn on any breach."""
    parallel = c.Type(bool, default=True)
    """Compose many emails in a second process while MkDocs builds the pages (needs fork())."""


def composer_for(config: MkDocsConfig, esp: str | None) -> tuple[Composer, ItemRenderer]:
    """A composer and renderer for this build (shared with the digest command)."""
    edition = edition_of(config, NAME)
    email = edition.catalog.brand.config.channels.email
    name = esp or (email.service if email else "smtp")
    unsubscribe = str(email.unsubscribe_url) if email and email.unsubscribe_url else None
    try:
        composer = Composer(edition, PROFILES[name], Path(config.docs_dir), unsubscribe)
    except EmailSetupError as exc:
        raise PluginError(f"{NAME}: {exc}") from None
    renderer = ItemRenderer(edition, site_markdown(config), config.use_directory_urls)
    return composer, renderer


def _stable(value: object) -> str:
    """Functions in Markdown settings by name: their repr holds a memory address."""
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if name else type(value).__name__


def _markdown_key(config: MkDocsConfig) -> str:
    return json.dumps([config.markdown_extensions, config.mdx_configs], sort_keys=True, default=_stable)


def _folders(outbox: Path) -> set[str]:
    """The item folders in the outbox (one directory listing per collection, not a check per item)."""
    found: set[str] = set()
    for collection in COLLECTIONS:
        try:
            with os.scandir(outbox / collection) as entries:
                found.update(f"{collection}/{entry.name}" for entry in entries if entry.is_dir())
        except OSError:  # no such folder yet
            continue
    return found


class EmailPlugin(BasePlugin[EmailConfig]):  # type: ignore[no-untyped-call]
    """Keeps the outbox in step with the content: a folder is recomposed only when what it is
    made from changed (the item, the brand, the values, the settings or followhome itself)."""

    def __init__(self) -> None:
        self.outbox: Path | None = None
        self.manifest = Manifest()
        self.keys: dict[str, str] = {}
        """Fingerprint of every folder of this build."""
        self.composed = 0
        self.workers: list[Background[Results]] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # per-build state; the instance may survive `mkdocs serve` rebuilds
        self._stop_background()
        self.manifest = Manifest()
        self.keys = {}
        self.composed = 0
        outbox = (project_root(config) / self.config.outbox_dir).resolve()
        for name, folder in (("docs_dir", config.docs_dir), ("site_dir", config.site_dir)):
            inner = Path(folder).resolve()
            if outbox == inner or inner in outbox.parents or outbox in inner.parents:
                raise PluginError(
                    f"{NAME}: outbox_dir '{self.config.outbox_dir}' overlaps {name}; choose a folder beside them"
                )
        self.outbox = outbox
        return config

    # After the content plugin (100); the outbox does not change the site's files.
    @event_priority(70)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.outbox is None:
            return files
        if self.config.esp is None and edition_of(config, NAME).catalog.brand.config.channels.email is None:
            log.info(
                "brand.yml has no channels.email, so no emails are composed (the outbox is left as it is)"
            )
            self.outbox = None
            return files
        composer, renderer = composer_for(config, self.config.esp)
        edition = composer.edition
        brand = edition.catalog.brand
        settings = fingerprint(
            code_fingerprint(),
            brand.config.model_dump_json(),
            json.dumps([(v.id, v.meta.title) for v in edition.catalog.values]),
            composer.profile.name,
            composer.unsubscribe_url or "",
            _markdown_key(config),
            str(config.use_directory_urls),
            str(self.config.check),
            images_fingerprint(Path(config.docs_dir)),
        )
        previous = Manifest.load(self.outbox / MARKER)
        folders = _folders(self.outbox)
        todo: list[tuple[Planned, Entry | None]] = []  # to compose (None), or to reuse if whole
        reused: list[tuple[Planned, Entry | None]] = []
        for planned in planned_items(edition):
            key = fingerprint(
                settings,
                planned.folder,
                f"{planned.email}{planned.social}{renderer.has_page(planned.source)}",
                source_fingerprint(planned.source),
            )
            self.keys[planned.folder] = key
            entry = previous.entries.get(planned.folder)
            if entry is None or entry.key != key or planned.folder not in folders:
                todo.append((planned, None))
            else:
                reused.append((planned, entry))
                self.manifest.entries[planned.folder] = entry
        self._open_outbox(self.outbox)
        work = len(todo) + len(reused) * PARALLEL_FROM / CHECK_PARALLEL_FROM
        tasks = [*todo, *reused]
        split = background.shares(tasks, PARALLEL_FROM, work) if self.config.parallel else None
        shares = [tasks] if split is None else split
        jobs = [
            FolderJob(
                self.outbox, self.config.outbox_dir, tuple(share), renderer, composer, self.config.check
            )
            for share in shares
        ]
        if split is not None:
            # Check and compose while MkDocs builds the pages, in up to one process per core.
            self.workers = [Background(partial(compose_folders, job)) for job in jobs]
        else:
            try:
                self._record(compose_folders(jobs[0]), config)
            except OutboxWorkerError as exc:
                raise PluginError(f"{NAME}: {exc}") from None
        return files

    def _record(self, results: Results, config: MkDocsConfig) -> None:
        report = report_of(config)
        for folder, made in results.items():
            self.manifest.entries[folder] = Entry(self.keys[folder], made.warnings, made.files)
            self.composed += made.composed
            if made.damaged is not None:
                log.info(f"outbox folder {self.outbox}/{folder}: {made.damaged}; composed again")
            for warning in made.warnings:
                report.warning(log, warning)

    def _open_outbox(self, outbox: Path) -> None:
        """Make sure the outbox is ours, and forget the folders about to change first, so an
        interrupted build never leaves a folder the manifest vouches for with other files
        (the folders to reuse are checked against their checksums all the same)."""
        marker = outbox / MARKER
        if outbox.exists() and not marker.is_file() and any(outbox.iterdir()):
            raise PluginError(
                f"{NAME}: '{outbox}' exists and was not made by followhome; choose another outbox_dir"
            )
        outbox.mkdir(parents=True, exist_ok=True)
        self.manifest.save(marker)  # only the folders to reuse, so far

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.outbox is None:
            return
        running, self.workers = self.workers, []
        for worker in running:
            try:
                self._record(worker.result(), config)
            except WorkError as exc:
                for other in running:
                    other.stop()
                raise PluginError(f"{NAME}: composing the outbox failed: {exc}") from None
        self._remove_stale(self.outbox)
        self.manifest.save(self.outbox / MARKER)
        log.info(
            f"outbox {self.outbox}: {self.composed} folders written, "
            f"{len(self.manifest.entries) - self.composed} unchanged"
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_background()

    def _stop_background(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def _remove_stale(self, outbox: Path) -> None:
        """Everything this build did not make: withdrawn stories, old digests, stray files."""
        for top in outbox.iterdir():
            if top.name == MARKER:
                continue
            if top.name not in COLLECTIONS or not top.is_dir():
                shutil.rmtree(top) if top.is_dir() else top.unlink()
                continue
            for child in top.iterdir():
                if f"{top.name}/{child.name}" not in self.manifest.entries:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
