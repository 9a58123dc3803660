"""When the speed path runs (a pure decision over its cases), and how many cores a build may use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from markdown.extensions.toc import TocExtension

from followhome.cache import background
from followhome.mkdocs.speed.decision import (
    EVENTS_IN_WORKERS,
    TESTED_EXTENSIONS,
    TESTED_PLUGINS,
    Mode,
    decide,
    extension_name,
)
from followhome.mkdocs.theme import EMOJI, REQUIRED_EXTENSIONS

DEMO_EXTENSIONS = [
    *("toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "md_in_html"),
    *("pymdownx.details", "pymdownx.superfences", "pymdownx.emoji"),
]
DEMO_PLUGINS = ["material/search", "followhome", "followhome-feeds", "followhome-tone", "followhome-email"]
SAFE = {
    "parallel": True,
    "platform": "linux",
    "fork": True,
    "command": "build",
    "threads": 1,
    "extensions": DEMO_EXTENSIONS,
    "plugins": DEMO_PLUGINS,
    "hooks": {"hooks/footer.py": ["on_config"]},
    "pages": 1000,
    "cores": 4,
    "smallest_share": 100,
}


def _decide(**changes: Any) -> Mode:
    return decide(**{**SAFE, **changes})


def test_on_where_every_condition_holds() -> None:
    mode = _decide()
    assert mode == Mode(
        True,
        "Linux, mkdocs build, every Markdown extension and plugin tested, 1000 pages, 4 cores usable",
        4,
    )
    assert mode.workers == 3
    assert mode.message() == (
        "pages rendered on 4 cores (Linux, mkdocs build, every Markdown extension and plugin tested, "
        "1000 pages, 4 cores usable)"
    )
    assert _decide(command="gh-deploy").on  # builds, then pushes: nothing else runs meanwhile


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"parallel": False}, "`parallel: false` in mkdocs.yml"),
        ({"platform": "darwin"}, "the parallel renderer is tested on Linux only, not on 'darwin'"),
        (
            {"platform": "win32", "fork": False},
            "the parallel renderer is tested on Linux only, not on 'win32'",
        ),
        ({"fork": False}, "fork() is not available"),
        (
            {"command": "serve"},
            "`mkdocs serve` runs a server and a file watcher in threads of this process, "
            "which fork() would copy in the middle of their work",
        ),
        (
            {"command": "build", "threads": 3},  # `mkdocs serve --clean` rebuilds say "build"
            "2 other threads are running in this process (fork() would copy them in the middle of their work)",
        ),
        (
            {"threads": 2},
            "1 other thread is running in this process (fork() would copy it in the middle of its work)",
        ),
        (
            {"extensions": [*DEMO_EXTENSIONS, "footnotes"]},
            "the Markdown extension 'footnotes' is not on the list tested with the parallel renderer",
        ),
        (
            {"extensions": [*DEMO_EXTENSIONS, "mkdocs_autorefs._internal.references.AutorefsExtension"]},
            "the Markdown extension 'mkdocs_autorefs._internal.references.AutorefsExtension' is not on "
            "the list tested with the parallel renderer",
        ),
        (
            {"plugins": [*DEMO_PLUGINS, "autorefs"]},
            "the plugin 'autorefs' is not on the list tested with the parallel renderer",
        ),
        (
            {"plugins": ["search", "followhome"]},
            "the plugin 'search' is not on the list tested with the parallel renderer",
        ),
        (
            {"hooks": {"hooks/footer.py": ["on_config"], "hooks/glossary.py": ["on_env", "on_page_context"]}},
            "the hook 'hooks/glossary.py' implements on_env, on_page_context, which would run in the other processes",
        ),
        (
            {"hooks": {"hooks/x.py": ["on_pre_page"]}},
            "the hook 'hooks/x.py' implements on_pre_page, which would run in the other processes",
        ),
        ({"cores": 1}, "this process may use 1 core"),
        ({"pages": 199}, "199 pages to render, fewer than the 200 worth sharing (100 for each process)"),
        ({"pages": 0}, "0 pages to render, fewer than the 200 worth sharing (100 for each process)"),
    ],
)
def test_off_with_the_first_reason_that_holds(changes: dict[str, Any], reason: str) -> None:
    mode = _decide(**changes)
    assert mode == Mode(False, reason, 1)
    assert mode.workers == 0
    assert mode.message() == f"pages rendered in this process: {reason}"


def test_the_first_reason_is_the_one_given() -> None:
    everything = {"parallel": False, "platform": "darwin", "command": "serve", "extensions": ["footnotes"]}
    assert _decide(**everything).reason == "`parallel: false` in mkdocs.yml"
    assert _decide(command="serve", extensions=["footnotes"]).reason.startswith("`mkdocs serve`")
    assert _decide(extensions=["footnotes"], plugins=["blog"]).reason.startswith("the Markdown extension")


@pytest.mark.parametrize(
    ("pages", "cores", "processes"),
    [(200, 4, 2), (299, 4, 2), (300, 4, 3), (1000, 4, 4), (100_000, 2, 2), (250, 16, 2)],
)
def test_processes_never_exceed_the_cores_or_the_shares(pages: int, cores: int, processes: int) -> None:
    mode = _decide(pages=pages, cores=cores)
    assert mode.on
    assert mode.processes == processes


def test_hooks_with_only_events_of_the_builds_process_keep_it_on() -> None:
    events = ["on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content", "on_post_page"]
    assert _decide(hooks={"hooks/a.py": events, "hooks/b.py": ["on_post_build"]}).on
    for event in EVENTS_IN_WORKERS:
        assert not _decide(hooks={"hooks/a.py": [*events, event]}).on


def test_the_allowlists_hold_what_followhome_itself_adds_and_nothing_more() -> None:
    assert set(DEMO_EXTENSIONS) == TESTED_EXTENSIONS  # the byte-for-byte tests build with each
    assert {*REQUIRED_EXTENSIONS, EMOJI} <= TESTED_EXTENSIONS
    assert set(DEMO_PLUGINS) == TESTED_PLUGINS


def test_extension_names() -> None:
    assert extension_name("toc") == "toc"
    assert extension_name("markdown.extensions.footnotes") == "footnotes"
    assert extension_name("pymdownx.emoji") == "pymdownx.emoji"
    # An instance (as a plugin adds it) is named by its class: never on the list.
    assert extension_name(TocExtension()) == "markdown.extensions.toc.TocExtension"
    assert extension_name(TocExtension()) not in TESTED_EXTENSIONS


# --- cores ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cores"),
    [
        ("max 100000\n", None),
        ("200000 100000\n", 2),
        ("150000 100000", 1),  # 1.5 CPUs: never more than the quota
        ("50000 100000", 1),  # half a CPU: still one process
        ("800000 100000", 8),
        ("", None),
        ("garbage", None),
        ("1 2 3", None),
        ("x 100000", None),
        ("100000 0", None),
    ],
)
def test_quota_cores(text: str, cores: int | None) -> None:
    assert background.quota_cores(text) == cores


def _cpu_max(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cpu.max").write_text(text, encoding="utf-8")


def test_cgroup_cores_takes_the_tightest_quota_from_the_process_up(tmp_path: Path) -> None:
    root = tmp_path / "cgroup"
    _cpu_max(root, "max 100000\n")  # a container's own root, no quota
    assert background.cgroup_cores(root, "/") is None
    _cpu_max(root / "system.slice", "300000 100000\n")
    _cpu_max(root / "system.slice" / "build.service", "max 100000\n")
    assert background.cgroup_cores(root, "/system.slice/build.service") == 3
    _cpu_max(root, "200000 100000\n")
    assert background.cgroup_cores(root, "/system.slice/build.service") == 2
    assert background.cgroup_cores(root, "/") == 2
    assert background.cgroup_cores(tmp_path / "none", "/") is None  # no cgroup v2
    assert background.cgroup_cores(root, "/../../etc") == 2  # a path it does not follow


def test_usable_cores_is_the_affinity_and_the_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    affinity = len(os.sched_getaffinity(0))
    monkeypatch.setattr(background, "cgroup_cores", lambda: None)
    assert background.usable_cores() == affinity
    monkeypatch.setattr(background, "cgroup_cores", lambda: 1)
    assert background.usable_cores() == 1
    monkeypatch.setattr(background, "cgroup_cores", lambda: 10_000)
    assert background.usable_cores() == affinity


def test_usable_cores_follows_the_affinity_of_the_process() -> None:
    """``taskset -c 0 mkdocs build``: one core, whatever the machine has."""
    before = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(before)})
        assert background.usable_cores() == 1
        assert background.shares(list(range(1000)), 10) is not None
        assert len(background.shares(list(range(1000)), 10) or []) == 1
    finally:
        os.sched_setaffinity(0, before)
