"""The stories already in ``content/stories/``, as the importer needs to know them: slug, id,
consent reference, title, withdrawn or not. Read from the front matter; a file whose front
matter does not parse still counts, by its top-level ``id:`` and ``consent``'s ``reference:``
lines, so a broken file never lets its submission be imported twice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from followhome.model.frontmatter import FrontMatterError, parse_document
from followhome.model.yamlio import YamlSyntaxError

_TOP_ID = re.compile(r"^id:\s*['\"]?([^'\"\s]+)", re.MULTILINE)
_CONSENT_BLOCK = re.compile(r"^consent:[^\n]*\n(?:[ \t]+[^\n]*\n?)*", re.MULTILINE)
_REFERENCE = re.compile(r"^[ \t]+reference:\s*['\"]?(.*?)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class StoryOnDisk:
    slug: str
    display: str
    """The file as the editor names it, e.g. ``content/stories/the-first-friday.md``."""
    item_id: str
    references: tuple[str, ...]
    title: str
    withdrawn: bool = False
    """A tombstone, or a story whose consent was withdrawn."""


def stories_on_disk(stories_dir: Path, display_prefix: str) -> list[StoryOnDisk]:
    """Every story file's slug, id, consent reference and title. A file whose front matter does
    not parse still counts: its top-level ``id:`` and ``consent``'s ``reference:`` lines are
    read as text (never a line of a quote that happens to say ``reference:``)."""
    found = []
    for path in sorted(stories_dir.glob("*.md")) if stories_dir.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.append(_story_on_disk(path.stem, f"{display_prefix}/{path.name}", text))
    return found


def _story_on_disk(slug: str, display: str, text: str) -> StoryOnDisk:
    try:
        data = parse_document(text).meta.data
    except (FrontMatterError, YamlSyntaxError):
        data = None
    if isinstance(data, dict):
        consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
        assert isinstance(consent, dict)
        reference = consent.get("reference")
        return StoryOnDisk(
            slug,
            display,
            str(data.get("id") or ""),
            (str(reference),) if reference else (),
            str(data.get("title") or ""),
            withdrawn=consent.get("withdrawn") is not None,
        )
    head = text.split("\n---", 1)[0]
    item_id = _TOP_ID.search(head)
    block = _CONSENT_BLOCK.search(head)
    reference = _REFERENCE.search(block.group(0)) if block else None
    return StoryOnDisk(
        slug,
        display,
        item_id.group(1) if item_id else "",
        (reference.group(1),) if reference else (),
        "",
        withdrawn=block is not None and "withdrawn:" in block.group(0),
    )
