"""Feeds, email fragments and the tone meter, timed as the build runs them.

    python -m benchmarks.offsite [--stories 10000] [--updates 1000]

Loads the synthetic site's mkdocs.yml, lets the content plugin load the content, then
times the ``followhome-feeds``, ``followhome-email`` (composing and writing the outbox) and
``followhome-tone`` plugin events themselves: first with no outbox and no cache (a first
build), then again (every later build, where only what changed is redone).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

from benchmarks.common import scratch, size_arguments
from benchmarks.generate import generate

STEPS = ("followhome-feeds", "followhome-email", "followhome-tone")


def _timed_build_steps(config_file: Path) -> dict[str, float]:
    config: MkDocsConfig = load_config(config_file=str(config_file), strict=False)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugins = config.plugins
    files = get_files(config)
    plugins["followhome"].on_files(files, config=config)  # adds the site's pages to files
    seconds = {}
    for name in STEPS:
        started = time.perf_counter()
        plugins[name].on_files(files, config=config)
        if name == "followhome-email":
            plugins[name].on_post_build(config=config)  # writes the outbox
        seconds[name] = time.perf_counter() - started
    return seconds


def run(stories: int, updates: int) -> dict[str, dict[str, float]]:
    """Seconds per step, for the first build (``cold``) and the next one (``warm``)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("FOLLOWHOME_TODAY", "2026-11-23")
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the INFO lines of each step would only add noise
    try:
        with scratch() as tmp:
            project = generate(Path(tmp), stories, updates)
            cold = _timed_build_steps(project / "mkdocs.yml")
            warm = _timed_build_steps(project / "mkdocs.yml")
    finally:
        logger.setLevel(level)
    return {"cold": cold, "warm": warm}


def main() -> None:
    args = size_arguments(__doc__)
    result = run(args.stories, args.updates)
    print(f"{args.stories} stories + {args.updates} updates")
    print(f"{'step':<20} {'first build s':>14} {'next build s':>13}")
    for name in STEPS:
        print(f"{name:<20} {result['cold'][name]:14.2f} {result['warm'][name]:13.2f}")
    print(f"{'together':<20} {sum(result['cold'].values()):14.2f} {sum(result['warm'].values()):13.2f}")


if __name__ == "__main__":
    main()
