"""What is new for a service: published in its channel today, dated within the window, and not
handed over to it before (:mod:`.record`)."""

from __future__ import annotations

from followhome.model.content import Channel, Story, Update
from followhome.publishing.edition import Edition
from followhome.publishing.news import in_window

Item = Story | Update


def publishable(edition: Edition, channel: Channel) -> list[Item]:
    """Every item published in ``channel`` today (stories by consent; updates live and not
    expired), newest first; ties by id, as every output orders them."""
    items: list[Item] = [*edition.stories(channel), *edition.current_updates()]
    return sorted(items, key=lambda i: (i.published.timestamp(), i.id), reverse=True)


def new_items(edition: Edition, channel: Channel, window_days: int) -> list[Item]:
    """Items published in ``channel`` that became news within the window, newest first."""
    return [i for i in publishable(edition, channel) if in_window(i, edition.today, window_days)]
