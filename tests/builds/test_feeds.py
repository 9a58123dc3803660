"""Feeds of the demo site: valid, stable, consented, absolute, well-formed under hostile text."""

from __future__ import annotations

import json
import re
import shutil
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest
from lxml import etree, html

from followhome.render.feed_formats import feed_path
from tests.conftest import Project
from tests.helpers import demo_stories, front, minimal_project, story, update

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schemas" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
KEYS = ["all", "stories", "updates"] + [
    f"value-{p.stem}" for p in sorted((ROOT / "content" / "values").glob("*.md"))
]
FORMATS = ("rss", "atom", "json")
FEED_FILES = {feed_path(key, fmt) for key in KEYS for fmt in FORMATS}
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
SITE = "https://oakhill-corner-wines.example/"


STORIES = demo_stories(ROOT / "content" / "stories")


def _feeds(project: Project, fmt: str) -> dict[str, Path]:
    return {key: project.site / feed_path(key, fmt) for key in KEYS}


def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


# --- validity --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_every_xml_feed_parses_cleanly(built_demo: Project, fmt: str) -> None:
    for key, path in _feeds(built_demo, fmt).items():
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (key, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
        assert parsed.feed.title


def test_every_json_feed_matches_the_1_1_schema(built_demo: Project) -> None:
    validator = _validator()
    for key, path in _feeds(built_demo, "json").items():
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], key
        assert "null" not in path.read_text(encoding="utf-8")


def test_json_schema_check_can_fail() -> None:
    validator = _validator()
    bad = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [
            {"id": "x", "content_html": "<p>x</p>", "date_published": "14 March 2026", "url": None},
        ],
    }
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "is not a 'date-time'" in messages
    assert "None is not of type 'string'" in messages


def test_rss_follows_the_validator_rules(built_demo: Project) -> None:
    for key, path in _feeds(built_demo, "rss").items():
        channel = etree.parse(str(path)).getroot().find("channel")
        assert channel is not None
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), required
        self_link = channel.find(f"{ATOM}link")
        assert self_link is not None
        assert self_link.get("rel") == "self"
        assert self_link.get("href") == f"{SITE}{feed_path(key, 'rss')}"
        assert self_link.get("type") == "application/rss+xml"
        assert RFC822.match(channel.findtext("lastBuildDate") or "")
        guids = []
        for item in channel.iter("item"):
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "false"
            guids.append(guid.text)
            assert RFC822.match(item.findtext("pubDate") or "")
            assert item.find("author") is None  # RSS author must be an email; names go in dc:creator
            assert (item.findtext("{http://purl.org/dc/elements/1.1/}creator") or "").strip()
            link = item.findtext("link")
            assert link is None or link.startswith(SITE)
        assert len(guids) == len(set(guids))


def test_atom_follows_the_validator_rules(built_demo: Project) -> None:
    for key, path in _feeds(built_demo, "atom").items():
        feed = etree.parse(str(path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert re.match(r"^tag:[a-z0-9.-]+,\d{4}(-\d\d){0,2}:feed:", feed.findtext(f"{ATOM}id") or "")
        assert RFC3339.match(feed.findtext(f"{ATOM}updated") or "")
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == f"{SITE}{feed_path(key, 'atom')}"
        assert links["alternate"].startswith(SITE)
        assert feed.findtext(f"{ATOM}author/{ATOM}name")
        ids = []
        for entry in feed.findall(f"{ATOM}entry"):
            ids.append(entry.findtext(f"{ATOM}id"))
            assert re.match(r"^tag:[a-z0-9.-]+,\d{4}(-\d\d){0,2}:[a-z0-9-]+$", ids[-1] or "")
            assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
            assert RFC3339.match(entry.findtext(f"{ATOM}published") or "")
            assert entry.findtext(f"{ATOM}author/{ATOM}name")
            content = entry.find(f"{ATOM}content")
            assert content is not None and content.get("type") == "html"
        assert len(ids) == len(set(ids))


# --- what is in them ----------------------------------------------------------------


def _rss_items(project: Project, key: str = "all") -> dict[str, Any]:
    parsed = feedparser.parse((project.site / feed_path(key, "rss")).read_bytes())
    return {entry.id: entry for entry in parsed.entries}


def test_only_consented_live_items_appear(built_demo: Project) -> None:
    ids = set(_rss_items(built_demo))
    for meta in STORIES.values():
        consent = meta["consent"]
        wanted = (
            meta["status"] == "published" and "withdrawn" not in consent and "feed" in consent["channels"]
        )
        assert (meta["id"] in ids) == wanted, meta["id"]
    updates = {p.stem: front(p) for p in (ROOT / "content" / "updates").glob("*.md")}
    assert updates["august-refill-month"]["id"] not in ids  # expired offer
    assert updates["christmas-opening-hours"]["id"] not in ids  # draft
    assert updates["a-mixed-case-from-small-growers"]["id"] in ids


def test_withdrawn_and_draft_customers_are_in_no_feed(built_demo: Project) -> None:
    for name in sorted(FEED_FILES):
        text = (built_demo.site / name).read_text(encoding="utf-8")
        for needle in ("Blackwood-Finch", "Pemberton-Vale", "Theodora", "Ignatius"):
            assert needle not in text, (name, needle)


def test_names_follow_show_as_in_authors_and_content(built_demo: Project) -> None:
    items = _rss_items(built_demo)
    for meta in STORIES.values():
        entry = items.get(meta["id"])
        if entry is None:
            continue
        name = meta["customer"]["name"]
        words = name.split()
        whole = entry.title + entry.author + entry.content[0].value
        if meta["customer"]["show_as"] == "full":
            assert entry.author == name
        elif meta["customer"]["show_as"] == "anonymous":
            assert entry.author == "Anonymous customer"
            assert not any(w in whole for w in words)
        else:
            assert words[-1] not in whole
            assert entry.author.startswith(words[0][0])


def test_disclosure_sits_next_to_the_quote(built_demo: Project) -> None:
    items = _rss_items(built_demo)
    connected = next(m for m in STORIES.values() if "connection" in m)
    content = html.fragment_fromstring(items[connected["id"]].content[0].value, create_parent="div")
    figure = content.cssselect("figure")[0]
    disclosure = figure.getnext()
    assert disclosure is not None and disclosure.text_content().startswith("Disclosure:")
    assert connected["connection"]["note"].split(".")[0] in disclosure.text_content()


def test_every_url_in_content_is_absolute(built_demo: Project) -> None:
    for key in KEYS:
        for entry in feedparser.parse((built_demo.site / feed_path(key, "rss")).read_bytes()).entries:
            tree = html.fragment_fromstring(entry.content[0].value, create_parent="div")
            for element in tree.iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    assert value is None or re.match(r"^(https://|mailto:|tel:)", value), value


def test_items_are_newest_first_then_by_id_and_feed_date_is_the_newest(built_demo: Project) -> None:
    data = json.loads((built_demo.site / "feed.json").read_text(encoding="utf-8"))
    keys = [(item["date_published"], item["id"]) for item in data["items"]]
    assert keys == sorted(keys, reverse=True)
    atom = etree.parse(str(built_demo.site / "atom.xml")).getroot()
    newest = max(e.findtext(f"{ATOM}updated") or "" for e in atom.findall(f"{ATOM}entry"))
    assert atom.findtext(f"{ATOM}updated") == newest
    rss = etree.parse(str(built_demo.site / "feed.xml")).getroot()
    assert parsedate_to_datetime(rss.findtext("channel/lastBuildDate") or "").isoformat() == newest


def test_value_feed_holds_the_items_of_that_value(built_demo: Project) -> None:
    for value in (ROOT / "content" / "values").glob("*.md"):
        ids = set(_rss_items(built_demo, f"value-{value.stem}"))
        expected = {
            m["id"]
            for m in STORIES.values()
            if value.stem in m["values"]
            and m["status"] == "published"
            and "withdrawn" not in m["consent"]
            and "feed" in m["consent"]["channels"]
        }
        story_ids = {i for i in ids if i.startswith("s-")}
        assert story_ids == expected, value.stem


# --- discovery and the subscribe page -------------------------------------------------


def test_discovery_links_in_page_heads(built_demo: Project) -> None:
    def alternates(url: str) -> set[str]:
        tree = html.fromstring((built_demo.site / url / "index.html").read_text(encoding="utf-8"))
        return {link.get("href") for link in tree.cssselect('head link[rel="alternate"]')}

    site_wide = {"feed.xml", "atom.xml", "feed.json"}
    for url in ("", "stories/the-corked-bottle", "updates", "how-we-choose-stories"):
        up = "../" * (url.count("/") + 1) if url else ""
        assert {up + name for name in site_wide} <= alternates(url)
    assert "../../value-less-waste.atom.xml" in alternates("values/less-waste")
    assert not any("value-less-waste" in h for h in alternates(""))
    assert "../stories.xml" in alternates("stories")


def test_subscribe_page_links_every_feed(built_demo: Project) -> None:
    tree = html.fromstring((built_demo.site / "subscribe" / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in tree.cssselect("article a")}
    for name in sorted(FEED_FILES):
        assert "../" + name in hrefs, name
        assert (built_demo.site / name).is_file()


# --- stability ------------------------------------------------------------------------


def _feed_bytes(project: Project) -> dict[str, bytes]:
    return {
        p.relative_to(project.site).as_posix(): p.read_bytes()
        for p in sorted(project.site.rglob("*"))
        if p.name in FEED_FILES
    }


def test_two_builds_give_byte_identical_feeds(demo: Project) -> None:
    demo.build()
    first = _feed_bytes(demo)
    shutil.rmtree(demo.site)
    demo.build()
    assert _feed_bytes(demo) == first
    assert len(first) == 3 * len(KEYS)


def test_renaming_and_editing_a_story_keeps_its_id(demo: Project) -> None:
    demo.build()
    before = _rss_items(demo)
    old = demo.content / "stories" / "supper-on-a-tuesday.md"
    meta = front(old)
    text = old.read_text(encoding="utf-8")
    text = text.replace(f"title: {meta['title']}", "title: A Tuesday supper, retitled", 1)
    text = text.replace(f"date: {meta['date']}", "date: 2026-11-20", 1)
    text = text.replace("values: [", "values: [learning-together, ", 1)
    (demo.content / "stories" / "tuesday-renamed.md").write_text(text, encoding="utf-8")
    old.unlink()
    demo.build()
    after = _rss_items(demo)
    assert set(after) == set(before)
    entry = after[meta["id"]]
    assert entry.title == "A Tuesday supper, retitled"
    assert entry.link.endswith("/stories/tuesday-renamed/")
    atom = feedparser.parse((demo.site / "atom.xml").read_bytes())
    assert any(
        e.id.endswith(":" + meta["id"]) and e.title == "A Tuesday supper, retitled" for e in atom.entries
    )


# --- limits, budget, hostile text ---------------------------------------------------------


def _with_feed_options(project: Project, options: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      max_items: 50\n      size_budget_kb: 1024\n", options), encoding="utf-8"
    )


def test_item_limit(demo: Project) -> None:
    _with_feed_options(demo, "      max_items: 3\n")
    demo.build()
    for key in KEYS:
        assert len(feedparser.parse((demo.site / feed_path(key, "rss")).read_bytes()).entries) <= 3
    assert len(feedparser.parse((demo.site / "feed.xml").read_bytes()).entries) == 3


def test_size_budget_warns(demo: Project, mkdocs_warnings: Any) -> None:
    _with_feed_options(demo, "      size_budget_kb: 4\n")
    run = demo.run_build()
    assert run.returncode != 0  # a warning fails --strict
    assert re.search(
        r"WARNING -  followhome-feeds: feed\.xml is \d+ KB, over the 4 KB budget; lower `max_items`",
        run.stderr,
    )


HOSTILE = {
    "ampersand": "Fish & chips",
    "angle": "1 < 2 > 0",
    "cdata-end": "ends ]]> here",
    "quotes": "\"double\" and 'single'",
    "emoji": "Cheers 🍷🧀",
    "rtl": "שלום עליכם مرحبا",
    "control": "bell\x07 and nul\x00 and tab\tend",
    "script": "<script>alert(1)</script>",
}


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON syntax, which YAML accepts, without surrogate escapes)."""
    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_text_gives_well_formed_feeds_with_text_intact(tmp_path: Path, case: str) -> None:
    text = HOSTILE[case]
    expected = text.replace("\x07", "").replace("\x00", "")
    minimal_project(tmp_path, feeds=True)
    project = Project(tmp_path)
    value = (project.content / "values" / "honest-advice.md").read_text(encoding="utf-8")
    project.write("values/honest-advice.md", value.replace("title: Honest advice", f"title: {_yaml(text)}"))
    project.write(
        "stories/hostile.md",
        story(
            title=_yaml(text),
            name=_yaml("Zoë " + text),
            quote=_yaml(text),
            body=f"A body with {text} inside.\n\n<script>alert('body')</script><img src=x onerror=alert(2)>",
        ),
    )
    project.build()
    for name in ("feed.xml", "atom.xml"):
        raw = (project.site / name).read_bytes()
        etree.fromstring(raw)  # well-formed XML, or this raises
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        (entry,) = parsed.entries
        assert entry.title == expected
        assert entry.author == " ".join(("Zoë " + expected).split())  # names are one line
        assert [t.term for t in entry.tags] == [expected]
        content = html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert not content.cssselect("script, iframe, [onerror], [onclick]")
        assert (
            expected in " ".join(content.cssselect("blockquote")[0].text_content().split())
            or case == "control"
        )
        # The body is Markdown: raw HTML in it is sanitised away, text stays.
        body = "A body with  inside." if case == "script" else f"A body with {expected} inside."
        assert " ".join(body.split()) in " ".join(content.text_content().split())
        assert "\ufffd" not in content.text_content()
    data = json.loads((project.site / "feed.json").read_text(encoding="utf-8"))
    (item,) = data["items"]
    assert item["title"] == expected
    assert item["authors"] == [{"name": " ".join(("Zoë " + expected).split())}]
    assert "<script" not in item["content_html"]


def test_feeds_need_the_content_plugin(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - followhome\n", "  - followhome:\n      enabled: false\n"
        )
        + "  - followhome-feeds\n",
        encoding="utf-8",
    )
    run = Project(tmp_path).run_build()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "The 'followhome-feeds' plugin needs the 'followhome' plugin" in run.stderr


def test_feed_only_story_has_no_link_but_is_in_the_feed(tmp_path: Path) -> None:
    minimal_project(tmp_path, feeds=True)
    project = Project(tmp_path)
    project.write("stories/quiet.md", story(channels="[feed]"))
    project.write("updates/old.md", update(kind="offer", expires="2026-01-01"))
    project.build()
    (entry,) = feedparser.parse((project.site / "feed.xml").read_bytes()).entries
    assert "link" not in entry or not entry.link.endswith("/stories/quiet/")
    assert not (project.site / "stories" / "quiet").exists()
    data = json.loads((project.site / "feed.json").read_text(encoding="utf-8"))
    assert "url" not in data["items"][0]
