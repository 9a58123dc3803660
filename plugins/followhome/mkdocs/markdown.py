"""The site's own Markdown pipeline, for outputs rendered outside MkDocs' page loop."""

from __future__ import annotations

import markdown
from mkdocs.config.defaults import MkDocsConfig

from followhome.render.items import Render


def site_markdown(config: MkDocsConfig) -> Render:
    """Markdown -> HTML with the extensions and settings of mkdocs.yml."""
    converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def render(text: str) -> str:
        rendered: str = converter.reset().convert(text)
        return rendered

    return render
