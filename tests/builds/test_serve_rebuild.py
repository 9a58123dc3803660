"""Two builds in one process, as `mkdocs serve` does: same pages, no leftover state, and no
page workers forked beside the server's threads."""

from __future__ import annotations

import logging
import threading

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from followhome.cache import background
from tests.builds.test_parallel import mode_lines
from tests.conftest import Project


def _snapshot(project: Project) -> dict[str, str]:
    return {p: t for p, t in project.site_text().items() if not p.endswith("sitemap.xml.gz")}


def test_same_pages_when_built_twice_with_one_plugin_instance(demo: Project) -> None:
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    first = _snapshot(demo)
    # Reuse the same config and plugin instances, as serve does for cached plugins.
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    build(config)
    assert _snapshot(demo) == first


def test_rebuild_picks_up_an_edit_and_a_withdrawal(demo: Project) -> None:
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    build(config)
    story = demo.content / "stories" / "supper-on-a-tuesday.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("title: ", "title: Edited — ", 1), encoding="utf-8")
    build(config)
    page = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert "Edited — " in page
    listing = (demo.site / "stories" / "index.html").read_text(encoding="utf-8")
    assert listing.count("supper-on-a-tuesday/") == 1  # no duplicated entries across rebuilds

    story.write_text(
        text.replace("  reference:", "  withdrawn: 2026-11-20\n  reference:", 1), encoding="utf-8"
    )
    build(config)
    notice = (demo.site / "stories" / "supper-on-a-tuesday" / "index.html").read_text(encoding="utf-8")
    assert "This story is no longer published" in notice
    assert "Callum" not in notice
    assert "supper-on-a-tuesday" not in (demo.site / "stories" / "index.html").read_text(encoding="utf-8")


# --- the speed path under `mkdocs serve` ---------------------------------------------------------

SERVE_REASON = (
    "followhome: pages rendered in this process: `mkdocs serve` runs a server and a file watcher "
    "in threads of this process, which fork() would copy in the middle of their work"
)


@pytest.mark.usefixtures("small_shares")
def test_serve_renders_every_page_in_its_own_process(demo: Project, caplog: pytest.LogCaptureFixture) -> None:
    """However small the shares, `mkdocs serve` never forks page workers, and says so once per
    rebuild; the pages are those of `mkdocs build`."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    build(load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True))
    mode_lines(caplog)
    built = _snapshot(demo)
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    for _ in range(2):
        build(config)
        assert mode_lines(caplog) == [SERVE_REASON]
        plugin = config.plugins["followhome"]
        assert plugin.prerendered == plugin.filled == 0
        assert _snapshot(demo) == built


@pytest.mark.usefixtures("small_shares")
def test_a_build_while_another_thread_runs_stays_in_this_process(
    demo: Project, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mkdocs serve --clean` tells plugins it runs `build`, then rebuilds while its server and
    watcher threads run: no fork then. Once the thread is gone, the workers start again."""
    monkeypatch.setattr(background, "usable_cores", lambda: 2)
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = load_config(config_file=str(demo.root / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait)
    watcher.start()
    try:
        build(config)
    finally:
        stop.set()
        watcher.join()
    assert mode_lines(caplog) == [
        "followhome: pages rendered in this process: 1 other thread is running in this process "
        "(fork() would copy it in the middle of its work)"
    ]
    assert config.plugins["followhome"].prerendered == config.plugins["followhome"].filled == 0
    alone = _snapshot(demo)
    build(config)
    [line] = mode_lines(caplog)
    assert line.startswith("followhome: pages rendered on 2 cores (Linux, mkdocs build, ")
    assert config.plugins["followhome"].prerendered > 0
    assert config.plugins["followhome"].filled > 0
    assert _snapshot(demo) == alone
