"""``followhome digest``: one email with what was published in a window of days."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from mkdocs.exceptions import ConfigurationError

from followhome.email.compose import Composer, EmailOutput, EmailSetupError
from followhome.email.eml import build_message, send
from followhome.email.lint import CLIP_BYTES
from followhome.email.outbox import window_items
from followhome.email.profiles import PROFILES
from followhome.mkdocs.context import project_root
from followhome.mkdocs.standalone import load_site
from followhome.model.problems import ContentError
from followhome.publishing.today import TodayError
from followhome.render.items import ItemRenderer, RenderedItem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_NOTHING = 0, 1, 2, 3


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_day, required=True, help="first day (YYYY-MM-DD) of the window")
    parser.add_argument("--until", type=_day, help="last day of the window (default: today)")
    parser.add_argument("--esp", choices=sorted(PROFILES), help="email service (default: brand.yml)")
    parser.add_argument("--out", type=Path, help="folder for the files (default: outbox/digests/SINCE_UNTIL)")
    parser.add_argument(
        "--eml", action="store_true", help="also write digest.eml, ready to send (plain SMTP)"
    )
    parser.add_argument("--smtp", metavar="HOST:PORT", help="send the .eml to this SMTP server")
    parser.add_argument("--to", metavar="ADDRESS", help="recipient for --eml/--smtp (default: the sender)")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml of the site")


def _fail(message: str, code: int) -> int:
    print(f"followhome: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    if (args.smtp or args.eml) and args.esp not in (None, "smtp"):
        return _fail(
            "--eml and --smtp write a message for plain SMTP; leave out --esp or use --esp smtp", EXIT_USAGE
        )
    try:
        site = load_site(args.config)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return _fail("fix the content problems above first (`followhome check`)", EXIT_PROBLEMS)
    except (ConfigurationError, TodayError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    edition = site.edition
    until: date = args.until or edition.today
    if until < args.since:
        return _fail(f"--until {until} is before --since {args.since}", EXIT_USAGE)
    email = edition.catalog.brand.config.channels.email
    esp = "smtp" if (args.eml or args.smtp) else (args.esp or (email.service if email else "smtp"))
    unsubscribe = str(email.unsubscribe_url) if email and email.unsubscribe_url else None
    try:
        composer = Composer(edition, PROFILES[esp], Path(site.config.docs_dir), unsubscribe)
    except EmailSetupError as exc:
        return _fail(str(exc), EXIT_USAGE)
    renderer = ItemRenderer(edition, site.markdown(), site.config.use_directory_urls)
    items = window_items(edition, renderer, args.since, until)
    if not items:
        return _fail(
            f"nothing new for email between {args.since} and {until}: no digest written", EXIT_NOTHING
        )
    digest = composer.digest(items, args.since, until)
    out: Path = args.out or project_root(site.config) / "outbox" / "digests" / f"{args.since}_{until}"
    out.mkdir(parents=True, exist_ok=True)
    (out / "digest.html").write_text(digest.html, encoding="utf-8")
    (out / "digest.txt").write_text(digest.text, encoding="utf-8")
    meta = {
        "esp": esp,
        "items": [i.id for i in items],
        **digest.meta(),
        "clipped_by_gmail": digest.size > CLIP_BYTES,
    }
    (out / "digest.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote a digest of {len(items)} items ({digest.size // 1000} KB) to {out}")
    for reason in digest.dropped_images:
        print(f"followhome: image {reason}; it was left out", file=sys.stderr)
    if digest.size > CLIP_BYTES:
        print(_split_advice(digest.size, items, args.since, until), file=sys.stderr)
    if args.eml or args.smtp:
        return _eml(args, composer, digest, out, until)
    return EXIT_OK


def _split_advice(size: int, items: list[RenderedItem], since: date, until: date) -> str:
    """Say that Gmail would clip the digest, and which smaller windows would each fit."""
    per_item = size / len(items)
    fits = max(1, int(CLIP_BYTES * 0.9 / per_item))
    days = sorted(item.published.date() for item in items)
    windows = []
    start = since
    for index in range(fits, len(days) + fits, fits):
        if index >= len(days):
            windows.append((start, until))
            break
        end = days[index - 1]
        if end >= start:
            windows.append((start, end))
            start = end + timedelta(days=1)
    commands = "\n".join(f"  followhome digest --since {a} --until {b}" for a, b in windows)
    return (
        f"followhome: the digest is {size // 1000} KB; Gmail clips messages over 102 KB, so readers would "
        f"not see the end. Split it into {len(windows)} digests of about {fits} items:\n{commands}"
    )


def _eml(args: argparse.Namespace, composer: Composer, digest: EmailOutput, out: Path, until: date) -> int:
    email = composer.edition.catalog.brand.config.channels.email
    sender = email.from_address if email else None
    if not sender or not composer.unsubscribe_url:
        return _fail(
            "set channels.email.from_address and unsubscribe_url in brand.yml for .eml output", EXIT_USAGE
        )
    when = datetime.combine(until, time(9, 0), tzinfo=composer.edition.catalog.brand.tz)
    message = build_message(
        digest,
        sender,
        args.to or sender,
        composer.unsubscribe_url,
        email.unsubscribe_email if email else None,
        when,
    )
    (out / "digest.eml").write_bytes(bytes(message))
    print(f"Wrote {out / 'digest.eml'}")
    if args.smtp:
        host, _, port = args.smtp.rpartition(":")
        if not host or not port.isdigit():
            return _fail(f"--smtp '{args.smtp}' is not HOST:PORT", EXIT_USAGE)
        try:
            send(message, host, int(port))
        except OSError as exc:
            return _fail(f"could not send through {args.smtp}: {exc}", EXIT_PROBLEMS)
        print(f"Sent to {args.to or sender} through {args.smtp}")
    return EXIT_OK
