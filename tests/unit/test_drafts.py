"""Stories in draft may be incomplete: their gaps are advice until they are published."""

from __future__ import annotations

from pathlib import Path

from followhome.model.loader import load_content
from tests.helpers import minimal_project, story

IMPORTED = """\
---
id: s-1a2b3c4d
status: draft
customer: {name: Ana Lima, show_as: first-name}
quote: Call me on 07700 900123, I loved the tasting.
consent:
  given: 2026-11-20
  channels: []
  reference: sub-001
source: {channel: web-form, received: 2026-11-20}
---
"""


def _load(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], list[str], object]:
    root = minimal_project(tmp_path / "p")
    for name, text in files.items():
        path = root / "content" / "stories" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = load_content(root / "content")
    return [str(p) for p in result.problems], [str(a) for a in result.advice], result.catalog


def test_incomplete_draft_is_advice_not_a_problem(tmp_path: Path) -> None:
    problems, advice, catalog = _load(tmp_path, {"ana.md": IMPORTED})
    assert problems == []
    fields = {line.split(": ", 2)[1] for line in advice}
    assert {"date", "title", "takeaway", "values", "consent.channels", "quote"} <= fields
    assert any("quote: before publishing: holds a phone number (07700 900123)" in line for line in advice)
    assert any(
        "consent.channels: before publishing: the customer agreed to no channel" in line for line in advice
    )
    assert all(line.startswith("content/stories/ana.md") and "before publishing" in line for line in advice)
    assert [d.id for d in catalog.drafts] == ["s-1a2b3c4d"]  # type: ignore[attr-defined]
    assert catalog.stories == ()  # type: ignore[attr-defined]


def test_the_same_gaps_are_errors_once_published(tmp_path: Path) -> None:
    problems, advice, _ = _load(tmp_path, {"ana.md": IMPORTED.replace("status: draft", "status: published")})
    assert advice == []
    fields = {line.split(": ", 2)[1] for line in problems}
    assert {"date", "title", "takeaway", "values", "consent.channels"} <= fields


def test_a_field_that_is_there_must_be_right_even_in_draft(tmp_path: Path) -> None:
    problems, _, _ = _load(tmp_path, {"ana.md": IMPORTED.replace("show_as: first-name", "show_as: nickname")})
    assert len(problems) == 1 and "customer.show_as" in problems[0]


def test_a_draft_keeps_its_id_taken(tmp_path: Path) -> None:
    problems, _, _ = _load(tmp_path, {"ana.md": IMPORTED, "other.md": story(id="s-1a2b3c4d")})
    assert any("'s-1a2b3c4d' is already used by" in p for p in problems)


def test_a_complete_draft_is_a_story_published_nowhere(tmp_path: Path) -> None:
    problems, advice, catalog = _load(tmp_path, {"ada.md": story(status="draft")})
    assert problems == [] and advice == []
    assert [s.meta.status for s in catalog.stories] == ["draft"]  # type: ignore[attr-defined]


def test_a_complete_draft_breaking_a_trust_rule_is_advice_until_published(tmp_path: Path) -> None:
    text = story(status="draft", quote="Ring me on 07700 900123.")
    problems, advice, _ = _load(tmp_path, {"ada.md": text})
    assert problems == []
    assert any("quote: before publishing: publishes a phone number" in line for line in advice)
    problems, _, _ = _load(tmp_path / "again", {"ada.md": text.replace("status: draft", "status: published")})
    assert any("quote: publishes a phone number" in line for line in problems)
