"""Sharing: Open Graph and Twitter tags, social cards, JSON-LD, share links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from lxml import html
from PIL import Image

from tests.conftest import ROOT, Project, copy_demo
from tests.helpers import demo_stories

SITE = "https://oakhill-corner-wines.example/"


STORIES = demo_stories(ROOT / "content" / "stories")


def _tree(project: Project, url: str) -> html.HtmlElement:
    return html.fromstring((project.site / url / "index.html").read_text(encoding="utf-8"))


def _meta(tree: html.HtmlElement, key: str) -> str:
    found = tree.cssselect(f'meta[property="{key}"], meta[name="{key}"]')
    assert len(found) == 1, key
    return str(found[0].get("content"))


def test_every_page_has_open_graph_and_twitter_tags_with_absolute_urls(built_demo: Project) -> None:
    pages = [
        p for p in built_demo.site.rglob("index.html") if "stories/a-seat-by-the-window" not in p.as_posix()
    ]
    assert len(pages) > 20
    for page in pages:
        tree = html.fromstring(page.read_text(encoding="utf-8"))
        for key in ("og:url", "og:image", "twitter:image"):
            assert _meta(tree, key).startswith(SITE), (page, key)
        assert _meta(tree, "twitter:card") == "summary_large_image"
        assert _meta(tree, "og:title") and _meta(tree, "og:description")
        image = _meta(tree, "og:image").removeprefix(SITE)
        assert (built_demo.site / image).is_file(), image


def test_story_and_value_cards(built_demo: Project) -> None:
    tree = _tree(built_demo, "stories/the-corked-bottle")
    assert _meta(tree, "og:image") == f"{SITE}assets/cards/stories/the-corked-bottle.jpg"
    assert _meta(tree, "og:type") == "article"
    with Image.open(built_demo.site / "assets" / "cards" / "stories" / "the-corked-bottle.jpg") as card:
        assert (card.format, card.size) == ("JPEG", (1200, 630))
    assert (
        _meta(_tree(built_demo, "values/less-waste"), "og:image")
        == f"{SITE}assets/cards/values/less-waste.jpg"
    )
    cards = {p.stem for p in (built_demo.site / "assets" / "cards" / "stories").glob("*.jpg")}
    for slug, meta in STORIES.items():
        on_site = (
            meta["status"] == "published"
            and "withdrawn" not in meta["consent"]
            and "site" in meta["consent"]["channels"]
        )
        assert (slug in cards) == on_site, slug


def test_cards_are_cached_and_a_withdrawn_storys_card_leaves_the_cache(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    project.build()
    cache = project.root / ".cache" / "followhome" / "cards"
    first = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.jpg")}
    assert len(first) >= 12
    project.build()
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.jpg")} == first  # nothing redrawn
    story = project.content / "stories" / "the-corked-bottle.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("  reference:", "  withdrawn: 2026-11-22\n  reference:", 1),
        encoding="utf-8",
    )
    project.build()
    assert len(list(cache.glob("*.jpg"))) == len(first) - 1
    assert not (project.site / "assets" / "cards" / "stories" / "the-corked-bottle.jpg").exists()


def test_structured_data(built_demo: Project) -> None:
    brand = yaml.safe_load((ROOT / "content" / "brand.yml").read_text(encoding="utf-8"))
    home = _tree(built_demo, "")
    (organization,) = [json.loads(s.text) for s in home.cssselect('script[type="application/ld+json"]')]
    assert organization["@type"] == "Organization"
    assert organization["slogan"] == brand["promise"]
    for slug in ("the-corked-bottle", "too-crowded-to-taste", "refill-jars-on-the-windowsill"):
        tree = _tree(built_demo, f"stories/{slug}")
        data = [json.loads(s.text) for s in tree.cssselect('script[type="application/ld+json"]')]
        (review,) = [d for d in data if d["@type"] == "Review"]
        customer = STORIES[slug]["customer"]
        caption = tree.cssselect("figure.fh-quote figcaption")[0].text_content().strip()
        assert caption.startswith("— " + review["author"]["name"])
        if customer["show_as"] != "full":
            assert customer["name"].split()[-1] not in json.dumps(review)
    everything = "".join(p.read_text(encoding="utf-8") for p in built_demo.site.rglob("*.html"))
    assert "AggregateRating" not in everything


def test_share_links_are_plain_links_only_with_social_consent(built_demo: Project) -> None:
    for slug, meta in STORIES.items():
        page = built_demo.site / "stories" / slug / "index.html"
        if not page.is_file() or "withdrawn" in meta["consent"]:
            continue
        links = {
            a.text_content(): a.get("href")
            for a in html.fromstring(page.read_text(encoding="utf-8")).cssselect(".fh-share a")
        }
        if "social" in meta["consent"]["channels"]:
            assert set(links) == {"X", "Facebook", "LinkedIn", "Email"}
            encoded = f"https%3A%2F%2Foakhill-corner-wines.example%2Fstories%2F{slug}%2F"
            assert all(encoded in href for href in links.values())
            assert links["Email"].startswith("mailto:")
        else:
            assert links == {}
    assert '<script src="https://' not in (built_demo.site / "index.html").read_text(encoding="utf-8")


def test_cards_drawn_in_other_processes_are_all_in_the_site(tmp_path: Path) -> None:
    from benchmarks.generate import generate
    from followhome.mkdocs.sharing import PARALLEL_FROM
    from followhome.pages.cards import Card, draw_card

    project = Project(generate(tmp_path / "big", stories=PARALLEL_FROM + 10, updates=2))
    project.build()
    cards = sorted((project.site / "assets" / "cards" / "stories").glob("*.jpg"))
    assert len(cards) == PARALLEL_FROM + 10
    for page in (project.site / "stories").glob("story-*/index.html"):
        image = _meta(html.fromstring(page.read_bytes()), "og:image").removeprefix(SITE)
        with Image.open(project.site / image) as card:
            assert (card.format, card.size) == ("JPEG", (1200, 630))
    cache = project.root / ".cache" / "followhome" / "cards"
    assert len(list(cache.iterdir())) == PARALLEL_FROM + 10 + 1 + 5  # stories, site, values
    brand = yaml.safe_load((project.content / "brand.yml").read_text(encoding="utf-8"))
    palette = brand["image"]["palette"]
    site_card = Card(brand["name"], brand["name"], brand["promise"], palette["primary"], palette["accent"])
    # drawn by a worker process, byte for byte what this process draws
    assert (project.site / "assets" / "cards" / "site.jpg").read_bytes() == draw_card(site_card)


@pytest.mark.parametrize("words", [5, 40, 400])
def test_card_lines_fit_the_card_and_keep_the_words_in_order(words: int) -> None:
    from PIL import ImageDraw

    from followhome.pages.cards import WIDTH, _font, _lines

    text = " ".join(f"word{i % 13}{'x' * (i % 7)}" for i in range(words))
    draw = ImageDraw.Draw(Image.new("RGB", (WIDTH, 100)))
    font = _font(38)
    lines = _lines(draw, text, font, 1040, 4)
    assert 1 <= len(lines) <= 4
    assert all(draw.textlength(line, font=font) <= 1040 + 2 for line in lines)  # within a pixel or two
    shown = " ".join(lines).removesuffix(" …").split(" ")
    assert shown == text.split(" ")[: len(shown)]
    assert lines[-1].endswith("…") == (len(shown) < words)


def test_placing_a_card_makes_its_folder_replaces_an_old_file_and_keeps_the_cache(tmp_path: Path) -> None:
    from followhome.pages.cards import place

    cached = tmp_path / "cache" / "card.jpg"
    cached.parent.mkdir()
    cached.write_bytes(b"new card")
    target = tmp_path / "site" / "assets" / "cards" / "stories" / "a.jpg"
    place(cached, target)  # folder missing
    assert target.read_bytes() == b"new card"
    place(cached, target)  # the same card again
    other = target.with_name("b.jpg")
    other.write_bytes(b"stale card from another build")
    place(cached, other)  # an old file in the way
    assert other.read_bytes() == b"new card"
    assert cached.read_bytes() == b"new card"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.jpg", "b.jpg"]
