"""What is publishable where, on a given day.

Every output (pages, listings, feeds, email, snippets) asks this module, so a story
that must not appear somewhere is removed before any renderer sees it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from followhome.model.catalog import Catalog
from followhome.model.content import Channel, Story, Update

T = TypeVar("T", Story, Update)


def story_channels(story: Story, today: date) -> frozenset[Channel]:
    """Channels a story may appear in today: none unless published, consented and due."""
    meta = story.meta
    consent = meta.consent
    if meta.status != "published" or consent is None or consent.withdrawn is not None or story.blocked:
        return frozenset()
    if story.published.date() > today or consent.given > today:  # appears on its date, with consent
        return frozenset()
    return frozenset(consent.channels)


def update_is_live(update: Update, today: date) -> bool:
    """A published, due update has a page (an expired offer keeps its page)."""
    return update.meta.status == "published" and not update.blocked and update.published.date() <= today


def is_expired(update: Update, today: date) -> bool:
    """An offer or event runs through its ``expires`` day."""
    expires = update.meta.expires
    return expires is not None and expires < today


def update_is_current(update: Update, today: date) -> bool:
    """Live and not expired: listed, and sent to feeds and email."""
    return update_is_live(update, today) and not is_expired(update, today)


def newest_first(items: Iterable[T]) -> list[T]:
    """Newest first; ties broken by id so every build orders the same way."""
    return sorted(items, key=lambda item: (_stamp(item.published), item.id), reverse=True)


def _stamp(moment: datetime) -> float:
    return moment.timestamp()


@dataclass(frozen=True)
class Edition:
    """The catalog as published on one day."""

    catalog: Catalog
    today: date
    _by_channel: dict[Channel, list[Story]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def stories(self, channel: Channel) -> list[Story]:
        """Stories allowed in ``channel``, newest first (computed once per channel)."""
        if channel not in self._by_channel:
            self._by_channel[channel] = newest_first(
                s for s in self.catalog.stories if channel in story_channels(s, self.today)
            )
        return list(self._by_channel[channel])

    def stories_for_value(self, value_id: str, channel: Channel) -> list[Story]:
        return [s for s in self.stories(channel) if value_id in s.meta.values]

    def update_pages(self) -> list[Update]:
        """Updates that have a page (including expired offers), newest first."""
        return newest_first(u for u in self.catalog.updates if update_is_live(u, self.today))

    def current_updates(self) -> list[Update]:
        """Updates for listings, feeds and email: live and not expired, newest first."""
        return newest_first(u for u in self.catalog.updates if update_is_current(u, self.today))

    def updates_for_value(self, value_id: str) -> list[Update]:
        return [u for u in self.current_updates() if value_id in u.meta.values]

    def featured_stories(self, limit: int) -> list[Story]:
        """Featured site stories; the newest ones when none is featured."""
        stories = self.stories(Channel.SITE)
        featured = [s for s in stories if s.meta.featured]
        return (featured or stories)[:limit]

    def expired(self, update: Update) -> bool:
        return is_expired(update, self.today)
