"""Engine-independent feed pieces: URLs, sanitising, which page announces which feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from followhome.feeds.model import Feed, FeedItem, feed_keys_for
from followhome.feeds.render import RelativeUrlError, check_urls, feed_files
from followhome.model import addresses
from followhome.render.html_urls import absolute_url, absolutize, non_absolute_urls
from followhome.render.sanitize import clean_html

SITE = "https://shop.example/"
PAGE = "https://shop.example/stories/a/"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("../values/honest.md", "https://shop.example/values/honest/"),
        ("../values/honest.md#why", "https://shop.example/values/honest/#why"),
        ("../index.md", "https://shop.example/"),
        ("../assets/logo.png", "https://shop.example/assets/logo.png"),
        ("photo.jpg", "https://shop.example/stories/photo.jpg"),
        ("/updates/x.md", "https://shop.example/updates/x/"),
        ("#top", "https://shop.example/stories/a/#top"),
        ("//cdn.example/x.png", "https://cdn.example/x.png"),
        ("https://other.example/?a=1", "https://other.example/?a=1"),
        ("mailto:hello@shop.example", "mailto:hello@shop.example"),
        ("?page=2", "https://shop.example/stories/a/?page=2"),
    ],
)
def test_absolute_url(written: str, expected: str) -> None:
    assert absolute_url(written, "stories/a.md", SITE, PAGE, True) == expected


def test_absolute_url_without_directory_urls() -> None:
    assert absolute_url("../values/honest.md", "stories/a.md", SITE, None, False) == (
        "https://shop.example/values/honest.html"
    )
    assert addresses.url("index.md", False) == "index.html"


def test_absolutize_rewrites_srcset_and_drops_permalinks() -> None:
    out = absolutize(
        '<h2 id="x">X<a class="headerlink" href="#x">¶</a></h2><img src="a.png" srcset="a.png 1x, b.png 2x">',
        "stories/a.md",
        SITE,
        PAGE,
    )
    assert "headerlink" not in out
    assert 'srcset="https://shop.example/stories/a.png 1x, https://shop.example/stories/b.png 2x"' in out
    assert non_absolute_urls(out) == []


def test_non_absolute_urls_finds_every_kind() -> None:
    found = non_absolute_urls('<a href="x.md">x</a><img src="/a.png"><a href="javascript:alert(1)">j</a>')
    assert found == ["x.md", "/a.png", "javascript:alert(1)"]


def test_sanitiser_keeps_formatting_and_drops_live_markup() -> None:
    dirty = (
        '<p class="q" onclick="x()"><strong>Bold</strong> <a href="javascript:alert(1)">j</a> '
        '<a href="https://e.example/">ok</a></p><script>alert(1)</script><iframe src="https://e.example/"></iframe>'
        '<img src="data:image/png;base64,AAAA" onerror="x()">'
    )
    clean = clean_html(dirty)
    assert "<strong>Bold</strong>" in clean
    assert 'class="q"' in clean
    for bad in ("onclick", "javascript:", "<script", "<iframe", "data:", "onerror"):
        assert bad not in clean


def test_feed_keys_for_pages() -> None:
    assert feed_keys_for("index.md") == ["all"]
    assert feed_keys_for("stories/page/3.md") == ["all", "stories"]
    assert feed_keys_for("updates/index.md") == ["all", "updates"]
    assert feed_keys_for("values/local.md") == ["all", "value-local"]
    assert feed_keys_for("values/local/page/2.md") == ["all", "value-local"]
    assert feed_keys_for("values/index.md") == ["all"]
    assert feed_keys_for("stories/a-story.md") == ["all"]


def _feed(content: str) -> Feed:
    when = datetime(2026, 3, 14, tzinfo=UTC)
    item = FeedItem("s-1", "tag:shop.example,2000:s-1", "T", None, when, None, "A", "S", content, ())
    return Feed("all", "F", "D", SITE, SITE, "en", "Shop", "tag:x,2000:feed:all", (item,), when, SITE)


def test_a_relative_url_left_in_content_stops_the_feed() -> None:
    with pytest.raises(RelativeUrlError) as info:
        feed_files(_feed('<a href="../x.md">x</a>'))
    assert "feed 'all' item 's-1' has URLs that are not absolute: ../x.md" in str(info.value)
    check_urls(_feed('<a href="https://shop.example/x/">x</a>'))


def test_empty_optional_fields_are_omitted_from_json() -> None:
    files = {f.path: f.text for f in feed_files(_feed("<p>x</p>"))}
    assert set(files) == {"feed.xml", "atom.xml", "feed.json"}
    assert '"url"' not in files["feed.json"].split('"items"')[1]
    assert "date_modified" not in files["feed.json"]
    assert "null" not in files["feed.json"]
    assert "<link>" not in files["feed.xml"].split("<item>")[1]
