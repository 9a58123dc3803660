"""``followhome post [--network mastodon|bluesky]``: new items consented for social, posted once."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

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
    story_of,
)
from followhome.delivery.credentials import MissingCredentialsError, SetupError, has
from followhome.delivery.handover import Handed, Post
from followhome.delivery.http import ServiceError
from followhome.delivery.run import Job, deliver
from followhome.delivery.social import bluesky, mastodon
from followhome.delivery.social.text import PostTooLongError, post_text
from followhome.email.links import with_utm
from followhome.model.content import Channel
from followhome.publishing.disclosure import disclosure
from followhome.render.items import ItemRenderer


@dataclass(frozen=True)
class Network:
    name: str
    variables: tuple[str, ...]
    """Set all of these and the network is posted to by default."""
    connect: Callable[[Mapping[str, str]], tuple[Callable[[Post], Handed], int, int | None]]
    """The client's create, the text limit, and the length a link counts as (None: as written)."""


def _mastodon(environment: Mapping[str, str]) -> tuple[Callable[[Post], Handed], int, int | None]:
    client = mastodon.from_env(environment)
    return client.create, client.limit(), client.url_length()


def _bluesky(environment: Mapping[str, str]) -> tuple[Callable[[Post], Handed], int, int | None]:
    client = bluesky.from_env(environment)
    return client.create, bluesky.LIMIT, None


DRY_LIMITS: dict[str, tuple[int, int | None]] = {
    "mastodon": (mastodon.DEFAULT_LIMIT, mastodon.DEFAULT_URL_LENGTH),
    "bluesky": (bluesky.LIMIT, None),
}
"""A dry run without credentials: the networks' documented defaults (a server may allow more)."""

NETWORKS = {
    "mastodon": Network("mastodon", ("FOLLOWHOME_MASTODON_URL", "FOLLOWHOME_MASTODON_TOKEN"), _mastodon),
    "bluesky": Network("bluesky", ("FOLLOWHOME_BLUESKY_HANDLE", "FOLLOWHOME_BLUESKY_APP_PASSWORD"), _bluesky),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--network",
        action="append",
        choices=sorted(NETWORKS),
        help="post to this network (repeatable; default: every network whose variables are set)",
    )
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    environment = env()
    chosen = args.network or [n for n, net in NETWORKS.items() if has(environment, net.variables)]
    if not chosen:
        variables = " or ".join(" + ".join(net.variables) for net in NETWORKS.values())
        return fail(f"no social network is set up: set {variables}. Nothing was posted.", EXIT_USAGE)
    if not args.dry_run:  # every network's variables first: nothing goes out if one is missing
        absent = [
            v for name in chosen for v in NETWORKS[name].variables if not environment.get(v, "").strip()
        ]
        if absent:
            return missing(MissingCredentialsError(absent), f"post to {', '.join(chosen)}")
    for name, network in NETWORKS.items():
        partly = [v for v in network.variables if environment.get(v, "").strip()]
        if name not in chosen and partly:
            say(f"{name}: left out: only {', '.join(partly)} of {', '.join(network.variables)} is set")
    site = open_site(args.config)
    if isinstance(site, int):
        return site
    record = open_record(args, site)
    if isinstance(record, int):
        return record
    edition = site.edition
    brand = edition.catalog.brand
    renderer = ItemRenderer(edition, site.markdown(), site.config.use_directory_urls)
    held = held_for_tone(site, Channel.SOCIAL)
    items = fresh(site, Channel.SOCIAL)
    code = EXIT_OK
    for name in chosen:
        network = NETWORKS[name]
        try:
            create, limit, url_length = (
                (_refuse, *DRY_LIMITS[name])
                if args.dry_run and not has(environment, network.variables)
                else network.connect(environment)
            )
        except MissingCredentialsError as exc:
            return missing(exc, f"post to {name}")
        except SetupError as exc:
            return fail(f"{exc}. Nothing was posted.", EXIT_USAGE)
        except ServiceError as exc:  # Mastodon's limits are read from the server first
            say(f"{name}: nothing posted: {exc}")
            code = EXIT_FAILED
            continue
        jobs = []
        for item in items:
            rendered = renderer.item(item)
            if rendered.url is None:
                continue
            link = with_utm(rendered.url, brand.url, item.id, medium="social", source=name)
            story = story_of(item)
            said = disclosure(story, brand.config.name) if story else None
            try:
                text = post_text(rendered, link, said, limit, url_length)
            except PostTooLongError as exc:
                say(f"  NOT posted: {item.id} {rendered.title!r}: {exc}")
                code = EXIT_FAILED
                continue
            post = Post(item.id, text, link, rendered.title, rendered.summary, brand.config.language)
            jobs.append(Job(item.id, rendered.title, post, held.get(item.origin.path, "")))
        jobs = [job for job in jobs if not record.has(name, job.key)]
        say(f"{name}: {len(jobs)} new item{'s' if len(jobs) != 1 else ''} within the window")
        outcome = deliver(
            name, jobs, create, record, args.dry_run, now, say, describe=lambda p: _indent(p.text)
        )
        if not outcome.ok:
            code = EXIT_FAILED
        say(
            f"{name}: {len(outcome.handed)} {'would be ' if args.dry_run else ''}posted, "
            f"{len(outcome.held)} held, {len(outcome.failed)} failed."
        )
    return code


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def _refuse(post: Post) -> Handed:  # pragma: no cover - a dry run never creates
    raise AssertionError("a dry run posts nothing")
