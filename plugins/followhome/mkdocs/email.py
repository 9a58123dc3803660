"""The ``followhome-email`` MkDocs plugin: the outbox of email-ready files and social/SMS snippets.

The outbox is written next to the site, not inside it: a story consented for email but
not for the site must not become a public page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from followhome.email.compose import Composer, EmailSetupError
from followhome.email.lint import check_email
from followhome.email.outbox import MARKER, OutFile, outbox_files
from followhome.email.profiles import PROFILES
from followhome.items import ItemRenderer
from followhome.mkdocs.context import edition_of
from followhome.mkdocs.markdown import site_markdown

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


class EmailPlugin(BasePlugin[EmailConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.files: list[OutFile] = []
        self.outbox: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.files = []  # per-build state; the instance may survive `mkdocs serve` rebuilds
        root = Path(config.config_file_path or ".").parent
        outbox = (root / self.config.outbox_dir).resolve()
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
        if not self.config.enabled:
            return files
        composer, renderer = composer_for(config, self.config.esp)
        edition = composer.edition
        dropped: list[str] = []
        self.files = list(outbox_files(edition, renderer, composer, dropped))
        for reason in dropped:
            log.warning(
                f"{reason}; it was left out of the email. Fix: use a PNG, JPEG or GIF stored in content/"
            )
        if self.config.check:
            self._check(composer)
        return files

    def _check(self, composer: Composer) -> None:
        texts = {f.path: f.text for f in self.files}
        site_url = composer.edition.catalog.brand.url
        for path, text in texts.items():
            if not path.endswith(".html"):
                continue
            plain = texts[path.removesuffix(".html") + ".txt"]
            full = not path.endswith("fragment.html")
            for problem in check_email(
                text, plain, composer.profile, site_url, full=full, unsubscribe_url=composer.unsubscribe_url
            ):
                log.warning(f"{self.config.outbox_dir}/{path} breaks email {problem}")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.outbox is None:
            return
        outbox = self.outbox
        if outbox.exists():
            if not (outbox / MARKER).is_file() and any(outbox.iterdir()):
                raise PluginError(
                    f"{NAME}: '{outbox}' exists and was not made by followhome; choose another outbox_dir"
                )
            shutil.rmtree(outbox)
        outbox.mkdir(parents=True)
        (outbox / MARKER).write_text("Made by followhome-email; emptied on every build.\n", encoding="utf-8")
        for file in self.files:
            path = outbox / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.text, encoding="utf-8")
        log.info(f"wrote {len(self.files)} email and snippet files to {outbox}")
