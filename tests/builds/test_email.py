"""Email-ready output: the email-client rules on every output, golden files, merge tags,
UTM, consent, disclosure, digests (size, exit codes), .eml and SMTP, snippets."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from lxml import html

from benchmarks.generate import generate
from followhome.email.compose import Composer
from followhome.email.lint import check_email
from followhome.email.outbox import window_items
from followhome.email.profiles import PROFILES
from followhome.email.snippets import SMS_LIMIT, SOCIAL_LIMIT, snippets
from followhome.mkdocs.standalone import load_site
from followhome.render.items import ItemRenderer, RenderedItem
from tests.conftest import ROOT, TODAY, Project, copy_demo, run_tool
from tests.golden_files import apply_diff, assert_same, diff_files, read_text, write_text
from tests.helpers import demo_stories, minimal_project, story

GOLDEN = Path(__file__).parents[1] / "golden" / "email"
BASE_ESP = "buttondown"
"""The service whose golden emails are kept in full; the others' are their differences from it."""
SITE = "https://oakhill-corner-wines.example/"
UNSUBSCRIBE_URL = "https://oakhill-corner-wines.example/unsubscribe/"


STORIES = demo_stories(ROOT / "content" / "stories")


def _outbox(project: Project) -> dict[str, str]:
    return {
        p.relative_to(project.root / "outbox").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((project.root / "outbox").rglob("*"))
        if p.is_file() and p.name != ".followhome-outbox"
    }


@pytest.fixture(scope="module")
def site() -> Any:
    return load_site(ROOT / "mkdocs.yml")


def _composer(site: Any, esp: str) -> tuple[Composer, ItemRenderer]:
    unsubscribe = UNSUBSCRIBE_URL if esp == "smtp" else None
    composer = Composer(site.edition, PROFILES[esp], ROOT / "content", unsubscribe)
    return composer, ItemRenderer(site.edition, site.markdown())


# --- the rules on every output of the demo site -------------------------------------------


def test_every_demo_email_keeps_the_rules(built_demo: Project) -> None:
    files = _outbox(built_demo)
    htmls = [p for p in files if p.endswith(".html")]
    assert len(htmls) >= 30
    for path in htmls:
        text = files[path.removesuffix(".html") + ".txt"]
        problems = check_email(
            files[path], text, PROFILES["buttondown"], SITE, full=not path.endswith("fragment.html")
        )
        assert problems == [], path


@pytest.mark.parametrize("esp", sorted(PROFILES))
def test_every_profile_keeps_the_rules_for_digests(site: Any, esp: str) -> None:
    composer, renderer = _composer(site, esp)
    items = window_items(site.edition, renderer, date(2025, 1, 1), date(2026, 11, 23))
    digest = composer.digest(items, date(2025, 1, 1), date(2026, 11, 23))
    unsubscribe = UNSUBSCRIBE_URL if esp == "smtp" else None
    assert (
        check_email(digest.html, digest.text, PROFILES[esp], SITE, full=True, unsubscribe_url=unsubscribe)
        == []
    )


BROKEN = {
    "rule 1": lambda d: d.replace("</body>", "<p>" + "x" * 103_000 + "</p></body>"),
    "rule 2": lambda d: d.replace(
        "<style>", "<style>@media screen { @media print { p { color: red !important; } } }"
    ),
    "rule 3": lambda d: d.replace("<style>", "<style>p { color: red; }"),
    "rule 4": lambda d: d.replace("</body>", "<script>alert(1)</script></body>"),
    "rule 5": lambda d: d.replace('class="content" style="', 'class="content" style="display: flex; '),
    "rule 6": lambda d: d.replace("width: 100% !important;", "width: 100%;"),
    "rule 7": lambda d: re.sub(
        r'<table class="container" role="presentation"([^>]*)width="600"',
        r'<table class="container"\1width="700"',
        d,
    ),
    "rule 8": lambda d: d.replace("</body>", '<img src="logo.svg" width="10" height="10" alt=""></body>'),
    "rule 9": lambda d: d.replace("</body>", '<img src="https://oakhill-corner-wines.example/a.png"></body>'),
    "rule 10": lambda d: d.replace("</body>", '<a href="../stories/">x</a></body>'),
    "rule 11": lambda d: d.replace("*|UNSUB|*", "https://oakhill-corner-wines.example/%2A%7CUNSUB%7C%2A"),
    "rule 12": lambda d: d.replace('href="*|UNSUB|*"', 'href="https://elsewhere.example/"'),
    "rule 13": lambda d: re.sub(r'<div class="preheader"[^>]*>[^<]*</div>', "", d),
    "rule 15": lambda d: d.replace('<meta charset="utf-8">', ""),
    "rule 16": lambda d: d.replace('content="light dark"', 'content="light"'),
    "rule 17": lambda d: d.replace("utm_source=newsletter&amp;", ""),
    "rule 18": lambda d: d.replace('<html lang="en">', "<html>"),
}


@pytest.mark.parametrize("rule", sorted(BROKEN, key=lambda r: int(r.split()[1])))
def test_checker_catches_a_deliberately_broken_email(site: Any, rule: str) -> None:
    composer, renderer = _composer(site, "mailchimp")
    item = renderer.item(next(s for s in site.edition.catalog.stories if s.slug == "the-corked-bottle"))
    good = composer.email(item)
    assert check_email(good.html, good.text, PROFILES["mailchimp"], SITE, full=True) == []
    broken = BROKEN[rule](good.html)
    assert broken != good.html
    problems = check_email(broken, good.text, PROFILES["mailchimp"], SITE, full=True)
    assert any(p.startswith(rule + ":") for p in problems), problems


def test_checker_catches_a_text_part_without_unsubscribe(site: Any) -> None:
    composer, renderer = _composer(site, "ghost")
    good = composer.email(renderer.item(site.edition.catalog.stories[0]))
    text = good.text.replace("%%{unsubscribe_url}%%", "")
    problems = check_email(good.html, text, PROFILES["ghost"], SITE, full=True)
    assert any(p.startswith("rule 14:") for p in problems)
    long_line = good.text + "x" * 1000 + "\n"
    assert any(
        p.startswith("rule 15:")
        for p in check_email(good.html, long_line, PROFILES["ghost"], SITE, full=True)
    )


# --- golden files ------------------------------------------------------------------------------


def _golden_outputs(site: Any, esp: str) -> dict[str, str]:
    composer, renderer = _composer(site, esp)
    item = renderer.item(
        next(s for s in site.edition.catalog.stories if s.slug == "saturday-shifts-and-a-new-palate")
    )
    items = window_items(site.edition, renderer, date(2026, 10, 1), date(2026, 11, 23))
    digest = composer.digest(items, date(2026, 10, 1), date(2026, 11, 23))
    fragment, full = composer.fragment(item), composer.email(item)
    return {
        "fragment.html": fragment.html,
        "fragment.txt": fragment.text,
        "email.html": full.html,
        "email.txt": full.text,
        "digest.html": digest.html,
        "digest.txt": digest.text,
    }


@pytest.mark.parametrize("esp", sorted(PROFILES))
def test_golden_files(site: Any, esp: str, update_golden: bool) -> None:
    """Every byte of every service's output: the full set for BASE_ESP in its folder; for each
    other service, the lines where its output differs from BASE_ESP's (``<esp>.diff``, a
    unified diff), applied to that set."""
    outputs = _golden_outputs(site, esp)
    base = GOLDEN / BASE_ESP
    recorded = GOLDEN / f"{esp}.diff"
    if update_golden and esp == BASE_ESP:
        for name, text in outputs.items():
            write_text(base / name, text)
    elif update_golden:
        write_text(recorded, diff_files(_golden_outputs(site, BASE_ESP), outputs, BASE_ESP, esp))
    files = [base / name for name in outputs] + ([] if esp == BASE_ESP else [recorded])
    missing = [str(path) for path in files if not path.is_file()]
    assert not missing, f"missing {missing}; run pytest --update-golden and review the diff"
    golden = {name: read_text(base / name) for name in outputs}
    expected = golden if esp == BASE_ESP else apply_diff(golden, read_text(recorded))
    for name, text in outputs.items():
        assert_same(expected[name], text, f"{esp}/{name}", "review, then pytest --update-golden")
    if esp != BASE_ESP:  # and the differences are recorded as --update-golden writes them
        assert read_text(recorded) == diff_files(golden, outputs, BASE_ESP, esp)


# --- merge tags, UTM, consent, disclosure -------------------------------------------------------


@pytest.mark.parametrize("esp", ["mailchimp", "buttondown", "listmonk", "ghost"])
def test_merge_tags_pass_every_step_byte_for_byte(site: Any, esp: str) -> None:
    tag = PROFILES[esp].unsubscribe
    assert tag
    outputs = _golden_outputs(site, esp)
    for name in ("email.html", "digest.html"):
        assert f'href="{tag}"' in outputs[name]
        assert f"({tag})" in outputs[name.replace(".html", ".txt")]
    for text in outputs.values():
        assert not re.search(r"%7B|%7D|%7C|%25%25|\{\{%20", text)


def test_utm_on_own_links_only_and_existing_parameters_kept(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    body = (
        "See [our values](../values/honest-advice.md), [a grower](https://grower.example/wines) "
        "and [last week's post](https://shop.example/updates/x/?utm_source=instagram&ref=1)."
    )
    project.write("stories/links.md", story(body=body))
    site = load_site(tmp_path / "mkdocs.yml")
    composer = Composer(site.edition, PROFILES["mailchimp"], project.content)
    item = ItemRenderer(site.edition, site.markdown()).item(site.edition.catalog.stories[0])
    links = composer.email(item).links()
    own = [link for link in links if link.startswith("https://shop.example/")]
    assert own and all("utm_medium=email" in link and "utm_campaign=s-0000aaaa" in link for link in own)
    assert (
        "https://shop.example/values/honest-advice/?utm_source=newsletter&utm_medium=email&utm_campaign=s-0000aaaa"
        in links
    )
    assert "https://grower.example/wines" in links
    kept = next(link for link in links if "/updates/x/" in link)
    assert "utm_source=instagram" in kept and "ref=1" in kept and "utm_source=newsletter" not in kept


def test_no_story_without_email_consent_in_any_email(built_demo: Project) -> None:
    files = _outbox(built_demo)
    for slug, meta in STORIES.items():
        consent = meta["consent"]
        emailed = (
            meta["status"] == "published" and "withdrawn" not in consent and "email" in consent["channels"]
        )
        social = (
            meta["status"] == "published" and "withdrawn" not in consent and "social" in consent["channels"]
        )
        assert (f"stories/{slug}/email.html" in files) == emailed, slug
        assert (f"stories/{slug}/social.txt" in files) == social, slug
        if not emailed:
            for path, text in files.items():
                if path.endswith((".html", ".txt", ".json")) and not path.endswith(("social.txt", "sms.txt")):
                    assert meta["quote"][:40] not in text, (slug, path)
                    assert meta["id"] not in text or path.startswith(f"stories/{slug}/"), (slug, path)


def test_withdrawn_and_draft_customers_are_in_no_email(built_demo: Project) -> None:
    for path, text in _outbox(built_demo).items():
        for needle in ("Blackwood-Finch", "Pemberton-Vale", "Theodora", "Ignatius"):
            assert needle not in text, (path, needle)


def test_disclosure_stands_next_to_the_quote(built_demo: Project) -> None:
    slug = next(s for s, m in STORIES.items() if "connection" in m)
    for name in ("fragment.html", "email.html"):
        tree = html.fromstring(
            (built_demo.root / "outbox" / "stories" / slug / name).read_text(encoding="utf-8")
        )
        figure = tree.cssselect("figure")[0]
        following = figure.getnext()
        assert following is not None and following.text_content().strip().startswith("Disclosure:")
    assert "Disclosure:" in (built_demo.root / "outbox" / "stories" / slug / "email.txt").read_text(
        encoding="utf-8"
    )


def test_names_follow_show_as_in_emails(built_demo: Project) -> None:
    files = _outbox(built_demo)
    for slug, meta in STORIES.items():
        page = files.get(f"stories/{slug}/email.html")
        if page is None or meta["customer"]["show_as"] == "full":
            continue
        assert meta["customer"]["name"].split()[-1] not in page, slug


def test_metadata_files(built_demo: Project) -> None:
    meta = json.loads(
        (built_demo.root / "outbox" / "stories" / "the-corked-bottle" / "email.json").read_text()
    )
    assert meta["esp"] == "buttondown"
    assert meta["subject"] == STORIES["the-corked-bottle"]["title"]
    assert 35 <= len(meta["preheader"]) <= 140
    assert meta["size_bytes"] == len(
        (built_demo.root / "outbox" / "stories" / "the-corked-bottle" / "email.html").read_bytes()
    )
    assert all(link.startswith(("https://", "{{")) for link in meta["links"])


# --- the digest command ---------------------------------------------------------------------


def test_digest_with_nothing_new_exits_3(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    run = run_tool("followhome", "digest", "--since", "2026-11-13", "--until", "2026-11-20", cwd=project.root)
    assert run.returncode == 3
    assert "nothing new for email between 2026-11-13 and 2026-11-20: no digest written" in run.stderr
    assert not (project.root / "outbox" / "digests").exists()


def test_digest_command_writes_html_text_and_metadata(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    run = run_tool("followhome", "digest", "--since", "2026-10-01", "--esp", "listmonk", cwd=project.root)
    assert run.returncode == 0, run.stderr
    folder = project.root / "outbox" / "digests" / f"2026-10-01_{TODAY}"
    meta = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
    assert meta["esp"] == "listmonk"
    assert meta["clipped_by_gmail"] is False
    assert len(meta["items"]) == 4
    assert "{{ UnsubscribeURL }}" in (folder / "digest.html").read_text(encoding="utf-8")


def test_digest_of_200_items_says_clearly_when_gmail_would_clip_it(tmp_path: Path) -> None:
    project = generate(tmp_path / "big", stories=200, updates=0)
    run = run_tool(
        "followhome",
        "digest",
        "--since",
        "2021-01-01",
        "--until",
        "2021-07-19",
        "--esp",
        "mailchimp",
        cwd=project,
    )
    assert run.returncode == 0, run.stderr
    folder = project / "outbox" / "digests" / "2021-01-01_2021-07-19"
    meta = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
    assert len(meta["items"]) == 200
    assert meta["size_bytes"] > 102_000  # 200 full teasers do not fit: the command must say so
    assert meta["clipped_by_gmail"] is True
    assert "Gmail clips messages over 102 KB" in run.stderr
    windows = re.findall(r"followhome digest --since (\S+) --until (\S+)", run.stderr)
    assert len(windows) >= 2
    assert windows[0][0] == "2021-01-01" and windows[-1][1] == "2021-07-19"
    for since, until in windows:  # every suggested digest fits
        part = run_tool(
            "followhome", "digest", "--since", since, "--until", until, "--esp", "mailchimp", cwd=project
        )
        assert part.returncode == 0, part.stderr
        assert "Gmail clips" not in part.stderr
        part_meta = json.loads(
            (project / "outbox" / "digests" / f"{since}_{until}" / "digest.json").read_text()
        )
        assert part_meta["size_bytes"] <= 102_000
    covered = sum(
        len(json.loads((project / "outbox" / "digests" / f"{a}_{b}" / "digest.json").read_text())["items"])
        for a, b in windows
    )
    assert covered == 200


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Any]]]:
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_eml_is_a_readable_multipart_message_and_sends_over_smtp(
    tmp_path: Path, smtp_server: tuple[int, list[Any]]
) -> None:
    port, received = smtp_server
    project = copy_demo(tmp_path / "p")
    out = tmp_path / "out"
    run = run_tool(
        "followhome",
        "digest",
        "--since",
        "2026-10-01",
        "--eml",
        "--out",
        str(out),
        "--smtp",
        f"127.0.0.1:{port}",
        "--to",
        "reader@example.org",
        cwd=project.root,
    )
    assert run.returncode == 0, run.stderr
    message = email.message_from_bytes((out / "digest.eml").read_bytes(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["List-Unsubscribe"] == (
        f"<{UNSUBSCRIBE_URL}>, <mailto:unsubscribe@oakhill-corner-wines.example?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    assert plain.get_content_charset() == "utf-8"
    assert plain.get_content() == (out / "digest.txt").read_text(encoding="utf-8")
    assert rich.get_content() == (out / "digest.html").read_text(encoding="utf-8")
    for _ in range(50):
        if received:
            break
        time.sleep(0.1)
    (envelope,) = received
    assert envelope.rcpt_tos == ["reader@example.org"]
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in envelope.content


def test_eml_with_an_email_service_profile_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "p")
    run = run_tool(
        "followhome", "digest", "--since", "2026-10-01", "--eml", "--esp", "mailchimp", cwd=project.root
    )
    assert run.returncode == 2
    assert "--eml and --smtp write a message for plain SMTP" in run.stderr


# --- snippets ------------------------------------------------------------------------------------


def _item(title: str, summary: str, author: str, kind: str = "story") -> RenderedItem:
    from datetime import UTC, datetime

    when = datetime(2026, 3, 14, tzinfo=UTC)
    return RenderedItem(
        "s-1", "t", title, f"{SITE}stories/x/", when, None, author, summary, "<p>x</p>", (), kind
    )


WORDS = [
    "Bottles",
    "we",
    "brought",
    "back",
    "to",
    "the",
    "shop",
    "and",
    "the",
    "people",
    "who",
    "made",
    "the",
    "wine",
    "inside",
    "them",
    "again",
]


@pytest.mark.parametrize("length", [3, 10, 25, 60])
def test_snippets_fit_and_never_cut_words_or_names(length: int) -> None:
    title = " ".join((WORDS * 4)[:length])
    summary = " ".join(reversed((WORDS * 6)[: length * 2]))
    item = _item(title, summary, "Margaret Oyelaran-Hughes")
    found = snippets(item, "Oakhill Corner Wines", SITE)
    assert len(found.social) <= SOCIAL_LIMIT
    assert len(found.sms) <= SMS_LIMIT
    for text in (found.social, found.sms):
        assert "https://oakhill-corner-wines.example/stories/x/?utm_" in text
        words = text.split(" https://")[0].replace("…", "").replace(":", " ").split()
        vocabulary = set(WORDS) | {"Oakhill", "Corner", "Wines", "—", "Margaret", "Oyelaran-Hughes"}
        assert set(words) <= vocabulary, set(words) - vocabulary
    assert ("Margaret Oyelaran-Hughes" in found.social) or ("Margaret" not in found.social)


def test_demo_snippets_fit(built_demo: Project) -> None:
    files = _outbox(built_demo)
    socials = [t for p, t in files.items() if p.endswith("social.txt")]
    smses = [t for p, t in files.items() if p.endswith("sms.txt")]
    assert socials and smses
    assert all(len(t.rstrip("\n")) <= SOCIAL_LIMIT for t in socials)
    assert all(len(t.rstrip("\n")) <= SMS_LIMIT for t in smses)


def test_outbox_is_outside_the_site_and_content(built_demo: Project) -> None:
    assert (built_demo.root / "outbox" / ".followhome-outbox").is_file()
    assert not (built_demo.site / "outbox").exists()
    assert not list(built_demo.site.rglob("fragment.html"))


def test_image_sizes_come_from_local_files_and_unusable_images_are_left_out(
    tmp_path: Path, mkdocs_warnings: Any
) -> None:
    from PIL import Image

    minimal_project(tmp_path)
    project = Project(tmp_path)
    assets = project.content / "assets"  # the collection folders hold Markdown only
    assets.mkdir()
    Image.new("RGB", (1200, 800), "white").save(assets / "cellar.png")
    Image.new("RGB", (300, 200), "white").save(assets / "small.jpg")
    (assets / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    body = (
        "![The cellar](../assets/cellar.png)\n\n![A glass](../assets/small.jpg)\n\n![Logo](../assets/logo.svg)\n\n"
        "![Elsewhere](https://images.example/photo.png)\n"
    )
    project.write("stories/pictures.md", story(body=body))
    site = load_site(tmp_path / "mkdocs.yml")
    composer = Composer(site.edition, PROFILES["mailchimp"], project.content)
    output = composer.email(ItemRenderer(site.edition, site.markdown()).item(site.edition.catalog.stories[0]))
    images = {img.get("alt"): img for img in html.fromstring(output.html).iter("img")}
    assert set(images) == {"The cellar", "A glass"}
    assert (images["The cellar"].get("width"), images["The cellar"].get("height")) == ("536", "357")
    assert (images["A glass"].get("width"), images["A glass"].get("height")) == ("300", "200")
    assert images["The cellar"].get("src") == "https://shop.example/assets/cellar.png"
    assert len(output.dropped_images) == 2
    assert any("logo.svg: email clients need PNG, JPEG or GIF" in d for d in output.dropped_images)
    assert any("images.example/photo.png: not a file of this site" in d for d in output.dropped_images)
    assert (
        check_email(output.html, output.text, PROFILES["mailchimp"], "https://shop.example/", full=True) == []
    )


def _with_email_plugin(root: Path, brand_extra: str = "") -> Project:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  - followhome-email\n", encoding="utf-8")
    brand = root / "content" / "brand.yml"
    brand.write_text(brand.read_text(encoding="utf-8") + brand_extra, encoding="utf-8")
    return Project(root)


def test_build_warns_about_an_image_left_out_of_an_email(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = _with_email_plugin(tmp_path, "channels:\n  email:\n    service: ghost\n")
    project.write(  # a new story (within channels.delivery.window_days): its email is composed
        "stories/pic.md", story(date="2026-11-20", body="![Logo](https://images.example/logo.png)")
    )
    run = project.run_build()
    assert run.returncode != 0
    assert (
        "WARNING -  followhome-email: stories/pic: image https://images.example/logo.png: not a file of this site"
        in run.stderr
    )
    assert "Fix: use a PNG, JPEG or GIF stored in content/" in run.stderr


def test_smtp_without_an_unsubscribe_url_is_a_clear_error(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = _with_email_plugin(tmp_path, "channels:\n  email:\n    service: smtp\n")
    run = project.run_build()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "plain SMTP email needs its own unsubscribe link: set channels.email.unsubscribe_url" in run.stderr
