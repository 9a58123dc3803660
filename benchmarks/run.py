"""followhome against plain MkDocs on the same content, at several sizes.

    python -m benchmarks.run [--sizes 1000 5000 10000] [--runs 3] [--serve]

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

It reports the median wall time, the peak memory (max RSS of the build process) and the
ratios b/a and c/a. With --serve it also measures how long `mkdocs serve` takes to rebuild
after one story is edited at the first size, without and with --dirty.

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
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import yaml
from mkdocs.config.defaults import MkDocsConfig

from benchmarks.common import scratch
from benchmarks.generate import generate
from followhome.mkdocs.theme import apply_brand
from followhome.model.content import Brand
from followhome.model.loader import load_content
from followhome.pages.theme import BRAND_CSS, COMPONENTS_CSS, brand_css, components_css

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(ROOT / ".venv" / "bin" / "mkdocs")
SETTLE = 35
"""Seconds to wait after deleting sites, so the next builds make their files at full speed."""
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


def _build(project: Path, site: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one `mkdocs build` into the new folder ``site``; RSS
    from GNU time when present."""
    time_bin = "/usr/bin/time"
    prefix = [time_bin, "-f", "%M"] if Path(time_bin).exists() else []
    started = time.perf_counter()
    run = subprocess.run(
        [*prefix, MKDOCS, "build", "-q", "--site-dir", str(site)],
        cwd=project,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = int(run.stderr.strip().splitlines()[-1]) / 1024 if prefix else float("nan")
    return seconds, peak


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


def measure(size: int, runs: int, settle: float = SETTLE) -> dict[str, float]:
    """Median seconds and peak MB of the plain build, followhome's first build (``cold``: no
    cache, no outbox) and its next build (``warm``: only what changed is redone)."""
    with scratch() as tmp:
        base = Path(tmp)
        full = generate(base / "followhome", size, size // 10)
        plain = _plain(full, base / "plain")
        times: dict[str, list[float]] = {"plain": [], "cold": [], "warm": []}
        peaks: dict[str, list[float]] = {"plain": [], "cold": [], "warm": []}
        for run in range(runs):  # alternate, so drift on the machine hits all alike
            for name, project in (("plain", plain), ("cold", full), ("warm", full)):
                if name == "cold":
                    _forget_caches(full, base / "aside" / str(run))
                seconds, peak = _build(project, base / "sites" / f"{name}-{run}")
                times[name].append(seconds)
                peaks[name].append(peak)
        result = {f"{k}_s": statistics.median(v) for k, v in times.items()}
        result.update({f"{k}_mb": max(v) for k, v in peaks.items()})
        result["cold_ratio"] = result["cold_s"] / result["plain_s"]
        result["warm_ratio"] = result["warm_s"] / result["plain_s"]
    time.sleep(settle)  # the scratch folder is deleted
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_rebuild(size: int, dirty: bool = False) -> float:
    """Seconds from saving an edited story to `mkdocs serve` finishing its rebuild
    (``--dirty``: MkDocs rebuilds only the pages that changed)."""
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
            story.write_text(
                story.read_text(encoding="utf-8") + "\nOne more sentence, edited.\n", encoding="utf-8"
            )
            edited = time.perf_counter()
            for line in process.stdout:
                if re.search(r"Documentation built in", line):
                    return time.perf_counter() - edited
            raise RuntimeError("mkdocs serve stopped before rebuilding")
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    print("| N | plain s | first build s | ratio | next build s | ratio | plain MB | first MB | next MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    results = {}
    for size in args.sizes:
        row = measure(size, args.runs)
        results[size] = row
        print(
            f"| {size:,} | {row['plain_s']:.1f} | {row['cold_s']:.1f} | {row['cold_ratio']:.2f} "
            f"| {row['warm_s']:.1f} | {row['warm_ratio']:.2f} | {row['plain_mb']:.0f} "
            f"| {row['cold_mb']:.0f} | {row['warm_mb']:.0f} |",
            flush=True,
        )
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        for phase in ("cold", "warm"):
            growth = results[large][f"{phase}_s"] / results[small][f"{phase}_s"]
            print(
                f"{phase}: time({large}) / time({small}) = {growth:.2f} (linear would be {large / small:.0f})"
            )
    if args.serve:
        size = args.sizes[0]
        print(f"mkdocs serve rebuild after editing one story at N={size}: {serve_rebuild(size):.1f} s")
        print(f"mkdocs serve --dirty, the same edit: {serve_rebuild(size, dirty=True):.1f} s")


if __name__ == "__main__":
    main()
