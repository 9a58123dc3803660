"""Every email-ready file of an edition: per item fragment, full email, metadata and snippets."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from followhome.email.compose import Composer, EmailOutput
from followhome.email.snippets import snippets
from followhome.model.content import Channel, Story, Update
from followhome.publishing.edition import Edition
from followhome.publishing.news import in_window
from followhome.render.items import ItemRenderer, RenderedItem

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


@dataclass(frozen=True)
class Planned:
    """One story or update that gets a folder in the outbox."""

    folder: str
    source: Story | Update
    email: bool
    """Fragment, full email and their metadata."""
    social: bool
    """Social post and SMS text."""


def planned_items(
    edition: Edition, window_days: int | None = None, requested: Collection[str] = ()
) -> list[Planned]:
    """Stories with email or social consent and current updates, each with its folder: with
    ``window_days``, only those new within it (:mod:`followhome.publishing.news`) and those in
    ``requested``."""
    emailed = {s.id for s in edition.stories(Channel.EMAIL)}
    social = {s.id for s in edition.stories(Channel.SOCIAL)}
    either = emailed | social
    sources: list[Story | Update] = [*edition.catalog.stories, *edition.current_updates()]
    seen: set[str] = set()
    planned = []
    for source in sources:
        is_story = isinstance(source, Story)
        if source.id in seen or (is_story and source.id not in either):
            continue
        old = window_days is not None and not in_window(source, edition.today, window_days)
        if old and source.id not in requested:
            continue
        seen.add(source.id)
        planned.append(
            Planned(
                f"{'stories' if is_story else 'updates'}/{source.slug}",
                source,
                email=not is_story or source.id in emailed,
                social=not is_story or source.id in social,
            )
        )
    return planned


def planned_files(
    planned: Planned, renderer: ItemRenderer, composer: Composer, dropped: list[str]
) -> list[OutFile]:
    """The files of one outbox folder; images that had to be left out are added to ``dropped``."""
    brand = renderer.brand
    item = renderer.item(planned.source)
    files: list[OutFile] = []
    if planned.email:
        files += item_files(composer, item, planned.folder, dropped)
    if planned.social:
        found = snippets(item, brand.config.name, brand.url)
        files.append(OutFile(f"{planned.folder}/social.txt", found.social + "\n"))
        files.append(OutFile(f"{planned.folder}/sms.txt", found.sms + "\n"))
    return files


def outbox_files(
    edition: Edition, renderer: ItemRenderer, composer: Composer, dropped: list[str]
) -> Iterator[OutFile]:
    """Email files for items with email consent; snippets for items with social consent.

    Images that had to be left out of an email are added to ``dropped``.
    """
    for planned in planned_items(edition):
        yield from planned_files(planned, renderer, composer, dropped)


def window_items(edition: Edition, renderer: ItemRenderer, since: date, until: date) -> list[RenderedItem]:
    """Items for email published from ``since`` to ``until`` (inclusive), newest first."""
    sources: list[Story | Update] = [*edition.stories(Channel.EMAIL), *edition.current_updates()]
    chosen = [s for s in sources if since <= s.published.date() <= until]
    chosen.sort(key=lambda s: (s.published.timestamp(), s.id), reverse=True)
    return [renderer.item(s) for s in chosen]
