"""What ``followhome announce``, ``send``, ``post`` and ``email`` share: the site loaded as a build
loads it, the record, credentials errors, what is new and what is held.

Each command loads the site as a build would (no network), works out what is new for the
service (published in its channel, within ``channels.delivery.window_days``, not in
``delivered.yml``), hands it over through the service's API and records each confirmed
hand-over. ``--dry-run`` prints what would go out and sends nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.exceptions import ConfigurationError

from followhome.delivery.credentials import MissingCredentialsError
from followhome.delivery.record import RECORD_FILE, Delivered, RecordError
from followhome.delivery.window import Item, new_items
from followhome.mkdocs.context import project_root
from followhome.mkdocs.standalone import Standalone, load_site
from followhome.model.content import Channel, Story
from followhome.model.problems import ContentError
from followhome.publishing.today import TodayError
from followhome.tone.check import scored_items

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print what would go out; send nothing")
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml of the site")
    parser.add_argument(
        "--record", type=Path, help=f"the record of what went out (default: {RECORD_FILE} beside mkdocs.yml)"
    )


def say(message: str) -> None:
    print(message, flush=True)


def fail(message: str, code: int) -> int:
    print(f"followhome: {message}", file=sys.stderr)
    return code


def now() -> datetime:
    return datetime.now(UTC)


def open_site(config: Path) -> Standalone | int:
    """The site as a build loads it, or the exit code after saying why not."""
    try:
        return load_site(config)
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return fail("fix the content problems above first (`followhome check`)", EXIT_FAILED)
    except (ConfigurationError, TodayError) as exc:
        return fail(str(exc), EXIT_USAGE)


def open_record(args: argparse.Namespace, site: Standalone) -> Delivered | int:
    path: Path = args.record or project_root(site.config) / RECORD_FILE
    try:
        return Delivered.load(path)
    except RecordError as exc:
        return fail(str(exc), EXIT_USAGE)


def missing(exc: MissingCredentialsError, what: str) -> int:
    names = ", ".join(exc.variables)
    return fail(
        f"{what}: set {names} (as CI secrets or in your environment; never in the repository). Nothing was sent.",
        EXIT_USAGE,
    )


def held_for_tone(site: Standalone, channel: Channel) -> dict[str, str]:
    """Items too loud for ``channel`` when ``tone.enforce`` is on: path -> why (held, not failed)."""
    tone = site.edition.catalog.brand.config.tone
    if not tone.enforce:
        return {}
    return {
        scored.path: f"tone {scored.score.volume} is louder than the {channel.value} limit {scored.too_loud[channel]}"
        for scored in scored_items(site.edition)
        if channel in scored.too_loud
    }


def fresh(site: Standalone, channel: Channel) -> list[Item]:
    window = site.edition.catalog.brand.config.channels.delivery.window_days
    return new_items(site.edition, channel, window)


def env() -> Mapping[str, str]:
    return os.environ


def story_of(item: Item) -> Story | None:
    return item if isinstance(item, Story) else None
