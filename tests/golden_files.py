"""Golden files: YAML that reads well in a diff, exact text files, and the unified diffs that
record how one output differs from another (written and applied here, byte for byte)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

NO_NEWLINE = "\\ No newline at end of file\n"
_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n")


# --- YAML ----------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Keys in the order given; every text of more than one line as a literal block (``|``)."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML that loads back equal (checked), with no line folded."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)
    assert yaml.safe_load(text) == data, "the YAML dump does not load back as it was"
    return text


def read_text(path: Path) -> str:
    """A file's text exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# --- readable differences ------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    """``text`` in lines ending in ``\\n`` (the last one may not); only ``\\n`` ends a line."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def unified_diff(old: str, new: str, old_name: str, new_name: str, context: int = 3) -> str:
    """The unified diff from ``old`` to ``new``, as ``diff -u`` writes it (a last line without a
    newline is marked), or "" when they are equal."""
    out = []
    for line in difflib.unified_diff(lines(old), lines(new), old_name, new_name, n=context, lineterm="\n"):
        out.append(line if line.endswith("\n") else f"{line}\n{NO_NEWLINE}")
    return "".join(out)


def diff_files(old: Mapping[str, str], new: Mapping[str, str], old_dir: str, new_dir: str) -> str:
    """One unified diff (no context lines) of every file of ``new`` against the same file of
    ``old``: only the lines that differ, each file under its own ``---``/``+++`` header."""
    assert set(old) == set(new), (sorted(old), sorted(new))
    return "".join(
        unified_diff(old[name], new[name], f"{old_dir}/{name}", f"{new_dir}/{name}", context=0)
        for name in sorted(old)
    )


def apply_diff(base: Mapping[str, str], diff: str) -> dict[str, str]:
    """``base`` with a diff from :func:`diff_files` applied; every line it removes must be there."""
    out = dict(base)
    rows = lines(diff)
    at = 0
    while at < len(rows):
        assert rows[at].startswith("--- ") and rows[at + 1].startswith("+++ "), rows[at]
        name = rows[at + 1][4:].rstrip("\n").split("/", 1)[1]
        old, new, copied = lines(base[name]), list[str](), 0
        at += 2
        while at < len(rows) and (hunk := _HUNK.fullmatch(rows[at])):
            start, removing, adding = (int(hunk.group(n) or 1) for n in (1, 2, 4))
            start = start - 1 if removing else start  # "-7,0": insert after line 7
            new += old[copied:start]
            copied = start
            at += 1
            while removing or adding:  # the counts end a hunk (a line may begin with "---")
                sign, line = rows[at][0], rows[at][1:]
                assert sign in ("-", "+", " "), f"{name}: not a line of a hunk: {rows[at]!r}"
                at += 1
                if at < len(rows) and rows[at] == NO_NEWLINE:
                    line = line.removesuffix("\n")
                    at += 1
                if sign in "- ":
                    assert removing and old[copied] == line, f"{name}: line {copied + 1} is not {line!r}"
                    copied, removing = copied + 1, removing - 1
                if sign in "+ ":
                    assert adding, f"{name}: more lines than the hunk's count"
                    new.append(line)
                    adding -= 1
        out[name] = "".join(new + old[copied:])
    return out


def assert_same(expected: str, actual: str, what: str, hint: str) -> None:
    """Fail with a unified diff from ``expected`` to ``actual`` if they differ."""
    __tracebackhide__ = True
    if actual != expected:
        diff = unified_diff(expected, actual, f"expected {what}", f"actual {what}")
        raise AssertionError(f"{what} differs from its golden file ({hint}):\n{diff}")
