"""Which story a withdrawal request means: by its address, its id or its title.

The importer never withdraws a story itself (an editor confirms the request comes from the
storyteller first); it prints the ``followhome withdraw`` command to run for each request.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from followhome.intake.ondisk import StoryOnDisk


def _slug_in_address(text: str) -> str | None:
    """``https://shop.example/stories/the-first-friday/`` -> ``the-first-friday``."""
    path = unquote(urlsplit(text).path if "://" in text else text)
    match = re.search(r"(?:^|/)stories/([^/]+?)(?:/|\.html|\.md)?/?$", path)
    return match.group(1) if match else None


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def find_story(asked: str, stories: list[StoryOnDisk]) -> StoryOnDisk | None:
    """The story ``asked`` names: an address on the site, a permanent id, or its exact title
    (case and punctuation aside); None when none or several match."""
    text = asked.strip()
    slug = _slug_in_address(text)
    for candidates in (
        [s for s in stories if slug is not None and s.slug == slug],
        [s for s in stories if s.item_id and s.item_id == text],
        [s for s in stories if s.slug == text],
        [s for s in stories if s.title and _words(s.title) == _words(text)],
    ):
        if len(candidates) == 1:
            return candidates[0]
    return None
