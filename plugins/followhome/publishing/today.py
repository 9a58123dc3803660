"""The build's notion of "today", which decides scheduled items and expired offers."""

from __future__ import annotations

import os
from datetime import date, datetime, tzinfo

TODAY_ENV = "FOLLOWHOME_TODAY"


class TodayError(ValueError):
    """``FOLLOWHOME_TODAY`` is set but is not a date."""


def resolve_today(tz: tzinfo, environ: dict[str, str] | None = None) -> date:
    """``FOLLOWHOME_TODAY`` (YYYY-MM-DD) if set, for reproducible builds; else today in ``tz``."""
    env = os.environ if environ is None else environ
    pinned = env.get(TODAY_ENV, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise TodayError(
                f"{TODAY_ENV}='{pinned}' is not a date; set it as YYYY-MM-DD or unset it"
            ) from None
    return datetime.now(tz).date()
