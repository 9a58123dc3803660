"""The share-your-story and withdrawal forms in a real browser, posting to a Formspree stand-in.

The demo is built once with ``channels.intake.action`` pointing at :class:`FormService` on
127.0.0.1 (whose "form settings" send browsers to the site's thank-you page), and served from
another local port, so every post is the cross-origin form post a visitor makes:

- axe-core on the form pages and the thank-you page;
- with JavaScript off, a visitor clicks through each form; the service stored what was filled;
- keyboard only, from the top of the page (skip link, Tab, arrows, Space, Enter), with focus
  always on the expected field, in view and outlined;
- the loop: the service's read API -> ``followhome intake import --from formspree`` -> a draft
  that ``followhome check`` accepts -> completed by an editor -> published in exactly the channels
  the customer ticked.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import json
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.browser.formservice import FormService, basic_auth
from tests.browser.test_browser import AXE, AXE_TAGS
from tests.conftest import TODAY, Project, copy_demo, run_tool

FORM_ID = "xdemoform"
API_KEY = "test-api-key"
DEMO_ACTION = "action: https://formspree.io/f/xdemoform"
TIMEOUT = 5_000


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    project: Project
    base: str
    """``http://127.0.0.1:<port>/``"""
    service: FormService

    @property
    def thanks(self) -> str:
        return self.base + "share-your-story/thanks/"


def _free_port_server(directory: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Quiet, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo built with its form posting to the stand-in, served on 127.0.0.1."""
    project = copy_demo(tmp_path_factory.mktemp("intake-browser"))
    project.site.mkdir()
    httpd = _free_port_server(project.site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    # Each submission arrives on the tests' day, a second after the one before.
    seconds = itertools.count()
    start = datetime.fromisoformat(f"{TODAY}T09:00:00+00:00")
    service = FormService(
        [FORM_ID],
        base + "share-your-story/thanks/",
        API_KEY,
        clock=lambda: start + timedelta(seconds=next(seconds)),
    )
    service.start()
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("docs_dir:", f"site_url: {base}\ndocs_dir:"),
        encoding="utf-8",
    )
    brand = project.content / "brand.yml"
    text = brand.read_text(encoding="utf-8")
    assert DEMO_ACTION in text
    brand.write_text(text.replace(DEMO_ACTION, f"action: {service.action(FORM_ID)}"), encoding="utf-8")
    built = project.run_build()
    assert built.returncode == 0, built.stderr
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Site(project, base, service)
    finally:
        httpd.shutdown()
        httpd.server_close()
        service.stop()


@pytest.fixture
def inbox(site: Site) -> FormService:
    """The stand-in with no submissions yet."""
    site.service.clear()
    return site.service


class Visit:
    """A browser tab that records each request and each console problem."""

    def __init__(self, browser: Browser, site: Site, javascript: bool = True) -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
        )
        self.context.set_default_timeout(TIMEOUT)
        self.page: Page = self.context.new_page()
        self.site = site
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def go(self, path: str) -> Page:
        self.page.goto(self.site.base + path, wait_until="load")
        return self.page

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the site and the form service."""
        ours = {urlsplit(self.site.base).netloc, urlsplit(self.site.service.base).netloc}
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc not in ours
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, site: Site) -> Iterator[Visit]:
    current = Visit(browser, site)
    try:
        yield current
    finally:
        current.close()


@pytest.fixture
def no_js(browser: Browser, site: Site) -> Iterator[Visit]:
    current = Visit(browser, site, javascript=False)
    try:
        yield current
    finally:
        current.close()


def _form_version(page: Page) -> str:
    value = page.locator("form.fh-form input[type=hidden][name=form_version]").get_attribute("value")
    assert value, "the share form has no form_version"
    return value


def _only_submission(service: FormService) -> dict[str, Any]:
    stored = service.submissions(FORM_ID)
    assert len(stored) == 1, stored
    return stored[0]


def _sent_an_empty_honeypot(service: FormService) -> None:
    """The browser sent the hidden anti-spam field, empty; the service kept no trace of it."""
    assert len(service.received) == 1
    assert [value for name, value in service.received[0] if name == "_gotcha"] == [""]
    assert "_gotcha" not in json.dumps(service.submissions(FORM_ID))
    assert service.ignored == []


# --- a) accessibility ------------------------------------------------------------------------

FORM_PAGES = ["share-your-story/", "share-your-story/thanks/", "withdraw/"]


@pytest.mark.parametrize("path", FORM_PAGES)
def test_axe_finds_no_violations_on_the_form_pages(visit: Visit, path: str) -> None:
    assert AXE.is_file(), "run `npm ci` (make test does) to install axe-core"
    page = visit.go(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n['failureSummary']}\n    {n['html'][:200]}" for n in v["nodes"])
        for v in result["violations"]
    ]
    assert violations == [], f"axe on /{path}:\n" + "\n".join(violations)
    assert visit.foreign_requests() == []
    assert visit.errors == []


# --- b) JavaScript off, with the mouse -------------------------------------------------------

WORDS = "I came in for a bottle for a roast and left with a cheaper one that suited it better."


def test_share_form_without_javascript_posts_what_was_filled(no_js: Visit, inbox: FormService) -> None:
    page = no_js.go("share-your-story/")
    form = page.locator("form.fh-form")
    version = _form_version(page)
    send = page.get_by_role("button", name="Send your story")

    send.click()  # the story is required: the browser itself refuses to send it empty
    expect(page).to_have_url(no_js.site.base + "share-your-story/")
    assert inbox.received == []

    page.get_by_label("Your story", exact=True).click()
    page.get_by_label("Your story", exact=True).fill(WORDS)
    page.get_by_label("Your name (optional)").click()
    page.get_by_label("Your name (optional)").fill("Priya Natarajan")
    form.get_by_text("Only your first name").click()  # a click on the label picks the radio
    form.get_by_text("Less waste, bottle by bottle").click()
    form.get_by_text("Show my story on this website.").click()
    form.get_by_text("Include my story in this website's feeds").click()
    page.get_by_label("How we can reach you with a question (optional)").click()
    page.get_by_label("How we can reach you with a question (optional)").fill("priya@example.org")
    expect(page.get_by_label("Only your first name")).to_be_checked()
    expect(page.get_by_label("Show my story on this website.")).to_be_checked()
    expect(
        page.get_by_label("Include my story in the email letter we send to our subscribers.")
    ).not_to_be_checked()

    send.click()
    page.wait_for_url(no_js.site.thanks)
    expect(page.locator("article h1")).to_contain_text("Thank you")

    stored = _only_submission(inbox)
    assert stored.pop("_date").startswith(TODAY)
    assert {name: value for name, value in stored.items() if value != ""} == {
        "form_version": version,
        "words": WORDS,
        "name": "Priya Natarajan",
        "show_as": "first-name",
        "values": "less-waste",
        "consent": ["site", "feed"],
        "contact": "priya@example.org",
    }
    # Text boxes left empty are sent empty; unticked boxes are not sent at all.
    assert sorted(name for name, value in stored.items() if value == "") == ["location", "role", "title"]
    _sent_an_empty_honeypot(inbox)
    assert no_js.foreign_requests() == []


def test_withdraw_form_without_javascript_posts_which_story(no_js: Visit, inbox: FormService) -> None:
    page = no_js.go("withdraw/")
    story = no_js.site.base + "stories/the-corked-bottle/"
    field = page.get_by_label("Which story? Its address or its title")
    field.click()
    field.fill(story)
    contact = page.get_by_label("How we can reach you to confirm (optional)")
    contact.click()
    contact.fill("07700 900123")
    page.get_by_role("button", name="Ask us to withdraw it").click()
    page.wait_for_url(no_js.site.thanks)
    expect(page.locator("article h1")).to_contain_text("Thank you")

    stored = _only_submission(inbox)
    assert stored.pop("_date").startswith(TODAY)
    assert stored == {"withdraw": story, "contact": "07700 900123"}
    _sent_an_empty_honeypot(inbox)
    assert no_js.foreign_requests() == []


# --- c) keyboard only ------------------------------------------------------------------------

_FOCUS = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.textContent || '').trim(),
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""


class Keyboard:
    """Moves through a page with the keyboard alone, checking where focus lands each time."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def press(self, key: str, expected: str) -> None:
        """Press ``key``; focus must then be on ``expected`` (a CSS selector), in view, outlined."""
        self.page.keyboard.press(key)
        target = self.page.locator(expected)
        expect(target).to_be_focused()
        expect(target).to_be_visible()
        expect(target).to_be_in_viewport()
        focus = self.page.evaluate(_FOCUS)
        assert focus["outline"] != "none" and focus["width"] >= 1, (expected, focus)

    def tab(self, expected: str) -> None:
        self.press("Tab", expected)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_share_form_with_the_keyboard_alone(visit: Visit, inbox: FormService) -> None:
    page = visit.go("share-your-story/")
    version = _form_version(page)
    assert page.evaluate("() => document.activeElement === document.body")
    keys = Keyboard(page)

    keys.tab("a.md-skip")  # the first Tab shows the skip link...
    page.keyboard.press("Enter")  # ...which moves past the header and navigation
    keys.tab("article h1 a.headerlink")
    keys.tab("#fh-words")
    keys.type("Sunday lunch for twelve, and no one had to pick.")
    page.keyboard.press("Enter")
    keys.type("They chose three bottles that worked with everything.")
    keys.tab("#fh-title")
    keys.type("Lunch for twelve")
    keys.tab("#fh-name")
    keys.type("Tomasz Wierzbicki")
    keys.tab("#fh-show_as-full")  # into the radio group: nothing chosen yet
    keys.press("ArrowDown", "#fh-show_as-first-name")  # arrows move and choose
    keys.press("ArrowDown", "#fh-show_as-initials")
    keys.tab("#fh-role")
    keys.type("regular since 2021")
    keys.press("Shift+Tab", "#fh-show_as-initials")  # back into the group: on the chosen one
    expect(page.locator("#fh-show_as-initials")).to_be_checked()
    keys.tab("#fh-role")
    keys.tab("#fh-location")
    keys.tab("#fh-values-honest-advice")
    keys.press("Space", "#fh-values-honest-advice")
    keys.tab("#fh-values-local-growers")
    keys.tab("#fh-values-less-waste")
    keys.press("Space", "#fh-values-less-waste")
    keys.tab("#fh-values-a-table-for-everyone")
    keys.press("Space", "#fh-values-a-table-for-everyone")
    keys.press("Space", "#fh-values-a-table-for-everyone")  # changed their mind
    keys.tab("#fh-values-learning-together")
    keys.tab("#fh-consent-site")
    keys.press("Space", "#fh-consent-site")
    keys.tab("#fh-consent-feed")
    keys.tab("#fh-consent-email")
    keys.press("Space", "#fh-consent-email")
    keys.tab("#fh-consent-social")
    keys.tab("form.fh-form a[href$='withdraw/']")
    keys.tab("form.fh-form a[href$='how-we-choose-stories/']")
    keys.tab("#fh-contact")
    keys.type("tomasz@example.net")
    keys.tab("form.fh-form button[type=submit]")  # the honeypot is never a Tab stop
    page.keyboard.press("Enter")
    page.wait_for_url(visit.site.thanks)
    expect(page.locator("article h1")).to_contain_text("Thank you")

    stored = _only_submission(inbox)
    assert stored.pop("_date").startswith(TODAY)
    assert stored == {
        "form_version": version,
        # A form post sends each line break as CR LF (HTML's textarea wrapping).
        "words": "Sunday lunch for twelve, and no one had to pick.\r\n"
        "They chose three bottles that worked with everything.",
        "title": "Lunch for twelve",
        "name": "Tomasz Wierzbicki",
        "show_as": "initials",
        "role": "regular since 2021",
        "location": "",
        "values": ["honest-advice", "less-waste"],
        "consent": ["site", "email"],
        "contact": "tomasz@example.net",
    }
    _sent_an_empty_honeypot(inbox)
    assert visit.foreign_requests() == []
    assert visit.errors == []


# --- d) the loop: submitted, imported, checked, completed, published --------------------------

LOOP_WORDS = (
    "The refill scheme means our recycling box is half what it was.\n"
    "I bring the same six bottles back every month and nobody makes a fuss about it."
)


def _front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text[:200]
    head, _, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict)
    return meta, body


def meta_id(path: Path) -> str:
    return str(_front_matter(path)[0]["id"])


def _fetch_submissions(service: FormService) -> bytes:
    request = urllib.request.Request(service.api(FORM_ID), headers={"Authorization": basic_auth(API_KEY)})
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
        return bytes(answer.read())


def test_a_submission_goes_from_the_form_to_the_channels_ticked(
    no_js: Visit, inbox: FormService, site: Site, tmp_path: Path
) -> None:
    project = site.project
    page = no_js.go("share-your-story/")
    form = page.locator("form.fh-form")
    page.get_by_label("Your story", exact=True).click()
    page.get_by_label("Your story", exact=True).fill(LOOP_WORDS)
    page.get_by_label("Your name (optional)").click()
    page.get_by_label("Your name (optional)").fill("Ngozi Adeyemi")
    form.get_by_text("Only your first name").click()
    form.get_by_text("Less waste, bottle by bottle").click()
    form.get_by_text("Show my story on this website.").click()
    form.get_by_text("Include my story in this website's feeds").click()
    page.get_by_label("How we can reach you with a question (optional)").click()
    page.get_by_label("How we can reach you with a question (optional)").fill("ngozi@example.org")
    page.get_by_role("button", name="Send your story").click()
    page.wait_for_url(site.thanks)

    # The editor downloads the submissions (curl -u :KEY .../submissions > file) and imports them.
    export = tmp_path / "formspree.json"
    export.write_bytes(_fetch_submissions(inbox))
    assert len(json.loads(export.read_bytes())["submissions"]) == 1
    before = set((project.content / "stories").glob("*.md"))
    imported = run_tool(
        "followhome",
        "intake",
        "import",
        "--from",
        "formspree",
        str(export),
        "--content",
        str(project.content),
        "--intake",
        str(project.root / "intake"),
        cwd=project.root,
    )
    report = imported.stdout + imported.stderr
    assert imported.returncode == 0, report
    new = sorted(set((project.content / "stories").glob("*.md")) - before)
    assert len(new) == 1, (new, report)
    draft = new[0]
    assert "1 imported," in report and draft.name in report and meta_id(draft) in report, report
    meta, body = _front_matter(draft)
    assert meta["status"] == "draft"
    assert meta["consent"]["channels"] == ["site", "feed"]
    assert str(meta["consent"]["given"]) == TODAY
    assert meta["customer"] == {"name": "Ngozi Adeyemi", "show_as": "first-name"}
    assert meta["values"] == ["less-waste"]
    assert " ".join((str(meta.get("quote", "")) + body).split()) == " ".join(LOOP_WORDS.split())
    assert "\r" not in draft.read_text(encoding="utf-8")  # the form post's CR LF line breaks
    assert "ngozi@example.org" not in draft.read_text(encoding="utf-8")  # contact stays private

    checked = run_tool("followhome", "check", "--content", str(project.content), cwd=project.root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert draft.name in checked.stdout and "takeaway" in checked.stdout  # the gaps, as advice

    # The editor completes the draft and publishes it; the consent stays as the customer gave it.
    consent = json.dumps(meta["consent"], default=str)
    meta.setdefault("title", "Half the recycling, every month")
    meta["date"] = datetime.fromisoformat(TODAY).date()
    meta["takeaway"] = "Bringing bottles back is easy when nobody makes it awkward."
    meta.setdefault("values", ["less-waste"])
    meta["status"] = "published"
    draft.write_text(
        "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + body,
        encoding="utf-8",
    )
    assert json.dumps(_front_matter(draft)[0]["consent"], default=str) == consent

    built = project.run_build()
    assert built.returncode == 0, built.stderr
    story_id, slug = meta["id"], draft.stem
    story_page = (project.site / "stories" / slug / "index.html").read_text(encoding="utf-8")
    assert "The refill scheme means our recycling box is half what it was." in story_page
    assert "Ngozi" in story_page and "Adeyemi" not in story_page  # first name only, as asked
    assert f'href="{slug}/"' in (project.site / "stories" / "index.html").read_text(encoding="utf-8")
    assert story_id in (project.site / "feed.xml").read_text(encoding="utf-8")
    # Not ticked: email and social. No email, fragment or social snippet anywhere mentions it.
    outbox = project.root / "outbox"
    assert not (outbox / "stories" / slug).exists()
    for path in outbox.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert story_id not in text and f"/stories/{slug}/" not in text, path
    socials = list(outbox.rglob("social.txt"))
    assert socials and not any("recycling box" in p.read_text(encoding="utf-8") for p in socials)
    everything = "".join(
        path.read_text(encoding="utf-8", errors="replace") for path in project.site.rglob("*.html")
    )
    assert "ngozi@example.org" not in everything
