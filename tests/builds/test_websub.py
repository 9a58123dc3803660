"""WebSub discovery: with ``channels.feeds.websub_hub`` every feed declares the hub beside its
own URL (RSS ``atom:link rel="hub"``, Atom ``link rel="hub"``, JSON Feed ``hubs``), and two
builds stay byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from tests.conftest import Project, is_feed
from tests.helpers import minimal_project, story, update

HUB = "https://hub.example/websub?shop=test&x=1"
ATOM = "{http://www.w3.org/2005/Atom}"


def _links(root: etree._Element, path: str) -> dict[str, list[str]]:
    links: dict[str, list[str]] = {}
    for link in root.findall(path):
        links.setdefault(link.get("rel"), []).append(link.get("href"))
    return links


@pytest.fixture
def built(tmp_path: Path) -> tuple[Project, dict[str, bytes], dict[str, bytes]]:
    """A small project with the hub set, built twice: the feeds of each build."""
    root = minimal_project(tmp_path, feeds=True)
    brand = root / "content" / "brand.yml"
    brand.write_text(
        brand.read_text(encoding="utf-8") + f"channels:\n  feeds:\n    websub_hub: {json.dumps(HUB)}\n",
        encoding="utf-8",
    )
    project = Project(root)
    project.write("stories/ada.md", story())
    project.write("updates/shelf.md", update())
    builds = []
    for _ in range(2):
        project.build()
        builds.append(
            {
                p.name: p.read_bytes()
                for p in sorted(project.site.iterdir())
                if p.is_file() and is_feed(p.name)
            }
        )
    return project, builds[0], builds[1]


def test_every_feed_declares_the_hub_beside_its_own_url(
    built: tuple[Project, dict[str, bytes], dict[str, bytes]],
) -> None:
    _, feeds, _ = built
    site_url = "https://shop.example/"
    assert {"feed.xml", "atom.xml", "feed.json", "stories.xml", "value-honest-advice.json"} <= set(feeds)
    for name, raw in feeds.items():
        if name.endswith(".json"):
            data = json.loads(raw)
            assert data["hubs"] == [{"type": "WebSub", "url": HUB}], name
            assert data["feed_url"] == site_url + name
            continue
        root = etree.fromstring(raw)
        if root.tag == "rss":
            links = _links(root, f"channel/{ATOM}link")
        else:
            assert root.tag == f"{ATOM}feed", name
            links = _links(root, f"{ATOM}link")
        assert links["hub"] == [HUB], name
        assert links["self"] == [site_url + name], name
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert {(link.rel, link.href) for link in parsed.feed.links} >= {
            ("hub", HUB),
            ("self", site_url + name),
        }
        assert parsed.entries, name


def test_two_builds_give_byte_identical_feeds(
    built: tuple[Project, dict[str, bytes], dict[str, bytes]],
) -> None:
    _, first, second = built
    assert first == second


def test_without_a_hub_no_feed_mentions_one(tmp_path: Path) -> None:
    project = Project(minimal_project(tmp_path, feeds=True))
    project.write("stories/ada.md", story())
    project.build()
    for path in project.site.iterdir():
        if path.is_file() and is_feed(path.name):
            text = path.read_text(encoding="utf-8")
            assert 'rel="hub"' not in text and '"hubs"' not in text, path.name
