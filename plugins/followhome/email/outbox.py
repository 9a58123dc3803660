"""Every email-ready file of an edition: per item fragment, full email, metadata and snippets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from followhome.email.compose import Composer, EmailOutput
from followhome.email.snippets import snippets
from followhome.items import ItemRenderer, RenderedItem
from followhome.model import Channel, Story, Update
from followhome.publishing import Edition

MARKER = ".followhome-outbox"


@dataclass(frozen=True)
class OutFile:
    path: str
    text: str


def _meta(output: EmailOutput, item: RenderedItem, esp: str) -> dict[str, object]:
    return {"id": item.id, "esp": esp, "kind": item.kind, **output.meta()}


def item_files(composer: Composer, item: RenderedItem, folder: str, dropped: list[str]) -> Iterator[OutFile]:
    for output in (composer.fragment(item), composer.email(item)):
        dropped += [f"{folder}: image {reason}" for reason in output.dropped_images if output.name == "email"]
        yield OutFile(f"{folder}/{output.name}.html", output.html)
        yield OutFile(f"{folder}/{output.name}.txt", output.text)
        yield OutFile(
            f"{folder}/{output.name}.json",
            json.dumps(_meta(output, item, composer.profile.name), indent=2, ensure_ascii=False) + "\n",
        )


def outbox_files(
    edition: Edition, renderer: ItemRenderer, composer: Composer, dropped: list[str]
) -> Iterator[OutFile]:
    """Email files for items with email consent; snippets for items with social consent.

    Images that had to be left out of an email are added to ``dropped``.
    """
    brand = edition.catalog.brand
    emailed = {s.id for s in edition.stories(Channel.EMAIL)}
    social = {s.id for s in edition.stories(Channel.SOCIAL)}
    sources: list[Story | Update] = [*edition.catalog.stories, *edition.current_updates()]
    seen: set[str] = set()
    for source in sources:
        is_story = isinstance(source, Story)
        if source.id in seen or (is_story and source.id not in emailed | social):
            continue
        seen.add(source.id)
        item = renderer.item(source)
        folder = f"{'stories' if is_story else 'updates'}/{source.slug}"
        if not is_story or source.id in emailed:
            yield from item_files(composer, item, folder, dropped)
        if not is_story or source.id in social:
            found = snippets(item, brand.config.name, brand.url)
            yield OutFile(f"{folder}/social.txt", found.social + "\n")
            yield OutFile(f"{folder}/sms.txt", found.sms + "\n")


def window_items(edition: Edition, renderer: ItemRenderer, since: date, until: date) -> list[RenderedItem]:
    """Items for email published from ``since`` to ``until`` (inclusive), newest first."""
    sources: list[Story | Update] = [*edition.stories(Channel.EMAIL), *edition.current_updates()]
    chosen = [s for s in sources if since <= s.published.date() <= until]
    chosen.sort(key=lambda s: (s.published.timestamp(), s.id), reverse=True)
    return [renderer.item(s) for s in chosen]
