"""What followhome's plugins share during one build: the published edition.

It lives on the build's config object, which MkDocs creates anew for every build
(``mkdocs serve`` included), so nothing leaks from one build into the next and no
plugin calls another.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from followhome.mkdocs.config import DEFAULT_CACHE_DIR
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


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml: outbox_dir and cache_dir are relative to it."""
    config_file = config.config_file_path
    return Path(config_file).parent if config_file else Path.cwd()


def display_prefix(config: MkDocsConfig) -> str:
    """docs_dir as the editor sees it from the project root (``content``)."""
    return Path(os.path.relpath(config.docs_dir, project_root(config))).as_posix()


def cache_dir(config: MkDocsConfig) -> Path:
    """Where builds keep what they may reuse: the content plugin's ``cache_dir`` option, the one
    place it is set (cards, parsed front matter, tone scores)."""
    plugin = config.plugins.get(CONTENT_PLUGIN)
    folder = str(getattr(plugin, "config", {}).get("cache_dir", DEFAULT_CACHE_DIR))
    return project_root(config) / folder


def add_to_head(output: str, tags: str) -> str:
    """A page's HTML with ``tags`` at the end of its ``<head>`` (unchanged if it has none)."""
    head_end = output.find("</head>")
    return output if head_end < 0 or not tags else output[:head_end] + tags + output[head_end:]
