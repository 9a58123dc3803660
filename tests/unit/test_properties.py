"""Property-based tests: generated front matter and bodies, valid and broken.

The build (the engine-independent pipeline, and a real MkDocs build for a smaller sample)
either succeeds or reports clear content problems; it never raises, and it never publishes
a story in a channel the story's own data does not allow.
"""

from __future__ import annotations

import contextlib
import html
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from followhome.email.compose import Composer
from followhome.email.outbox import outbox_files
from followhome.email.profiles import PROFILES
from followhome.feeds.build import build_feeds
from followhome.feeds.render import feed_files
from followhome.model.loader import load_content
from followhome.model.trust import rating_claim
from followhome.pages.generate import SiteOptions, site_pages
from followhome.publishing.edition import Edition
from followhome.render.items import ItemRenderer
from tests.helpers import BRAND, MKDOCS_YML, VALUE

TODAY = date(2026, 11, 23)
CHANNELS = ["site", "feed", "email", "social"]
HOSTILE = [
    "<script>alert(1)</script>",
    "]]>",
    "&",
    "{: onclick=x }",
    "\x07",
    "\u202e",
    "*",
    "[x](javascript:y)",
    "---",
]

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(["Good", "wine", "ask", "us", *HOSTILE]), min_size=1, max_size=6).map(" ".join),
)
words = st.lists(
    st.sampled_from(["Good", "wine", "ask", "us", "&", "<b>", "]]>", "\u202e", "*"]), min_size=1, max_size=6
).map(" ".join)
days = st.one_of(
    st.dates(date(2024, 1, 1), date(2027, 12, 31)).map(date.isoformat),
    st.sampled_from(["2026-02-30", "yesterday", "14/03/2026", ""]),
    st.integers(0, 3000),
)


def mostly(valid: st.SearchStrategy[Any], broken: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid 19 times in 20 per field: enough whole stories are valid for the property to bite."""
    return st.integers(0, 19).flatmap(lambda n: broken if n == 0 else valid)


good_days = st.dates(date(2024, 1, 1), date(2027, 3, 31)).map(date.isoformat)


@st.composite
def stories(draw: st.DrawFn, index: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": draw(mostly(st.just(f"s-{index:08x}"), st.sampled_from(["", "AB", "s 1", "12"]))),
        "title": draw(mostly(words, texts)),
        "date": draw(mostly(good_days, days)),
        "status": draw(mostly(st.just("published"), st.sampled_from(["draft", "hidden"]))),
        "customer": {
            "name": draw(mostly(st.just("Ada Lovelace"), texts)),
            "show_as": draw(
                mostly(
                    st.sampled_from(["full", "first-name"]),
                    st.sampled_from(["initials", "anonymous", "nick"]),
                )
            ),
        },
        "quote": f"{draw(mostly(words, texts))} zqx{index}marker",
        "takeaway": f"zqx{index}marker {draw(mostly(words, texts))}",  # snippets carry the takeaway
        "values": draw(
            mostly(
                st.just(["honest-advice"]), st.lists(st.sampled_from(["honest-advice", "nope"]), max_size=2)
            )
        ),
        "source": {
            "channel": draw(mostly(st.just("in-store"), st.sampled_from(["email", "ai"]))),
            "received": draw(mostly(good_days, days)),
        },
    }
    if draw(mostly(st.just(True), st.just(False))):
        consent: dict[str, Any] = {
            "given": draw(mostly(good_days, days)),
            "channels": draw(
                mostly(
                    st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=4, unique=True),
                    st.lists(st.sampled_from([*CHANNELS, "fax"]), max_size=4),
                )
            ),
            "reference": draw(mostly(st.just("CONSENT-1"), st.just(""))),
        }
        if draw(st.integers(0, 4)) == 0:
            consent["withdrawn"] = draw(days)
        data["consent"] = consent
    if draw(st.integers(0, 4)) == 0:
        data.pop(draw(st.sampled_from(sorted(data))), None)  # broken: a missing field
    return data


def _allowed(data: dict[str, Any], channel: str) -> bool:
    """What the story's own data allows, decided without followhome's code."""
    consent = data.get("consent")
    # The documented contract: no status means published.
    if (
        data.get("status", "published") != "published"
        or not isinstance(consent, dict)
        or "withdrawn" in consent
    ):
        return False
    when = data.get("date")
    if not isinstance(when, str):
        return False
    try:
        if date.fromisoformat(when) > TODAY:
            return False
    except ValueError:
        return False
    return channel in (consent.get("channels") or [])


def _write(root: Path, generated: list[tuple[dict[str, Any], str]]) -> None:
    (root / "content" / "values").mkdir(parents=True)
    (root / "content" / "stories").mkdir()
    (root / "content" / "brand.yml").write_text(
        BRAND + "channels:\n  email:\n    service: mailchimp\n", encoding="utf-8"
    )
    (root / "content" / "values" / "honest-advice.md").write_text(VALUE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML + "  - followhome-feeds\n", encoding="utf-8")
    for number, (data, body) in enumerate(generated):
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (root / "content" / "stories" / f"s{number}.md").write_text(
            f"---\n{front}---\n\n{body}\n", encoding="utf-8"
        )


def _render(text: str) -> str:
    converted: str = markdown.Markdown(
        extensions=["attr_list", "md_in_html", "admonition", "tables"]
    ).convert(text)
    return converted


def _pipeline(root: Path) -> dict[str, str] | None:
    """Everything the site, feeds and email would publish, by channel; None if nothing loads."""
    result = load_content(root / "content")
    for problem in result.problems:
        assert problem.file.startswith("content/")
        assert problem.message and problem.fix
    if result.catalog is None:
        return None
    edition = Edition(result.catalog, TODAY)
    site = "\n".join(p.expanded() for p in site_pages(edition, SiteOptions(feeds=True)))
    feeds = "\n".join(f.text for feed in build_feeds(edition, _render) for f in feed_files(feed))
    composer = Composer(edition, PROFILES["mailchimp"], root / "content")
    files = list(outbox_files(edition, ItemRenderer(edition, _render), composer, []))
    email = "\n".join(f.text for f in files if not f.path.endswith(("social.txt", "sms.txt")))
    social = "\n".join(f.text for f in files if f.path.endswith(("social.txt", "sms.txt")))
    return {"site": site, "feed": feeds, "email": email, "social": social}


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, 2), texts), min_size=1, max_size=3).flatmap(
        lambda specs: st.tuples(*[st.tuples(stories(i), st.just(body)) for i, (_, body) in enumerate(specs)])
    )
)
def test_pipeline_never_raises_and_never_publishes_what_it_must_not(generated: tuple[Any, ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write(root, list(generated))
        outputs = _pipeline(root)
    assert outputs is not None
    for index, (data, _) in enumerate(generated):
        marker = f"zqx{index}marker"
        for channel in CHANNELS:
            if marker in outputs[channel]:
                event(f"published in {channel}")
                assert _allowed(data, channel), (channel, data)
            elif _allowed(data, channel):
                event(f"withheld from {channel} although allowed (content problem)")


@settings(
    max_examples=25,
    deadline=None,
    # The warning guard is read and emptied by each example itself.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    generated=st.lists(st.tuples(st.integers(0, 2), texts), min_size=1, max_size=2).flatmap(
        lambda specs: st.tuples(*[st.tuples(stories(i), st.just(body)) for i, (_, body) in enumerate(specs)])
    )
)
def test_real_mkdocs_build_fails_clearly_or_succeeds(
    generated: tuple[Any, ...], mkdocs_warnings: Any
) -> None:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # generated content warns a lot; only crashes matter here
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            _write(root, list(generated))
            with contextlib.suppress(Abort, PluginError):  # a clear, reported content error
                build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
            for message in mkdocs_warnings.take():  # the strict failure, listing the problems (-q)
                assert re.match(r"followhome: \d+ problems? fails? this strict build:\n  content/", message)
            site = (
                "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
                if (root / "site").exists()
                else ""
            )
            for index, (data, _) in enumerate(generated):
                if f"zqx{index}marker" in site:
                    assert _allowed(data, "site"), data
    finally:
        logger.setLevel(level)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")), st.text(max_size=20))
def test_generated_front_matter_reads_back_as_written(title: str, description: str) -> None:
    """Titles go into generated pages' front matter unescaped by hand; YAML (as MkDocs reads
    it) must give back exactly the HTML-escaped text, whatever the characters."""
    from followhome.pages.generate import _front

    front = _front(title=title, description=description, search={"exclude": True})
    assert front.startswith("---\n") and front.endswith("---\n\n")
    data = yaml.load(front.removeprefix("---\n").removesuffix("---\n\n"), Loader=yaml.SafeLoader)
    assert data == {
        "title": html.escape(title),
        "description": html.escape(description),
        "search": {"exclude": True},
    }


_ONE_RATING_PATTERN = re.compile(
    r"\ball (?:of )?(?:our |the )?reviews\b|\bevery review\b|\baverage rating\b|\b\d(?:\.\d)? out of (?:5|five|10)\b"
    r"|\b(?:5|five)[- ]star\b|★",
    re.IGNORECASE,
)
"""R7's claims as one pattern: what the trust check's faster, word-gated patterns must find."""

_CLAIM_PIECES = st.sampled_from(
    [
        "all reviews",
        "All of our Reviews",
        "every review",
        "average rating",
        "4.9 out of 5",
        "5-star",
        "all ",
        "of ",
        "our ",
        "the ",
        "every ",
        "average ",
        "EVERY",
        "out of ",
        "5",
        "five",
        "4.9",
        "10",
        "star",
        "ſtar",
        "STAR",
        "reviews",
        "revİews",
        "review",
        "revıew",
        "rating",
        "ratıng",
        "★",
        ".",
        " ",
        "\n",
        "-",
        "x",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(_CLAIM_PIECES, st.text(max_size=4)), max_size=12))
@example(["5-ſtar"])
@example(["all revİews"])
@example(["xx every revıew", " 4.9 out of 5"])
@example(["average ratıng"])
def test_rating_claim_finds_what_one_pattern_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = _ONE_RATING_PATTERN.search(text)
    assert rating_claim(text) == (expected.group(0) if expected else None)
