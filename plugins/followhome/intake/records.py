"""The private consent records in ``intake/``: proof of what each customer agreed to.

One YAML file per submission in ``intake/consent/`` (who, when, how, the boxes ticked, the
form version, their words, and later events such as a withdrawal), and the exact wording of
each form version once in ``intake/forms/`` (GDPR Art. 7(1) and EDPB 05/2020 §5.1: show how
and when consent was obtained and what the person was told). The folder holds contact
details and unpublished words, so it is never part of the site and is ``.gitignore``d.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from followhome.cache.integrity import write_atomic
from followhome.intake.submission import Submission, Where
from followhome.model.content import Channel
from followhome.publishing.intake_form import FormWording

CONSENT_DIR = "consent"
FORMS_DIR = "forms"
HEADER = (
    "# Consent record of one story submission, written by `followhome intake import`.\n"
    "# Private: it holds contact details. Never commit or publish it (see the README).\n"
)
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ERASED = ("words", "title", "role", "location")
"""What a withdrawal removes from a record: the story's words; who, when and what was agreed stay."""


def record_path(intake_dir: Path, reference: str) -> Path:
    name = (
        reference if _SAFE.match(reference) else "ref-" + hashlib.sha256(reference.encode()).hexdigest()[:16]
    )
    return intake_dir / CONSENT_DIR / f"{name}.yml"


def has_record(intake_dir: Path, reference: str) -> bool:
    return record_path(intake_dir, reference).is_file()


def _dump(data: dict[str, object], header: str) -> bytes:
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)).encode()


def keep_wording(intake_dir: Path, wording: FormWording) -> Path:
    """The wording of this form version, written once."""
    path = intake_dir / FORMS_DIR / f"{wording.version}.yml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        header = "# The words of the share form, version " + wording.version + ", as customers saw them.\n"
        write_atomic(path, _dump({"form_version": wording.version, **wording.as_dict()}, header))
    return path


def wording_on_record(intake_dir: Path, version: str | None) -> bool:
    return version is not None and (intake_dir / FORMS_DIR / f"{version}.yml").is_file()


def write_record(
    intake_dir: Path, submission: Submission, item_id: str, story_file: str, now: datetime
) -> Path:
    """The consent record of an imported submission."""
    s = submission
    data: dict[str, object] = {
        "reference": s.reference,
        "story": {"id": item_id, "file": story_file},
        "received": s.submitted_at.isoformat(),
        "means": {"channel": s.means, "service": s.service, "from": str(s.where)},
        "form_version": s.form_version,
        "wording": f"{FORMS_DIR}/{s.form_version}.yml"
        if wording_on_record(intake_dir, s.form_version)
        else None,
        "agreed": [c.value for c in s.consent],
        "name": s.name,
        "show_as": s.show_as,
        "contact": s.contact,
        "title": s.title,
        "role": s.role,
        "location": s.location,
        "words": s.words,
        "events": [
            {"event": "given", "at": s.submitted_at.isoformat(), "channels": [c.value for c in s.consent]},
            {"event": "imported", "at": now.isoformat()},
        ],
    }
    path = record_path(intake_dir, s.reference)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, _dump(data, HEADER))
    return path


def recorded_submission(intake_dir: Path, reference: str) -> Submission | None:
    """What the record of ``reference`` says was submitted (words and boxes), to tell a
    re-import of the same submission from another one reusing its id; None without a record
    or once a withdrawal erased the words."""
    path = record_path(intake_dir, reference)
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("words"), str):
        return None
    agreed = data.get("agreed") if isinstance(data.get("agreed"), list) else []
    assert isinstance(agreed, list)
    return Submission(
        Where(path.as_posix(), 0),
        reference,
        datetime.fromisoformat(str(data.get("received"))),
        "web-form",
        "record",
        data["words"],
        consent=tuple(Channel(c) for c in agreed if c in {ch.value for ch in Channel}),
    )


@dataclass(frozen=True)
class RecordedWithdrawal:
    path: Path
    erased: tuple[str, ...]


def _find(intake_dir: Path, item_id: str, reference: str | None) -> Path | None:
    if reference and (path := record_path(intake_dir, reference)).is_file():
        return path
    folder = intake_dir / CONSENT_DIR
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        story = data.get("story") if isinstance(data, dict) else None
        if isinstance(story, dict) and story.get("id") == item_id:
            return path
    return None


def record_withdrawal(
    intake_dir: Path, item_id: str, reference: str | None, on: date, now: datetime, story_file: str
) -> RecordedWithdrawal | None:
    """Add the withdrawal to the story's consent record and erase its words from it, keeping
    who, when and what was agreed (proof of past consent); None when there is no record."""
    path = _find(intake_dir, item_id, reference)
    if path is None:
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return None
    erased = tuple(key for key in ERASED if data.get(key) is not None)
    for key in ERASED:
        data[key] = None
    events = data.get("events") if isinstance(data.get("events"), list) else []
    assert isinstance(events, list)
    if not any(isinstance(e, dict) and e.get("event") == "withdrawn" for e in events):
        events.append({"event": "withdrawn", "date": on.isoformat(), "at": now.isoformat()})
    data["events"] = events
    story = data.get("story")
    if isinstance(story, dict):  # `withdraw --rename` names the file by its id
        story["file"] = story_file
    write_atomic(path, _dump(data, HEADER))
    return RecordedWithdrawal(path, erased)
