"""Withdrawal erases: `followhome withdraw` leaves a tombstone, and the next build leaves nothing
derived from the story in site/, outbox/ or .cache/; the site equals a clean build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from followhome.model.loader import load_content
from followhome.publishing.edition import Edition
from tests.conftest import Project, copy_demo, run_tool
from tests.helpers import front, minimal_project, story

STORY = "content/stories/the-corked-bottle.md"


def _tree_text(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _everything(project: Project) -> bytes:
    return b"\n".join(
        p.read_bytes()
        for folder in ("site", "outbox", ".cache")
        for p in (project.root / folder).rglob("*")
        if p.is_file()
    )


def test_withdraw_end_to_end_leaves_nothing_of_the_story(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    meta = front(project.root / STORY)
    body = (project.root / STORY).read_text(encoding="utf-8").split("---\n", 2)[2].strip()
    assert run_tool("mkdocs", "build", "--strict", cwd=project.root).returncode == 0
    assert meta["quote"].encode() in _everything(project)  # the story was everywhere before

    run = run_tool("followhome", "withdraw", STORY, "--date", "2026-11-20", cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert f"Wrote the tombstone {STORY}: withdrawn 2026-11-20." in run.stdout
    assert "Removed: title, date, status, customer (name, show_as" in run.stdout
    assert "quote" in run.stdout and "the body (" in run.stdout
    assert meta["customer"]["name"] not in run.stdout  # it says what it removed, not the words
    tombstone = front(project.root / STORY)
    assert tombstone == {
        "id": meta["id"],
        "consent": {"withdrawn": "2026-11-20", "reference": meta["consent"]["reference"]},
    }

    build = run_tool("mkdocs", "build", "--strict", cwd=project.root)
    assert build.returncode == 0, build.stderr
    everything = _everything(project)
    first_sentence = body.split(".")[0]
    for needle in (meta["customer"]["name"], meta["quote"], meta["takeaway"], meta["title"], first_sentence):
        assert needle.encode() not in everything, needle
    # The id is in no output but the consent record's own tombstone.
    assert meta["id"].encode() not in everything
    notice = project.site / "stories" / "the-corked-bottle" / "index.html"
    assert "This story is no longer published" in notice.read_text(encoding="utf-8")

    clean = copy_demo(tmp_path / "clean")
    shutil.copy(project.root / STORY, clean.root / STORY)
    assert run_tool("mkdocs", "build", "--strict", cwd=clean.root).returncode == 0
    assert _tree_text(project.site) == _tree_text(clean.site)
    assert _tree_text(project.root / "outbox") == _tree_text(clean.root / "outbox")


def test_withdraw_rename_leaves_no_notice_at_the_old_address(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    item_id = front(project.root / STORY)["id"]
    run = run_tool("followhome", "withdraw", STORY, "--rename", cwd=project.root)
    assert run.returncode == 0, run.stderr
    renamed = f"content/stories/{item_id}.md"
    assert f"Renamed {STORY} to {renamed}" in run.stdout
    assert not (project.root / STORY).exists()
    assert front(project.root / renamed)["id"] == item_id
    assert run_tool("mkdocs", "build", "--strict", cwd=project.root).returncode == 0
    assert not (project.site / "stories" / "the-corked-bottle").exists()
    assert not (project.site / "stories" / item_id).exists()


def test_withdraw_twice_changes_nothing(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    assert run_tool("followhome", "withdraw", STORY, cwd=project.root).returncode == 0
    before = (project.root / STORY).read_bytes()
    again = run_tool("followhome", "withdraw", STORY, cwd=project.root)
    assert again.returncode == 0
    assert "is withdrawn already" in again.stdout
    assert (project.root / STORY).read_bytes() == before


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("content/brand.yml", "is not a story: stories are the .md files in content/stories/"),
        ("content/values/honest-advice.md", "is not a story"),
        ("content/stories/missing.md", "is not a file"),
        ("content/stories/notes.md", "is not a story: expected front matter"),
    ],
)
def test_withdraw_refuses_what_is_not_a_story(tmp_path: Path, target: str, expected: str) -> None:
    minimal_project(tmp_path)
    (tmp_path / "content" / "stories").mkdir()
    (tmp_path / "content" / "stories" / "notes.md").write_text("just notes\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()}
    run = run_tool("followhome", "withdraw", target, cwd=tmp_path)
    assert run.returncode == 2
    assert expected in run.stderr
    assert "Traceback" not in run.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()} == before


def test_withdraw_refuses_a_bad_date(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project")
    run = run_tool("followhome", "withdraw", STORY, "--date", "2026-13-01", cwd=project.root)
    assert run.returncode == 2
    assert "--date '2026-13-01' is not a date in the form YYYY-MM-DD" in run.stderr


def test_a_tombstone_builds_clean_and_keeps_its_id_taken(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/gone.md", "---\nid: s-0000aaaa\nconsent:\n  withdrawn: 2026-10-01\n---\n")
    project.write("stories/new.md", story(id="s-0000aaaa"))
    result = load_content(project.content)
    assert [p.message for p in result.problems] == ["'s-0000aaaa' is already used by content/stories/gone.md"]
    project.write("stories/new.md", story(id="s-0000bbbb"))
    result = load_content(project.content)
    assert result.problems == ()
    catalog = result.require()
    assert [t.slug for t in catalog.tombstones] == ["gone"]
    assert catalog.withdrawn_slugs() == ["gone"]
    run = run_tool("mkdocs", "build", "--strict", cwd=project.root)
    assert run.returncode == 0, run.stderr
    notice = (project.site / "stories" / "gone" / "index.html").read_text(encoding="utf-8")
    assert "This story is no longer published" in notice
    sitemap = (project.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/gone/" not in sitemap
    assert "gone" not in (project.site / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_tombstone_with_a_personal_field_is_a_story_with_problems(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write(
        "stories/gone.md", "---\nid: s-0000aaaa\nquote: still here\nconsent:\n  withdrawn: 2026-10-01\n---\n"
    )
    problems = load_content(project.content).problems
    assert any(p.field == "customer" and p.message == "is required but missing" for p in problems)


def test_consent_counts_from_its_date(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/a.md", story(consent_extra="").replace("given: 2026-03-01", "given: 2026-12-24"))
    catalog = load_content(project.content).require()
    from datetime import date

    from followhome.model.content import Channel

    assert Edition(catalog, date(2026, 12, 23)).stories(Channel.SITE) == []
    assert len(Edition(catalog, date(2026, 12, 24)).stories(Channel.SITE)) == 1


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "What the ACHTERBERG family drank"),
        ("quote", "The Achterbergs came for a bottle."),
        ("quote", "Achterberg's wine"),
    ],
)
def test_names_beyond_show_as_in_any_case_or_form(tmp_path: Path, field: str, text: str) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write(
        "stories/a.md",
        story(name="Ada Achterberg", show_as="initials", body="She came in.", **{field: f'"{text}"'}),
    )
    problems = load_content(project.content).problems
    assert [(p.field, p.message) for p in problems] == [
        (field, "names the customer ('Achterberg') although show_as is initials")
    ]


def test_a_common_word_that_is_also_a_surname_is_not_a_name_in_lower_case(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write(
        "stories/a.md", story(name="Rose Baker", show_as="first-name", quote='"The baker next door sent me."')
    )
    assert load_content(project.content).problems == ()
