"""What is new for a service: published in its channel today, dated within the window, and not
handed over to it before (:mod:`.record`)."""

from __future__ import annotations

from datetime import date, timedelta

from followhome.model.content import Channel, Story, Update
from followhome.publishing.edition import Edition

Item = Story | Update


def became_new(item: Item) -> date:
    """The day an item became news: its date, or its consent date if that is later."""
    day = item.published.date()
    if isinstance(item, Story) and item.meta.consent is not None:
        day = max(day, item.meta.consent.given)
    return day


def in_window(item: Item, today: date, window_days: int) -> bool:
    return today - timedelta(days=window_days) <= became_new(item) <= today


def publishable(edition: Edition, channel: Channel) -> list[Item]:
    """Every item published in ``channel`` today (stories by consent; updates live and not
    expired), newest first; ties by id, as every output orders them."""
    items: list[Item] = [*edition.stories(channel), *edition.current_updates()]
    return sorted(items, key=lambda i: (i.published.timestamp(), i.id), reverse=True)


def new_items(edition: Edition, channel: Channel, window_days: int) -> list[Item]:
    """Items published in ``channel`` that became news within the window, newest first."""
    return [i for i in publishable(edition, channel) if in_window(i, edition.today, window_days)]
