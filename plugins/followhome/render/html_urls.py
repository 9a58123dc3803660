"""Make every link and image in an HTML fragment absolute, and find any that are not.

Feeds and email are read away from the site, so ``href``/``src``/``srcset`` must all be
absolute. Links to Markdown sources (``../values/x.md``) become the pages' URLs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import urljoin

from lxml import html

from followhome.model import addresses

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ALLOWED = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src")


def _split(value: str) -> tuple[str, str]:
    """``path?query#fragment`` -> (path, ``?query#fragment``)."""
    cut = min((i for i in (value.find("?"), value.find("#")) if i >= 0), default=len(value))
    return value[:cut], value[cut:]


def absolute_url(value: str, src_uri: str, site_url: str, page_url: str | None, directory_urls: bool) -> str:
    """Resolve one URL written in the page whose source is ``src_uri``."""
    value = value.strip()
    if not value:
        return page_url or site_url
    if value.startswith("#"):
        return (page_url or site_url) + value
    if value.startswith("//"):
        return "https:" + value
    if _SCHEME.match(value):
        return value
    path, rest = _split(value)
    if path.startswith("/"):
        target = path.lstrip("/")  # MkDocs: absolute links are relative to docs_dir
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
    else:
        return (page_url or site_url) + rest
    if target.endswith(".md"):
        target = addresses.url(target, directory_urls)
    elif path.endswith("/") and not target.endswith("/"):
        target += "/"
    if target == ".":
        target = ""
    return urljoin(site_url, target) + rest


def _srcset(value: str, fix: Callable[[str], str]) -> str:
    parts = []
    for candidate in value.split(","):
        bits = candidate.strip().split()
        if bits:
            bits[0] = fix(bits[0])
            parts.append(" ".join(bits))
    return ", ".join(parts)


def _fragment(text: str) -> html.HtmlElement:
    return html.fragment_fromstring(text, create_parent="div")


def _serialize(root: html.HtmlElement) -> str:
    inner = [root.text or ""]
    inner += [html.tostring(child, encoding="unicode") for child in root]
    return "".join(inner)


def absolutize(
    fragment: str, src_uri: str, site_url: str, page_url: str | None, directory_urls: bool = True
) -> str:
    """Rewrite every URL of ``fragment`` as absolute; drop heading permalink anchors."""
    root = _fragment(fragment)
    for anchor in root.find_class("headerlink"):
        anchor.drop_tree()

    def fix(value: str) -> str:
        return absolute_url(value, src_uri, site_url, page_url, directory_urls)

    for element in root.iter():
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is not None:
                element.set(attribute, fix(value))
        srcset = element.get("srcset")
        if srcset is not None:
            element.set("srcset", _srcset(srcset, fix))
    return _serialize(root)


def non_absolute_urls(fragment: str) -> list[str]:
    """Every URL in ``fragment`` that is not absolute http(s), mailto or tel."""
    found = []
    for element in _fragment(fragment).iter():
        values = [element.get(a) for a in URL_ATTRIBUTES]
        srcset = element.get("srcset")
        if srcset:
            values += [c.strip().split()[0] for c in srcset.split(",") if c.strip()]
        found += [v for v in values if v is not None and not _ALLOWED.match(v.strip())]
    return found
