"""``followhome new``: start a value, story or update with a fresh permanent id."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path

KINDS = ("story", "value", "update")


class ScaffoldError(Exception):
    """The file cannot be created (it exists, or the title gives no usable name)."""


def slugify(title: str) -> str:
    """``"Café & Co's new shelf"`` -> ``cafe-co-s-new-shelf``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def new_id(prefix: str, taken: Collection[str], token: Callable[[int], str] = secrets.token_hex) -> str:
    """A random permanent id (``s-3f9a1c2e``) not already in ``taken``."""
    while True:
        candidate = f"{prefix}-{token(4)}"
        if candidate not in taken:
            return candidate


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _story(title: str, item_id: str, today: date, value_ids: list[str]) -> str:
    values = f"[{value_ids[0]}]" if value_ids else "[]"
    return f"""---
id: {item_id}            # permanent: never change it, even when you rename the file
title: {_quoted(title)}
date: {today.isoformat()}
status: draft            # set to published once consent is recorded
customer:
  name: "Customer's full name"
  show_as: first-name    # full | first-name | initials | anonymous
quote: "The customer's own words, as they said or wrote them."
takeaway: "One line worth writing on a rock."
values: {values}{" " * max(1, 15 - len(values))}# ids of the values this story shows
# consent:
#   given: {today.isoformat()}
#   channels: [site, feed, email, social]
#   reference: CONSENT-{today.year}-000   # where the signed permission is kept; never the evidence
# connection:                            # only if the customer has a material connection
#   kind: employee                       # employee | relative | free-product | discount | paid | affiliate
#   note: "What the connection is."
source:
  channel: in-store      # in-store | email | review-site | social | interview
  received: {today.isoformat()}
edited: false            # true if you shortened or clarified the words
---

Tell the story here, in Markdown.
"""


def _update(title: str, item_id: str, today: date) -> str:
    return f"""---
id: {item_id}            # permanent: never change it, even when you rename the file
title: {_quoted(title)}
date: {today.isoformat()}
summary: "One or two sentences for listings, feeds and email."
kind: news               # news | how-to | offer | event
values: []               # ids of values this update shows, e.g. [learning-together]
# expires: {today.isoformat()}   # offers and events leave listings and feeds after this day
status: draft            # set to published when it is ready
---

Write the update here, in Markdown.
"""


def _value(title: str, order: int) -> str:
    return f"""---
title: {_quoted(title)}
summary: "One line: what this value means to the community."
order: {order}
# icon: material/glass-wine   # any Material for MkDocs icon
---

What this value means, and how the business practises it.
"""


def scaffold(
    kind: str,
    title: str,
    content_dir: Path,
    today: date,
    taken_ids: Collection[str],
    value_ids: list[str],
) -> Path:
    """Write the new file and return its path; never overwrites."""
    slug = slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} gives no file name; use letters or digits in it")
    if kind == "story":
        folder, text = "stories", _story(title, new_id("s", taken_ids), today, value_ids)
    elif kind == "update":
        folder, text = "updates", _update(title, new_id("u", taken_ids), today)
    elif kind == "value":
        folder, text = "values", _value(title, len(value_ids) + 1)
    else:
        raise ScaffoldError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    path = content_dir / folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another title or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
