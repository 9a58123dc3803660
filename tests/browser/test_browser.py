"""The demo site in a real browser (Playwright driving Debian's Chromium), with axe-core.

Walks home -> value -> story -> subscribe, searches, filters, follows feed links, records
every request and console message, checks accessibility, and saves screenshots at phone
and desktop widths to build/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ROOT, TODAY, copy_demo

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site built for and served from a local address.

    ``site_url`` is the local address, as under ``mkdocs serve``: the theme fetches its
    sitemap from ``site_url``, which on the published site is the site's own host.
    """
    project = copy_demo(tmp_path_factory.mktemp("browser"))
    project.site.mkdir()
    handler = functools.partial(_Quiet, directory=str(project.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("docs_dir:", f"site_url: {base}\ndocs_dir:"),
        encoding="utf-8",
    )
    os.environ["FOLLOWHOME_TODAY"] = TODAY
    project.build()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()


class Visit:
    """A page with every request and console problem recorded."""

    def __init__(self, browser: Browser, base: str, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page: Page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def foreign_requests(self) -> list[str]:
        host = urlsplit(self.base).netloc
        return [
            u for u in self.requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    current = Visit(browser, server)
    try:
        yield current
    finally:
        current.close()


def test_walk_home_value_story_subscribe(visit: Visit) -> None:
    page = visit.go("")
    expect(page.locator("h1")).to_contain_text("Oakhill Corner Wines")
    page.get_by_role("link", name="Honest advice over the upsell").first.click()
    expect(page.locator("article h1")).to_contain_text("Honest advice over the upsell")
    page.locator("article.fh-story-card h3 a").first.click()
    expect(page.locator("article figure.fh-quote blockquote")).to_be_visible()
    expect(page.locator(".fh-share a", has_text="Email")).to_have_count(1)
    page.get_by_role("link", name="Subscribe").first.click()
    expect(page.locator("article h1")).to_contain_text("Follow us home")
    assert visit.foreign_requests() == [], "\n".join(visit.foreign_requests())
    assert visit.errors == []


def test_search_finds_a_story_by_a_phrase_from_its_body(visit: Visit) -> None:
    page = visit.go("")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("evangelical")
    result = page.locator(".md-search-result__item").first
    expect(result).to_contain_text("Every bottle goes back", timeout=10_000)
    result.locator("a").first.click()
    expect(page.locator("article h1")).to_contain_text("Every bottle goes back")
    assert visit.foreign_requests() == []
    assert visit.errors == []


def test_filter_stories_by_value(visit: Visit) -> None:
    page = visit.go("stories/")
    page.locator(".fh-filter a", has_text="Less waste").click()
    expect(page.locator("article h1")).to_contain_text("Less waste")
    titles = page.locator("article.fh-story-card h3").all_text_contents()
    assert titles and any("Every bottle goes back" in t for t in titles)


def test_every_feed_link_on_the_subscribe_page_answers(visit: Visit) -> None:
    page = visit.go("subscribe/")
    hrefs = page.locator("article table a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 24
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.body().startswith((b"<?xml", b"{")), href


PAGE_TYPES = {
    "home": "",
    "value": "values/honest-advice/",
    "story": "stories/saturday-shifts-and-a-new-palate/",
    "stories": "stories/",
    "update": "updates/a-mixed-case-from-small-growers/",
    "subscribe": "subscribe/",
}


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_finds_no_violations(visit: Visit, name: str) -> None:
    assert AXE.is_file(), "run `npm ci` (make test does) to install axe-core"
    page = visit.go(PAGE_TYPES[name])
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == []
    assert visit.foreign_requests() == []
    assert visit.errors == []


@pytest.mark.parametrize(("label", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_screenshots(browser: Browser, server: str, label: str, width: int, height: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    current = Visit(browser, server, width, height)
    try:
        for name, path in PAGE_TYPES.items():
            page = current.go(path)
            shot = SCREENSHOTS / f"{label}-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        assert current.foreign_requests() == []
        assert current.errors == []
    finally:
        current.close()


def test_dark_palette_is_available(visit: Visit) -> None:
    page = visit.go("")
    page.locator("form[data-md-component='palette'] label").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
