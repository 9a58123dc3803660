"""Make an item's HTML fit for email: sized raster images, tagged links, short lines."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html
from PIL import Image, UnidentifiedImageError

from followhome.email.links import with_utm

CONTENT_WIDTH = 536
"""600 px container less 2 x 32 px padding."""
RASTER = {"PNG", "JPEG", "GIF"}
WRAP = 76


@dataclass
class Prepared:
    html: str
    dropped: list[str] = field(default_factory=list)
    """Why images were left out (no local file, not PNG/JPEG/GIF…)."""


def _local_file(src: str, site_url: str, content_dir: Path) -> Path | None:
    if not src.startswith(site_url):
        return None
    relative = unquote(urlsplit(src).path)[len(urlsplit(site_url).path) :]
    path = (content_dir / relative).resolve()
    return path if path.is_file() and content_dir.resolve() in path.parents else None


def _size(path: Path) -> tuple[str, int, int] | None:
    try:
        with Image.open(path) as image:
            return str(image.format), image.width, image.height
    except (UnidentifiedImageError, OSError):
        return None


def _fit_image(img: html.HtmlElement, site_url: str, content_dir: Path) -> str | None:
    """Set width/height from the local file; return why the image must go, if it must."""
    src = img.get("src", "")
    path = _local_file(src, site_url, content_dir)
    if path is None:
        return f"{src}: not a file of this site, so its size cannot be read without the network"
    found = _size(path)
    if found is None or found[0] not in RASTER:
        return f"{src}: email clients need PNG, JPEG or GIF"
    _, width, height = found
    if width > CONTENT_WIDTH:
        height = round(height * CONTENT_WIDTH / width)
        width = CONTENT_WIDTH
    img.set("width", str(width))
    img.set("height", str(height))
    img.set("alt", img.get("alt", ""))
    return None


def _wrap(root: html.HtmlElement) -> None:
    """Break long text runs at spaces so no line nears SMTP's 998-octet limit."""
    for element in root.iter():
        if element.tag == "pre":
            continue
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if value and len(value) > WRAP * 2:
                lead = " " if value[0].isspace() else ""
                tail = " " if value[-1].isspace() else ""
                filled = textwrap.fill(
                    " ".join(value.split()), WRAP, break_long_words=False, break_on_hyphens=False
                )
                setattr(element, attribute, lead + filled + tail)


def prepare(fragment: str, site_url: str, content_dir: Path, campaign: str) -> Prepared:
    root = html.fragment_fromstring(fragment, create_parent="div")
    prepared = Prepared("")
    for img in list(root.iter("img")):
        reason = _fit_image(img, site_url, content_dir)
        if reason:
            prepared.dropped.append(reason)
            img.drop_tree()
    for anchor in list(root.iter("a")):
        href = anchor.get("href")
        if href:
            anchor.set("href", with_utm(href, site_url, campaign))
        else:
            anchor.drop_tag()  # a link whose unsafe target was sanitised away: keep its words
    _wrap(root)
    parts = [root.text or ""] + [html.tostring(child, encoding="unicode") for child in root]
    prepared.html = "".join(parts)
    return prepared
