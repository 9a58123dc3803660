"""The benchmark scripts keep working (on a tiny site; timings are not asserted)."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.feeds import run


def test_feed_benchmark_runs_on_a_small_site() -> None:
    rows = {label: (seconds, items, size) for label, seconds, items, size in run(stories=30, updates=6)}
    assert rows["feeds, every item"][1] == 36
    assert rows["feeds, 50 items each (default)"][1] == 36
    assert rows["feeds, every item"][2] > 0


def test_tone_benchmark_runs_on_a_small_site() -> None:
    from benchmarks.tone import run as tone_run

    count, seconds = tone_run(stories=20, updates=4)
    assert count == 1 + 5 + 20 + 4  # promise, values, stories, updates
    assert seconds > 0


def test_email_benchmark_runs_on_a_small_site() -> None:
    from benchmarks.email import run as email_run

    rows = {label: count for label, _, count in email_run(stories=12, updates=3)}
    assert rows["email fragments (inlined + text)"] == 15


def test_comparison_runner_builds_both_sites() -> None:
    from benchmarks.run import measure

    row = measure(size=10, runs=1, settle=0)
    for phase in ("plain", "cold", "warm"):
        assert row[f"{phase}_s"] > 0 and row[f"{phase}_cpu_s"] > 0 and row[f"{phase}_mb"] > 0
        assert row[f"{phase}_strays"] == 0  # the builds wait for every worker they fork
    assert row["cold_ratio"] == row["cold_s"] / row["plain_s"]
    assert row["warm_ratio"] == row["warm_s"] / row["plain_s"]
    assert row["warm_cpu_ratio"] == row["warm_cpu_s"] / row["plain_cpu_s"]
    assert row["cold_mb_ratio"] == row["cold_mb"] / row["plain_mb"]


# A process that burns CPU in a grandchild its child never waits for: the child forks it and
# ends at once, so the grandchild is handed to init (or to a subreaper) and runs on alone.
ORPHAN_BURN = """
import os, sys, time
def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
child = os.fork()
if child == 0:
    if os.fork() == 0:
        spin(float(sys.argv[1]))
        os._exit(0)
    os._exit(0)
os.waitpid(child, 0)
"""

# A process that burns CPU in a child it waits for, and a little itself.
WAITED_BURN = """
import os, sys, time
def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
child = os.fork()
if child == 0:
    spin(float(sys.argv[1]))
    os._exit(0)
spin(0.1)
os.waitpid(child, 0)
"""


def test_cpu_time_counts_a_forked_child_that_is_waited_for() -> None:
    from benchmarks.proctree import measure_command

    usage = measure_command([sys.executable, "-c", WAITED_BURN, "0.5"])
    assert 0.6 <= usage.cpu_s < 3
    assert usage.strays == 0
    assert usage.wall_s > 0


def test_cpu_time_counts_a_forked_grandchild_nobody_waits_for() -> None:
    """``getrusage(RUSAGE_CHILDREN)`` around ``subprocess.run`` misses the orphan; the
    wrapper, a child subreaper, is handed the orphan, waits for it and counts it."""
    from benchmarks.proctree import measure_command

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", ORPHAN_BURN, "0.5"], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    missed = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert missed < 0.4  # the half second of the grandchild is not there

    usage = measure_command([sys.executable, "-c", ORPHAN_BURN, "0.5"])
    assert 0.5 <= usage.cpu_s < 3
    assert usage.strays == 1


def test_peak_memory_sums_the_process_tree_sharing_forked_pages() -> None:
    """A parent holding 80 MB forks a child; each then makes 40 MB of its own. The tree's PSS
    is about 80 + 2 x 40 (the inherited 80 MB counted once), its RSS 2 x 120, and the largest
    single process about 120."""
    from benchmarks.proctree import measure_command

    script = (
        "import os, time\n"
        "shared = b'a' * (80 << 20)\n"
        "child = os.fork()\n"
        "own = b'b' * (40 << 20)\n"
        "time.sleep(1.0)\n"
        "os._exit(0) if child == 0 else os.waitpid(child, 0)\n"
    )
    usage = measure_command([sys.executable, "-c", script], every=0.05)
    assert usage.samples >= 3
    assert 150 <= usage.peak_pss_mb < 200
    assert 230 <= usage.peak_rss_mb < 300
    assert 115 <= usage.max_rss_mb < 150


def test_a_failing_command_is_reported_with_its_output() -> None:
    from benchmarks.proctree import CommandFailedError, measure_command

    script = "import sys; print('what went wrong', file=sys.stderr); sys.exit(3)"
    with pytest.raises(CommandFailedError, match="what went wrong") as failed:
        measure_command([sys.executable, "-c", script])
    assert failed.value.usage.returncode == 3


def test_tree_cpu_seconds_reads_a_running_tree() -> None:
    from benchmarks.proctree import tree_cpu_seconds

    process = subprocess.Popen([sys.executable, "-c", WAITED_BURN + "import time; time.sleep(30)\n", "0.4"])
    try:
        started = tree_cpu_seconds(process.pid)
        deadline = time.monotonic() + 20
        while tree_cpu_seconds(process.pid) - started < 0.45 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_cpu_seconds(process.pid) - started >= 0.45  # the child, waited for, and the parent
    finally:
        process.kill()
        process.wait()


def _row(plain: float, cold: float, warm: float, scale: float = 1.0) -> dict[str, float]:
    row = {}
    for phase, seconds in (("plain", plain), ("cold", cold), ("warm", warm)):
        row[f"{phase}_s"] = seconds * scale
        row[f"{phase}_cpu_s"] = seconds * scale * 1.5
        row[f"{phase}_mb"] = seconds * 10
        row[f"{phase}_rss_mb"] = seconds * 8
        row[f"{phase}_strays"] = 0
    return row


def test_ratios_divide_each_build_by_the_plain_one() -> None:
    from benchmarks.run import ratios

    row = ratios(
        {
            **{f"plain_{k}": v for k, v in (("s", 20.0), ("cpu_s", 30.0), ("mb", 200.0))},
            **{f"cold_{k}": v for k, v in (("s", 80.0), ("cpu_s", 150.0), ("mb", 500.0))},
            **{f"warm_{k}": v for k, v in (("s", 22.0), ("cpu_s", 39.0), ("mb", 420.0))},
        }
    )
    assert row["cold_ratio"] == 4.0 and row["warm_ratio"] == pytest.approx(1.1)
    assert row["cold_cpu_ratio"] == 5.0 and row["warm_cpu_ratio"] == pytest.approx(1.3)
    assert row["cold_mb_ratio"] == 2.5 and row["warm_mb_ratio"] == pytest.approx(2.1)
    assert row["plain_s"] == 20.0  # the measures stay


def test_results_table_has_wall_cpu_and_memory_with_their_ratios() -> None:
    from benchmarks.run import ratios, table_header, table_row

    header, rule = table_header()
    cells = [cell.strip() for cell in header.strip("|").split("|")]
    assert cells == [
        "N",
        *("plain s", "first s", "ratio", "next s", "ratio"),
        *("plain CPU s", "first CPU s", "ratio", "next CPU s", "ratio"),
        *("plain MB", "first MB", "ratio", "next MB", "ratio"),
    ]
    assert rule.count("---:") == len(cells)
    line = table_row(10000, ratios(_row(20.0, 80.0, 22.0)))
    assert line == (
        "| 10,000 | 20.0 | 80.0 | 4.00 | 22.0 | 1.10 | 30.0 | 120.0 | 4.00 | 33.0 | 1.10 "
        "| 200 | 800 | 4.00 | 220 | 1.10 |"
    )
    assert line.count("|") == header.count("|")


def test_growth_and_targets_for_sizes_3000_and_10000() -> None:
    from benchmarks.run import growth_lines, main, markdown, target_lines

    results = {size: ratios_of(_row(20.0, 80.0, 22.0, scale=size / 1000)) for size in (3000, 10000)}
    assert growth_lines(results) == [
        "time(10,000) / time(3,000): first build 3.33 (CPU 3.33), next build 3.33 (CPU 3.33); linear would be 3.33."
    ]
    targets = "\n".join(target_lines(results))
    assert "| wall <= 1.15 x plain (next build) | 3,000 | 4.00 | 1.10: met |" in targets
    assert "| CPU <= 1.4 x plain (next build) | 10,000 | 4.00 | 1.10: met |" in targets
    assert (
        "| peak memory of the process tree <= 2.0 x plain | 10,000 | 4.00: **not met** | 1.10: met |"
        in targets
    )
    assert "not measured: needs --sizes 1000 ... 10000" in targets

    results[1000] = ratios_of(_row(20.0, 80.0, 22.0, scale=1.0))
    results[10000]["warm_s"] *= 1.2  # superlinear next build
    targets = "\n".join(target_lines(results))
    assert "| time(10,000) / time(1,000) <= 11 | | 10.00: met | 12.00: **not met** |" in targets
    section = markdown(results, "python -m benchmarks.run --sizes 1000 3000 10000", when="today")
    assert section.startswith("### today: `python -m benchmarks.run --sizes 1000 3000 10000`")
    assert "| 3,000 | 60.0 |" in section and "time(10,000) / time(1,000): first build 10.00" in section

    with pytest.raises(SystemExit):  # --sizes takes several sizes; a bad one is refused
        main(["--sizes", "3000", "ten-thousand"])


def ratios_of(row: dict[str, float]) -> dict[str, float]:
    from benchmarks.run import ratios

    return ratios(row)


def test_offsite_benchmark_times_a_first_and_a_next_build() -> None:
    from benchmarks.offsite import STEPS
    from benchmarks.offsite import run as offsite_run

    result = offsite_run(stories=12, updates=3)
    assert set(result) == {"cold", "warm"}
    assert all(set(result[phase]) == set(STEPS) for phase in result)
    assert all(seconds > 0 for phase in result.values() for seconds in phase.values())


def test_plain_site_is_themed_as_the_followhome_site(tmp_path: Path) -> None:
    """The baseline differs from followhome's build by the plugins only, not by the look."""
    from benchmarks.generate import generate
    from benchmarks.run import ENV, MKDOCS, _plain

    full = generate(tmp_path / "followhome", 10, 1)
    plain = _plain(full, tmp_path / "plain")
    for project in (full, plain):
        subprocess.run([MKDOCS, "build", "-q"], cwd=project, env=ENV, check=True, capture_output=True)

    def look(project: Path, page: str) -> tuple[list[str], list[str], str]:
        text = (project / "site" / page).read_text(encoding="utf-8")
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
        schemes = re.findall(r'data-md-color-scheme="([^"]+)"', text)
        logo = re.search(
            r'<a href="[^"]*" title="[^"]*" class="md-header__button md-logo"[^>]*>\s*<img src="([^"]+)"',
            text,
        )
        return sheets, schemes, logo.group(1) if logo else ""

    followhome_look = look(full, "stories/story-00003/index.html")
    assert followhome_look[1] and followhome_look[2]  # a palette toggle and a logo to compare
    assert look(plain, "stories/story-00003/index.html") == followhome_look
