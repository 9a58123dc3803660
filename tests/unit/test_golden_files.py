"""The golden files' own tools: a recorded diff rebuilds an output byte for byte, or fails."""

from __future__ import annotations

import random

import pytest
import yaml

from tests.golden_files import NO_NEWLINE, apply_diff, diff_files, dump_yaml

LINES = ["a\n", "b\n", "\n", "d\r\n", "c", "--- x\n", "+++ y\n", "@@ -1 +1 @@\n", NO_NEWLINE]
"""Plain lines, a CR, a line without its newline, lines a diff reader could take for its own."""


def test_a_recorded_diff_rebuilds_every_file_exactly() -> None:
    pick = random.Random(20261123)
    for _ in range(2000):
        old = {f"f{n}": "".join(pick.choices(LINES, k=pick.randint(0, 8))) for n in range(3)}
        new = {
            name: "".join(pick.choices(LINES, k=pick.randint(0, 8))) if pick.random() < 0.7 else text
            for name, text in old.items()
        }
        assert apply_diff(old, diff_files(old, new, "base", "other")) == new, (old, new)


def test_only_the_differing_lines_are_recorded() -> None:
    old = {"a.txt": "one\ntwo\nthree\n", "b.txt": "same\n"}
    new = {"a.txt": "one\n2\nthree", "b.txt": "same\n"}
    assert diff_files(old, new, "base", "other") == (
        "--- base/a.txt\n+++ other/a.txt\n@@ -2,2 +2,2 @@\n-two\n-three\n+2\n+three\n"
        "\\ No newline at end of file\n"
    )


def test_a_diff_that_no_longer_fits_its_base_fails() -> None:
    diff = diff_files({"a.txt": "one\ntwo\n"}, {"a.txt": "one\n2\n"}, "base", "other")
    with pytest.raises(AssertionError, match="line 2 is not 'two"):
        apply_diff({"a.txt": "one\nTWO\n"}, diff)


def test_multi_line_text_is_a_literal_block_and_loads_back() -> None:
    data = {"page.md": "---\ntitle: x\n---\n\n", "line": "one line", "spaces": "trailing \nspace\n"}
    text = dump_yaml(data)
    assert "page.md: |+\n  ---\n  title: x\n" in text
    assert "line: one line\n" in text
    assert yaml.safe_load(text) == data
