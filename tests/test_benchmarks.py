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
    assert row["plain_s"] > 0 and row["followhome_s"] > 0
    assert row["ratio"] == row["followhome_s"] / row["plain_s"]
