"""Editors' and customers' plain text shows literally: no live markup, nothing lost."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree, html

from followhome.email.inert import BREAK, inert
from followhome.email.profiles import MERGE_TAG
from followhome.feeds.model import Feed
from followhome.feeds.rss import render_rss
from followhome.model.text import strip_control
from followhome.render.items import RenderedItem
from followhome.render.mdtext import attr, inline, paragraphs, text_html, theme_text
from tests.conftest import Project
from tests.helpers import minimal_project, story

HOSTILE = [
    "Fish & chips <b>bold</b>",
    "<script>alert('x')</script> and more",
    "*not emphasis* and _not either_ and `not code`",
    "[a link](javascript:alert(1)) ![img](x.png)",
    '{: onclick="alert(1)" } attr list',
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "Back\\slash and ]]> and \"quotes\" and 'single'",
    "Emoji 🍷 and right-to-left שלום עליכם",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_renders_literally(text: str) -> None:
    import markdown

    rendered = markdown.markdown(inline(text), extensions=["attr_list", "md_in_html"])
    tree = html.fragment_fromstring(rendered, create_parent="div")
    assert tree.text_content() == text
    assert [el.tag for el in tree.iter()] == ["div", "p"]
    assert not any(name.startswith("on") for el in tree.iter() for name in el.attrib)


def test_paragraphs_keep_blank_line_breaks() -> None:
    assert paragraphs("one\nline\n\n\ntwo") == "one line\n\ntwo"


def test_hostile_story_builds_with_text_intact_and_no_live_markup(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    quote = "I said <script>alert(1)</script> & *meant* it {: onclick=alert(2) }"
    name = "Zoë <img src=x onerror=alert(3)> O'Brien"
    project.write(
        "stories/hostile.md",
        story(name=f'"{name}"', quote=f'"{quote}"', title='"Fish & <i>chips</i> *again*"'),
    )
    project.build()
    page = (project.site / "stories" / "hostile" / "index.html").read_text(encoding="utf-8")
    tree = html.fromstring(page)
    article = tree.cssselect("article")[0]
    assert not article.cssselect("script, img, i")
    assert not any(name.startswith("on") for el in article.iter() for name in el.attrib)
    assert " ".join(article.cssselect("blockquote")[0].text_content().split()) == quote
    caption = article.cssselect("figcaption")[0].text_content()
    assert name in caption
    h1 = article.cssselect("h1")[0]
    assert h1.text_content().rstrip("¶") == "Fish & <i>chips</i> *again*"
    assert tree.findtext(".//title") == "Fish & <i>chips</i> *again* - Test Shop"
    assert not tree.cssselect("head i")
    code = [s for s in tree.iter("script") if s.get("type") != "application/ld+json"]
    assert all("alert" not in (script.text or "") for script in code)
    for data in tree.cssselect('script[type="application/ld+json"]'):
        assert "<" not in (data.text or "")  # customer text is data here, and cannot close the element
        json.loads(data.text or "")
    description = tree.cssselect('meta[name="description"]')[0].get("content")
    assert description == "Ask, and you will be told the truth."


def test_quotes_in_a_description_cannot_break_out_of_the_attribute(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    takeaway = 'He said "<b onmouseover=alert(1)>" & left'
    project.write(
        "stories/q.md",
        story().replace("takeaway: Ask, and you will be told the truth.", f"takeaway: '{takeaway}'"),
    )
    project.build()
    tree = html.fromstring((project.site / "stories" / "q" / "index.html").read_text(encoding="utf-8"))
    assert tree.cssselect('meta[name="description"]')[0].get("content") == takeaway
    assert not tree.cssselect("b")


@pytest.mark.parametrize(
    ("title", "anchor"),
    [("Fish & <i>chips</i>", "fish-ichipsi"), ("!!!", "title"), ('"Quoted" title', "quoted-title")],
)
def test_a_page_heading_shows_its_title_literally_with_a_usable_id(title: str, anchor: str) -> None:
    from followhome.pages.generate import _title

    heading = html.fragment_fromstring(_title(title))
    assert heading.tag == "h1" and heading.text_content() == title
    assert heading.get("id") == anchor


@pytest.mark.parametrize("escape", [inline, text_html, attr, theme_text, strip_control])
def test_directional_overrides_cannot_reorder_the_text_around(escape: Callable[[str], str]) -> None:
    """An override (U+202E) or an isolate left open in a name would reorder what follows it
    on the line (``- Shop`` in ``<title>``, the rest of a caption); right-to-left words and
    the marks (U+200F) need none of them and stay."""
    text = "Zoë \u202eevil\u202c \u2067x \u200fשלום"
    assert escape(text) == escape("Zoë evil x \u200fשלום")
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", escape(text))


def _feed(summary: str) -> Feed:
    when = datetime(2026, 9, 1, tzinfo=UTC)
    item = RenderedItem(
        "u-0000bbbb",
        "tag:shop.example,2000:u-0000bbbb",
        "New <i>shelf</i> & more",
        "https://shop.example/updates/new-shelf/",
        when,
        None,
        "Test Shop",
        summary,
        "<p>Body</p>",
        ("Honest <advice>",),
        "news",
    )
    url = "https://shop.example/"
    return Feed(
        "updates",
        "Test & <Shop>",
        "News <b>now</b>",
        url,
        url,
        "en",
        "Test Shop",
        "tag:x",
        (item,),
        when,
        url,
    )


def test_rss_description_is_the_summary_as_escaped_html() -> None:
    """Readers render an RSS description (the channel's and each item's) as HTML: markup in a
    summary (plain text) shows as text there; the other elements are plain text and read back
    as written."""
    summary = 'Sale <b onmouseover="alert(1)">today</b> & <script>alert(2)</script>'
    text = render_rss(_feed(summary))
    root = etree.fromstring(text.encode("utf-8"))
    description = html.fragment_fromstring(
        root.findtext("channel/item/description") or "", create_parent="div"
    )
    assert [el.tag for el in description.iter()] == ["div"]
    assert description.text_content() == summary
    assert root.findtext("channel/item/title") == "New <i>shelf</i> & more"
    assert root.findtext("channel/item/category") == "Honest <advice>"
    assert root.findtext("channel/title") == "Test & <Shop>"
    # The channel's description is rendered as HTML too: escaped like the items'.
    channel = html.fragment_fromstring(root.findtext("channel/description") or "", create_parent="div")
    assert [el.tag for el in channel.iter()] == ["div"]
    assert channel.text_content() == "News <b>now</b>"
    # Plain text in hexadecimal references, which readers that guess at HTML read as text.
    assert "<title>Test &#x26; &#x3C;Shop&#x3E;</title>" in text and "&lt;" not in text


TEMPLATE_TAG = re.compile(r"\{\{|\{%|\{#|\*\||%%\{")


@pytest.mark.parametrize(
    "text",
    [
        "Hi {{ subscriber.email }}!",
        "{% if x %}y{% endif %} and {# note #}",
        "*|FNAME|* *|UNSUB|*",
        "%%{uuid}%% and %%%{x}",
        "{{{triple}}} {{{{",
    ],
)
def test_template_tags_from_content_are_inert_and_read_the_same(text: str) -> None:
    made = inert(text)
    assert not TEMPLATE_TAG.search(made) and MERGE_TAG.findall(made) == []
    assert made.replace(BREAK, "") == text


def test_text_without_template_tags_is_left_as_it_is() -> None:
    text = "Braces { alone }, 50% off, * | apart, {x}, %{y}%"
    assert inert(text) == text
