"""Score every published piece of content against the volume the brand chose."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from followhome.model.content import Channel
from followhome.model.problems import Problem
from followhome.publishing.edition import Edition, story_channels, update_is_current
from followhome.tone.scorer import ToneScore, score

ALL_CHANNELS = frozenset(Channel)


@dataclass(frozen=True)
class ScoredItem:
    path: str
    kind: str
    title: str
    status: str
    """``published``, ``draft`` or ``not published`` (no consent, withdrawn, expired…)."""
    channels: frozenset[Channel]
    score: ToneScore
    limits: dict[Channel, int]
    volume_limit: int | None = None
    """For a file outside the content collections (it has no channels): the brand's ``tone.volume``."""

    @property
    def too_loud(self) -> dict[Channel, int]:
        """Channels whose limit this item exceeds, with the limit."""
        return {
            c: limit for c, limit in self.limits.items() if c in self.channels and self.score.volume > limit
        }

    @property
    def limit(self) -> int | None:
        """The strictest limit that applies: the brand's volume for a file, else its channels' lowest."""
        if self.volume_limit is not None:
            return self.volume_limit
        applicable = [v for c, v in self.limits.items() if c in self.channels]
        return min(applicable) if applicable else None

    @property
    def is_too_loud(self) -> bool:
        if self.volume_limit is not None:
            return self.score.volume > self.volume_limit
        return bool(self.too_loud)


def channel_limits(edition: Edition) -> dict[Channel, int]:
    tone = edition.catalog.brand.config.tone
    return {channel: tone.channels.get(channel, tone.volume) for channel in Channel}


def _texts(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


def scored_items(edition: Edition, scorer: Callable[[str], ToneScore] = score) -> list[ScoredItem]:
    """The promise, every value, story and update, scored (drafts too, for editors)."""
    catalog = edition.catalog
    limits = channel_limits(edition)
    brand = catalog.brand
    items = [
        ScoredItem(
            brand.origin.path,
            "promise",
            brand.config.name,
            "published",
            ALL_CHANNELS,
            scorer(brand.config.promise),
            limits,
        )
    ]
    for value in catalog.values:
        text = _texts(value.meta.title, value.meta.summary, value.body)
        items.append(
            ScoredItem(
                value.origin.path,
                "value",
                value.meta.title,
                "published",
                frozenset({Channel.SITE}),
                scorer(text),
                limits,
            )
        )
    for story in catalog.stories:
        channels = story_channels(story, edition.today)
        status = "draft" if story.meta.status == "draft" else ("published" if channels else "not published")
        text = _texts(story.meta.title, story.meta.quote, story.meta.takeaway, story.body)
        items.append(
            ScoredItem(story.origin.path, "story", story.meta.title, status, channels, scorer(text), limits)
        )
    for update in catalog.updates:
        current = update_is_current(update, edition.today)
        status = "draft" if update.meta.status == "draft" else ("published" if current else "not published")
        text = _texts(update.meta.title, update.meta.summary, update.body)
        items.append(
            ScoredItem(
                update.origin.path,
                "update",
                update.meta.title,
                status,
                ALL_CHANNELS if current else frozenset(),
                scorer(text),
                limits,
            )
        )
    return items


def tone_problems(items: Iterable[ScoredItem]) -> list[Problem]:
    """One problem per item louder than a channel it is published in allows (a file: than the volume)."""
    problems = []
    for item in items:
        if not item.is_too_loud:
            continue
        loud = item.too_loud
        if item.volume_limit is not None:
            limits, settings = f"the brand's volume {item.volume_limit}", "tone.volume"
        else:
            limits = " and ".join(f"the {c.value} limit {v}" for c, v in sorted(loud.items()))
            settings = "tone.volume or " + ", ".join(f"tone.channels.{c.value}" for c in sorted(loud))
        reasons = "; ".join(str(r) for r in item.score.top(3))
        problems.append(
            Problem(
                item.path,
                None,
                "tone" if item.kind != "promise" else "promise",
                f"the {item.kind} '{item.title}' scores {item.score.volume:.1f}, louder than {limits} "
                f"(brand.yml); top reasons: {reasons}",
                f"quieten the copy (the reasons name the phrases), or raise {settings} in brand.yml",
            )
        )
    return problems
