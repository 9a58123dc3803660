"""``followhome intake import FILE…``: share-form submissions into draft stories."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from followhome.intake.formats import read_files
from followhome.intake.importer import ImportReport, import_read
from followhome.intake.records import record_path
from followhome.intake.submission import Read
from followhome.mkdocs.theme import icon_exists
from followhome.model.loader import STORIES_DIR, load_content
from followhome.publishing.intake_form import form_wording

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="intake_command", required=True)
    command = sub.add_parser(
        "import",
        help="turn share-form submissions into draft stories, with a private consent record of each",
        description="Read submissions (NDJSON, a JSON array or CSV with the form's field names; "
        "--from netlify or --from formspree for those services' API JSON; .eml or .mbox messages of "
        "the mailto form) and write each new one as a draft story in content/stories/, with its consent "
        "record in intake/. Re-importing a file creates nothing new. Exit 1 when a row was skipped.",
    )
    command.add_argument("files", nargs="+", metavar="FILE", help="files of submissions")
    command.add_argument(
        "--from",
        dest="source",
        choices=("netlify", "formspree"),
        help="the files are that service's API JSON (default: tell the format by the file's extension)",
    )
    command.add_argument("--content", default="content", help="content folder (default: content)")
    command.add_argument(
        "--intake", default="intake", help="private folder of consent records (default: intake, git-ignored)"
    )
    command.add_argument("--dry-run", action="store_true", help="say what would be written; write nothing")
    command.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    content = Path(args.content)
    if not content.is_dir():
        print(f"followhome: content folder '{args.content}' not found; pass --content DIR", file=sys.stderr)
        return EXIT_USAGE
    result = load_content(content, content.as_posix(), icon_exists=icon_exists)
    if result.catalog is None:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print("followhome: brand.yml must load before submissions can be imported", file=sys.stderr)
        return EXIT_USAGE
    catalog = result.catalog
    brand = catalog.brand
    intake = brand.config.channels.intake
    honeypot = intake.honeypot_name if intake else "_gotcha"
    read = read_files(
        [Path(f) for f in args.files],
        args.source or "auto",
        brand.tz,
        honeypot,
        {v.id for v in catalog.values},
    )
    wording = form_wording(brand, catalog.values, intake) if intake else None
    report = import_read(
        read,
        content / STORIES_DIR,
        f"{content.as_posix()}/{STORIES_DIR}",
        Path(args.intake),
        wording,
        brand.tz,
        datetime.now(UTC).replace(microsecond=0),
        dry_run=args.dry_run,
    )
    _print_report(read, report, Path(args.intake), args.dry_run)
    if report.imported and not args.dry_run:
        _print_advice(content, {i.display for i in report.imported})
    return EXIT_SKIPPED if read.problems or report.conflicts else EXIT_OK


def _print_report(read: Read, report: ImportReport, intake_dir: Path, dry_run: bool) -> None:
    verb = "Would import" if dry_run else "Imported"
    if report.imported:
        print(
            f"{verb} {len(report.imported)} submission{'s' if len(report.imported) != 1 else ''} as drafts:"
        )
        for item in report.imported:
            ticked = ", ".join(c.value for c in item.submission.consent) or "nothing ticked"
            print(f"  {item.display}  ({item.item_id}; {item.where}; consent: {ticked})")
            if not dry_run:
                print(f"    consent record: {record_path(intake_dir, item.submission.reference).as_posix()}")
            for note in item.submission.notes:
                print(f"    Note: {note}")
        if not dry_run:
            print(
                f"Consent records: {intake_dir.as_posix()}/consent/ (private: git-ignored, never published)."
            )
    else:
        print(f"{verb} nothing new.")
    if report.known:
        print(f"Already imported ({len(report.known)}), nothing new written:")
        for known in report.known:
            print(f"  {known.where}: {known.reference} is {known.at}")
    for where, version in report.unrecorded_wording:
        why = (
            "has no form_version"
            if version is None
            else f"came from form version {version}, whose wording is not in {intake_dir.as_posix()}/forms/"
        )
        print(f"  Note: {where} {why}, so its consent record cannot show the words the customer saw.")
    if read.spam:
        print(f"Left out as spam ({len(read.spam)}): the hidden anti-spam field was filled in:")
        for spam in read.spam:
            print(f"  {spam.where}: {spam.honeypot}")
    if report.withdrawals:
        print(
            f"Withdrawal requests ({len(report.withdrawals)}): confirm each comes from the storyteller, then run"
        )
        for advice in report.withdrawals:
            if advice.story is None:
                print(
                    f"  {advice.request.where}: '{advice.request.story}' matches no story, or several: find its "
                    "file in the stories folder and run `followhome withdraw` on it"
                )
            elif advice.story.withdrawn:
                print(f"  {advice.request.where}: {advice.story.display} is withdrawn already")
            else:
                print(f"  followhome withdraw {advice.story.display}    # {advice.request.where}")
    problems = [*read.problems, *report.conflicts]
    skipped = len({p.where for p in problems})
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        rows = f"{skipped} row{'s' if skipped != 1 else ''}"
        print(f"Skipped {rows} ({count}); fix them and import again:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
    summary = (
        f"{len(report.imported)} imported, {len(report.known)} already imported, "
        f"{len(read.spam)} spam, {len(report.withdrawals)} withdrawal requests, {skipped} skipped."
    )
    print(("Dry run, nothing written: " if dry_run else "") + summary)


def _print_advice(content: Path, displays: set[str]) -> None:
    """What each new draft still needs before it can be published."""
    result = load_content(content, content.as_posix(), icon_exists=icon_exists)
    advice = [a for a in result.advice if a.file in displays]
    problems = [p for p in result.problems if p.file in displays]
    if advice or problems:
        print("\nBefore publishing, review each draft (`followhome check` lists this again):")
        for item in [*problems, *advice]:
            print(f"  {item}")
