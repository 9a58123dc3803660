"""Apply the brand to MkDocs' configuration: URL, description, palette, logo, extensions."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from followhome.model.content import Brand
from followhome.pages.theme import BRAND_CSS, COMPONENTS_CSS, palette_config
from followhome.render.mdtext import theme_text

REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "tables")
EMOJI = "pymdownx.emoji"


def _material_dir() -> Path | None:
    try:
        import material
    except ImportError:  # pragma: no cover - material is a dependency
        return None
    return Path(material.__file__).parent


def icon_exists(icon: str) -> bool:
    """Whether Material ships the icon ``material/glass-wine`` (True if unknown theme)."""
    base = _material_dir()
    return base is None or (base / "templates" / ".icons" / f"{icon}.svg").is_file()


def apply_brand(config: MkDocsConfig, brand: Brand) -> None:
    """Fill what the brand decides, leaving anything set in mkdocs.yml as it is."""
    brand_config = brand.config
    if not config.site_url:
        config.site_url = brand.url
    if not config.site_description:
        # Material prints it unescaped (the description of pages without their own: 404).
        config.site_description = theme_text(brand_config.description or brand_config.promise)
    theme = config.theme
    if COMPONENTS_CSS not in config.extra_css:
        config.extra_css.append(COMPONENTS_CSS)
    if not theme.get("palette"):
        theme["palette"] = palette_config()
        config.extra_css.append(BRAND_CSS)
    logo = brand_config.image.logo
    if logo and not theme.get("logo"):
        theme["logo"] = logo
        if str(theme.get("favicon", "")).startswith("assets/images/"):
            theme["favicon"] = logo
    language_dir = (_material_dir() or Path()) / "templates" / "partials" / "languages"
    if (language_dir / f"{brand_config.language}.html").is_file():
        theme["language"] = brand_config.language


def ensure_extensions(config: MkDocsConfig) -> None:
    """Enable the Markdown extensions the generated pages use, if mkdocs.yml lacks them."""
    extensions = config.markdown_extensions
    for name in REQUIRED_EXTENSIONS:
        if name not in extensions:
            extensions.append(name)
    if EMOJI not in extensions:
        from material.extensions import emoji

        extensions.append(EMOJI)
        config.mdx_configs[EMOJI] = {
            "emoji_index": emoji.twemoji,
            "emoji_generator": emoji.to_svg,
        }
