"""The ``followhome`` command: check content, scaffold files, export schemas."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from followhome.cli import announce, email_request, post, send
from followhome.cli.digest import add_arguments as add_digest_arguments
from followhome.cli.digest import run as run_digest
from followhome.cli.intake import add_arguments as add_intake_arguments
from followhome.delivery.withdrawal import unpublish
from followhome.intake.records import record_withdrawal
from followhome.mkdocs.theme import icon_exists
from followhome.model.catalog import Catalog
from followhome.model.content import Channel
from followhome.model.loader import STORIES_DIR, LoadResult, load_content
from followhome.model.scaffold import KINDS, ScaffoldError, scaffold
from followhome.model.schema import SCHEMA_DIR, stale_schemas, write_schemas
from followhome.model.withdraw import Withdrawal, WithdrawError, withdraw
from followhome.publishing.edition import Edition
from followhome.publishing.today import TodayError, resolve_today
from followhome.tone.check import scored_items
from followhome.tone.files import score_paths
from followhome.tone.report import as_json, as_table

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _content_dir(raw: str) -> Path | None:
    path = Path(raw)
    if not path.is_dir():
        print(
            f"followhome: content folder '{raw}' not found; run from the project root or pass --content DIR",
            file=sys.stderr,
        )
        return None
    return path


def _load(path: Path) -> LoadResult:
    return load_content(path, path.as_posix(), icon_exists=icon_exists)


def _today(tz: tzinfo) -> date | None:
    """Today for the build, or None after saying why FOLLOWHOME_TODAY is unusable."""
    try:
        return resolve_today(tz)
    except TodayError as exc:
        print(f"followhome: {exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    content = _content_dir(args.content)
    if content is None:
        return EXIT_USAGE
    result = _load(content)
    for problem in result.problems:
        print(problem)
    _print_advice(result)
    if result.problems:
        files = len({p.file for p in result.problems})
        noun = "problem" if len(result.problems) == 1 else "problems"
        print(f"\n{len(result.problems)} {noun} in {files} file{'s' if files != 1 else ''}.", file=sys.stderr)
        return EXIT_PROBLEMS
    catalog = result.require()
    today = _today(catalog.brand.tz)
    if today is None:
        return EXIT_USAGE
    edition = Edition(catalog, today)
    on_site = len(edition.stories(Channel.SITE))
    drafts = sum(1 for s in catalog.stories if s.meta.status == "draft") + len(catalog.drafts)
    print(
        f"Content is fine: {len(catalog.values)} values, {len(catalog.stories) + len(catalog.drafts)} stories "
        f"({on_site} on the site today, {drafts} in draft), {len(catalog.updates)} updates."
    )
    return EXIT_OK


def _print_advice(result: LoadResult) -> None:
    """What drafts still need: advice, not problems (a draft never fails a check or a build)."""
    if not result.advice:
        return
    drafts = sorted({a.file for a in result.advice})
    noun = "draft still needs" if len(drafts) == 1 else "drafts still need"
    print(f"\n{len(drafts)} {noun} work before publishing (advice, not errors):")
    for advice in result.advice:
        print(f"  {advice}")


def cmd_new(args: argparse.Namespace) -> int:
    content = _content_dir(args.content)
    if content is None:
        return EXIT_USAGE
    result = _load(content)
    catalog = result.catalog
    today = _today(catalog.brand.tz if catalog else UTC)
    if today is None:
        return EXIT_USAGE
    taken: set[str] = set()
    if catalog:
        taken = (
            {s.id for s in catalog.stories}
            | {d.id for d in catalog.drafts}
            | {t.id for t in catalog.tombstones}
            | {u.id for u in catalog.updates}
        )
    value_ids = [v.id for v in catalog.values] if catalog else []
    try:
        path = scaffold(args.kind, args.title, content, today, taken, value_ids)
    except ScaffoldError as exc:
        print(f"followhome: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created {path.as_posix()}")
    return EXIT_OK


def cmd_withdraw(args: argparse.Namespace) -> int:
    content = _content_dir(args.content)
    if content is None:
        return EXIT_USAGE
    on = None
    if args.date is not None:
        try:
            on = date.fromisoformat(args.date)
        except ValueError:
            print(f"followhome: --date '{args.date}' is not a date in the form YYYY-MM-DD", file=sys.stderr)
            return EXIT_USAGE
    catalog = _load(content).catalog
    today = _today(catalog.brand.tz if catalog else UTC)
    if today is None:
        return EXIT_USAGE
    try:
        done = withdraw(Path(args.story), content / STORIES_DIR, today, on, args.rename)
    except WithdrawError as exc:
        print(f"followhome: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if done.already:
        print(f"{done.path.as_posix()} is withdrawn already (on {done.withdrawn}); nothing to remove.")
        _record_withdrawal(Path(args.intake), done)
        # Run again after a service could not be reached: what is left is deleted now.
        return (
            EXIT_OK
            if unpublish(done.item_id, Path(args.record), os.environ, _audience(catalog), print)
            else EXIT_PROBLEMS
        )
    if done.renamed_from is not None:
        print(
            f"Renamed {done.renamed_from.as_posix()} to {done.path.as_posix()} (no notice at the old address)."
        )
    print(f"Wrote the tombstone {done.path.as_posix()}: withdrawn {done.withdrawn}.")
    if done.removed:
        print(f"Removed: {', '.join(done.removed)}.")
    _record_withdrawal(Path(args.intake), done)
    unpublished = unpublish(done.item_id, Path(args.record), os.environ, _audience(catalog), print)
    kept = "id, consent.withdrawn" + (", consent.reference" if done.reference else "")
    print(
        f"Kept: {kept}.\n"
        "The next build removes the story from the site, feeds, email outbox and caches. "
        "Emails already sent cannot be recalled.\n"
        "The old text is still in git history: see 'Withdrawing a story' in the README to remove it."
    )
    if not unpublished:
        print(
            "followhome: some of what went out could not be deleted (above); the rest is done",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def _audience(catalog: Catalog | None) -> str | list[int] | None:
    email = catalog.brand.config.channels.email if catalog else None
    return email.audience if email else None


def _record_withdrawal(intake_dir: Path, done: Withdrawal) -> None:
    """The withdrawal in the story's consent record, if it came in through the share form."""
    now = datetime.now(UTC).replace(microsecond=0)
    recorded = record_withdrawal(
        intake_dir, done.item_id, done.reference, done.withdrawn, now, done.path.as_posix()
    )
    if recorded is None:
        print(
            f"No consent record of this story in {intake_dir.as_posix()}/. If it came in by the share form, run "
            "this again with --intake pointing at the folder of consent records, so the withdrawal is recorded "
            "and the words are erased there too."
        )
        return
    erased = f"; erased its {', '.join(recorded.erased)}" if recorded.erased else ""
    print(
        f"Recorded the withdrawal in {recorded.path.as_posix()}{erased}; kept who agreed, when, and to what "
        "(proof of past consent)."
    )


def cmd_schema(args: argparse.Namespace) -> int:
    folder = Path(args.out)
    if args.check:
        stale = stale_schemas(folder)
        if stale:
            print(f"Out of date: {', '.join(stale)}; run `followhome schema`.", file=sys.stderr)
            return EXIT_PROBLEMS
        print("Schemas are up to date.")
        return EXIT_OK
    for path in write_schemas(folder):
        print(f"Wrote {path.as_posix()}")
    return EXIT_OK


def cmd_tone(args: argparse.Namespace) -> int:
    content = _content_dir(args.content)
    if content is None:
        return EXIT_USAGE
    result = _load(content)
    if result.catalog is None:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        return EXIT_PROBLEMS
    today = _today(result.catalog.brand.tz)
    if today is None:
        return EXIT_USAGE
    items = scored_items(Edition(result.catalog, today))
    if not args.paths:
        print(as_json(items) if args.json else as_table(items), end="")
        return EXIT_OK
    # Content items keep their channels and limits; any other file meets the brand's volume.
    volume = result.catalog.brand.config.tone.volume
    scores = score_paths(args.paths, items, volume, result.problems)
    if scores.missing:
        print(f"followhome: not found: {', '.join(scores.missing)}", file=sys.stderr)
        return EXIT_USAGE
    for problem in scores.not_loaded:
        print(f"{problem} (scored as a file against tone.volume {volume})", file=sys.stderr)
    for problem in scores.unscored:
        print(f"followhome: not scored: {problem}", file=sys.stderr)
    print(as_json(scores.items) if args.json else as_table(scores.items), end="")
    return EXIT_PROBLEMS if scores.unscored else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="followhome", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="validate content/ without building; exit 1 on any problem")
    check.add_argument("--content", default="content", help="content folder (default: content)")
    check.set_defaults(run=cmd_check)

    new = sub.add_parser("new", help="create a story, value or update with a fresh permanent id")
    new.add_argument("kind", choices=KINDS)
    new.add_argument("title")
    new.add_argument("--content", default="content", help="content folder (default: content)")
    new.set_defaults(run=cmd_new)

    withdrawal = sub.add_parser(
        "withdraw", help="erase a story whose customer withdrew consent, keeping only its id and the date"
    )
    withdrawal.add_argument("story", help="the story's file, e.g. content/stories/a-bottle.md")
    withdrawal.add_argument("--date", help="day the consent was withdrawn, YYYY-MM-DD (default: today)")
    withdrawal.add_argument(
        "--rename", action="store_true", help="name the file by its id and leave no notice at the old address"
    )
    withdrawal.add_argument("--content", default="content", help="content folder (default: content)")
    withdrawal.add_argument(
        "--intake", default="intake", help="private folder of consent records (default: intake)"
    )
    withdrawal.add_argument(
        "--record", default="delivered.yml", help="the record of what went out (default: delivered.yml)"
    )
    withdrawal.set_defaults(run=cmd_withdraw)

    schema = sub.add_parser("schema", help="write the JSON Schemas of the front matter")
    schema.add_argument("--out", default=str(SCHEMA_DIR), help="folder for the .schema.json files")
    schema.add_argument("--check", action="store_true", help="only report whether they are up to date")
    schema.set_defaults(run=cmd_schema)
    digest = sub.add_parser("digest", help="one email with what was published between two dates")
    add_digest_arguments(digest)
    digest.set_defaults(run=run_digest)

    tone = sub.add_parser("tone", help="score how commercial each item sounds, with the reasons")
    tone.add_argument(
        "paths",
        nargs="*",
        help="files (Markdown or text, in the content folder or not) or folders of Markdown files "
        "(default: every content item)",
    )
    tone.add_argument("--json", action="store_true", help="machine-readable output")
    tone.add_argument("--content", default="content", help="content folder (default: content)")
    tone.set_defaults(run=cmd_tone)

    intake = sub.add_parser("intake", help="stories coming in: import share-form submissions as drafts")
    add_intake_arguments(intake)

    for name, module, help_text in (
        ("announce", announce, "tell the WebSub hub which feeds changed since the last announcement"),
        ("send", send, "hand new items (or a digest) to the email service as drafts, once"),
        ("post", post, "post new items consented for social to Mastodon and Bluesky, once"),
        (
            "email",
            email_request,
            "compose an older item's email and snippets into the outbox on the next build",
        ),
    ):
        command = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
