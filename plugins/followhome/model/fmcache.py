"""Parsed front matter kept between builds, by the hash of each file's text.

Reading YAML with the line of every field (for error messages) is most of loading a large
site, and most files do not change between two builds. A file's text gives the same
document every time, so the document is kept under the text's hash. Only documents that
JSON gives back exactly are kept (YAML can make sets, bytes or number keys; those files
are parsed every time). The cache is tied to followhome's code and dropped when it changes;
each entry is verified by its checksum before use, and a damaged one is parsed again (see
:mod:`followhome.cache.textcache`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from followhome.cache.textcache import TextCache, text_key
from followhome.model.frontmatter import Document, body_of
from followhome.model.yamlio import Located

FILE = "front-matter.json"


def _row(document: Document) -> list[Any]:
    return [
        document.meta.data,
        [[list(path), line] for path, line in document.meta.lines.items()],
        document.body_line,
    ]


class FrontMatterCache(TextCache):
    """Documents by text: :meth:`get`, :meth:`put` the ones parsed, then :meth:`save`."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder, FILE, "documents")

    def get(self, text: str) -> Document | None:
        key = text_key(text)
        row = self.row(key)
        if row is None:
            return None
        try:
            data, lines, body_line = row
            document = Document(
                Located(data, {tuple(path): int(line) for path, line in lines}),
                body_of(text, int(body_line)),
                int(body_line),
            )
        except (ValueError, TypeError):  # a damaged entry: parse the file again
            return None
        self.use(key)
        return document

    def keep(self, text: str) -> bool:
        """Keep the entry of a text this load did not need to look up (parsed earlier in the
        process); False when there is none to keep."""
        key = text_key(text)
        if self.row(key) is None:
            return False
        self.use(key)
        return True

    def put(self, text: str, document: Document) -> None:
        row = _row(document)
        try:
            kept = json.loads(json.dumps(row))
        except (TypeError, ValueError):  # sets, bytes, dates from explicit YAML tags
            return
        # JSON keeps int, float and bool apart, so equal means the same values of the same types.
        if kept == row:
            self.add(text_key(text), row)
