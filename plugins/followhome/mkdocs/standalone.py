"""Load a site's configuration and edition outside a build (for commands like ``digest``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from followhome.mkdocs.context import display_prefix
from followhome.mkdocs.markdown import site_markdown
from followhome.mkdocs.theme import ensure_extensions
from followhome.model.loader import load_content
from followhome.model.problems import ContentError
from followhome.publishing.edition import Edition
from followhome.publishing.today import resolve_today
from followhome.render.items import Render


@dataclass(frozen=True)
class Standalone:
    config: MkDocsConfig
    edition: Edition

    def markdown(self) -> Render:
        return site_markdown(self.config)


def load_site(config_file: Path) -> Standalone:
    """Config with the extensions generated pages need, and today's edition.

    Raises :class:`ContentError` listing every content problem, and ``ConfigurationError``
    for a broken mkdocs.yml.
    """
    if not config_file.is_file():
        raise ConfigurationError(f"'{config_file}' not found; run from the project root or pass --config")
    config = load_config(config_file=str(config_file))
    ensure_extensions(config)
    result = load_content(Path(config.docs_dir), display_prefix(config))
    if result.problems:
        raise ContentError(list(result.problems))
    catalog = result.require()
    return Standalone(config, Edition(catalog, resolve_today(catalog.brand.tz)))
