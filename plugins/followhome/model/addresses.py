"""Where each generated page lives (source paths, as if they were in ``content/``), and its URL.

A story's or update's file name is its web address, so addresses are part of the content
model: the loader refuses names that cannot be one, and every output links by them."""

from __future__ import annotations

import posixpath
import re

HOME = "index.md"
VALUES = "values/index.md"
STORIES = "stories/index.md"
UPDATES = "updates/index.md"
SUBSCRIBE = "subscribe.md"
POLICY = "how-we-choose-stories.md"
POLICY_TITLE = "How we collect and choose stories"
SHARE = "share-your-story/index.md"
SHARE_THANKS = "share-your-story/thanks.md"
SHARE_QR = "share-your-story/qr.svg"
WITHDRAW = "withdraw.md"
"""The share-your-story form, its thank-you page and QR code, and the withdrawal form
(generated only with ``channels.intake`` in brand.yml)."""


_FEED_FILE = re.compile(
    r"(?:feed\.xml|atom\.xml|feed\.json|(?:stories|updates|value-.+)(?:\.atom\.xml|\.xml|\.json))"
)
"""Every feed sits at the site root (see followhome.render.feed_formats, whose names a test holds to this)."""


def generated_at_root(name: str) -> str | None:
    """What followhome generates at ``name`` in the site's root ("page", "feed"), if anything;
    ``stories.md`` would be the address of the stories listing."""
    if name in (SUBSCRIBE, POLICY, WITHDRAW) or name in {
        f"{p.split('/')[0]}.md" for p in (VALUES, STORIES, UPDATES, SHARE)
    }:
        return "page"
    if name == SHARE.split("/")[0]:  # the share page's folder, with its QR code and thank-you page
        return "page"
    return "feed" if _FEED_FILE.fullmatch(name) else None


def value(value_id: str) -> str:
    return f"values/{value_id}.md"


def story(slug: str) -> str:
    return f"stories/{slug}.md"


def update(slug: str) -> str:
    return f"updates/{slug}.md"


def page_n(first: str, number: int) -> str:
    """Source path of page ``number`` of a paginated listing whose first page is ``first``.

    ``stories/index.md`` -> ``stories/page/2.md``;
    ``values/local.md`` -> ``values/local/page/2.md``.
    """
    if number == 1:
        return first
    folder = posixpath.dirname(first) if first.endswith("/index.md") else first.removesuffix(".md")
    return f"{folder}/page/{number}.md"


def url(src_uri: str, directory_urls: bool = True) -> str:
    """Site-relative URL of a page, as MkDocs makes it (``stories/a.md`` -> ``stories/a/``)."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def link(from_src: str, to_src: str) -> str:
    """Relative Markdown link between two source paths (MkDocs validates and rewrites it)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def href(from_src: str, to: str, directory_urls: bool = True) -> str:
    """Relative URL from page ``from_src`` to a page (``.md`` source path) or a file of the site.

    For the HTML blocks of generated pages, which MkDocs passes through as they are; the
    result is what MkDocs makes of :func:`link` in Markdown. (Called for every card of every
    listing page, so it splits paths instead of calling posixpath.relpath.)
    """
    here = url(from_src, directory_urls)
    folder = here if here.endswith("/") else posixpath.dirname(here)
    steps = [part for part in folder.split("/") if part]
    target = (url(to, directory_urls) if to.endswith(".md") else to).split("/")
    common = 0
    while common < len(steps) and common < len(target) - 1 and steps[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(steps) - common) + target[common:]) or "./"


def in_nav(src_uri: str) -> bool:
    """Top-level pages and each value's first page; never stories, updates or page N."""
    if src_uri in {HOME, VALUES, STORIES, UPDATES, SUBSCRIBE, POLICY}:
        return True
    return src_uri.startswith("values/") and src_uri.count("/") == 1
