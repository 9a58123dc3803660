"""Options of the ``followhome`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

DEFAULT_CACHE_DIR = ".cache/followhome"
"""Every cache of every followhome plugin (cards, parsed front matter, tone scores)."""


class FollowhomeConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (for instance to preview plain pages)."""
    per_page = c.Type(int, default=20)
    """Entries per page on the story, update and value listings."""
    featured = c.Type(int, default=3)
    """Stories shown on the home page."""
    latest_updates = c.Type(int, default=3)
    """Updates shown on the home page."""
    social_cards = c.Type(bool, default=True)
    """Draw a 1200x630 card per value and story for Open Graph and Twitter previews."""
    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    """Where drawn cards and parsed front matter are kept between builds, relative to mkdocs.yml."""
    shared_nav = c.Type(bool, default=True)
    """Render the theme's navigation once for all pages outside it (stories, updates, listing
    pages after the first) instead of once per page; the pages come out the same."""
    parallel = c.Type(bool, default=True)
    """Render the Markdown of the generated pages and fill their templates on every usable core
    where that is known to give the same site (Linux, ``mkdocs build``, every Markdown extension
    and plugin on the tested lists, a large site: see ``mkdocs/speed/decision.py``); false: never.
    Each build logs one INFO line saying which mode ran and why."""
