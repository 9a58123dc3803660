"""``announce``: one publish ping per run with the feeds that changed, against a WebSub hub on
127.0.0.1 (tests/services/websub_hub.py); and the hub's own checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml

from followhome.delivery.http import Api, ServiceError
from followhome.delivery.record import Delivered
from followhome.delivery.websub import SiteNotBuiltError, announce, site_feeds
from tests.services.websub_hub import WebSubHub, quick_transport

NOW = datetime(2026, 12, 3, 9, 12, 4, tzinfo=UTC)
SITE_URL = "https://shop.example/"
FEEDS = [
    "atom.xml",
    "feed.json",
    "feed.xml",
    "stories.atom.xml",
    "stories.json",
    "stories.xml",
    "value-honest-advice.atom.xml",
    "value-honest-advice.json",
    "value-honest-advice.xml",
]
NOT_FEEDS = ["sitemap.xml", "404.html", "search/search_index.json", "stories/index.html", "value-.xml"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for name in FEEDS + NOT_FEEDS:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"<feed>{name}</feed>\n", encoding="utf-8")
    return site


@pytest.fixture
def hub() -> Iterator[WebSubHub]:
    with WebSubHub() as hub:
        yield hub


class Run:
    """``announce`` with a record in a temp dir, an Api that never really sleeps, and its waits."""

    def __init__(self, site: Path, hub: WebSubHub) -> None:
        self.site = site
        self.hub = hub
        self.record = site.parent / "delivered.yml"
        self.waits: list[float] = []
        self.api = Api(
            "websub", hub.url, {}, transport=quick_transport(), sleep=self.waits.append, clock=lambda: NOW
        )

    def __call__(self, dry_run: bool = False) -> tuple[list[str], list[str], list[str]]:
        result = announce(
            self.site, SITE_URL, self.hub.url, Delivered.load(self.record), self.api, dry_run, NOW
        )
        assert result.pinged == [SITE_URL + name for name in result.changed]
        assert result.dry_run == dry_run
        return result.changed, result.pinged, result.unchanged

    def recorded(self) -> dict[str, dict[str, str]]:
        if not self.record.exists():
            return {}
        data = yaml.safe_load(self.record.read_text(encoding="utf-8")) or {}
        websub: dict[str, dict[str, str]] = data.get("websub", {})
        return websub


@pytest.fixture
def run(site: Path, hub: WebSubHub) -> Iterator[Run]:
    run = Run(site, hub)
    yield run
    run.api.close()


def test_only_the_feed_files_at_the_site_root_are_announced(site: Path) -> None:
    assert [p.name for p in site_feeds(site)] == FEEDS


def test_first_run_pings_every_feed_in_one_request_then_records_them(run: Run, hub: WebSubHub) -> None:
    changed, pinged, unchanged = run()
    assert changed == FEEDS and unchanged == []
    assert pinged == [SITE_URL + name for name in FEEDS]
    (ping,) = hub.received
    assert ping.status == 204 and ping.method == "POST"
    assert ping.headers.get_content_type() == "application/x-www-form-urlencoded"
    assert ping.form["hub.mode"] == ["publish"]
    assert ping.urls == pinged
    assert ping.body.decode().count("hub.url=") == len(FEEDS)  # repeated, not hub.url[] or commas
    recorded = run.recorded()
    assert sorted(recorded) == FEEDS
    assert recorded["feed.xml"]["at"] == "2026-12-03T09:12:04Z"
    assert recorded["feed.xml"]["sha256"] == hashlib.sha256((run.site / "feed.xml").read_bytes()).hexdigest()


def test_a_second_run_with_no_change_pings_none(run: Run, hub: WebSubHub) -> None:
    run()
    before = run.record.read_bytes()
    changed, pinged, unchanged = run()
    assert (changed, pinged, unchanged) == ([], [], FEEDS)
    assert len(hub.received) == 1
    assert run.record.read_bytes() == before


def test_a_changed_feed_pings_that_one_only(run: Run, hub: WebSubHub) -> None:
    run()
    (run.site / "stories.atom.xml").write_text("<feed>a new story</feed>\n", encoding="utf-8")
    (run.site / "sitemap.xml").write_text("<urlset/>\n", encoding="utf-8")  # not a feed
    changed, pinged, unchanged = run()
    assert changed == ["stories.atom.xml"]
    assert pinged == [SITE_URL + "stories.atom.xml"]
    assert unchanged == [n for n in FEEDS if n != "stories.atom.xml"]
    assert [p.urls for p in hub.pings] == [[SITE_URL + n for n in FEEDS], [SITE_URL + "stories.atom.xml"]]


def test_a_dry_run_pings_nothing_and_records_nothing_but_says_what_it_would(run: Run, hub: WebSubHub) -> None:
    changed, pinged, unchanged = run(dry_run=True)
    assert changed == FEEDS and pinged == [SITE_URL + name for name in FEEDS] and unchanged == []
    assert hub.received == []
    assert not run.record.exists()
    run()
    (run.site / "feed.json").write_text('{"changed": true}\n', encoding="utf-8")
    would = (["feed.json"], [SITE_URL + "feed.json"], [n for n in FEEDS if n != "feed.json"])
    assert run(dry_run=True) == would
    assert len(hub.received) == 1


@pytest.mark.parametrize("faults", [("500",), ("429",), ("drop",), ("timeout",), ("500", "429", "drop")])
def test_failures_worth_retrying_are_retried(run: Run, hub: WebSubHub, faults: tuple[str, ...]) -> None:
    hub.fail_next(*faults)
    _, pinged, _ = run()
    assert pinged == [SITE_URL + name for name in FEEDS]
    assert [r.status for r in hub.received] == [int(f) if f.isdigit() else 0 for f in faults] + [204]
    assert len(hub.pings) == 1
    assert all(r.body == hub.received[-1].body for r in hub.received)  # the same ping again
    if "429" in faults:
        assert 7.0 in run.waits  # the hub's Retry-After, not the default back-off
    assert len(run.waits) == len(faults)
    assert sorted(run.recorded()) == FEEDS


def test_a_hub_that_keeps_failing_is_a_service_error_and_nothing_is_recorded(
    run: Run, hub: WebSubHub
) -> None:
    hub.fail_next(*["500"] * 5)
    with pytest.raises(ServiceError) as failed:
        run()
    assert failed.value.service == "websub" and failed.value.status == 500
    assert "the hub broke" in str(failed.value)
    assert len(hub.received) == 5
    assert run.recorded() == {}
    changed, pinged, _ = run()  # the next run pings the same feeds again
    assert changed == FEEDS and pinged == [SITE_URL + n for n in FEEDS]


def test_a_hub_that_refuses_is_not_retried_and_nothing_is_recorded(
    run: Run, site: Path, hub: WebSubHub
) -> None:
    wrong = Api("websub", hub.url, {}, transport=quick_transport(), sleep=run.waits.append)
    with pytest.raises(ServiceError, match="404"):
        announce(site, SITE_URL, hub.url + "/elsewhere", Delivered.load(run.record), wrong, False, NOW)
    wrong.close()
    assert len(hub.received) == 1 and run.waits == []
    assert run.recorded() == {}


def test_no_built_site_says_to_build_first(tmp_path: Path, hub: WebSubHub) -> None:
    api = Api("websub", hub.url, {})
    with pytest.raises(SiteNotBuiltError, match="run `mkdocs build` first"):
        announce(tmp_path / "site", SITE_URL, hub.url, Delivered.load(tmp_path / "d.yml"), api, False, NOW)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>no feeds</p>", encoding="utf-8")
    with pytest.raises(SiteNotBuiltError, match="followhome-feeds"):
        announce(tmp_path / "site", SITE_URL, hub.url, Delivered.load(tmp_path / "d.yml"), api, False, NOW)
    api.close()
    assert hub.received == []


# --- the hub's own checks: a client that gets the ping wrong is told so -------------------


def _post(url: str, **kwargs: object) -> httpx.Response:
    return httpx.post(url, timeout=5, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (
            b'{"hub.mode": "publish"}',
            "application/json",
            "Content-Type must be application/x-www-form-urlencoded",
        ),
        (b"hub.mode=publish&hub.url=https://shop.example/feed.xml", None, "Content-Type must be"),
        (
            b"hub.mode=subscribe&hub.url=https%3A%2F%2Fshop.example%2Ffeed.xml",
            "form",
            "hub.mode must be publish",
        ),
        (b"hub.mode=publish", "form", "hub.url is required"),
        (b"hub.mode=publish&hub.url=%2Ffeed.xml", "form", "absolute http(s) URL: /feed.xml"),
        (b"hub.mode=publish&hub.url=ftp%3A%2F%2Fshop.example%2Ffeed.xml", "form", "absolute http(s) URL"),
        (b"hub.mode=publish&&&", "form", "not form-encoded"),
    ],
)
def test_the_hub_refuses_a_wrong_ping_with_a_reason(
    hub: WebSubHub, content: bytes, content_type: str | None, reason: str
) -> None:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded" if content_type == "form" else content_type
    }
    response = _post(hub.url, content=content, headers={k: v for k, v in headers.items() if v})
    assert response.status_code == 400
    assert reason in response.text
    assert hub.pings == [] and hub.received[0].status == 400


def test_the_hub_takes_a_good_ping_and_only_a_post_at_its_address(hub: WebSubHub) -> None:
    good = {"hub.mode": "publish", "hub.url": ["https://shop.example/feed.xml", "http://shop.example/a.json"]}
    assert _post(hub.url, data=good).status_code == 204
    assert hub.pings[0].urls == good["hub.url"]
    assert httpx.get(hub.url, timeout=5).status_code == 405
    assert _post(hub.url.removesuffix("/hub") + "/other", data=good).status_code == 404
    assert len(hub.pings) == 1
