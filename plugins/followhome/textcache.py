"""JSON rows kept between builds, by the hash of the text each was made from.

What a build derives from a text (a tone score, parsed front matter) does not change while
the text and followhome's code do not: the rows are tied to the code's fingerprint and a
cache written by other code, or one that cannot be read, is ignored. Only the rows a build
used are written back, so the rows of texts that are gone are forgotten.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from followhome.fingerprint import code_fingerprint


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class TextCache:
    """Rows by text key in ``folder / file`` under ``section``: :meth:`row` and :meth:`add`
    during a build, then :meth:`save`."""

    def __init__(self, folder: Path | None, file: str, section: str) -> None:
        self.path = folder / file if folder else None
        self.section = section
        self.saved: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.added = 0
        """Rows made in this build (texts not in the cache)."""
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("code") == code_fingerprint():
                    self.saved = dict(data[section])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.saved = {}

    def row(self, key: str) -> Any | None:
        """The saved row of ``key``, if any (:meth:`use` it once it proved readable)."""
        return self.saved.get(key)

    def use(self, key: str, row: Any) -> None:
        self.used[key] = row

    def add(self, key: str, row: Any) -> None:
        self.used[key] = row
        self.added += 1

    def save(self) -> None:
        """Write the rows this build used, if they differ from the saved ones."""
        if self.path is None or (self.added == 0 and self.used.keys() == self.saved.keys()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        text = json.dumps({"code": code_fingerprint(), self.section: self.used}, ensure_ascii=False)
        partial.write_text(text, encoding="utf-8")
        partial.replace(self.path)
