"""A build killed at any moment leaves nothing the next build would take for finished work.

Builds of a copy of the demo are killed (SIGKILL to the build and its workers) at random
points spread over a build's duration, each starting from whatever the previous one left in
``.cache/``, ``outbox/`` and ``site/``; one complete build then gives a site and an outbox
byte for byte the same as a clean build's.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import BIN, TODAY, Project, copy_demo

KILLS = 25
SEED = 20261123


def _start(project: Project) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=project.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": TODAY},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the workers it forks are killed with it
    )


def _build(project: Project) -> float:
    """A complete build; its duration in seconds."""
    start = time.perf_counter()
    process = _start(project)
    _, errors = process.communicate()
    assert process.returncode == 0, errors.decode()
    return time.perf_counter() - start


def _kill(project: Project, after: float) -> bool:
    """A build killed ``after`` seconds in; whether it was still running."""
    process = _start(project)
    time.sleep(after)
    with contextlib.suppress(ProcessLookupError):  # finished already
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    return process.returncode == -signal.SIGKILL


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_25_kills_then_one_build_give_the_clean_builds_site_and_outbox(tmp_path: Path) -> None:
    clean = copy_demo(tmp_path / "clean")
    duration = _build(clean)  # how long a first build takes, to spread the kills over it
    killed = copy_demo(tmp_path / "killed")
    rng = random.Random(SEED)
    # Earliest first: each build gets a little further than the one before it, from what that
    # one left, so the kills sweep the whole of a first build as well as of the builds after.
    points = sorted(rng.random() for _ in range(KILLS))
    stopped = [_kill(killed, point * duration) for point in points]
    assert sum(stopped) >= KILLS // 3, stopped  # killed mid-build, not after it
    assert (killed.root / ".cache").exists()  # the kills left work behind for the next build

    _build(killed)

    # The clean build again, right before comparing: with the same followhome code.
    for folder in ("site", "outbox", ".cache"):
        shutil.rmtree(clean.root / folder)
    _build(clean)
    for folder in ("site", "outbox"):
        assert _files(killed.root / folder) == _files(clean.root / folder), folder
    cards = killed.root / ".cache" / "followhome" / "cards"
    assert _files(cards) == _files(clean.root / ".cache" / "followhome" / "cards")
    leftovers = sorted(p.name for p in (killed.root / ".cache" / "followhome").iterdir())
    assert leftovers == ["cards", "front-matter.json", "tone-scores.json"]
