"""Render the theme's navigation once for all the pages outside it.

Material renders the whole site navigation (sidebar and tabs) into every page. On a
page that is not in the navigation (a story, an update, page 7 of a listing) no item is
active, so the result differs between such pages only by their relative links: pages
in the same folder get the same HTML. This renders those partials once per folder and
reuses the text; pages in the navigation are rendered as usual. A test builds the demo
with and without it and compares every page byte for byte.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, DictLoader, Environment, PrefixLoader
from markupsafe import Markup

PARTIALS = ("partials/nav.html", "partials/tabs.html")
ORIGINAL = "followhome-original"
_WRAPPER = """{%- set fh_key = followhome_shared_key(page, "NAME") -%}
{%- if fh_key and followhome_shared_has(fh_key) -%}{{ followhome_shared_get(fh_key) }}
{%- else -%}{%- set fh_html -%}{% include "ORIGINAL/NAME" %}{%- endset -%}
{{- followhome_shared_put(fh_key, fh_html) -}}{%- endif -%}"""


class SharedNavigation:
    """The navigation partials, rendered once per folder for pages outside the navigation."""

    def __init__(self, nav_urls: Iterable[str]) -> None:
        self.nav_urls = {url for url in nav_urls if url}
        self.rendered: dict[str, Markup] = {}

    def install(self, env: Environment) -> None:
        original = env.loader
        assert original is not None
        wrappers = {name: _WRAPPER.replace("NAME", name).replace("ORIGINAL", ORIGINAL) for name in PARTIALS}
        loaders: list[BaseLoader] = [DictLoader(wrappers), PrefixLoader({ORIGINAL: original}), original]
        env.loader = ChoiceLoader(loaders)
        env.globals.update(
            followhome_shared_key=self.key,
            followhome_shared_has=self.rendered.__contains__,
            followhome_shared_get=self.rendered.__getitem__,
            followhome_shared_put=self.put,
        )

    def key(self, page: Any, name: str) -> str | None:
        """What the partial's HTML depends on for ``page``, or None to render it as usual."""
        if page is None or getattr(page, "is_page", False) is not True or self._in_nav(page):
            return None
        url: str = page.url
        folder = url if url.endswith("/") else posixpath.dirname(url) + "/" if "/" in url else ""
        if not folder:
            return None
        # Relative links from `folder` to a navigation page outside it depend only on the
        # folder's parent and depth; a navigation page inside it would depend on the folder.
        inside = any(target.startswith(folder) for target in self.nav_urls)
        shared = folder if inside else posixpath.dirname(folder.rstrip("/"))
        return f"{name}|{shared}|{folder.count('/')}"

    def _in_nav(self, page: Any) -> bool:
        return bool(page.url in self.nav_urls or page.is_homepage or page.parent is not None)

    def put(self, key: str | None, html: str) -> Markup:
        markup = Markup(html)
        if key:
            self.rendered[key] = markup
        return markup
