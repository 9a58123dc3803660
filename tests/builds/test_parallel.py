"""Work shared with other processes gives what one process gives: the content loaded, the
pages rendered, the warnings logged; the garbage collector's settings come back after."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from lxml import html
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

import followhome.model.loader as loader
from followhome.cache import background
from followhome.mkdocs.collector import BUILD_THRESHOLDS
from tests.conftest import WarningLog, copy_demo
from tests.helpers import minimal_project, story, update

needs_fork = pytest.mark.skipif(not background.available(), reason="fork() is POSIX only")
PARENT = os.getpid()


def _square_here_only(number: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("a bug in the other process")
    return number * number


@needs_fork
def test_map_on_cores_keeps_the_order() -> None:
    tasks = list(range(1000))
    assert background.map_on_cores(str, tasks, 10) == [str(n) for n in tasks]
    assert background.map_on_cores(str, tasks[:5], 10) == ["0", "1", "2", "3", "4"]
    assert background.map_on_cores(str, [], 10) == []


@needs_fork
def test_map_on_cores_redoes_a_failed_share_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background.multiprocessing, "cpu_count", lambda: 3)
    tasks = list(range(90))
    assert background.map_on_cores(_square_here_only, tasks, 10) == [n * n for n in tasks]


@needs_fork
def test_content_parsed_on_cores_is_the_content_parsed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    minimal_project(tmp_path)
    stories = tmp_path / "content" / "stories"
    stories.mkdir()
    for n in range(40):
        text = story(id=f"s-{n:08x}", title=f"Story {n}", date=f"2026-03-{n % 28 + 1:02d}")
        (stories / f"story-{n:02d}.md").write_text(text, encoding="utf-8")
    (stories / "no-front-matter.md").write_text("Just text.\n", encoding="utf-8")
    (stories / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (stories / "bad-date.md").write_text(story(id="s-0000dddd", date="2026-13-40"), encoding="utf-8")
    (tmp_path / "content" / "updates").mkdir()
    (tmp_path / "content" / "updates" / "news.md").write_text(update(), encoding="utf-8")
    results = []
    for parallel_from in (10**9, 5):
        monkeypatch.setattr(loader, "PARALLEL_FROM", parallel_from)
        loader._memo.clear()  # parse every file again
        results.append(loader.load_content(tmp_path / "content"))
    alone, shared = results
    assert shared.require() == alone.require()
    assert len(alone.require().stories) == 40
    assert shared.problems == alone.problems
    assert {p.file.rsplit("/", 1)[-1] for p in alone.problems} >= {
        "no-front-matter.md",
        "bad-yaml.md",
        "bad-date.md",
    }


def _build(project: Path, parallel: bool) -> tuple[dict[str, bytes], MkDocsConfig]:
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace("  - followhome:\n", f"  - followhome:\n      parallel: {str(parallel).lower()}\n", 1),
        encoding="utf-8",
    )
    config = load_config(config_file=str(config_file), strict=False)
    build(config)
    site = project / "site"
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    pages["search/search_index.json"] = (site / "search" / "search_index.json").read_bytes()
    return pages, config


@needs_fork
@pytest.mark.usefixtures("small_shares")
def test_pages_rendered_by_workers_are_the_same(tmp_path: Path) -> None:
    """Every page and the search index, byte for byte, with and without the workers."""
    alone, _ = _build(copy_demo(tmp_path / "alone").root, parallel=False)
    shared, config = _build(copy_demo(tmp_path / "shared").root, parallel=True)
    plugin = config.plugins["followhome"]
    assert plugin.prerendered > 0  # Markdown rendered by a worker
    assert plugin.filled > 0  # templates filled by a worker
    assert sorted(shared) == sorted(alone)
    assert [path for path in shared if shared[path] != alone[path]] == []


@needs_fork
@pytest.mark.usefixtures("small_shares")
def test_warnings_of_pages_rendered_by_workers_are_logged_once(
    tmp_path: Path, mkdocs_warnings: WarningLog
) -> None:
    """A broken link in every story: each story's warning once, as without the workers,
    so `--strict` fails the same way."""
    found = {}
    for parallel in (False, True):
        project = copy_demo(tmp_path / str(parallel))
        for path in (project.content / "stories").glob("*.md"):
            with path.open("a", encoding="utf-8") as file:
                file.write("\nSee [our old page](gone.md).\n")
        _, config = _build(project.root, parallel)
        found[parallel] = [m for m in mkdocs_warnings.take() if "gone.md" in m]
        assert (config.plugins["followhome"].prerendered > 0) == parallel
    assert found[True] == found[False]
    assert len(found[True]) >= 5


STAMP_HOOK = """\
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src.startswith("stories/") and src != "stories/index.md":
        return markdown + "\\n\\nStamped by a hook.\\n"
    return markdown
"""


@needs_fork
@pytest.mark.usefixtures("small_shares")
def test_a_page_another_plugin_changed_is_rendered_again(tmp_path: Path) -> None:
    project = copy_demo(tmp_path / "project").root
    (project / "hooks" / "stamp.py").write_text(STAMP_HOOK, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("hooks:\n", "hooks:\n  - hooks/stamp.py\n", 1), encoding="utf-8")
    pages, config = _build(project, parallel=True)
    stamped = [p for p in pages if p.startswith("stories/") and b"Stamped by a hook." in pages[p]]
    listed = [p for p in pages if b'class="fh-story-details"' in pages[p]]  # every story page
    assert sorted(stamped) == sorted(listed)
    assert config.plugins["followhome"].prerendered > 0  # the other pages still took the workers' work


def test_collector_settings_come_back_after_a_build(tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    before = gc.get_threshold()
    assert before != BUILD_THRESHOLDS
    project = minimal_project(tmp_path / "ok")
    (project / "watch.py").write_text(
        "import gc\n\ndef on_files(files, config):\n    config.extra['gc'] = list(gc.get_threshold())\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as file:
        file.write("hooks:\n  - watch.py\n")
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=False)
    build(config)
    assert config.extra["gc"] == list(BUILD_THRESHOLDS)
    assert gc.get_threshold() == before
    broken = minimal_project(tmp_path / "broken")
    (broken / "content" / "brand.yml").write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(Abort):
        build(load_config(config_file=str(broken / "mkdocs.yml"), strict=False))
    assert any("brand.yml" in message for message in mkdocs_warnings.take())
    assert gc.get_threshold() == before


@needs_fork
@pytest.mark.usefixtures("small_shares")
def test_a_nav_written_in_mkdocs_yml_keeps_its_titles(tmp_path: Path, mkdocs_warnings: WarningLog) -> None:
    """MkDocs keeps a page a plugin made for a file: the workers' pages are made only for
    files the nav does not name, so the nav's own titles stay."""
    project = copy_demo(tmp_path / "project").root
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as file:
        file.write(
            "nav:\n  - Welcome: index.md\n  - Every story: stories/index.md\n  - Sign up: subscribe.md\n"
        )
    pages, config = _build(project, parallel=True)
    mkdocs_warnings.take()  # the value pages are left out of this nav on purpose
    assert config.plugins["followhome"].prerendered > 0
    assert config.plugins["followhome"].filled > 0
    tree = html.fromstring(pages["stories/the-corked-bottle/index.html"])
    tabs = [" ".join(a.text_content().split()) for a in tree.cssselect("a.md-tabs__link")]
    assert tabs == ["Welcome", "Every story", "Sign up"]


COUNT_HOOK = """\
seen = []

def on_page_context(context, page, config, nav):
    seen.append(page.file.src_uri)
    if page.file.src_uri.startswith("stories/"):
        page.content += f"<p>Page {len(seen)} this process filled.</p>"
    return context
"""


@needs_fork
@pytest.mark.usefixtures("small_shares")
def test_a_page_a_plugin_changed_differently_in_a_worker_is_filled_again(tmp_path: Path) -> None:
    """A hook that counts pages in on_page_context counts differently in a worker: the build
    sees the page is not what the worker filled and fills the template itself."""
    built = {}
    for parallel in (False, True):
        project = copy_demo(tmp_path / str(parallel)).root
        (project / "hooks" / "count.py").write_text(COUNT_HOOK, encoding="utf-8")
        config_file = project / "mkdocs.yml"
        text = config_file.read_text(encoding="utf-8")
        config_file.write_text(text.replace("hooks:\n", "hooks:\n  - hooks/count.py\n", 1), encoding="utf-8")
        built[parallel], config = _build(project, parallel)
    assert [path for path in built[True] if built[True][path] != built[False][path]] == []
    assert sorted(built[True]) == sorted(built[False])
    counted = [path for path in built[True] if b"this process filled" in built[True][path]]
    assert len(counted) >= 5
    assert config.plugins["followhome"].filled > 0  # the pages the hook left alone
