"""The benchmark scripts keep working (on a tiny site; timings are not asserted)."""

from __future__ import annotations

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

    row = measure(size=10, runs=1)
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
