"""All validated content of a site, with its links resolved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from followhome.model.content import Brand, Draft, Story, Tombstone, Update, Value


@dataclass(frozen=True)
class Catalog:
    """Brand, values (in display order), stories and updates that passed validation."""

    brand: Brand
    values: tuple[Value, ...]
    stories: tuple[Story, ...]
    updates: tuple[Update, ...]
    intro: str = ""
    """Markdown of ``index.md`` shown on the home page, below the promise."""
    tombstones: tuple[Tombstone, ...] = ()
    """Withdrawn stories with nothing personal left (see :func:`withdrawn_slugs`)."""
    drafts: tuple[Draft, ...] = ()
    """Stories in draft that still lack what publishing needs (complete drafts are in ``stories``)."""
    _values_by_id: Mapping[str, Value] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_values_by_id", {v.id: v for v in self.values})

    def value(self, value_id: str) -> Value | None:
        return self._values_by_id.get(value_id)

    def withdrawn_slugs(self) -> list[str]:
        """Old addresses that show the withdrawal notice: tombstones' and withdrawn stories'."""
        slugs = {t.slug for t in self.tombstones if t.has_old_address}
        slugs |= {s.slug for s in self.stories if s.meta.consent and s.meta.consent.withdrawn}
        return sorted(slugs)

    def values_of(self, item: Story | Update) -> tuple[Value, ...]:
        """The existing values an item demonstrates, in the order the editor listed them."""
        found = (self._values_by_id.get(v) for v in item.meta.values)
        return tuple(v for v in found if v is not None)
