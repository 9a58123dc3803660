"""``followhome announce``: tell the WebSub hub which feeds changed since the last announcement."""

from __future__ import annotations

import argparse
from pathlib import Path

from followhome.cli.deliver import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    add_common,
    fail,
    now,
    open_record,
    open_site,
    say,
)
from followhome.delivery.http import Api, ServiceError
from followhome.delivery.websub import SiteNotBuiltError, announce


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, help="the built site (default: site_dir of mkdocs.yml)")
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    site = open_site(args.config)
    if isinstance(site, int):
        return site
    brand = site.edition.catalog.brand
    feeds = brand.config.channels.feeds
    if feeds is None or feeds.websub_hub is None:
        say("No WebSub hub: set channels.feeds.websub_hub in brand.yml to have feed readers told at once.")
        return EXIT_OK
    record = open_record(args, site)
    if isinstance(record, int):
        return record
    hub = str(feeds.websub_hub)
    site_dir: Path = args.site or Path(site.config.site_dir)
    api = Api("websub", hub, {"User-Agent": "followhome"}, log=say)
    try:
        done = announce(site_dir, brand.url, hub, record, api, args.dry_run, now())
    except SiteNotBuiltError as exc:
        return fail(str(exc), EXIT_USAGE)
    except ServiceError as exc:
        return fail(f"{exc}; nothing recorded, so the next run tries again", EXIT_FAILED)
    finally:
        api.close()
    verb = "Would tell" if args.dry_run else "Told"
    if done.pinged:
        say(f"{verb} {hub} about {len(done.pinged)} changed feed(s): {', '.join(done.pinged)}")
    else:
        say(
            f"No feed changed since the last announcement ({len(done.unchanged)} unchanged): nothing to tell {hub}."
        )
    return EXIT_OK
