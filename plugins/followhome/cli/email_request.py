"""``followhome email ITEM…``: compose an item's email and snippets whatever its age.

The outbox holds what is new (``channels.delivery.window_days``); an editor who wants an older
item's email asks for it by id or file. The request is kept in the outbox's manifest, so every
later build keeps the item's folder, until ``--forget`` takes it back.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from followhome.cli.deliver import EXIT_OK, EXIT_USAGE, fail, open_site, say
from followhome.email.manifest import Manifest
from followhome.email.outbox import MARKER, planned_items
from followhome.mkdocs.context import project_root

PLUGIN = "followhome-email"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "items", nargs="+", metavar="ITEM", help="an id (s-8d3c4482) or a file (content/stories/x.md)"
    )
    parser.add_argument(
        "--forget", action="store_true", help="take the request back (the item leaves the outbox when old)"
    )
    parser.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml of the site")


def run(args: argparse.Namespace) -> int:
    site = open_site(args.config)
    if isinstance(site, int):
        return site
    plugin = site.config.plugins.get(PLUGIN)
    if plugin is None:
        return fail(f"mkdocs.yml has no {PLUGIN} plugin, so there is no outbox", EXIT_USAGE)
    outbox = (project_root(site.config) / str(getattr(plugin.config, "outbox_dir", "outbox"))).resolve()
    candidates = {p.source.id: p for p in planned_items(site.edition)}
    by_file = {p.source.origin.path: p.source.id for p in candidates.values()}
    wanted: list[str] = []
    manifest = Manifest.load(outbox / MARKER)
    for asked in args.items:
        given = Path(asked)
        if given.is_absolute() and given.resolve().is_relative_to(project_root(site.config).resolve()):
            given = given.resolve().relative_to(project_root(site.config).resolve())
        item_id = asked if asked in candidates else by_file.get(given.as_posix())
        if args.forget and item_id is None and asked in manifest.requested:
            wanted.append(asked)  # no longer eligible (withdrawn, expired): forgetting is always allowed
            continue
        if item_id is None:
            return fail(
                f"'{asked}' is no story or update that goes to email or social today (an id like s-8d3c4482, or "
                "its file under content/; a story needs consent for email or social, and must be published)",
                EXIT_USAGE,
            )
        wanted.append(item_id)
    before = set(manifest.requested)
    after = before - set(wanted) if args.forget else before | set(wanted)
    manifest.requested = tuple(sorted(after))
    outbox.mkdir(parents=True, exist_ok=True)
    manifest.save(outbox / MARKER)
    for item_id in wanted:
        folder = candidates[item_id].folder if item_id in candidates else "…"
        if args.forget:
            say(f"Forgot {item_id}: the next build keeps {outbox.name}/{folder}/ only while it is new.")
        else:
            say(f"Asked for {item_id}: the next build (make site) composes {outbox.name}/{folder}/.")
    say(f"Recorded in {outbox.name}/{MARKER}.")
    return EXIT_OK
