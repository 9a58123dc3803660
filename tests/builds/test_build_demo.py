"""Build the demo site in a temp dir and check what visitors, search and crawlers get."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import html

from tests.conftest import Project, copy_demo, is_feed
from tests.helpers import demo_stories, front

ROOT = Path(__file__).resolve().parents[2]


def _stories() -> dict[str, dict[str, Any]]:
    """Demo stories' front matter, read with plain YAML (independent of followhome)."""
    return demo_stories(ROOT / "content" / "stories")


def _on_site(meta: dict[str, Any]) -> bool:
    consent = meta.get("consent") or {}
    return (
        meta.get("status") == "published"
        and "withdrawn" not in consent
        and "site" in consent.get("channels", [])
    )


def _page(project: Project, url: str) -> html.HtmlElement:
    """A built page, without the headings' permalink anchors."""
    tree = html.fromstring((project.site / url / "index.html").read_text(encoding="utf-8"))
    for anchor in tree.cssselect("a.headerlink"):
        anchor.drop_tree()
    return tree


def _text(tree: html.HtmlElement, selector: str = "article") -> str:
    return " ".join(" ".join(node.itertext()) for node in tree.cssselect(selector))


STORIES = _stories()
PUBLISHED = sorted(slug for slug, meta in STORIES.items() if _on_site(meta))
HIDDEN = sorted(slug for slug, meta in STORIES.items() if not _on_site(meta))


def test_demo_has_the_cases_the_issue_asks_for() -> None:
    kinds = dict(STORIES.items())
    assert len(kinds) >= 12
    assert any("connection" in m for m in kinds.values())
    tombstones = [front(p) for p in (ROOT / "content" / "stories").glob("*.md") if p.stem not in kinds]
    assert [set(t) for t in tombstones] == [{"id", "consent"}]  # a withdrawn story, erased
    assert any(m["status"] == "draft" for m in kinds.values())
    assert any(set(m["consent"]["channels"]) == {"site", "social"} for m in kinds.values())
    assert {m["customer"]["show_as"] for m in kinds.values()} == {
        "full",
        "first-name",
        "initials",
        "anonymous",
    }
    updates = [front(p) for p in (ROOT / "content" / "updates").glob("*.md")]
    assert len(updates) >= 6
    assert any(u["kind"] == "offer" and u.get("expires", "9999") < "2026-11-23" for u in updates)
    assert len(list((ROOT / "content" / "values").glob("*.md"))) == 5


def test_every_published_story_has_a_page(built_demo: Project) -> None:
    assert len(PUBLISHED) >= 10
    for slug in PUBLISHED:
        page = built_demo.site / "stories" / slug / "index.html"
        assert page.is_file(), slug
        title = _page(built_demo, f"stories/{slug}").cssselect("article h1")[0].text_content()
        assert title.strip() == STORIES[slug]["title"]


@pytest.mark.parametrize("slug", PUBLISHED)
def test_customer_is_named_as_show_as_allows(built_demo: Project, slug: str) -> None:
    customer = STORIES[slug]["customer"]
    name: str = customer["name"]
    words = name.split()
    tree = _page(built_demo, f"stories/{slug}")
    caption = tree.cssselect("figure.fh-quote figcaption")[0].text_content().strip()
    whole = (built_demo.site / "stories" / slug / "index.html").read_text(encoding="utf-8")
    show_as = customer["show_as"]
    if show_as == "full":
        assert name in caption
    elif show_as == "first-name":
        assert caption.startswith(f"— {words[0]}")
        assert words[-1] not in whole
    elif show_as == "initials":
        initials = " ".join("-".join(part[0] + "." for part in w.split("-")) for w in words)
        assert caption.startswith(f"— {initials}")
        assert not any(w in whole for w in words)
    else:
        assert "Anonymous customer" in caption
        assert not any(w in whole for w in words)


@pytest.mark.parametrize("slug", HIDDEN)
def test_unpublishable_stories_leave_no_trace(built_demo: Project, slug: str) -> None:
    meta = STORIES[slug]
    folder = built_demo.site / "stories" / slug
    if "withdrawn" in meta["consent"]:
        # The old address keeps a short notice (checked in test_trust); nothing else.
        assert sorted(p.name for p in folder.iterdir()) == ["index.html"]
    else:
        assert not folder.exists()
    name = meta["customer"]["name"]
    needles = [meta["id"], meta["quote"][:40], meta["title"]]
    needles += [] if "withdrawn" in meta["consent"] else [f"stories/{slug}/"]
    if meta["customer"]["show_as"] == "full":
        needles.append(name)
    feeds_allowed = meta["status"] == "published" and "feed" in meta["consent"]["channels"]
    feeds_allowed = feeds_allowed and "withdrawn" not in meta["consent"]
    for path, text in built_demo.site_text().items():
        if feeds_allowed and is_feed(path):
            continue  # consented to feeds, not to the site: checked in test_feeds
        for needle in needles:
            assert needle not in text, f"{needle!r} of {slug} found in {path}"


def test_draft_and_withdrawn_customers_appear_nowhere(built_demo: Project) -> None:
    for name in ("Theodora Blackwood-Finch", "Ignatius Pemberton-Vale"):
        for part in (name, name.split()[-1]):
            hits = [p for p, text in built_demo.site_text().items() if part in text]
            assert hits == [], f"{part} found in {hits}"


def test_search_index_and_sitemap_hold_only_published_stories(built_demo: Project) -> None:
    index = json.loads((built_demo.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    sitemap = (built_demo.site / "sitemap.xml").read_text(encoding="utf-8")
    for slug in PUBLISHED:
        assert f"stories/{slug}/" in locations
        assert f"stories/{slug}/</loc>" in sitemap
    for slug in HIDDEN:
        assert f"stories/{slug}/" not in locations
        assert f"stories/{slug}/" not in sitemap


def test_search_indexes_a_storys_own_words_not_its_details_or_listing_cards(built_demo: Project) -> None:
    index = json.loads((built_demo.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + doc["title"] + " " + doc["text"]
    stories = _stories()
    for slug in PUBLISHED:
        meta, text = stories[slug], texts[f"stories/{slug}/"]
        first = next(doc for doc in index["docs"] if doc["location"] == f"stories/{slug}/")
        assert first["title"] == meta["title"] and not first["text"].startswith(meta["title"]), slug
        quote_start = " ".join(meta["quote"].split()[:4])
        assert quote_start in text and meta["title"].split()[0] in text, slug
        assert "Share:" not in text and "How we collect and choose stories" not in text, slug
        # ...while the page itself shows the details, share links labelled for assistive technology.
        page = _page(built_demo, f"stories/{slug}")
        assert page.cssselect("footer.fh-story-details a"), slug
    listing = texts["stories/"]
    assert "Follow new stories" not in listing  # the feed links...
    assert "Follow new stories" in (built_demo.site / "stories" / "index.html").read_text("utf-8")  # ...shown
    for slug in PUBLISHED:
        assert " ".join(stories[slug]["quote"].split()[:6]) not in listing  # the cards
    shared = [
        p for p in (built_demo.site / "stories").rglob("index.html") if "fh-share" in p.read_text("utf-8")
    ]
    assert shared and all(
        _page(built_demo, str(p.parent.relative_to(built_demo.site))).cssselect(
            'nav.fh-share[aria-label="Share this story"]'
        )
        for p in shared
    )
    leftovers = [p for p, t in built_demo.site_text().items() if "fhblock" in t]
    assert leftovers == []


def test_raw_content_files_are_not_published(built_demo: Project) -> None:
    assert not (built_demo.site / "brand.yml").exists()
    for text in built_demo.site_text().values():
        assert "CONSENT-" not in text  # consent references are internal records
        assert "fonts.googleapis.com" not in text


def test_story_page_shows_quote_takeaway_values_source_and_notes(built_demo: Project) -> None:
    slug = next(s for s in PUBLISHED if "connection" in STORIES[s] and STORIES[s].get("edited") != "true")
    meta = STORIES[slug]
    tree = _page(built_demo, f"stories/{slug}")
    text = _text(tree)
    assert " ".join(meta["quote"].split()) in " ".join(tree.cssselect("blockquote")[0].text_content().split())
    assert meta["takeaway"] in text
    assert "Disclosure:" in tree.cssselect("figure.fh-quote + p.fh-disclosure")[0].text_content()
    assert "Source:" in text
    assert "Edited:" not in text
    value_links = {a.get("href") for a in tree.cssselect("footer.fh-story-details a")}
    for value_id in (
        meta["values"].strip("[]").split(", ") if isinstance(meta["values"], str) else meta["values"]
    ):
        assert f"../../values/{value_id}/" in value_links
    edited = next(s for s in PUBLISHED if STORIES[s].get("edited") == "true")
    assert "Edited:" in _text(_page(built_demo, f"stories/{edited}"))


def test_stories_listing_is_newest_first_and_paginates(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(config.replace("per_page: 20", "per_page: 4"), encoding="utf-8")
    project.build()
    dates = sorted(((STORIES[s]["date"], STORIES[s]["id"], s) for s in PUBLISHED), reverse=True)
    expected = [s for _, _, s in dates]
    seen: list[str] = []
    page_urls = ["stories"] + [f"stories/page/{n}" for n in range(2, 4)]
    for url in page_urls:
        tree = _page(project, url)
        seen += [
            a.get("href").rstrip("/").split("/")[-1] for a in tree.cssselect("article.fh-story-card h2 a")
        ]
    assert seen == expected
    assert not (project.site / "stories" / "page" / "4").exists()
    assert "Older stories" in _text(_page(project, "stories"))
    assert "Newer stories" in _text(_page(project, "stories/page/3"))


def test_value_pages_list_the_stories_that_show_them(built_demo: Project) -> None:
    for value in (ROOT / "content" / "values").glob("*.md"):
        tree = _page(built_demo, f"values/{value.stem}")
        listed = {
            a.get("href").rstrip("/").split("/")[-1] for a in tree.cssselect("article.fh-story-card h3 a")
        }
        expected = {s for s in PUBLISHED if value.stem in STORIES[s]["values"]}
        assert listed == expected, value.stem


def test_expired_offer_leaves_listings_but_keeps_its_page(built_demo: Project) -> None:
    listing = (built_demo.site / "updates" / "index.html").read_text(encoding="utf-8")
    home = (built_demo.site / "index.html").read_text(encoding="utf-8")
    assert "august-refill-month" not in listing
    assert "august-refill-month" not in home
    assert "a-mixed-case-from-small-growers" in listing
    page = _text(_page(built_demo, "updates/august-refill-month"))
    assert "has ended" in page
    assert not (built_demo.site / "updates" / "christmas-opening-hours").exists()


def test_home_states_the_promise_values_stories_and_updates(built_demo: Project) -> None:
    brand = yaml.safe_load((ROOT / "content" / "brand.yml").read_text(encoding="utf-8"))
    tree = _page(built_demo, "")
    text = _text(tree)
    assert brand["promise"] in text
    for value in (ROOT / "content" / "values").glob("*.md"):
        assert front(value)["title"] in text
    featured = [s for s in PUBLISHED if STORIES[s].get("featured") == "true"]
    for slug in featured:
        assert STORIES[slug]["title"] in text
    assert tree.cssselect(".fh-update-card")


def test_policy_page_comes_from_brand(built_demo: Project) -> None:
    brand = yaml.safe_load((ROOT / "content" / "brand.yml").read_text(encoding="utf-8"))
    first_words = brand["stories_policy"].split("\n")[0][:30]
    assert first_words in (built_demo.site / "how-we-choose-stories" / "index.html").read_text(
        encoding="utf-8"
    )


def test_story_pages_stay_out_of_the_navigation(built_demo: Project) -> None:
    tree = _page(built_demo, "")
    nav_links = {a.get("href") for a in tree.cssselect("nav.md-nav--primary a")}
    assert not any("stories/" in (h or "") and h.rstrip("/").split("/")[-1] in PUBLISHED for h in nav_links)
    assert any((h or "").endswith("values/honest-advice/") for h in nav_links)


def test_brand_palette_is_applied(built_demo: Project) -> None:
    css = (built_demo.site / "assets" / "followhome" / "brand.css").read_text(encoding="utf-8")
    assert "--md-primary-fg-color: #6d1f33;" in css
    home = (built_demo.site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="custom"' in home
    assert "assets/followhome/brand.css" in home


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_build_never_writes_into_content(demo: Project) -> None:
    before = _tree_digest(demo.content)
    demo.build()
    assert _tree_digest(demo.content) == before


def test_every_relative_link_in_the_built_site_resolves(built_demo: Project) -> None:
    """Generated HTML blocks carry URLs MkDocs does not check: every one must lead somewhere."""
    broken = []
    checked = 0
    for page in sorted(built_demo.site.rglob("*.html")):
        root = html.fromstring(page.read_bytes())
        for element in root.iter("a", "link", "img", "script"):
            target = element.get("href") or element.get("src")
            if not target or target.startswith(("#", "mailto:", "data:")) or "://" in target:
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue
            base = built_demo.site if path.startswith("/") else page.parent  # 404.html: from the root
            resolved = (base / path.lstrip("/")).resolve()
            checked += 1
            if not (resolved.is_file() or (resolved / "index.html").is_file()):
                broken.append(f"{page.relative_to(built_demo.site)}: {target}")
    assert checked > 1000
    assert broken == []


@pytest.mark.parametrize("directory_urls", [True, False])
def test_shared_navigation_changes_no_page(tmp_path: Path, directory_urls: bool) -> None:
    """Pages outside the navigation reuse one rendering of it; every page must be the same
    byte for byte as when each page renders its own."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    sites = {}
    for shared in (True, False):
        project = copy_demo(tmp_path / str(shared))
        config_file = project.root / "mkdocs.yml"
        text = config_file.read_text(encoding="utf-8")
        text = text.replace(
            "  - followhome:\n", f"  - followhome:\n      shared_nav: {str(shared).lower()}\n", 1
        )
        config_file.write_text(
            text + f"use_directory_urls: {str(directory_urls).lower()}\n", encoding="utf-8"
        )
        config = load_config(config_file=str(config_file), strict=True)
        build(config)
        navigation = config.plugins["followhome"].shared_nav
        assert (navigation is not None and len(navigation.rendered) >= 2) == shared
        sites[shared] = {
            p.relative_to(project.site).as_posix(): p.read_bytes() for p in project.site.rglob("*.html")
        }
    assert sorted(sites[True]) == sorted(sites[False])
    different = [path for path in sites[True] if sites[True][path] != sites[False][path]]
    assert different == []
