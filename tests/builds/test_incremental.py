"""What a build reuses from the previous one: outbox folders, tone scores, parsed content,
and (under ``serve --dirty``) generated pages. Reuse must never change what is published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from benchmarks.generate import generate
from followhome.email import sync as email_sync
from followhome.email.outbox import MARKER
from followhome.model import addresses
from followhome.model.loader import load_content
from followhome.tone.cache import FILE, ScoreCache
from followhome.tone.scorer import score
from tests.conftest import Project, ask_for_every_email, run_tool

STORY = "stories/supper-on-a-tuesday.md"


def _outbox(project: Project) -> dict[str, tuple[bytes, int]]:
    """Every outbox file but the manifest: (bytes, modification time in ns)."""
    root = project.root / "outbox"
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def _bytes(files: dict[str, tuple[bytes, int]]) -> dict[str, bytes]:
    return {path: data for path, (data, _) in files.items()}


def _ask_for_story(project: Project) -> None:
    """``followhome email`` for STORY, older than the outbox's window, by its file."""
    asked = run_tool("followhome", "email", f"content/{STORY}", cwd=project.root)
    assert asked.returncode == 0, asked.stdout + asked.stderr


def _edit(project: Project, rel: str, old: str, new: str) -> None:
    path = project.content / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the outbox -------------------------------------------------------------------------


def test_second_build_rewrites_no_outbox_file_and_publishes_the_same(demo: Project) -> None:
    ask_for_every_email(demo)
    demo.build()
    first = _outbox(demo)
    demo.build()
    assert _outbox(demo) == first  # same bytes and not even rewritten (same mtimes)
    manifest = json.loads((demo.root / "outbox" / MARKER).read_text(encoding="utf-8"))
    folders = {path.rsplit("/", 1)[0] for path in first}
    assert set(manifest["folders"]) == folders


def test_an_edit_recomposes_only_that_story(demo: Project) -> None:
    ask_for_every_email(demo)  # every story's folder, so "only that story" means something
    demo.build()
    before = _outbox(demo)
    _edit(demo, STORY, "\n\n", "\n\nA sentence added by the editor.\n\n")
    demo.build()
    after = _outbox(demo)
    assert set(after) == set(before)
    changed = {path for path in after if after[path] != before[path]}
    assert changed and all(path.startswith("stories/supper-on-a-tuesday/") for path in changed)
    assert b"A sentence added by the editor." in after["stories/supper-on-a-tuesday/email.html"][0]


def test_a_brand_change_recomposes_every_email(demo: Project) -> None:
    ask_for_every_email(demo)  # every email, not only the new one
    demo.build()
    brand = demo.content / "brand.yml"
    text = brand.read_text(encoding="utf-8")
    promise = next(line for line in text.splitlines() if line.startswith("promise:"))
    brand.write_text(
        text.replace(promise, "promise: A promise rewritten for this test.", 1), encoding="utf-8"
    )
    demo.build()
    emails = {p: data for p, (data, _) in _outbox(demo).items() if p.endswith("/email.html")}
    assert emails and all(b"A promise rewritten for this test." in data for data in emails.values())


def test_withdrawal_and_strays_leave_the_outbox(demo: Project) -> None:
    _ask_for_story(demo)  # asked for, and then withdrawn: the withdrawal wins
    demo.build()
    assert (demo.root / "outbox" / "stories" / "supper-on-a-tuesday").is_dir()
    (demo.root / "outbox" / "stories" / "left-behind").mkdir()
    (demo.root / "outbox" / "notes.txt").write_text("mine", encoding="utf-8")
    _edit(demo, STORY, "  reference:", "  withdrawn: 2026-11-20\n  reference:")
    demo.build()
    outbox = demo.root / "outbox"
    assert not (outbox / "stories" / "supper-on-a-tuesday").exists()
    assert not (outbox / "stories" / "left-behind").exists()
    assert not (outbox / "notes.txt").exists()
    assert "supper-on-a-tuesday" not in (outbox / MARKER).read_text(encoding="utf-8")


def test_a_deleted_folder_or_a_broken_manifest_is_remade(demo: Project) -> None:
    _ask_for_story(demo)
    demo.build()
    first = _bytes(_outbox(demo))
    asked = {path for path in first if path.startswith("stories/supper-on-a-tuesday/")}
    assert asked and set(first) - asked  # the story asked for and what is new
    shutil.rmtree(demo.root / "outbox" / "stories" / "supper-on-a-tuesday")
    demo.build()
    assert _bytes(_outbox(demo)) == first
    (demo.root / "outbox" / MARKER).write_text("{ not json", encoding="utf-8")
    demo.build()  # the request was in the broken manifest: what is new is remade, alone
    assert _bytes(_outbox(demo)) == {path: data for path, data in first.items() if path not in asked}
    _ask_for_story(demo)
    demo.build()
    assert _bytes(_outbox(demo)) == first


def test_a_reused_folder_repeats_its_warnings_so_strict_keeps_failing(
    demo: Project, mkdocs_warnings: Any
) -> None:
    _ask_for_story(demo)  # while the content is clean: the command loads it as a build does
    (demo.content / "stories" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    )
    _edit(demo, STORY, "\n\n", "\n\n![Logo](logo.svg)\n\n")
    config_file = str(demo.root / "mkdocs.yml")
    for _ in range(2):
        build(load_config(config_file=config_file, strict=False))
        warnings = mkdocs_warnings.take()
        assert any("logo.svg: email clients need PNG, JPEG or GIF" in w for w in warnings), warnings
    with pytest.raises(Abort):
        build(load_config(config_file=config_file, strict=True))
    assert any("logo.svg" in w for w in mkdocs_warnings.take())


# --- tone scores ---------------------------------------------------------------------------


TEXTS = [
    "HUGE SALE! Buy now, 50% off everything, today only!",
    "Thanks to everyone who came to the tasting on Thursday.",
]


def test_cached_tone_scores_equal_fresh_ones(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path)
    assert [cache(t) for t in TEXTS] == [score(t) for t in TEXTS]
    assert cache.misses == 2
    cache.save()
    again = ScoreCache(tmp_path)
    assert [again(t) for t in TEXTS] == [score(t) for t in TEXTS]
    assert again.misses == 0


@pytest.mark.parametrize("saved", ["{ not json", '{"code": "another version", "scores": {}}', '{"code": 1}'])
def test_a_broken_or_stale_tone_cache_is_ignored(tmp_path: Path, saved: str) -> None:
    (tmp_path / FILE).write_text(saved, encoding="utf-8")
    cache = ScoreCache(tmp_path)
    assert cache(TEXTS[0]) == score(TEXTS[0])
    assert cache.misses == 1
    cache.save()
    assert ScoreCache(tmp_path)(TEXTS[0]) == score(TEXTS[0])


# --- parsed content --------------------------------------------------------------------------


def test_loading_twice_gives_the_same_content_and_the_same_problems(demo: Project) -> None:
    _edit(demo, STORY, "status: published", "status: publishd")
    first = load_content(demo.content)
    second = load_content(demo.content)
    assert second.problems == first.problems
    assert any(p.file.endswith(STORY) and p.field == "status" for p in second.problems)
    assert first.catalog is not None and second.catalog is not None
    assert [s.meta for s in second.catalog.stories] == [s.meta for s in first.catalog.stories]
    _edit(demo, STORY, "status: publishd", "status: published")
    third = load_content(demo.content)
    assert not any(p.file.endswith(STORY) for p in third.problems)


# --- mkdocs serve --dirty ---------------------------------------------------------------------


def _serve_build(project: Project) -> MkDocsConfig:
    """One rebuild as `mkdocs serve --dirty` makes it (config reloaded, plugins kept)."""
    config = load_config(config_file=str(project.root / "mkdocs.yml"), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    return config


def _mtime(project: Project, page: str) -> int:
    return (project.site / page / "index.html").stat().st_mtime_ns


@pytest.mark.parametrize("workers", [False, True])
def test_serve_dirty_rebuilds_only_the_pages_that_changed(
    demo: Project, mkdocs_warnings: Any, request: pytest.FixtureRequest, workers: bool
) -> None:
    if workers:  # shares small enough for other processes on the demo: serve still forks none
        request.getfixturevalue("small_shares")
    config = _serve_build(demo)
    assert config.plugins["followhome"].prerendered == config.plugins["followhome"].filled == 0
    untouched = _mtime(demo, "stories/the-corked-bottle")
    _edit(demo, STORY, "\n\n", "\n\nA sentence added by the editor.\n\n")
    _serve_build(demo)
    page = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added by the editor." in page
    assert _mtime(demo, "stories/the-corked-bottle") == untouched
    # A new value title is in every page's navigation: every page is rebuilt.
    value = demo.content / "values" / "honest-advice.md"
    value.write_text(
        value.read_text(encoding="utf-8").replace("title: ", "title: Renamed — ", 1), encoding="utf-8"
    )
    _serve_build(demo)
    corked = (demo.site / "stories" / "the-corked-bottle" / "index.html").read_text(encoding="utf-8")
    assert "Renamed — " in corked
    assert all("dirty" in w for w in mkdocs_warnings.take())  # MkDocs' own note on dirty builds


# --- links between generated pages --------------------------------------------------------------


@pytest.mark.parametrize("directory_urls", [True, False])
def test_html_links_match_what_mkdocs_makes_of_markdown_links(directory_urls: bool) -> None:
    pages = ["index.md", "stories/index.md", "stories/page/2.md", "stories/a.md", "values/v.md"]
    pages += ["values/v/page/3.md", "how-we-choose-stories.md"]
    for here in pages:
        for there in pages:
            href = addresses.href(here, there, directory_urls)
            base = addresses.url(here, directory_urls)
            folder = base if base.endswith("/") or not base else base.rsplit("/", 1)[0] + "/"
            if "/" not in base and not base.endswith("/"):
                folder = ""
            resolved = _resolve(folder, href)
            assert resolved == addresses.url(there, directory_urls), (here, there, href)


def _resolve(folder: str, href: str) -> str:
    parts = [p for p in folder.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts) + ("/" if href.endswith("/") and parts else "")


# --- composing the outbox in other processes -------------------------------------------------


def _generated(folder: Path, parallel: bool) -> Project:
    root = generate(folder, stories=70, updates=4)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "outbox_dir: outbox\n" in text
    config.write_text(
        text.replace(
            "outbox_dir: outbox\n", f"outbox_dir: outbox\n      parallel: {str(parallel).lower()}\n"
        ),
        encoding="utf-8",
    )
    project = Project(root)
    ask_for_every_email(project)  # the generated items are years old; makes outbox/ and its manifest
    (project.content / "stories" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    )
    _edit(project, "stories/story-00003.md", "\n\n", "\n\n![Logo](logo.svg)\n\n")
    return project


def test_composing_in_other_processes_gives_the_same_outbox_and_warnings(
    tmp_path: Path, mkdocs_warnings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []

    class Counted(email_sync.Background[Any]):
        def __init__(self, work: Any) -> None:
            started.append(work)
            super().__init__(work)

    monkeypatch.setattr(email_sync, "Background", Counted)
    outboxes, warnings = [], []
    for parallel in (True, False):
        project = _generated(tmp_path / str(parallel), parallel)
        build(load_config(config_file=str(project.root / "mkdocs.yml"), strict=False))
        warnings.append(sorted(w for w in mkdocs_warnings.take() if "outbox" in w or "email" in w))
        outboxes.append(_bytes(_outbox(project)))
    assert len(started) >= 1  # the parallel build used other processes, the other did not
    assert len(outboxes[0]) == 74 * 8
    assert outboxes[0] == outboxes[1]
    assert warnings[0] == warnings[1]
    assert any("story-00003" in w and "logo.svg" in w for w in warnings[0])


@pytest.mark.parametrize("parallel", [True, False])
def test_an_unwritable_outbox_is_a_clear_error(tmp_path: Path, parallel: bool) -> None:
    project = _generated(tmp_path / "p", parallel)  # outbox/ and a manifest listing no folder
    (project.root / "outbox" / "stories").write_text("a file where a folder should be", encoding="utf-8")
    run = project.run_build()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "followhome-email" in run.stderr and "cannot write" in run.stderr
    assert str(project.root / "outbox" / "stories") in run.stderr
