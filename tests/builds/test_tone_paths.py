"""``followhome tone PATH…``: every file given is scored, content items keep their channels.

Files outside the content collections (a newsletter draft, a page written elsewhere) are
scored against the brand's ``tone.volume``; a folder stands for its Markdown files; a path
that is missing, not a regular file or not UTF-8 gets a message naming it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from followhome.cli.main import main
from followhome.tone.check import tone_problems
from followhome.tone.files import Target, file_item
from tests.conftest import BIN, TODAY, Project, run_tool
from tests.helpers import BRAND, minimal_project, story

LOUD = "BUY NOW!!! 50% off everything, today only. Shop now: https://shop.example/shop/sale\n"
QUIET = "Keep an opened bottle in the fridge with the cork back in; most whites last three days.\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The minimal project (brand volume 3) with one quiet story in every channel."""
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/quiet.md", story())
    return project


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _tone(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("followhome", "tone", *args, cwd=project.root)


def _rows(project: Project, *paths: str) -> dict[str, dict[str, Any]]:
    run = _tone(project, "--json", *paths)
    assert run.returncode == 0, run.stderr
    return {row["path"]: row for row in json.loads(run.stdout)}


def _in_process(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(project.root)
    code = main(["tone", "--content", "content", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_outside_markdown_with_front_matter_takes_its_title(project: Project) -> None:
    _write(
        project.root / "drafts" / "winter.md", f"---\ntitle: Winter newsletter\nauthor: Sam\n---\n\n{LOUD}"
    )
    row = _rows(project, "drafts/winter.md")["drafts/winter.md"]
    assert row["kind"] == "file"
    assert row["title"] == "Winter newsletter"
    assert row["status"] == "not content"
    assert row["channels"] == [] and row["too_loud_for"] == []
    assert row["limit"] == 3  # tone.volume of the brand
    assert row["volume"] > 8 and row["too_loud"] is True
    signals = {r["signal"]: r["phrase"] for r in row["reasons"]}
    assert signals["urgency"] == "today only"
    assert "Shop now" in signals["call to action"]
    # The front matter is not scored as copy: "author" and "Sam" are nowhere in the reasons.
    assert "Sam" not in json.dumps(row["reasons"])


def test_outside_markdown_without_front_matter_is_titled_by_its_file_name(project: Project) -> None:
    _write(project.root / "elsewhere" / "spring-offer.md", "# Spring\n\n" + LOUD)
    table = _tone(project, "elsewhere/spring-offer.md")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["volume", "limit", "status"]
    volume, limit, flag, *status, path = lines[1].split()
    assert float(volume) > 8 and limit == "3" and flag == "LOUD"
    assert " ".join(status) == "not content" and path == "elsewhere/spring-offer.md"
    assert "urgency: 'today only'" in lines[2]
    row = _rows(project, "elsewhere/spring-offer.md")["elsewhere/spring-offer.md"]
    assert row["title"] == "spring-offer"


def test_plain_text_file_is_scored(project: Project) -> None:
    _write(project.root / "notes.txt", QUIET)
    _write(project.root / "shout.txt", "\ufeff" + LOUD.replace("\n", "\r\n"))  # BOM and CRLF
    rows = _rows(project, "notes.txt", "shout.txt")
    assert list(rows) == ["notes.txt", "shout.txt"]
    assert rows["notes.txt"]["volume"] <= 0.5 and rows["notes.txt"]["too_loud"] is False
    assert rows["notes.txt"]["title"] == "notes"
    assert rows["shout.txt"]["volume"] > 8 and rows["shout.txt"]["too_loud"] is True


def test_a_folder_scores_its_markdown_files_recursively(project: Project) -> None:
    drafts = project.root / "drafts"
    _write(drafts / "a.md", QUIET)
    _write(drafts / "deeper" / "still" / "b.md", f"---\ntitle: Deep\n---\n{LOUD}")
    _write(drafts / "c.txt", LOUD)  # not Markdown: a folder stands for its .md files
    _write(drafts / ".obsidian" / "d.md", LOUD)  # hidden: left out
    rows = _rows(project, "drafts")
    assert list(rows) == ["drafts/a.md", "drafts/deeper/still/b.md"]
    assert rows["drafts/deeper/still/b.md"]["title"] == "Deep"
    # The same file named twice (directly and through its folder) is scored once.
    assert list(_rows(project, "drafts/a.md", "drafts")) == ["drafts/a.md", "drafts/deeper/still/b.md"]


def test_the_content_folder_keeps_its_items_and_scores_other_markdown(project: Project) -> None:
    project.write("index.md", "Welcome. " + LOUD)
    rows = _rows(project, "content")
    assert rows["content/brand.yml"]["kind"] == "promise"
    assert rows["content/values/honest-advice.md"]["kind"] == "value"
    assert rows["content/stories/quiet.md"]["kind"] == "story"
    assert rows["content/index.md"]["kind"] == "file"
    assert rows["content/index.md"]["too_loud"] is True


def test_missing_path_is_a_usage_error_naming_it(project: Project) -> None:
    _write(project.root / "draft.md", QUIET)
    run = _tone(project, "draft.md", "drafts/nope.md")
    assert run.returncode == 2
    assert run.stdout == ""
    assert "followhome: not found: drafts/nope.md" in run.stderr
    assert "Traceback" not in run.stderr
    (project.root / "dangling.md").symlink_to(project.root / "gone.md")
    run = _tone(project, "dangling.md")
    assert run.returncode == 2 and "not found: dangling.md" in run.stderr


def test_content_item_given_by_path_keeps_its_channels_and_limits(project: Project) -> None:
    brand = BRAND.replace(
        "tone:\n  volume: 3\n", "tone:\n  volume: 3\n  channels:\n    email: 0\n    site: 6\n"
    )
    (project.content / "brand.yml").write_text(brand, encoding="utf-8")
    project.write(
        "stories/quiet.md", story(channels="[site]", quote="Best shop ever! Buy the deal today only!")
    )
    project.write(
        "stories/everywhere.md",
        story(id="s-0000cccc", title="Everywhere", quote="Pop in and try our new range."),
    )
    rows = _rows(project, "content/stories/quiet.md", "content/stories/everywhere.md")
    quiet = rows["content/stories/quiet.md"]
    assert quiet["kind"] == "story" and quiet["status"] == "published"
    assert quiet["channels"] == ["site"]
    assert quiet["limit"] == 6  # the site's limit: email's 0 does not apply without email consent
    everywhere = rows["content/stories/everywhere.md"]
    assert everywhere["channels"] == ["email", "feed", "site", "social"]
    assert everywhere["limit"] == 0  # the strictest of its channels
    assert 3 < everywhere["volume"] < 6
    assert everywhere["too_loud"] is True
    assert everywhere["too_loud_for"] == ["email", "feed", "social"]  # the site's limit is 6


def test_invalid_content_file_is_scored_as_a_file_with_its_problems(project: Project) -> None:
    project.write(
        "stories/broken.md", story(id="s-0000dddd", show_as="nickname", quote="Half price today only!")
    )
    run = _tone(project, "--json", "content/stories/broken.md")
    assert run.returncode == 0, run.stderr
    assert "content/stories/broken.md:8: customer.show_as:" in run.stderr
    assert "scored as a file against tone.volume 3" in run.stderr
    (row,) = json.loads(run.stdout)
    assert row["kind"] == "file" and row["title"] == "A bottle to remember" and row["limit"] == 3


def test_not_utf8_is_named_and_the_rest_still_scored(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(project.root / "latin1.md", "Caf\xe9 and wine".encode("latin-1"))
    _write(project.root / "ok.md", QUIET)
    code, out, err = _in_process(project, capsys, monkeypatch, "--json", "latin1.md", "ok.md")
    assert code == 1
    assert "followhome: not scored: latin1.md: is not UTF-8 text (invalid continuation byte at byte 3)" in err
    assert "Fix: save the file as UTF-8" in err
    assert [row["path"] for row in json.loads(out)] == ["ok.md"]


def test_broken_front_matter_names_file_and_line(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(project.root / "draft.md", "---\ntitle: [unclosed\n---\nText.\n")
    _write(project.root / "open.md", "---\ntitle: Never closed\n")
    code, out, err = _in_process(project, capsys, monkeypatch, "draft.md", "open.md")
    assert code == 1
    assert "not scored: draft.md:3: front matter is not valid YAML" in err
    assert "not scored: open.md:1: front matter is never closed" in err
    assert out.splitlines() == ["volume  limit        status         file / top reasons"]


def test_a_fifo_is_refused_without_hanging(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    os.mkfifo(project.root / "pipe.md")
    drafts = project.root / "drafts"
    _write(drafts / "ok.md", QUIET)
    os.mkfifo(drafts / "also-a-pipe.md")
    # As a user runs it: a hang would be a timeout here, not a passing test.
    run = subprocess.run(
        [str(BIN / "followhome"), "tone", "pipe.md", "drafts"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, "FOLLOWHOME_TODAY": TODAY},
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert "not scored: pipe.md: is not a regular file but a FIFO (named pipe)" in run.stderr
    assert "not scored: drafts/also-a-pipe.md: is not a regular file but a FIFO" in run.stderr
    assert "Traceback" not in run.stderr
    assert "drafts/ok.md" in run.stdout
    code, out, err = _in_process(project, capsys, monkeypatch, "--json", "pipe.md")
    assert code == 1 and json.loads(out) == []
    assert "pipe.md: is not a regular file but a FIFO" in err


def test_without_paths_only_content_items_are_listed(project: Project) -> None:
    _write(project.root / "draft.md", LOUD)
    rows = _rows(project)
    assert set(rows) == {"content/brand.yml", "content/values/honest-advice.md", "content/stories/quiet.md"}


def test_a_loud_file_as_a_problem_names_the_brand_volume(tmp_path: Path) -> None:
    draft = _write(tmp_path / "draft.md", LOUD)
    item = file_item(Target("drafts/draft.md", draft), volume=3)
    (problem,) = tone_problems([item])
    assert str(problem).startswith(
        f"drafts/draft.md: tone: the file 'draft' scores {item.score.volume:.1f}, louder than the brand's volume 3"
    )
    assert "or raise tone.volume in brand.yml" in str(problem)
    quiet = file_item(Target("q.md", _write(tmp_path / "q.md", QUIET)), volume=3)
    assert tone_problems([quiet]) == []
