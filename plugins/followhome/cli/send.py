"""``followhome send [--esp NAME]``: new items consented for email (or a digest) handed to the
email service as drafts, or scheduled; each once."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from followhome.cli.deliver import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_common,
    env,
    fail,
    fresh,
    held_for_tone,
    missing,
    now,
    open_record,
    open_site,
    say,
)
from followhome.delivery.credentials import MissingCredentialsError, SetupError
from followhome.delivery.esp import buttondown, ghost, listmonk, mailchimp
from followhome.delivery.esp.mailchimp import check_schedule
from followhome.delivery.handover import EmailDraft, Handed
from followhome.delivery.http import ServiceError
from followhome.delivery.run import Job, deliver
from followhome.email.compose import Composer, EmailOutput, EmailSetupError
from followhome.email.outbox import window_items
from followhome.email.profiles import PROFILES
from followhome.model.content import Channel, EmailChannel, Story, Update
from followhome.render.items import ItemRenderer

Connect = Callable[[Mapping[str, str], EmailChannel], Callable[[EmailDraft], Handed]]
SERVICES: dict[str, Connect] = {
    "buttondown": lambda environment, email: buttondown.from_env(environment).create,
    "listmonk": lambda environment, email: listmonk.from_env(environment, email.audience).create,
    "mailchimp": lambda environment, email: mailchimp.from_env(environment, email.audience).create,
    "ghost": lambda environment, email: ghost.from_env(environment, email.audience).create,
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time; write it like 2026-12-05T09:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' has no time zone; end it with Z (UTC) or +01:00")
    return moment.astimezone(UTC)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--esp", choices=sorted(SERVICES), help="email service (default: channels.email.service)"
    )
    parser.add_argument(
        "--digest", action="store_true", help="one digest of a window of days instead of items"
    )
    parser.add_argument("--since", type=_day, help="with --digest: first day (YYYY-MM-DD)")
    parser.add_argument("--until", type=_day, help="with --digest: last day (default: today)")
    parser.add_argument(
        "--schedule",
        type=_moment,
        metavar="TIME",
        help="schedule instead of a draft, e.g. 2026-12-05T09:00:00Z",
    )
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    if args.digest != (args.since is not None):
        return fail("--digest needs --since (and --since is only for --digest)", EXIT_USAGE)
    if args.schedule is not None and args.schedule <= datetime.now(UTC):
        return fail(f"--schedule {args.schedule.isoformat()} is not in the future", EXIT_USAGE)
    site = open_site(args.config)
    if isinstance(site, int):
        return site
    edition = site.edition
    email = edition.catalog.brand.config.channels.email
    if email is None:
        return fail("brand.yml has no channels.email: there is no email service to send to", EXIT_USAGE)
    service = args.esp or email.service
    if service not in SERVICES:
        return fail(
            f"{service} has no API to hand drafts to; for plain SMTP use `followhome digest --smtp HOST:PORT`",
            EXIT_USAGE,
        )
    record = open_record(args, site)
    if isinstance(record, int):
        return record
    try:
        composer = Composer(edition, PROFILES[service], Path(site.config.docs_dir), None)
    except EmailSetupError as exc:
        return fail(str(exc), EXIT_USAGE)
    renderer = ItemRenderer(edition, site.markdown(), site.config.use_directory_urls)
    jobs: list[Job[EmailDraft]] = []
    digest_of: dict[str, str] = {}
    """The items of each digest, recorded with it so a withdrawal finds it."""
    held = held_for_tone(site, Channel.EMAIL)
    if args.digest:
        until: date = args.until or edition.today
        sources: list[Story | Update] = [*edition.catalog.stories, *edition.catalog.updates]
        loud = {source.id: held[source.origin.path] for source in sources if source.origin.path in held}
        items = window_items(edition, renderer, args.since, until)
        for entry in items:
            if entry.id in loud:
                say(f"  held out of the digest: {entry.id} {entry.title!r}: {loud[entry.id]}")
        items = [entry for entry in items if entry.id not in loud]
        if not items:
            say(f"{service}: nothing to send for email between {args.since} and {until}: no digest")
            return EXIT_OK
        key = f"digest-{args.since}-{until}"
        digest_of[key] = ",".join(entry.id for entry in items)
        jobs.append(
            Job(
                key,
                f"digest {args.since} to {until}",
                _draft(key, composer.digest(items, args.since, until), (), args.schedule),
            )
        )
    else:
        for item in fresh(site, Channel.EMAIL):
            rendered = renderer.item(item)
            tags = tuple(email.value_tags[v] for v in item.meta.values if v in email.value_tags)
            draft = _draft(item.id, composer.email(rendered), tags, args.schedule)
            jobs.append(Job(item.id, rendered.title, draft, held.get(item.origin.path, "")))
    environment = env()
    if args.schedule is not None and service == "mailchimp":
        try:
            check_schedule(args.schedule)
        except ServiceError as exc:
            return fail(f"{exc}. Nothing was sent.", EXIT_USAGE)
    try:
        create = (
            _refuse if args.dry_run else _recording_items(SERVICES[service](environment, email), digest_of)
        )
    except MissingCredentialsError as exc:
        return missing(exc, f"send to {service}")
    except SetupError as exc:
        return fail(f"{exc}. Nothing was sent.", EXIT_USAGE)
    what = "scheduled" if args.schedule else "draft"
    jobs = [job for job in jobs if not record.has(service, job.key)]
    say(
        f"{service}: {len(jobs)} new {'digest' if args.digest else 'item'}{'s' if len(jobs) != 1 else ''} ({what})"
    )
    outcome = deliver(service, jobs, create, record, args.dry_run, now, say, describe=_describe)
    say(
        f"{service}: {len(outcome.handed)} {'would be ' if args.dry_run else ''}handed over as "
        f"{what}s, {len(outcome.held)} held, {len(outcome.failed)} failed. Nothing was sent to subscribers"
        + (
            f"; the {what}s go out on {args.schedule.isoformat()}."
            if args.schedule
            else ": send the drafts from the service."
        )
    )
    return EXIT_OK if outcome.ok else EXIT_FAILED


def _draft(key: str, output: EmailOutput, tags: tuple[str, ...], schedule: datetime | None) -> EmailDraft:
    return EmailDraft(key, output.subject, output.preheader, output.html, output.text, tags, schedule)


def _describe(draft: EmailDraft) -> str:
    tags = f" tags: {', '.join(draft.tags)}" if draft.tags else ""
    return f"      subject: {draft.subject} ({len(draft.html.encode()) // 1000} KB){tags}"


def _refuse(draft: EmailDraft) -> Handed:  # pragma: no cover - a dry run never creates
    raise AssertionError("a dry run sends nothing")


def _recording_items(
    create: Callable[[EmailDraft], Handed], digest_of: dict[str, str]
) -> Callable[[EmailDraft], Handed]:
    """``create``, with a digest's items added to what is recorded of it."""

    def wrapped(draft: EmailDraft) -> Handed:
        handed = create(draft)
        items = digest_of.get(draft.key)
        return replace(handed, extra={**handed.extra, "items": items}) if items else handed

    return wrapped
