"""Options of the ``followhome`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class FollowhomeConfig(base.Config):  # type: ignore[no-untyped-call]
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (for instance to preview plain pages)."""
    per_page = c.Type(int, default=20)
    """Entries per page on the story, update and value listings."""
    featured = c.Type(int, default=3)
    """Stories shown on the home page."""
    latest_updates = c.Type(int, default=3)
    """Updates shown on the home page."""
