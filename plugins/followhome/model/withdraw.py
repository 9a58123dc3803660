"""Turn a story into its tombstone: erase what the customer gave, keep the proof of withdrawal.

A withdrawn story must not keep the customer's name, words or story in ``content/``
(GDPR Art. 17, right to erasure). Its tombstone keeps only the permanent ``id`` (so the id
is never reused and its old address keeps a short notice) and ``consent.withdrawn`` with
the optional ``consent.reference`` (an id, where the withdrawal request is kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from followhome.model.content import ID_PATTERN, is_tombstone
from followhome.model.frontmatter import FrontMatterError, parse_document

STORY_FIELDS = {"title", "customer", "quote", "takeaway", "source", "consent"}
"""A file with none of these is not a story."""


class WithdrawError(Exception):
    """The file cannot be withdrawn; the message says why and what to do."""


@dataclass(frozen=True)
class Withdrawal:
    path: Path
    """The tombstone written."""
    removed: tuple[str, ...]
    """What was erased: field names (never their values) and the body's size."""
    withdrawn: date
    reference: str | None
    renamed_from: Path | None = None
    already: bool = False
    """The file was a tombstone already."""
    item_id: str = ""
    """The story's permanent id (its consent record in ``intake/`` is found by it)."""


def _story_data(path: Path, stories_dir: Path) -> tuple[dict[str, object], str]:
    shown = path.as_posix()
    if not path.is_file() or path.is_symlink():
        raise WithdrawError(
            f"{shown} is not a file (give the path of a story, e.g. content/stories/<slug>.md)"
        )
    if path.suffix != ".md" or stories_dir.resolve() not in path.resolve().parents:
        raise WithdrawError(f"{shown} is not a story: stories are the .md files in {stories_dir.as_posix()}/")
    try:
        document = parse_document(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, OSError) as exc:
        raise WithdrawError(f"{shown} cannot be read as UTF-8 text ({exc})") from None
    except FrontMatterError as exc:
        raise WithdrawError(f"{shown} is not a story: {exc.message}") from None
    data = document.meta.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise WithdrawError(f"{shown} is not a story: it has no `id`")
    if not re.fullmatch(ID_PATTERN, data["id"]):
        raise WithdrawError(f"{shown} has an id that is not a permanent id ('{data['id']}')")
    if not is_tombstone(data) and not STORY_FIELDS & set(data):
        raise WithdrawError(f"{shown} is not a story: it has none of {', '.join(sorted(STORY_FIELDS))}")
    return data, document.body


def _removed(data: dict[str, object], body: str) -> list[str]:
    removed = []
    for key, value in data.items():
        if key == "id":
            continue
        if key == "consent" and isinstance(value, dict):
            gone = [k for k in value if k not in ("withdrawn", "reference")]
            removed += [f"consent.{k}" for k in gone]
        elif isinstance(value, dict):
            removed.append(f"{key} ({', '.join(str(k) for k in value)})")
        else:
            removed.append(str(key))
    words = len(body.split())
    if words:
        removed.append(f"the body ({words} word{'s' if words != 1 else ''})")
    return removed


def tombstone_text(item_id: str, withdrawn: date, reference: str | None) -> str:
    consent: dict[str, object] = {"withdrawn": withdrawn}
    if reference:
        consent["reference"] = reference
    fields = yaml.safe_dump({"id": item_id, "consent": consent}, sort_keys=False, allow_unicode=True)
    return f"---\n{fields}---\n"


def withdraw(
    path: Path, stories_dir: Path, today: date, on: date | None = None, rename: bool = False
) -> Withdrawal:
    """Rewrite the story at ``path`` as its tombstone (with ``rename``, named by its id)."""
    data, body = _story_data(path, stories_dir)
    item_id = str(data["id"])
    consent = data.get("consent")
    consent = consent if isinstance(consent, dict) else {}
    earlier = consent.get("withdrawn")
    when = on or (date.fromisoformat(earlier) if isinstance(earlier, str) and _is_day(earlier) else today)
    reference = consent.get("reference")
    reference = reference.strip() if isinstance(reference, str) and reference.strip() else None
    target = stories_dir / f"{item_id}.md" if rename else path
    if rename and target.exists() and target.resolve() != path.resolve():
        raise WithdrawError(f"cannot rename to {target.as_posix()}: that file exists already")
    removed = _removed(data, body)
    text = tombstone_text(item_id, when, reference)
    if path.read_text(encoding="utf-8") != text or target != path:
        temporary = target.with_name(f".{target.name}.withdraw")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
        if target != path:
            path.unlink()
    return Withdrawal(
        target,
        tuple(removed),
        when,
        reference,
        renamed_from=path if target != path else None,
        already=not removed and target == path,
        item_id=item_id,
    )


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
