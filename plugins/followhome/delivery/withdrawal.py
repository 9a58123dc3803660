"""What ``followhome withdraw`` takes back from the services: the story's posts, its emails at
the email service (drafts; a sent one leaves the service's archive, though inboxes keep it) and
any digest handed over with it, by the ids in ``delivered.yml``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from followhome.delivery.credentials import MissingCredentialsError, SetupError
from followhome.delivery.esp import buttondown, ghost, listmonk, mailchimp
from followhome.delivery.http import ServiceError
from followhome.delivery.record import Delivered, RecordError
from followhome.delivery.social import bluesky, mastodon

Audience = str | list[int] | None
Delete = Callable[[Mapping[str, str], Audience], Callable[[str], None]]
DELETERS: dict[str, Delete] = {
    "mastodon": lambda env, audience: mastodon.from_env(env).delete,
    "bluesky": lambda env, audience: bluesky.from_env(env).delete,
    "buttondown": lambda env, audience: buttondown.from_env(env).delete,
    "listmonk": lambda env, audience: listmonk.from_env(env, audience).delete,
    "mailchimp": lambda env, audience: mailchimp.from_env(env, audience).delete,
    "ghost": lambda env, audience: ghost.from_env(env, audience).delete,
}
WHAT = {"mastodon": "status", "bluesky": "post"}


def unpublish(
    item_id: str, record_path: Path, env: Mapping[str, str], audience: Audience, say: Callable[[str], None]
) -> bool:
    """Delete what went out for ``item_id`` (``audience``: ``channels.email.audience``, which
    the email services' clients are made with); True when nothing is left to delete."""
    try:
        record = Delivered.load(record_path)
    except RecordError as exc:
        say(f"Not deleted from any service: {exc}")
        return False
    complete = True
    found = False
    for service in sorted(record.services):
        if service not in DELETERS:
            continue
        for key, entry in sorted(record.services[service].items()):
            if key != item_id and item_id not in entry.get("items", "").split(","):
                continue
            found = True
            thing = WHAT.get(service, "digest email" if key != item_id else "email")
            try:
                DELETERS[service](env, audience)(entry["id"])
            except SetupError as exc:
                complete = False
                say(f"Not deleted: the {service} {thing} {entry['id']}: {exc}.")
                continue
            except MissingCredentialsError as exc:
                complete = False
                say(
                    f"Not deleted: the {service} {thing} {entry['id']}: set {', '.join(exc.variables)} and run this again."
                )
                continue
            except ServiceError as exc:
                complete = False
                say(
                    f"Not deleted: the {service} {thing} {entry['id']}: {exc}. Run this again, or delete it by hand."
                )
                continue
            record.remove(service, key)
            url = f" ({entry['url']})" if entry.get("url") else ""
            say(f"Deleted the {service} {thing} {entry['id']}{url}.")
    if not found:
        say(
            f"{record_path.as_posix()} records nothing handed over for {item_id}: no post or email to delete. "
            "(CI commits that file: pull before withdrawing, so it is up to date.)"
        )
    return complete
