"""RSS 2.0 with content:encoded, dc:creator, atom:link rel=self (and rel=hub with a WebSub hub).

RSS never said which elements hold HTML; readers render an item's ``description`` as HTML,
so the summary (plain text) goes in escaped as HTML. Every other element is plain text,
written with the hexadecimal references the RSS Best Practices Profile recommends
(``&#x3C;``, ``&#x26;``), which readers that guess at HTML take for text.
"""

from __future__ import annotations

import html
from email.utils import format_datetime

from lxml import etree

from followhome.feeds.model import Feed
from followhome.render.feed_formats import MEDIA_TYPES

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


def _text(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib)
    element.text = text
    return element


def render_rss(feed: Feed) -> str:
    rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "dc": DC, "content": CONTENT})
    channel = etree.SubElement(rss, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.home_url)
    _text(channel, "description", html.escape(feed.description, quote=False))  # readers render it as HTML
    _text(channel, "language", feed.language)
    _text(channel, "lastBuildDate", format_datetime(feed.updated))
    _text(channel, "docs", "https://www.rssboard.org/rss-specification")
    _text(channel, "generator", "followhome")
    etree.SubElement(channel, f"{{{ATOM}}}link", href=feed.url("rss"), rel="self", type=MEDIA_TYPES["rss"])
    if feed.hub:  # WebSub discovery: the hub beside the topic (rel="self")
        etree.SubElement(channel, f"{{{ATOM}}}link", href=feed.hub, rel="hub")
    etree.SubElement(channel, f"{{{ATOM}}}link", href=feed.policy_url, rel="related", type="text/html")
    for item in feed.items:
        node = etree.SubElement(channel, "item")
        _text(node, "title", item.title)
        if item.url:
            _text(node, "link", item.url)
        _text(node, "guid", item.id, isPermaLink="false")
        _text(node, "pubDate", format_datetime(item.published))
        _text(node, f"{{{DC}}}creator", item.author)
        for category in item.categories:
            _text(node, "category", category)
        _text(node, "description", html.escape(item.summary, quote=False))
        _text(node, f"{{{CONTENT}}}encoded", item.content_html)
    text: str = etree.tostring(rss, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    return _hex_references(text)


_REFERENCES = {"&amp;": "&#x26;", "&lt;": "&#x3C;", "&gt;": "&#x3E;"}


def _hex_references(xml: str) -> str:
    """The same XML, with lxml's ``&amp;``, ``&lt;`` and ``&gt;`` as hexadecimal references
    (markup never holds them: they only stand for characters of text and attribute values)."""
    for entity, reference in _REFERENCES.items():
        xml = xml.replace(entity, reference)
    return xml
