"""Strict means strict at any log level: `-q` must not turn content problems into a green build.

MkDocs counts strict-mode warnings through its logger, and `-q` raises the level to ERROR,
so without followhome's own ledger these builds exit 0 (mkdocs issue #4126).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Project, run_tool
from tests.helpers import minimal_project, story

UNKNOWN_VALUE = story(values="[honest-advice, no-such-value]")
CONTACT_DETAILS = story(body="Write to ada@mail.example or call 07700 900123 for the recipe.")
PROBLEMS = {
    "unknown value id": (UNKNOWN_VALUE, "values[1]: unknown value id 'no-such-value'"),
    "contact details": (CONTACT_DETAILS, "body: publishes an email address (ada@mail.example)"),
    "duplicate key": (
        story(extra="status: draft\n"),
        "front matter is not valid YAML: the key 'status' appears twice (lines 5 and 19)",
    ),
}


def _project(tmp_path: Path, text: str, strict_in_yml: bool = False) -> Project:
    minimal_project(tmp_path, feeds=True)
    project = Project(tmp_path)
    if strict_in_yml:
        yml = tmp_path / "mkdocs.yml"
        yml.write_text(yml.read_text(encoding="utf-8") + "strict: true\n", encoding="utf-8")
    project.write("stories/a-bottle.md", text)
    return project


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
@pytest.mark.parametrize(
    ("flags", "strict_in_yml"),
    [(("--strict", "-q"), False), (("-q",), True), (("--strict", "-v"), False), (("--strict",), False)],
    ids=["strict-q", "yml-strict-q", "strict-v", "strict"],
)
def test_a_strict_build_fails_on_content_problems_at_any_log_level(
    tmp_path: Path, kind: str, flags: tuple[str, ...], strict_in_yml: bool
) -> None:
    text, expected = PROBLEMS[kind]
    project = _project(tmp_path, text, strict_in_yml)
    run = run_tool("mkdocs", "build", *flags, cwd=project.root)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    # The problem is printed with its file and line even under -q, once as a problem.
    assert re.search(rf"content/stories/a-bottle\.md:\d+: {re.escape(expected)}", run.stderr), run.stderr
    assert re.search(r"\d+ problems? fails? this strict build", run.stderr)
    if "-q" in flags:
        assert "WARNING" not in run.stderr  # the list is in the error itself


def test_every_problem_is_listed_under_q(tmp_path: Path) -> None:
    project = _project(tmp_path, UNKNOWN_VALUE)
    project.write("stories/another.md", CONTACT_DETAILS.replace("s-0000aaaa", "s-0000cccc"))
    run = run_tool("mkdocs", "build", "--strict", "-q", cwd=project.root)
    assert run.returncode == 1
    assert "3 problems fail this strict build" in run.stderr  # an email address and a phone number
    assert "content/stories/a-bottle.md:" in run.stderr
    assert "content/stories/another.md:" in run.stderr


def test_a_strict_build_with_clean_content_passes_under_q(tmp_path: Path) -> None:
    project = _project(tmp_path, story())
    run = run_tool("mkdocs", "build", "--strict", "-q", cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == ""


@pytest.mark.parametrize("kind", sorted(PROBLEMS))
def test_an_item_with_an_error_is_left_out_of_every_output_without_strict(
    tmp_path: Path, kind: str, mkdocs_warnings: object
) -> None:
    text, _ = PROBLEMS[kind]
    if kind == "duplicate key":  # the duplicate that would publish: draft first, published last
        text = story(status="draft", extra="status: published\n")
    project = _project(tmp_path, text)
    run = run_tool("mkdocs", "build", "-q", cwd=project.root)  # not strict: the preview goes on
    assert run.returncode == 0, run.stderr
    assert not (project.site / "stories" / "a-bottle").exists()
    for path in project.site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text_out = path.read_text(encoding="utf-8")
            assert "s-0000aaaa" not in text_out, path
            assert "A bottle to remember" not in text_out, path


def test_check_reports_what_a_strict_build_fails_on(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("values/honest-advice.md", "---\ntitle: T\nsummary: S\nicon: material/no-such-icon\n---\n")
    project.write("stories/a-bottle.md~", "leftover")
    run = run_tool("followhome", "check", cwd=project.root)
    assert run.returncode == 1
    assert "content/values/honest-advice.md:4: icon: Material for MkDocs has no icon" in run.stdout
    assert "content/stories/a-bottle.md~: is not a Markdown file" in run.stdout
