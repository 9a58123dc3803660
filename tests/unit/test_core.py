"""Unit tests of the engine-independent core: parsing, naming, publishing, addresses."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from followhome.model import addresses
from followhome.model.catalog import Catalog
from followhome.model.content import Channel, Customer
from followhome.model.frontmatter import FrontMatterError, parse_document
from followhome.model.loader import load_content
from followhome.publishing.edition import Edition, story_channels, update_is_current, update_is_live
from followhome.publishing.names import attribution, display_name
from followhome.publishing.today import TodayError, resolve_today
from tests.helpers import minimal_project, story, update

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "followhome"


LAYERS = (
    ("cache",),
    ("model",),
    ("publishing",),
    ("render",),
    ("pages", "feeds", "email", "tone", "intake", "delivery"),
    ("mkdocs",),
    ("cli",),
)
"""The rooms of the package, lowest first: a module imports its own room and lower layers only
(content in -> publishing decision -> rendering -> outputs -> engine adapters -> command)."""
ENGINE_ROOMS = {"mkdocs", "cli"}
"""The only rooms that may import MkDocs or Material (the CLI reads mkdocs.yml for some commands)."""


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
            names += [f"{module}.{a.name}" for a in node.names] if module == "followhome" else [module]
    return names


def _room(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def test_core_never_imports_mkdocs() -> None:
    for path in PACKAGE.rglob("*.py"):
        if _room(path) in ENGINE_ROOMS:
            continue
        assert not any(n.split(".")[0] in {"mkdocs", "material"} for n in _imports(path)), path


def test_no_import_runs_up_the_layers() -> None:
    level = {room: number for number, rooms in enumerate(LAYERS) for room in rooms}
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        *level,
        "schemas",
    }, "a new room needs its place in LAYERS"
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.parent == PACKAGE:
            continue  # the package's own __init__
        here = _room(path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "followhome" or len(parts) < 2 or parts[1] not in level or parts[1] == here:
                continue
            if level[parts[1]] >= level[here]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_front_matter_lines_are_file_lines() -> None:
    doc = parse_document("---\ntitle: T\ncustomer:\n  name: N\n---\n\nBody\n")
    assert doc.meta.lines[("title",)] == 2
    assert doc.meta.lines[("customer", "name")] == 4
    assert doc.body == "\nBody\n"
    assert doc.body_line == 6


def test_dates_stay_text_for_the_model() -> None:
    doc = parse_document("---\ndate: 2026-03-14\n---\n")
    assert doc.meta.data == {"date": "2026-03-14"}


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("no front matter\n", 1, "expected front matter"),
        ("---\ntitle: T\n", 1, "never closed"),
        ("---\ntitle: T\n  bad: indent\n---\n", 3, "not valid YAML"),
    ],
)
def test_front_matter_errors(text: str, line: int, says: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        parse_document(text)
    assert info.value.line == line
    assert says in info.value.message


@pytest.mark.parametrize(
    ("show_as", "name", "attributed"),
    [
        ("full", "Ada King Lovelace", "Ada King Lovelace, Poet, Analytical Ltd, London"),
        ("first-name", "Ada King Lovelace", "Ada, Poet, London"),
        ("initials", "Ada Tennant-Lowe", "A. T.-L., Poet, London"),
        ("anonymous", "Ada Lovelace", "Anonymous customer"),
    ],
)
def test_show_as(show_as: str, name: str, attributed: str) -> None:
    customer = Customer(
        name=name,
        show_as=show_as,
        role="Poet",
        organization="Analytical Ltd",
        location="London",  # type: ignore[arg-type]
    )
    assert attribution(customer) == attributed
    assert display_name(customer) == attributed.split(",")[0]


def _catalog(tmp_path: Path, stories: dict[str, str], updates: dict[str, str] | None = None) -> Catalog:
    minimal_project(tmp_path)
    for folder, files in (("stories", stories), ("updates", updates or {})):
        (tmp_path / "content" / folder).mkdir(exist_ok=True)
        for name, text in files.items():
            (tmp_path / "content" / folder / name).write_text(text, encoding="utf-8")
    result = load_content(tmp_path / "content")
    assert [str(p) for p in result.problems if "consent" not in p.field] == []
    return result.require()


TODAY = date(2026, 11, 23)


def test_publishing_gate(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path,
        {
            "ok.md": story(id="s-00000001"),
            "draft.md": story(id="s-00000002", status="draft"),
            "withdrawn.md": story(id="s-00000003", consent_extra="  withdrawn: 2026-10-01\n"),
            "feed-only.md": story(id="s-00000004", channels="[feed, email]"),
            "future.md": story(id="s-00000005", date="2026-12-01"),
            "no-consent.md": story(id="s-00000006").replace(
                "consent:\n  given: 2026-03-01\n  channels: [site, feed, email, social]\n  reference: CONSENT-1\n",
                "",
            ),
        },
    )
    by_slug = {s.slug: s for s in catalog.stories}
    assert story_channels(by_slug["ok"], TODAY) == set(Channel)
    for slug in ("draft", "withdrawn", "future", "no-consent"):
        assert story_channels(by_slug[slug], TODAY) == frozenset(), slug
    assert story_channels(by_slug["feed-only"], TODAY) == {Channel.FEED, Channel.EMAIL}
    edition = Edition(catalog, TODAY)
    assert [s.slug for s in edition.stories(Channel.SITE)] == ["ok"]
    assert [s.slug for s in edition.stories(Channel.FEED)] == ["feed-only", "ok"]  # same day: by id
    assert [s.slug for s in Edition(catalog, date(2026, 12, 1)).stories(Channel.SITE)] == ["future", "ok"]


def test_updates_expire_from_listings_but_keep_pages(tmp_path: Path) -> None:
    catalog = _catalog(
        tmp_path,
        {},
        {
            "old.md": update(id="u-00000001", kind="offer", expires="2026-10-31"),
            "today.md": update(id="u-00000002", kind="offer", expires="2026-11-23"),
            "draft.md": update(id="u-00000003", status="draft"),
        },
    )
    by_slug = {u.slug: u for u in catalog.updates}
    assert update_is_live(by_slug["old"], TODAY)
    assert not update_is_current(by_slug["old"], TODAY)
    assert update_is_current(by_slug["today"], TODAY)  # an offer runs through its last day
    assert not update_is_live(by_slug["draft"], TODAY)
    edition = Edition(catalog, TODAY)
    assert [u.slug for u in edition.current_updates()] == ["today"]
    assert sorted(u.slug for u in edition.update_pages()) == ["old", "today"]


def test_same_day_items_are_ordered_by_id(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {f"{n}.md": story(id=f"s-0000000{n}") for n in (3, 1, 2)})
    assert [s.id for s in Edition(catalog, TODAY).stories(Channel.SITE)] == [
        "s-00000003",
        "s-00000002",
        "s-00000001",
    ]


def test_dates_are_timezone_aware_in_the_brand_zone(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"a.md": story(date="2026-07-01")})
    published = catalog.stories[0].published
    assert published.isoformat() == "2026-07-01T00:00:00+01:00"


def test_layout_paths_and_links() -> None:
    assert addresses.page_n(addresses.STORIES, 1) == "stories/index.md"
    assert addresses.page_n(addresses.STORIES, 3) == "stories/page/3.md"
    assert addresses.page_n(addresses.value("local"), 2) == "values/local/page/2.md"
    assert addresses.link("stories/page/2.md", "stories/index.md") == "../index.md"
    assert addresses.link("index.md", "values/a.md") == "values/a.md"
    assert addresses.link("stories/x.md", "values/a.md") == "../values/a.md"


def test_reserved_story_names(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    (tmp_path / "content" / "stories").mkdir()
    (tmp_path / "content" / "stories" / "index.md").write_text(story(), encoding="utf-8")
    (problem,) = load_content(tmp_path / "content").problems
    assert problem.file == "content/stories/index.md"
    assert "reserved" in problem.message


def test_today_override() -> None:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/London")
    assert resolve_today(tz, {"FOLLOWHOME_TODAY": "2027-01-02"}) == date(2027, 1, 2)
    with pytest.raises(TodayError):
        resolve_today(tz, {"FOLLOWHOME_TODAY": "soon"})
    assert isinstance(resolve_today(tz, {}), date)


def test_navigation_pages() -> None:
    assert addresses.in_nav("values/honest-advice.md")
    assert addresses.in_nav("stories/index.md")
    assert not addresses.in_nav("values/honest-advice/page/2.md")
    assert not addresses.in_nav("stories/a-story.md")
    assert not addresses.in_nav("updates/page/2.md")
