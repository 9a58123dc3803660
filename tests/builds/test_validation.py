"""Bad content gets a clear problem naming file, line, field and fix; never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from followhome.model.loader import load_content
from followhome.model.problems import Problem
from tests.conftest import Project, run_tool
from tests.helpers import BRAND, minimal_project, story, update


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    file: str
    field: str
    line: int | None
    says: str


CASES = [
    Case(
        "malformed-yaml",
        {"stories/bad.md": "---\nid: s-1234abcd\ntitle: [unclosed\ndate: 2026-01-01\n---\nbody\n"},
        "content/stories/bad.md",
        "",
        4,
        "not valid YAML",
    ),
    Case(
        "missing-required-field",
        {"stories/noquote.md": story().replace("quote: They found me a bottle I still think about.\n", "")},
        "content/stories/noquote.md",
        "quote",
        None,
        "is required but missing",
    ),
    Case(
        "unknown-value-id",
        {"stories/v.md": story(values="[honest-advise]")},
        "content/stories/v.md",
        "values[0]",
        11,
        "unknown value id 'honest-advise'",
    ),
    Case(
        "duplicate-id",
        {"stories/a.md": story(), "updates/b.md": update(id="s-0000aaaa")},
        "content/updates/b.md",
        "id",
        2,
        "'s-0000aaaa' is already used by content/stories/a.md",
    ),
    Case(
        "bad-date",
        {"stories/d.md": story(date="2026-02-30")},
        "content/stories/d.md",
        "date",
        4,
        "expected a date; got '2026-02-30'",
    ),
    Case(
        "bad-date-form",
        {"updates/d.md": update(date="14/03/2026")},
        "content/updates/d.md",
        "date",
        4,
        "expected a date; got '14/03/2026'",
    ),
    Case(
        "unknown-show-as",
        {"stories/s.md": story(show_as="nickname")},
        "content/stories/s.md",
        "customer.show_as",
        8,
        "got 'nickname'",
    ),
    Case(
        "unknown-consent-channel",
        {"stories/c.md": story(channels="[site, fax]")},
        "content/stories/c.md",
        "consent.channels[1]",
        14,
        "got 'fax'",
    ),
    Case(
        "empty-quote",
        {"stories/q.md": story(quote='""')},
        "content/stories/q.md",
        "quote",
        9,
        "is empty",
    ),
    Case(
        "published-without-consent",
        {
            "stories/n.md": story().replace(
                "consent:\n  given: 2026-03-01\n  channels: [site, feed, email, social]\n  reference: CONSENT-1\n",
                "",
            )
        },
        "content/stories/n.md",
        "consent",
        5,
        "no recorded consent",
    ),
    Case(
        "misspelt-field",
        {"stories/m.md": story(extra="edtied: true\n")},
        "content/stories/m.md",
        "edtied",
        19,
        "is not a known field",
    ),
]


def _project(root: Path, case: Case) -> Project:
    minimal_project(root)
    for rel, text in case.files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(root)


def _matching(problems: tuple[Problem, ...], case: Case) -> list[Problem]:
    return [p for p in problems if p.file == case.file and p.field == case.field and case.says in p.message]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_problem_names_file_line_and_field(tmp_path: Path, case: Case) -> None:
    project = _project(tmp_path, case)
    result = load_content(project.content)
    found = _matching(result.problems, case)
    assert found, f"no problem for {case.file} {case.field!r} among:\n" + "\n".join(map(str, result.problems))
    assert found[0].line == case.line
    assert found[0].fix  # every problem says how to fix it


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_strict_build_fails_with_message_and_no_traceback(tmp_path: Path, case: Case) -> None:
    project = _project(tmp_path, case)
    run = project.run_build()
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Traceback" not in output
    where = case.file if case.line is None else f"{case.file}:{case.line}"
    assert where in output
    assert f"{case.field}:" in output if case.field else "not valid YAML" in output
    assert "Fix:" in output


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/one.md", story(id="s-1111aaaa", show_as="nick"))
    project.write("stories/two.md", story(id="s-2222aaaa", date="yesterday"))
    project.write("updates/three.md", update(kind="sale"))
    result = load_content(project.content)
    assert {(p.file, p.field) for p in result.problems} == {
        ("content/stories/one.md", "customer.show_as"),
        ("content/stories/two.md", "date"),
        ("content/updates/three.md", "kind"),
    }
    run = project.run_build()
    assert run.returncode != 0
    for file in ("content/stories/one.md", "content/stories/two.md", "content/updates/three.md"):
        assert file in run.stderr


def test_broken_brand_stops_the_build_with_every_problem(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    (project.content / "brand.yml").write_text(
        BRAND.replace("url: https://shop.example/", "url: not a url").replace("volume: 3", "volume: 11"),
        encoding="utf-8",
    )
    run = project.run_build()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "content/brand.yml:2: url:" in run.stderr
    assert "content/brand.yml:10: tone.volume: expected a number at most 10; got 11" in run.stderr
    assert "cannot build the site without a valid brand.yml" in run.stderr


def test_missing_brand_is_reported(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    (tmp_path / "content" / "brand.yml").unlink()
    result = load_content(tmp_path / "content")
    assert result.catalog is None
    assert [p.file for p in result.problems] == ["content/brand.yml"]
    assert "is missing" in result.problems[0].message


def test_bad_timezone_suggests_the_right_one(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    (tmp_path / "content" / "brand.yml").write_text(
        BRAND.replace("Europe/London", "London"), encoding="utf-8"
    )
    result = load_content(tmp_path / "content")
    (problem,) = result.problems
    assert (problem.field, problem.line) == ("timezone", 3)
    assert "did you mean Europe/London?" in problem.message


def test_misspelt_field_suggests_the_known_one(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/m.md", story(extra="edtied: true\n"))
    (problem,) = load_content(project.content).problems
    assert problem.fix == "rename it to `edited`"


def test_unknown_icon_is_a_problem(tmp_path: Path, mkdocs_warnings: object) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("values/honest-advice.md", "---\ntitle: T\nsummary: S\nicon: material/no-such-icon\n---\n")
    run = project.run_build()
    assert run.returncode != 0
    assert "content/values/honest-advice.md:4: icon: Material for MkDocs has no icon" in run.stderr


def test_bad_today_override_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    run = run_tool("mkdocs", "build", "--strict", cwd=project.root, today="tomorrow")
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "FOLLOWHOME_TODAY='tomorrow' is not a date" in run.stderr


def test_problems_with_and_without_lines_in_one_file_sort_without_crashing(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    text = story(show_as="nick").replace("quote: They found me a bottle I still think about.\n", "")
    project.write("stories/two.md", text)
    problems = load_content(project.content).problems
    assert [(p.line, p.field) for p in problems] == [(None, "quote"), (8, "customer.show_as")]
    run = project.run_build()
    assert "Traceback" not in run.stderr
    assert "content/stories/two.md: quote: is required but missing" in run.stderr


@pytest.mark.parametrize(
    ("rel", "says"),
    [
        ("values/Honest Advice.md", "a value's file name is its id"),
        ("values/sub/deep.md", "a value's file name is its id"),
        ("stories/index.md", "reserved for listing pages"),
        ("updates/page/2.md", "reserved for listing pages"),
        ("subscribe.md", "is where followhome puts a generated page"),
        ("how-we-choose-stories.md", "is where followhome puts a generated page"),
    ],
)
def test_files_that_would_be_lost_are_problems(tmp_path: Path, rel: str, says: str) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write(rel, story())
    problems = load_content(project.content).problems
    assert [(p.file, says in p.message) for p in problems] == [(f"content/{rel}", True)]


def test_data_files_are_never_published(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("private/customers.yaml", "secret: yes\n")
    project.write("notes.yml", "secret: yes\n")
    project.build()
    assert not list(project.site.rglob("*.yml")) + list(project.site.rglob("*.yaml"))


def test_bad_plugin_option_is_a_clear_error(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - followhome\n", "  - followhome:\n      per_page: 0\n"
        ),
        encoding="utf-8",
    )
    run = Project(tmp_path).run_build()
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "option 'per_page' in mkdocs.yml is 0; set it to 1 or more" in run.stderr


def test_a_number_is_not_a_date(tmp_path: Path) -> None:
    minimal_project(tmp_path)
    project = Project(tmp_path)
    project.write("stories/n.md", story(date="2026"))
    (problem,) = load_content(project.content).problems
    assert (problem.field, problem.line) == ("date", 4)
    assert "expected a date; got 2026" in problem.message
