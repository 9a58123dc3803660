"""What is news on a day: an item is new while its date — or its consent date, if later — is
within ``channels.delivery.window_days`` of today. The outbox composes what is new, and
``followhome send``/``post`` hand it over once."""

from __future__ import annotations

from datetime import date, timedelta

from followhome.model.content import Story, Update


def became_new(item: Story | Update) -> date:
    """The day an item became news: its date, or its consent date if that is later."""
    day = item.published.date()
    if isinstance(item, Story) and item.meta.consent is not None:
        day = max(day, item.meta.consent.given)
    return day


def in_window(item: Story | Update, today: date, window_days: int) -> bool:
    return today - timedelta(days=window_days) <= became_new(item) <= today
