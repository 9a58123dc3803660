"""Shared fixtures: a copy of the demo project in a temp dir, builds, a warning guard."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from followhome.mkdocs.speed import pageworkers

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
BIN = Path(sys.executable).parent


@dataclass
class Project:
    """A followhome project (mkdocs.yml, content/, hooks/) in a temp dir."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self) -> None:
        """Build in this process with --strict semantics (raises on any warning)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(config_file=str(self.root / "mkdocs.yml"), strict=True)
        build(config)

    def run_build(self, *extra: str) -> subprocess.CompletedProcess[str]:
        """``mkdocs build --strict`` in a subprocess, as an editor or CI runs it."""
        return run_tool("mkdocs", "build", "--strict", *extra, cwd=self.root)

    def site_text(self) -> dict[str, str]:
        """Every text file under site/, by relative path."""
        out = {}
        for path in sorted(self.site.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".xml", ".json", ".css", ".js", ".txt"}:
                out[path.relative_to(self.site).as_posix()] = path.read_text(encoding="utf-8")
        return out


def is_feed(site_path: str) -> bool:
    """Feed files sit at the site root: feed.xml, stories.atom.xml, value-x.json…"""
    return "/" not in site_path and site_path.endswith((".xml", ".json")) and site_path != "sitemap.xml"


def run_tool(tool: str, *args: str, cwd: Path, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    """Run a console script of the virtual environment (mkdocs, followhome) as a user would."""
    return subprocess.run(
        [str(BIN / tool), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": today},
        check=False,
    )


def ask_for_every_email(project: Project, today: str = TODAY) -> list[str]:
    """``followhome email ID…`` for every story and update that goes to email or social on
    ``today`` (published stories with that consent, current updates), as an editor asks for
    older items: the next build composes the whole outbox, not only what is new within
    ``channels.delivery.window_days``. Returns the ids asked for."""
    from followhome.email.outbox import planned_items
    from followhome.model.loader import load_content
    from followhome.publishing.edition import Edition

    edition = Edition(load_content(project.content).require(), date.fromisoformat(today))
    ids = [planned.source.id for planned in planned_items(edition)]  # no window: every such item
    assert ids, f"nothing in {project.content} goes to email or social"
    run = run_tool("followhome", "email", *ids, cwd=project.root, today=today)
    assert run.returncode == 0, run.stdout + run.stderr
    assert all(f"Asked for {item_id}:" in run.stdout for item_id in ids), run.stdout
    return ids


def copy_demo(dest: Path) -> Project:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "hooks", dest / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return Project(dest)


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offers expire and stories are scheduled relative to a fixed day in tests."""
    monkeypatch.setenv("FOLLOWHOME_TODAY", TODAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(autouse=True)
def _fresh_plugin_instances() -> Iterator[None]:
    """MkDocs keeps the instance of a plugin with on_startup for the next load_config in the
    process (that is how `mkdocs serve` keeps them across rebuilds): a test that told one it
    runs under `serve` must not hand that instance to the next test."""
    yield
    from mkdocs.config.defaults import MkDocsConfig

    MkDocsConfig.plugins.plugin_cache.clear()


@pytest.fixture
def demo(tmp_path: Path) -> Project:
    """A fresh copy of the demo project."""
    return copy_demo(tmp_path / "project")


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other processes render the pages' Markdown and fill their templates on a site as small
    as the demo too (a real site needs 100 generated pages for each process)."""
    monkeypatch.setattr(pageworkers, "SMALLEST_SHARE", 1)


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The demo project, built once per module, with every story's and update's email asked
    for (:func:`ask_for_every_email`): its outbox holds all of them, old and new."""
    old = os.environ.get("FOLLOWHOME_TODAY")
    os.environ["FOLLOWHOME_TODAY"] = TODAY
    try:
        project = copy_demo(tmp_path_factory.mktemp("demo"))
        ask_for_every_email(project)
        project.build()
    finally:
        if old is None:
            os.environ.pop("FOLLOWHOME_TODAY", None)
        else:
            os.environ["FOLLOWHOME_TODAY"] = old
    return project


class WarningLog(logging.Handler):
    """Collects WARNING and above from MkDocs and its plugins."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        """The messages so far; taking them marks them as expected."""
        messages = [r.getMessage() for r in self.records]
        self.records.clear()
        return messages


@pytest.fixture(autouse=True)
def mkdocs_warnings() -> Iterator[WarningLog]:
    """Fail any test that leaves an unexpected MkDocs warning behind (take() them)."""
    handler = WarningLog()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
    leftover = [r.getMessage() for r in handler.records]
    if leftover:
        pytest.fail("unexpected MkDocs warnings:\n" + "\n".join(leftover))


TONE_AGREEMENT: list[str] = []
"""Lines the tone calibration test reports at the end of the run."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TONE_AGREEMENT:
        terminalreporter.write_sep("-", "tone meter agreement with tests/data/tone_labelled.yml")
        for line in TONE_AGREEMENT:
            terminalreporter.write_line(line)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
