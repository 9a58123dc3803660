"""The benchmark scripts keep working (on a tiny site; timings are not asserted)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

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
    assert row["plain_s"] > 0 and row["cold_s"] > 0 and row["warm_s"] > 0
    assert row["cold_ratio"] == row["cold_s"] / row["plain_s"]
    assert row["warm_ratio"] == row["warm_s"] / row["plain_s"]


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
