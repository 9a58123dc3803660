"""Submissions into draft stories, each once, with its consent record.

Re-importing creates nothing new: a submission is known by its reference, found in the
stories' front matter (drafts, published stories and withdrawn stories' tombstones alike, read
as text so that a file with a mistake in it still counts) and in the consent records (so a
draft the editor deleted, having rejected it, does not come back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from followhome.cache.integrity import write_atomic
from followhome.intake.draftfile import draft_text, slug_for, story_id
from followhome.intake.ondisk import StoryOnDisk, stories_on_disk
from followhome.intake.records import (
    has_record,
    keep_wording,
    record_path,
    recorded_submission,
    wording_on_record,
    write_record,
)
from followhome.intake.submission import Read, RowProblem, Submission, Where, WithdrawalRequest
from followhome.intake.withdrawals import find_story
from followhome.publishing.intake_form import FormWording


@dataclass(frozen=True)
class Imported:
    where: Where
    path: Path
    display: str
    item_id: str
    submission: Submission


@dataclass(frozen=True)
class Known:
    where: Where
    reference: str
    at: str
    """Where it went before: a story file, or its consent record when the file is gone."""


@dataclass(frozen=True)
class WithdrawalAdvice:
    request: WithdrawalRequest
    story: StoryOnDisk | None


@dataclass
class ImportReport:
    imported: list[Imported] = field(default_factory=list)
    known: list[Known] = field(default_factory=list)
    withdrawals: list[WithdrawalAdvice] = field(default_factory=list)
    unrecorded_wording: list[tuple[Where, str | None]] = field(default_factory=list)
    conflicts: list[RowProblem] = field(default_factory=list)
    """Submissions reusing an imported one's reference with other words or consent: skipped."""
    """Submissions whose form version's wording is not in ``intake/forms/``."""


def _what_was_said(submission: Submission) -> tuple[str, tuple[str, ...]]:
    return " ".join(submission.words.split()), tuple(c.value for c in submission.consent)


def import_read(
    read: Read,
    stories_dir: Path,
    display_prefix: str,
    intake_dir: Path,
    wording: FormWording | None,
    tz: tzinfo,
    now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """Write a draft and a consent record for each new submission of ``read``."""
    report = ImportReport()
    on_disk = stories_on_disk(stories_dir, display_prefix)
    by_reference = {
        ref: s.display + (" (withdrawn: it stays out)" if s.withdrawn else "")
        for s in on_disk
        for ref in s.references
    }
    taken_ids = {s.item_id for s in on_disk}
    taken_slugs = {s.slug for s in on_disk}
    this_run: dict[str, Submission] = {}
    for submission in read.submissions:
        earlier = by_reference.get(submission.reference)
        if earlier is None and has_record(intake_dir, submission.reference):
            earlier = f"{record_path(intake_dir, submission.reference).as_posix()} (its story file is gone)"
        if earlier is not None:
            before = this_run.get(submission.reference) or recorded_submission(
                intake_dir, submission.reference
            )
            if before is not None and _what_was_said(before) != _what_was_said(submission):
                report.conflicts.append(
                    RowProblem(
                        submission.where,
                        "id",
                        f"'{submission.reference}' was imported before ({earlier}) with other words or consent",
                        "give each submission its own id; if the customer changed their story or consent, "
                        "edit the story and its consent by hand",
                    )
                )
            else:
                report.known.append(Known(submission.where, submission.reference, earlier))
            continue
        this_run[submission.reference] = submission
        item_id = story_id(submission.reference, taken_ids)
        slug = slug_for(submission, taken_slugs)
        path = stories_dir / f"{slug}.md"
        display = f"{display_prefix}/{slug}.md"
        taken_ids.add(item_id)
        taken_slugs.add(slug)
        by_reference[submission.reference] = display
        report.imported.append(Imported(submission.where, path, display, item_id, submission))
        if wording is not None and submission.form_version == wording.version and not dry_run:
            keep_wording(intake_dir, wording)
        if not wording_on_record(intake_dir, submission.form_version) and not (
            dry_run and wording is not None and submission.form_version == wording.version
        ):
            report.unrecorded_wording.append((submission.where, submission.form_version))
        if dry_run:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, draft_text(submission, item_id, tz).encode())
        write_record(intake_dir, submission, item_id, display, now)
    for request in read.withdrawals:
        report.withdrawals.append(WithdrawalAdvice(request, find_story(request.story, on_disk)))
    return report
