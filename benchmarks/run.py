"""followhome against plain MkDocs on the same content, at several sizes.

    python -m benchmarks.run [--sizes 1000 5000 10000] [--runs 3] [--serve]
                             [--settle 35] [--markdown section.md]

For each size N it generates a synthetic site (N stories, N/10 updates, 5 values) and, in
one run, alternates three builds:

(a) plain: MkDocs + Material on the same Markdown files (brand.yml left out, the raw
    story/update/value files as pages, a flat nav of the home page only, no followhome
    plugins or hooks), themed as the followhome site ends up: the project's theme settings
    and Markdown extensions plus what the brand sets (palette with its light/dark toggle,
    logo, language, the two style sheets, site URL and description);
(b) followhome, first build: the demo's mkdocs.yml, i.e. pages, listings, value pages,
    feeds, the email outbox, the tone meter and social cards, with no cache and no outbox
    (a fresh clone, or CI without its cache);
(c) followhome, next build: the same again, reusing the cards, tone scores and outbox
    folders of (b) (every later build on a machine or a CI cache that keeps .cache/ and
    outbox/).

Each build runs under :mod:`benchmarks.proctree`, which measures the whole process tree
the build starts (its forked workers included): wall time; CPU time, user + system of every
process of the tree (including any the build would not wait for); and the peak memory of
the tree, the highest sum of the processes' PSS, sampled from /proc every 50 ms or more.
It reports, per size, the median wall and CPU times, the highest peak memory, and the
ratios b/a and c/a of each; then how the times grew from the smallest size to each larger
one, the targets with whether they are met (ratios at 3,000 and 10,000 stories,
time(10,000) / time(1,000)), and the whole as a section for ``benchmarks/results.md``
(also written to ``--markdown``). With --serve it also measures how long `mkdocs serve`
takes to rebuild after one story is edited at the first size, without and with --dirty,
and the CPU time its process tree used meanwhile.

Every build writes its site into a new folder, as a build in CI (a fresh clone) does, and
nothing is deleted while builds are timed: old sites and caches are moved aside and deleted
between sizes, followed by a pause (:data:`SETTLE`). On ext4 without a journal (as on the
machine the results were measured on) the kernel skips inodes freed in the last 30 s when
it makes a file, scanning past each of them: a build right after MkDocs cleaned out the
previous site spent up to 2x as long making its files, by an amount that grew with the
number of files deleted, so the timings said more about the last deletion than the build.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import yaml
from mkdocs.config.defaults import MkDocsConfig

from benchmarks.common import scratch
from benchmarks.generate import generate
from benchmarks.proctree import Usage, measure_command, tree_cpu_seconds
from followhome.mkdocs.theme import apply_brand
from followhome.model.content import Brand
from followhome.model.loader import load_content
from followhome.pages.theme import BRAND_CSS, COMPONENTS_CSS, brand_css, components_css

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(ROOT / ".venv" / "bin" / "mkdocs")
SETTLE = 35
"""Seconds to wait after deleting sites, so the next builds make their files at full speed."""
SAMPLE_EVERY = 0.05
"""Seconds between samples of a build's process tree memory (at least; see proctree)."""
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FOLLOWHOME_TODAY": "2026-11-23"}
PLAIN_HEAD = """site_name: Plain
docs_dir: content
plugins:
  - search
nav:
  - index.md
"""


def _top_level_block(config: str, key: str) -> str:
    """The text of one top-level key of a YAML file, tags (!!python/name) left as they are."""
    lines = config.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i] and not lines[i][0].isspace() and lines[i][0] != "#"
        ),
        len(lines),
    )
    return "\n".join(lines[start:end]).rstrip() + "\n"


def plain_config(followhome_config: str, brand: Brand | None = None) -> str:
    """The followhome project's theme and Markdown extensions, without followhome's plugins or
    hooks; with ``brand``, also what the brand sets on the theme (see :func:`apply_brand`)."""
    theme = _top_level_block(followhome_config, "theme")
    head = PLAIN_HEAD
    if brand is not None:
        branded = SimpleNamespace(
            site_url=None, site_description=None, theme=yaml.safe_load(theme)["theme"], extra_css=[]
        )
        apply_brand(cast(MkDocsConfig, branded), brand)
        settings = {
            "site_url": branded.site_url,
            "site_description": branded.site_description,
            "extra_css": branded.extra_css,
        }
        head += yaml.safe_dump(settings, sort_keys=False, allow_unicode=True)
        theme = yaml.safe_dump({"theme": branded.theme}, sort_keys=False, allow_unicode=True)
    return head + theme + _top_level_block(followhome_config, "markdown_extensions")


def _build(project: Path, site: Path) -> Usage:
    """Wall time, CPU time and peak memory of one `mkdocs build` into the new folder ``site``
    and of every process it starts (see :mod:`benchmarks.proctree`)."""
    return measure_command(
        [MKDOCS, "build", "-q", "--site-dir", str(site)], cwd=project, env=ENV, every=SAMPLE_EVERY
    )


def _plain(followhome: Path, out: Path) -> Path:
    content = out / "content"
    shutil.copytree(followhome / "content", content, ignore=shutil.ignore_patterns("brand.yml"))
    brand = load_content(followhome / "content").require().brand
    config = plain_config((followhome / "mkdocs.yml").read_text(encoding="utf-8"), brand)
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    for path, css in (
        (COMPONENTS_CSS, components_css()),
        (BRAND_CSS, brand_css(brand.config.image.palette)),
    ):
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(css, encoding="utf-8")
    return out


def _forget_caches(project: Path, aside: Path) -> None:
    """What a first build (or CI without a cache) starts from: no cards, scores or outbox.
    They are moved into ``aside`` (a new folder), to be deleted later (see :data:`SETTLE`)."""
    aside.mkdir(parents=True)
    for folder in (".cache", "outbox"):
        if (project / folder).exists():
            (project / folder).rename(aside / folder)


def ratios(row: dict[str, float]) -> dict[str, float]:
    """``row`` with the first (``cold``) and next (``warm``) builds' wall time, CPU time and
    peak memory divided by the plain build's: ``cold_ratio`` and ``warm_ratio`` (wall),
    ``cold_cpu_ratio``, ``warm_cpu_ratio``, ``cold_mb_ratio`` and ``warm_mb_ratio``."""
    done = dict(row)
    for phase in ("cold", "warm"):
        for measure_key, ratio_key in (("s", "ratio"), ("cpu_s", "cpu_ratio"), ("mb", "mb_ratio")):
            done[f"{phase}_{ratio_key}"] = row[f"{phase}_{measure_key}"] / row[f"plain_{measure_key}"]
    return done


def measure(size: int, runs: int, settle: float = SETTLE) -> dict[str, float]:
    """The plain build, followhome's first build (``cold``: no cache, no outbox) and its next
    build (``warm``: only what changed is redone), each ``runs`` times, alternating: per
    build ``{phase}_s`` (median wall seconds), ``{phase}_cpu_s`` (median CPU seconds, user +
    system, of every process of the build), ``{phase}_mb`` (highest peak PSS of the process
    tree), ``{phase}_rss_mb`` (highest peak RSS of its largest process) and
    ``{phase}_strays`` (most processes left for the wrapper to wait for); and the
    :func:`ratios` to the plain build."""
    phases = ("plain", "cold", "warm")
    with scratch() as tmp:
        base = Path(tmp)
        full = generate(base / "followhome", size, size // 10)
        plain = _plain(full, base / "plain")
        usages: dict[str, list[Usage]] = {name: [] for name in phases}
        for run in range(runs):  # alternate, so drift on the machine hits all alike
            for name, project in (("plain", plain), ("cold", full), ("warm", full)):
                if name == "cold":
                    _forget_caches(full, base / "aside" / str(run))
                usages[name].append(_build(project, base / "sites" / f"{name}-{run}"))
        result: dict[str, float] = {}
        for name, done in usages.items():
            result[f"{name}_s"] = statistics.median(u.wall_s for u in done)
            result[f"{name}_cpu_s"] = statistics.median(u.cpu_s for u in done)
            result[f"{name}_mb"] = max(u.peak_pss_mb for u in done)
            result[f"{name}_rss_mb"] = max(u.max_rss_mb for u in done)
            result[f"{name}_strays"] = max(u.strays for u in done)
    time.sleep(settle)  # the scratch folder is deleted
    return ratios(result)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_rebuild(size: int, dirty: bool = False) -> tuple[float, float]:
    """Wall seconds from saving an edited story to `mkdocs serve` finishing its rebuild
    (``--dirty``: MkDocs rebuilds only the pages that changed), and the CPU seconds the
    server's process tree used meanwhile (read from /proc, see :func:`tree_cpu_seconds`)."""
    with scratch() as tmp:
        project = generate(Path(tmp) / "site", size, size // 10)
        process = subprocess.Popen(
            [
                MKDOCS,
                "serve",
                "-a",
                f"127.0.0.1:{_free_port()}",
                *(["--dirty", "--no-strict"] if dirty else []),
            ],
            cwd=project,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if "Serving on" in line:
                    break
            time.sleep(2)
            story = project / "content" / "stories" / "story-00007.md"
            cpu = tree_cpu_seconds(process.pid)
            story.write_text(
                story.read_text(encoding="utf-8") + "\nOne more sentence, edited.\n", encoding="utf-8"
            )
            edited = time.perf_counter()
            for line in process.stdout:
                if re.search(r"Documentation built in", line):
                    return time.perf_counter() - edited, tree_cpu_seconds(process.pid) - cpu
            raise RuntimeError("mkdocs serve stopped before rebuilding")
        finally:
            process.terminate()
            process.wait(timeout=30)


NEXT_WALL = 1.15
"""Target: a next build at most this many times the plain build's wall time."""
NEXT_CPU = 1.4
"""Target: a next build at most this many times the plain build's CPU time."""
TREE_MEMORY = 2.0
"""Target: the peak memory of a build's process tree at most this many times the plain one's."""
GROWTH = (1000, 10000, 11.0)
"""Target: time(10,000) / time(1,000) at most 11."""
TARGET_SIZES = (3000, 10000)
"""The sizes the ratio targets are set at."""

_COLUMNS = (
    # (header, key, format)
    ("plain s", "plain_s", ".1f"),
    ("first s", "cold_s", ".1f"),
    ("ratio", "cold_ratio", ".2f"),
    ("next s", "warm_s", ".1f"),
    ("ratio", "warm_ratio", ".2f"),
    ("plain CPU s", "plain_cpu_s", ".1f"),
    ("first CPU s", "cold_cpu_s", ".1f"),
    ("ratio", "cold_cpu_ratio", ".2f"),
    ("next CPU s", "warm_cpu_s", ".1f"),
    ("ratio", "warm_cpu_ratio", ".2f"),
    ("plain MB", "plain_mb", ".0f"),
    ("first MB", "cold_mb", ".0f"),
    ("ratio", "cold_mb_ratio", ".2f"),
    ("next MB", "warm_mb", ".0f"),
    ("ratio", "warm_mb_ratio", ".2f"),
)
PHASE_NAMES = {"cold": "first build", "warm": "next build"}


def table_header() -> list[str]:
    """The two header lines of the results table: wall time, CPU time and peak memory of the
    process tree, each for the plain, first and next builds, with the ratios to plain."""
    return [
        "| N | " + " | ".join(header for header, _, _ in _COLUMNS) + " |",
        "| ---: |" + " ---: |" * len(_COLUMNS),
    ]


def table_row(size: int, row: dict[str, float]) -> str:
    return f"| {size:,} | " + " | ".join(format(row[key], spec) for _, key, spec in _COLUMNS) + " |"


def growth(results: dict[int, dict[str, float]], phase: str, key: str, small: int, large: int) -> float:
    """time(large) / time(small) of one build (``cold`` or ``warm``); ``key`` is ``s`` (wall)
    or ``cpu_s``."""
    return results[large][f"{phase}_{key}"] / results[small][f"{phase}_{key}"]


def growth_lines(results: dict[int, dict[str, float]]) -> list[str]:
    """For each size against the smallest: how wall and CPU time grew, beside linear."""
    small = min(results)
    lines = []
    for large in sorted(results):
        if large == small:
            continue
        parts = [
            f"{PHASE_NAMES[phase]} {growth(results, phase, 's', small, large):.2f} "
            f"(CPU {growth(results, phase, 'cpu_s', small, large):.2f})"
            for phase in ("cold", "warm")
        ]
        lines.append(
            f"time({large:,}) / time({small:,}): {', '.join(parts)}; linear would be {large / small:.2f}."
        )
    return lines


def _verdict(value: float, limit: float) -> str:
    return f"{value:.2f}: {'met' if value <= limit else '**not met**'}"


def target_lines(results: dict[int, dict[str, float]]) -> list[str]:
    """The targets as a Markdown table, each with its measured value and whether it is met;
    ratio targets at the measured sizes among :data:`TARGET_SIZES`."""
    lines = ["| target | N | first build | next build |", "| --- | ---: | ---: | ---: |"]
    sizes = [size for size in sorted(results) if size in TARGET_SIZES]
    for size in sizes:
        row = results[size]
        lines += [
            f"| wall <= {NEXT_WALL} x plain (next build) | {size:,} | {row['cold_ratio']:.2f} "
            f"| {_verdict(row['warm_ratio'], NEXT_WALL)} |",
            f"| CPU <= {NEXT_CPU} x plain (next build) | {size:,} | {row['cold_cpu_ratio']:.2f} "
            f"| {_verdict(row['warm_cpu_ratio'], NEXT_CPU)} |",
            f"| peak memory of the process tree <= {TREE_MEMORY} x plain | {size:,} "
            f"| {_verdict(row['cold_mb_ratio'], TREE_MEMORY)} | {_verdict(row['warm_mb_ratio'], TREE_MEMORY)} |",
        ]
    small, large, limit = GROWTH
    if small in results and large in results:
        first, nxt = (
            _verdict(growth(results, phase, "s", small, large), limit) for phase in ("cold", "warm")
        )
        lines.append(f"| time({large:,}) / time({small:,}) <= {limit:.0f} | | {first} | {nxt} |")
    if not sizes:
        lines.append(
            f"| ratio targets are set at {' and '.join(f'{n:,}' for n in TARGET_SIZES)} stories | none measured | | |"
        )
    if small not in results or large not in results:
        lines.append(
            f"| time({large:,}) / time({small:,}) <= {limit:.0f} | not measured: needs --sizes {small} ... {large} | | |"
        )
    return lines


def markdown(
    results: dict[int, dict[str, float]],
    command: str,
    serve: list[str] | None = None,
    when: str | None = None,
) -> str:
    """The section to add to ``benchmarks/results.md`` for one run."""
    when = when or f"{datetime.date.today().isoformat()}, {_commit()}"
    lines = [
        f"### {when}: `{command}`",
        "",
        "Medians of the alternating runs for wall and CPU time; CPU is user + system time of the",
        "build and of every process it started (counted when each ends, see",
        "`benchmarks/proctree.py`); MB is the peak PSS of the whole process tree, sampled from",
        "/proc every 50 ms or more, the highest of the runs. Ratios are to the plain build.",
        "",
        *table_header(),
        *(table_row(size, results[size]) for size in sorted(results)),
        "",
        *growth_lines(results),
        *(serve or []),
        "",
        *target_lines(results),
    ]
    strays = {
        size: row
        for size, row in results.items()
        if any(row[f"{p}_strays"] for p in ("plain", "cold", "warm"))
    }
    if strays:
        lines += ["", "Processes not waited for by the build that started them (counted all the same):"]
        lines += [
            f"N = {size:,}: " + ", ".join(f"{p} {row[f'{p}_strays']:.0f}" for p in ("plain", "cold", "warm"))
            for size, row in sorted(strays.items())
        ]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _commit() -> str:
    try:
        run = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    return run.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument(
        "--settle", type=float, default=SETTLE, help="seconds to wait after deleting a size's sites"
    )
    parser.add_argument("--markdown", type=Path, help="also write the section for results.md to this file")
    args = parser.parse_args(argv)
    for line in table_header():
        print(line)
    results = {}
    for size in args.sizes:
        row = measure(size, args.runs, settle=args.settle)
        results[size] = row
        print(table_row(size, row), flush=True)
    for line in growth_lines(results):
        print(line)
    serve = []
    if args.serve:
        size = args.sizes[0]
        full = serve_rebuild(size)
        dirty = serve_rebuild(size, dirty=True)
        serve.append(
            f"`mkdocs serve` after editing one story's body, N = {size:,}: {full[0]:.1f} s "
            f"(CPU {full[1]:.1f} s) full rebuild, {dirty[0]:.1f} s (CPU {dirty[1]:.1f} s) with `--dirty`."
        )
        print(serve[-1])
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    section = markdown(results, command.strip(), serve)
    print("\nFor benchmarks/results.md:\n")
    print(section, end="")
    if args.markdown:
        args.markdown.write_text(section, encoding="utf-8")


if __name__ == "__main__":
    main()
