"""What followhome's plugins share during one build: the published edition.

It lives on the build's config object, which MkDocs creates anew for every build
(``mkdocs serve`` included), so nothing leaks from one build into the next and no
plugin calls another.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from followhome.publishing.edition import Edition

_ATTRIBUTE = "_followhome_edition"
CONTENT_PLUGIN = "followhome"


def set_edition(config: MkDocsConfig, edition: Edition | None) -> None:
    setattr(config, _ATTRIBUTE, edition)


def edition_of(config: MkDocsConfig, needed_by: str) -> Edition:
    """The edition the content plugin loaded; a clear error if it did not run first."""
    edition = getattr(config, _ATTRIBUTE, None)
    if not isinstance(edition, Edition):
        raise PluginError(
            f"The '{needed_by}' plugin needs the '{CONTENT_PLUGIN}' plugin: list it (enabled) "
            f"under `plugins:` in mkdocs.yml."
        )
    return edition


def plugin_enabled(config: MkDocsConfig, name: str) -> bool:
    plugin = config.plugins.get(name)
    return plugin is not None and bool(getattr(plugin, "config", {}).get("enabled", True))
