"""Atom 1.0 (RFC 4287)."""

from __future__ import annotations

from lxml import etree

from followhome.feeds.model import Feed
from followhome.render.feed_formats import MEDIA_TYPES

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


def render_atom(feed: Feed) -> str:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set(XML_LANG, feed.language)
    _el(root, "id", feed.tag)
    _el(root, "title", feed.title)
    _el(root, "subtitle", feed.description)
    _el(root, "updated", feed.updated.isoformat())
    _el(root, "link", rel="alternate", type="text/html", href=feed.home_url)
    _el(root, "link", rel="self", type=MEDIA_TYPES["atom"], href=feed.url("atom"))
    if feed.hub:  # WebSub discovery: the hub beside the topic (rel="self")
        _el(root, "link", rel="hub", href=feed.hub)
    _el(
        root,
        "link",
        rel="related",
        type="text/html",
        href=feed.policy_url,
        title="How we collect and choose stories",
    )
    author = _el(root, "author")
    _el(author, "name", feed.author)
    _el(root, "generator", "followhome")
    for item in feed.items:
        entry = _el(root, "entry")
        _el(entry, "id", item.tag)
        _el(entry, "title", item.title, type="text")
        _el(entry, "updated", item.modified.isoformat())
        _el(entry, "published", item.published.isoformat())
        if item.url:
            _el(entry, "link", rel="alternate", type="text/html", href=item.url)
        entry_author = _el(entry, "author")
        _el(entry_author, "name", item.author)
        for category in item.categories:
            _el(entry, "category", term=category)
        _el(entry, "summary", item.summary, type="text")
        _el(entry, "content", item.content_html, type="html")
    text: str = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode(
        "utf-8"
    )
    return text
