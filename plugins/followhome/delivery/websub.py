"""WebSub: tell the hub which feeds changed, once per change.

Every feed declares the hub (``channels.feeds.websub_hub``); after a build, the feeds whose
bytes differ from what the hub was last told about are sent in ONE publish ping
(``POST <hub>``, form-encoded ``hub.mode=publish`` and one ``hub.url`` per feed). A hub answers
204 (PuSH 0.3; Superfeedr always does); 200 and 202 are taken as yes too. Only then is each
feed's sha256 recorded in ``delivered.yml`` under ``websub``, so a re-run with nothing new pings
nothing, and a failed ping is tried again on the next run. Retrying a ping is safe: the hub only
fetches the feeds again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from followhome.delivery.http import Api
from followhome.delivery.record import Delivered, utc_stamp
from followhome.render.feed_formats import FORMATS, SUFFIXES, feed_path, value_feed_key

SERVICE = "websub"
OK = (200, 202, 204)
COLLECTION_KEYS = ("stories", "updates")
"""Feeds besides the site-wide one and one per value (see ``feeds/build.py``)."""


class SiteNotBuiltError(Exception):
    """There is no built site (or it has no feeds) to announce."""


@dataclass
class Announced:
    """What one run told the hub: feed file names, and the feeds' absolute URLs (topics)."""

    changed: list[str] = field(default_factory=list)
    """Feed files whose bytes differ from the last ping (or that were never pinged)."""
    unchanged: list[str] = field(default_factory=list)
    pinged: list[str] = field(default_factory=list)
    """Absolute URLs of the changed feeds, which the hub confirmed (on a dry run: which would
    be pinged; nothing was sent)."""
    dry_run: bool = False


def _feed_key(name: str) -> str | None:
    """The feed key of a file at the site root, or None if the file is not a feed."""
    if name in FORMATS.values():
        return "all"
    # Longest ending first: ``stories.atom.xml`` is Atom, not RSS of ``stories.atom``.
    for fmt, suffix in sorted(SUFFIXES.items(), key=lambda kv: -len(kv[1])):
        if not name.endswith(suffix):
            continue
        key = name.removesuffix(suffix)
        is_feed = key in COLLECTION_KEYS or (key.startswith(value_feed_key("")) and key != value_feed_key(""))
        return key if is_feed and feed_path(key, fmt) == name else None
    return None


def site_feeds(site_dir: Path) -> list[Path]:
    """The feed files of a built site, by name (every feed sits at the site root)."""
    if not site_dir.is_dir():
        raise SiteNotBuiltError(
            f"{site_dir.as_posix()} does not exist: run `mkdocs build` first, then announce the feeds it made"
        )
    feeds = sorted(
        (p for p in site_dir.iterdir() if p.is_file() and _feed_key(p.name) is not None), key=lambda p: p.name
    )
    if not feeds:
        raise SiteNotBuiltError(
            f"{site_dir.as_posix()} has no feeds ({', '.join(FORMATS.values())}): add `followhome-feeds` "
            "to the plugins in mkdocs.yml and run `mkdocs build` first"
        )
    return feeds


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def announce(
    site_dir: Path, site_url: str, hub: str, delivered: Delivered, api: Api, dry_run: bool, now: datetime
) -> Announced:
    """Ping ``hub`` once with every feed of ``site_dir`` that changed since the last confirmed
    ping, and record them; with ``dry_run``, only say what would be pinged.

    Raises :class:`SiteNotBuiltError` without a built site, and
    :class:`~followhome.delivery.http.ServiceError` when the hub refuses or keeps failing
    (nothing is recorded then, so the next run pings the same feeds again).
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    result = Announced(dry_run=dry_run)
    hashes: dict[str, str] = {}
    for path in site_feeds(site_dir):
        digest = _sha256(path)
        last = delivered.get(SERVICE, path.name)
        if last is not None and last.get("sha256") == digest:
            result.unchanged.append(path.name)
        else:
            result.changed.append(path.name)
            hashes[path.name] = digest
    topics = [base + name for name in result.changed]
    if dry_run or not topics:
        result.pinged = topics
        return result
    body = urlencode([("hub.mode", "publish")] + [("hub.url", url) for url in topics])
    api.request(
        "POST",
        hub,
        ok=OK,
        what=f"publish {len(topics)} feed{'s' if len(topics) != 1 else ''}",
        content=body.encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    stamp = utc_stamp(now)
    for name in result.changed:
        delivered.add(SERVICE, name, {"at": stamp, "sha256": hashes[name]})
    result.pinged = topics
    return result
