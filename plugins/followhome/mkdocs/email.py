"""The ``followhome-email`` MkDocs plugin: the outbox of email-ready files and social/SMS snippets.

The outbox is written next to the site, not inside it: a story consented for email but
not for the site must not become a public page.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from followhome.email.compose import Composer, EmailSetupError
from followhome.email.profiles import PROFILES
from followhome.email.sync import OutboxError, OutboxSync, check_place
from followhome.mkdocs.context import edition_of, project_root
from followhome.mkdocs.markdown import site_markdown
from followhome.mkdocs.report import report_of
from followhome.render.items import ItemRenderer

NAME = "followhome-email"
log = get_plugin_logger(NAME)


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


class EmailPlugin(BasePlugin[EmailConfig]):  # type: ignore[no-untyped-call]
    """Keeps the outbox in step with the content (see :mod:`followhome.email.sync`)."""

    def __init__(self) -> None:
        self.outbox: Path | None = None
        self.sync: OutboxSync | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # per-build state; the instance may survive `mkdocs serve` rebuilds
        self._stop_background()
        outbox = (project_root(config) / self.config.outbox_dir).resolve()
        folders = {"docs_dir": Path(config.docs_dir), "site_dir": Path(config.site_dir)}
        try:
            check_place(outbox, self.config.outbox_dir, folders)
        except OutboxError as exc:
            raise PluginError(f"{NAME}: {exc}") from None
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
        settings = (_markdown_key(config), str(config.use_directory_urls))
        self.sync = OutboxSync(
            self.outbox,
            self.config.outbox_dir,
            composer,
            renderer,
            settings,
            self.config.check,
            self.config.parallel,
        )
        try:
            self.sync.start()
        except OutboxError as exc:
            raise PluginError(f"{NAME}: {exc}") from None
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        sync, self.sync = self.sync, None
        if not self.config.enabled or sync is None:
            return
        report = report_of(config)
        try:
            for folder, entry, damaged in sync.results():
                if damaged is not None:
                    log.info(f"outbox folder {sync.outbox}/{folder}: {damaged}; composed again")
                for warning in entry.warnings:
                    report.warning(log, warning)
        except OutboxError as exc:
            raise PluginError(f"{NAME}: {exc}") from None
        sync.finish()
        window = sync.composer.edition.catalog.brand.config.channels.delivery.window_days
        asked = sum(1 for p in sync.planned if p.source.id in sync.manifest.requested)
        log.info(
            f"outbox {sync.outbox} holds {len(sync.planned) - asked} items new within {window} days "
            f"(channels.delivery.window_days) and {asked} asked for with `followhome email`; "
            "older items on demand: `followhome email ID`"
        )
        log.info(
            f"outbox {sync.outbox}: {sync.composed} folders written, "
            f"{len(sync.manifest.entries) - sync.composed} unchanged"
        )

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_background()

    def _stop_background(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.sync = None
