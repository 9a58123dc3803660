"""Every text an editor or a customer writes lands as text: in the pages (navigation, titles,
meta tags, JSON-LD, cards, listings, subscribe and policy pages), the feeds and the outbox.

One project carries markup, a script end tag, email services' template tags and a
right-to-left override in every plain-text field; the tests read what the build wrote.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree, html

from followhome.email.compose import Composer
from followhome.email.inert import BREAK
from followhome.email.lint import check_email
from followhome.email.outbox import window_items
from followhome.email.profiles import PROFILES
from followhome.mkdocs.standalone import load_site
from followhome.render.items import ItemRenderer
from tests.conftest import TODAY, Project, ask_for_every_email
from tests.helpers import BRAND, MKDOCS_YML, story

ATTACK = (
    '"><svg onload=alert(1)></script><script>alert(2)</script><img src=x onerror=alert(3)> & '
    "{{ subscriber.email }} {% if x %}y{% endif %} {# c #} *|FNAME|* %%{uuid}%% \u202eevil"
)
SHOWN = ATTACK.replace("\u202e", "")
"""How the attack reads wherever it lands: literally, without the override."""
TEMPLATE_TAGS = re.compile(r"\{\{|\{%|\{#|\*\||%%\{")
SITE_URL = "https://shop.example/"


def hostile(field: str) -> str:
    return f"{field} {ATTACK}"


def shown(field: str) -> str:
    return f"{field} {SHOWN}"


def _front(data: dict[str, Any], body: str) -> str:
    return f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n\n{body}\n"


def _write_project(root: Path) -> Project:
    project = Project(root)
    brand = yaml.safe_load(BRAND)
    brand.update(
        name=hostile("BrandName"),
        promise=hostile("Promise"),
        description=hostile("Description"),
        stories_policy=f"We ask first.\n\n{hostile('Policy')}\n\n[x](javascript:alert(4))\n{{: onclick=alert(5) }}\n",
        channels={"email": {"service": "buttondown"}},
    )
    project.write("brand.yml", yaml.safe_dump(brand, allow_unicode=True))
    project.write(
        "values/honest-advice.md",
        _front(
            {"title": hostile("ValueTitle"), "summary": hostile("ValueSummary"), "order": 1}, "Value body."
        ),
    )
    customer = {
        "name": hostile("Name"),
        "show_as": "full",
        "role": hostile("Role"),
        "organization": hostile("Org"),
        "location": hostile("Location"),
    }
    project.write(
        "stories/hostile.md",
        _front(
            {
                "id": "s-0000aaaa",
                "title": hostile("StoryTitle"),
                "date": "2026-03-14",
                "featured": True,
                "customer": customer,
                "quote": hostile("Quote"),
                "takeaway": hostile("Takeaway"),
                "values": ["honest-advice"],
                "consent": {
                    "given": "2026-03-01",
                    "channels": ["site", "feed", "email", "social"],
                    "reference": "CONSENT-1",
                },
                "connection": {"kind": "employee", "note": hostile("Note")},
                "source": {"channel": hostile("Channel"), "received": "2026-03-01"},
            },
            "Body with <b onmouseover=alert(6)>raw HTML</b> and {{ subscriber.name }}.",
        ),
    )
    project.write(
        "stories/gone.md",
        story(id="s-0000cccc", consent_extra="  withdrawn: 2026-10-01\n", title="Gone", name="Bea Gone"),
    )
    project.write(
        "updates/news.md",
        _front(
            {
                "id": "u-0000bbbb",
                "title": hostile("UpdateTitle"),
                "date": "2026-09-01",
                "summary": hostile("UpdateSummary"),
                "kind": "news",
                "values": ["honest-advice"],
            },
            "Update body.",
        ),
    )
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("  font: false\n", "  font: false\n  features: [navigation.tabs]\n")
        + "  - followhome-feeds\n  - followhome-email\n",
        encoding="utf-8",
    )
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    old = os.environ.get("FOLLOWHOME_TODAY")
    os.environ["FOLLOWHOME_TODAY"] = TODAY
    try:
        project = _write_project(tmp_path_factory.mktemp("hostile"))
        ask_for_every_email(project)  # the story and the update are older than the outbox's window
        project.build()  # strict: a warning (an email rule broken, say) fails it
        yield project
    finally:
        if old is None:
            os.environ.pop("FOLLOWHOME_TODAY", None)
        else:
            os.environ["FOLLOWHOME_TODAY"] = old


def _tree(text: str) -> html.HtmlElement:
    if text.lstrip().lower().startswith("<!doctype") or "<html" in text[:200].lower():
        return html.document_fromstring(text)
    return html.fragment_fromstring(text, create_parent="div")


def _injected(tree: html.HtmlElement) -> list[str]:
    """Elements the attack would have made live: event handlers, its scripts (JSON-LD is data,
    checked on its own), ``javascript:`` links."""
    found = [
        f"<{el.tag} {name}>"
        for el in tree.iter()
        if isinstance(el.tag, str)
        for name in el.attrib
        if name.lower().startswith("on")
    ]
    found += [
        f"<script>{s.text}"
        for s in tree.iter("script")
        if "alert" in (s.text or "") and s.get("type") != "application/ld+json"
    ]
    found += [f'<a href="{a.get("href")}">' for a in tree.iter("a") if "javascript" in (a.get("href") or "")]
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _page(project: Project, path: str) -> html.HtmlElement:
    return html.document_fromstring((project.site / path).read_text(encoding="utf-8"))


def test_no_markup_from_content_is_live_in_any_page_or_email(built: Project) -> None:
    files = [*built.site.rglob("*.html"), *(built.root / "outbox").rglob("*.html")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _injected(_tree(text)) == [], path
        assert "\u202e" not in text, path


def test_the_navigation_shows_a_value_title_literally(built: Project) -> None:
    for path in ("index.html", "stories/hostile/index.html", "values/honest-advice/index.html", "404.html"):
        tree = _page(built, path)
        links = [_flat(a.text_content()) for a in tree.cssselect(".md-nav__link, .md-tabs__link")]
        assert shown("ValueTitle") in links, path


def test_titles_and_meta_tags_show_the_text_literally(built: Project) -> None:
    value = _page(built, "values/honest-advice/index.html")
    assert value.findtext(".//title") == f"{shown('ValueTitle')} - Test Shop"
    assert _flat(value.cssselect("article h1")[0].text_content()).rstrip("¶") == shown("ValueTitle")
    assert value.cssselect('meta[name="description"]')[0].get("content") == shown("ValueSummary")

    page = _page(built, "stories/hostile/index.html")
    assert page.findtext(".//title") == f"{shown('StoryTitle')} - Test Shop"
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert meta["og:title"] == meta["twitter:title"] == meta["og:image:alt"] == shown("StoryTitle")
    assert meta["og:description"] == meta["description"] == shown("Takeaway")
    assert meta["og:site_name"] == shown("BrandName")
    caption = _flat(page.cssselect("article figcaption")[0].text_content())
    assert caption == f"— {shown('Name')}, {shown('Role')}, {shown('Org')}, {shown('Location')}"
    assert shown("Note") in _flat(page.cssselect(".fh-disclosure")[0].text_content())
    assert f"Source: {shown('Channel')}" in _flat(page.cssselect(".fh-story-details")[0].text_content())

    home = _page(built, "index.html")
    assert _flat(home.cssselect(".fh-promise h1")[0].text_content()).rstrip("¶") == shown("BrandName")
    assert _flat(home.cssselect(".fh-promise__text")[0].text_content()) == shown("Promise")
    assert home.cssselect('meta[name="description"]')[0].get("content") == shown("Description")
    missing = _page(built, "404.html")  # the site's description, from brand.yml
    assert missing.cssselect('meta[name="description"]')[0].get("content") == shown("Description")
    assert shown("BrandName") in _flat(_page(built, "stories/gone/index.html").findtext(".//title") or "")


def test_json_ld_holds_the_text_as_data(built: Project) -> None:
    page = _page(built, "stories/hostile/index.html")
    scripts = page.cssselect('script[type="application/ld+json"]')
    data = {d["@type"]: d for d in (json.loads(s.text or "") for s in scripts)}
    assert data["Organization"]["name"] == shown("BrandName")
    assert data["Organization"]["slogan"] == shown("Promise")
    assert data["Review"]["name"] == shown("StoryTitle")
    assert data["Review"]["author"]["name"] == shown("Name")
    raw = (built.site / "stories/hostile/index.html").read_text(encoding="utf-8")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S):
        assert "<" not in block


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("index.html", "ValueTitle"),
        ("index.html", "ValueSummary"),
        ("index.html", "StoryTitle"),
        ("index.html", "UpdateSummary"),
        ("values/index.html", "ValueTitle"),
        ("values/index.html", "ValueSummary"),
        ("stories/index.html", "StoryTitle"),
        ("stories/index.html", "Takeaway"),
        ("stories/index.html", "ValueTitle"),
        ("updates/index.html", "UpdateTitle"),
        ("updates/news/index.html", "UpdateSummary"),
        ("values/honest-advice/index.html", "StoryTitle"),
        ("values/honest-advice/index.html", "UpdateTitle"),
        ("subscribe/index.html", "ValueTitle"),
    ],
)
def test_cards_and_listings_show_the_text_literally(built: Project, path: str, field: str) -> None:
    article = _page(built, path).cssselect("article.md-content__inner")[0]
    assert shown(field) in _flat(article.text_content())


def test_the_policy_markdown_is_sanitised(built: Project) -> None:
    article = _page(built, "how-we-choose-stories/index.html").cssselect("article.md-content__inner")[0]
    assert "We ask first." in article.text_content()
    assert not article.cssselect("svg, script")
    assert _injected(article) == []


def _feed_texts(root: etree._Element, paths: list[str], ns: dict[str, str]) -> list[str]:
    return [t for p in paths for t in root.xpath(p, namespaces=ns)]


def test_feeds_keep_plain_text_plain_and_html_sanitised(built: Project) -> None:
    rss = etree.parse(str(built.site / "updates.xml")).getroot()
    item = rss.find("channel/item")
    assert item is not None
    assert item.findtext("title") == shown("UpdateTitle")
    # Readers render an item's description as HTML: the summary is escaped text in it.
    description = html.fragment_fromstring(item.findtext("description") or "", create_parent="div")
    assert [el.tag for el in description.iter()] == ["div"]
    assert _flat(description.text_content()) == shown("UpdateSummary")
    raw = (built.site / "updates.xml").read_text(encoding="utf-8")
    assert "&lt;" not in raw and "&#x3C;svg" in raw  # plain text as the RSS profile advises

    atom = etree.parse(str(built.site / "updates.atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:entry/a:summary", namespaces=ns) == shown("UpdateSummary")
    summary = atom.find("a:entry/a:summary", namespaces=ns)
    assert summary is not None and summary.get("type") == "text"

    feed = json.loads((built.site / "stories.json").read_text(encoding="utf-8"))
    entry = feed["items"][0]
    assert entry["title"] == shown("StoryTitle")
    assert entry["summary"] == shown("Takeaway")
    assert entry["authors"] == [{"name": shown("Name")}]
    assert feed["title"] == f"{shown('BrandName')}: stories"
    for path in ("feed.xml", "atom.xml", "feed.json"):
        text = (built.site / path).read_text(encoding="utf-8")
        if path.endswith(".json"):
            contents = [i["content_html"] for i in json.loads(text)["items"]]
        else:
            root = etree.fromstring(text.encode("utf-8"))
            contents = _feed_texts(
                root,
                ["//content:encoded/text()", "//a:content/text()"],
                {"content": "http://purl.org/rss/1.0/modules/content/", "a": ns["a"]},
            )
        assert len(contents) == 2, path
        for content in contents:
            tree = html.fragment_fromstring(content, create_parent="div")
            assert _injected(tree) == [] and not tree.cssselect("svg, script, img"), path
            assert "raw HTML" in tree.text_content() or shown("UpdateSummary") in _flat(tree.text_content())


def _outbox(project: Project) -> dict[str, str]:
    out = project.root / "outbox"
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _without_footer_tag(text: str, tag: str | None) -> str:
    return text.replace(tag, "") if tag else text


def test_outbox_shows_template_tags_literally_and_never_live(built: Project) -> None:
    files = _outbox(built)
    assert {"stories/hostile/email.html", "stories/hostile/sms.txt", "updates/news/fragment.txt"} <= set(
        files
    )
    tag = PROFILES["buttondown"].unsubscribe
    for path, text in files.items():
        assert TEMPLATE_TAGS.findall(_without_footer_tag(text, tag)) == [], path
    email = files["stories/hostile/email.html"]
    assert f'href="{tag}"' in email  # the footer's own tag stays live
    tree = html.document_fromstring(email)
    shown_text = _flat(tree.text_content().replace(BREAK, ""))
    for field in ("StoryTitle", "Quote", "Name", "Takeaway", "BrandName", "Promise"):
        assert shown(field) in shown_text, field
    assert "{{ subscriber.name }}" in shown_text
    text = files["stories/hostile/email.txt"].replace(BREAK, "")
    assert "{{ subscriber.name }}" in text and "*|FNAME|*" in _flat(text)
    meta = json.loads(files["stories/hostile/email.json"])
    assert meta["subject"].replace(BREAK, "") == shown("StoryTitle")
    assert "{{ subscriber.email }}" in meta["preheader"].replace(BREAK, "")
    social = files["stories/hostile/social.txt"].replace(BREAK, "")
    assert social.startswith(shown("StoryTitle")[:150]) and "/stories/hostile/?utm_source=social" in social
    assert files["updates/news/sms.txt"].startswith('UpdateTitle "><svg… https://shop.example/updates/news/?')


@pytest.mark.parametrize("esp", sorted(PROFILES))
def test_digests_show_template_tags_literally_and_keep_the_email_rules(built: Project, esp: str) -> None:
    site = load_site(built.root / "mkdocs.yml")
    unsubscribe = f"{SITE_URL}unsubscribe/" if esp == "smtp" else None
    composer = Composer(site.edition, PROFILES[esp], built.content, unsubscribe)
    renderer = ItemRenderer(site.edition, site.markdown())
    items = window_items(site.edition, renderer, date(2026, 1, 1), date(2026, 11, 23))
    assert len(items) == 2
    digest = composer.digest(items, date(2026, 1, 1), date(2026, 11, 23))
    tag = PROFILES[esp].unsubscribe
    for text in (digest.html, digest.text, digest.subject, digest.preheader):
        assert TEMPLATE_TAGS.findall(_without_footer_tag(text, tag)) == []
    assert digest.subject.replace(BREAK, "") == f"{shown('BrandName')}: 1 new story and 1 update"
    assert shown("UpdateTitle") in _flat(
        html.document_fromstring(digest.html).text_content().replace(BREAK, "")
    )
    assert (
        check_email(digest.html, digest.text, PROFILES[esp], SITE_URL, full=True, unsubscribe_url=unsubscribe)
        == []
    )
