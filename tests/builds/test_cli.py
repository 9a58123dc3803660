"""`followhome check` and `followhome new` as editors use them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from followhome.cli.main import main
from followhome.model.scaffold import slugify
from tests.conftest import ROOT, TODAY, run_tool
from tests.helpers import minimal_project, story


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_tool("followhome", *args, cwd=cwd)


def test_check_passes_on_the_demo_content() -> None:
    run = _run("check", cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(
        r"Content is fine: 5 values, \d+ stories \(\d+ on the site today, \d+ in draft\), \d+ updates\.",
        run.stdout,
    )


def test_check_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    (tmp_path / "content" / "stories").mkdir()
    (tmp_path / "content" / "stories" / "a.md").write_text(story(show_as="nick"), encoding="utf-8")
    (tmp_path / "content" / "stories" / "b.md").write_text(
        story(id="s-bbbb0000", values="[nope]"), encoding="utf-8"
    )
    run = _run("check", cwd=tmp_path)
    assert run.returncode == 1
    assert "content/stories/a.md:8: customer.show_as:" in run.stdout
    assert "content/stories/b.md:11: values[0]: unknown value id 'nope'" in run.stdout
    assert "2 problems in 2 files." in run.stderr
    assert "Traceback" not in run.stderr


def test_check_without_content_folder_is_a_usage_error(tmp_path: Path) -> None:
    run = _run("check", cwd=tmp_path)
    assert run.returncode == 2
    assert "content folder 'content' not found" in run.stderr


@pytest.mark.parametrize("kind", ["story", "update", "value"])
def test_new_scaffolds_a_file_that_passes_check(tmp_path: Path, kind: str) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    run = _run("new", kind, "Ça va? A first-rate Tuesday", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    folder = {"story": "stories", "update": "updates", "value": "values"}[kind]
    path = tmp_path / "content" / folder / "ca-va-a-first-rate-tuesday.md"
    assert run.stdout.strip() == f"Created content/{folder}/ca-va-a-first-rate-tuesday.md"
    meta = yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=yaml.BaseLoader)
    assert meta["title"] == "Ça va? A first-rate Tuesday"
    if kind != "value":
        assert re.fullmatch(r"[su]-[0-9a-f]{8}", meta["id"])
        assert meta["date"] == TODAY
        assert meta["status"] == "draft"
    assert _run("check", cwd=tmp_path).returncode == 0


def test_new_gives_fresh_ids_and_never_overwrites(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    assert _run("new", "story", "One", cwd=tmp_path).returncode == 0
    assert _run("new", "story", "Two", cwd=tmp_path).returncode == 0
    ids = [
        yaml.load(p.read_text(encoding="utf-8").split("---\n")[1], Loader=yaml.BaseLoader)["id"]
        for p in (tmp_path / "content" / "stories").glob("*.md")
    ]
    assert len(ids) == len(set(ids))
    again = _run("new", "story", "One", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_new_rejects_a_title_without_letters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    minimal_project(tmp_path)
    assert main(["new", "story", "!!!", "--content", str(tmp_path / "content")]) == 2
    assert "gives no file name" in capsys.readouterr().err


def test_slugify() -> None:
    assert slugify("Café & Co's new shelf") == "cafe-co-s-new-shelf"
    assert slugify("  --  ") == ""
