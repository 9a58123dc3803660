"""Site-specific glue: the footer line every page shows.

A business that forks this template edits the wording here. Stateless: MkDocs does
not reload hook modules under `mkdocs serve`, so nothing is kept between builds.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.copyright:
        base = config.site_url or "/"
        if not base.endswith("/"):
            base += "/"
        config.copyright = (
            f"© {config.site_name} · "
            f'<a href="{base}how-we-choose-stories/">How we collect and choose stories</a> · '
            f'<a href="{base}subscribe/">Follow us home</a>'
        )
    return config
