"""Parsed front matter kept between builds, by the hash of each file's text.

Reading YAML with the line of every field (for error messages) is most of loading a large
site, and most files do not change between two builds. A file's text gives the same
document every time, so the document is kept under the text's hash. Only documents that
JSON gives back exactly are kept (YAML can make sets, bytes or number keys; those files
are parsed every time). The cache is tied to followhome's code and dropped when it changes;
an unreadable or damaged cache is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from followhome.fingerprint import code_fingerprint
from followhome.frontmatter import Document, body_of
from followhome.yamlio import Located

FILE = "front-matter.json"


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _row(document: Document) -> list[Any]:
    return [
        document.meta.data,
        [[list(path), line] for path, line in document.meta.lines.items()],
        document.body_line,
    ]


class FrontMatterCache:
    """Documents by text: :meth:`get`, :meth:`put` the ones parsed, then :meth:`save`."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / FILE if folder else None
        self.saved: dict[str, list[Any]] = {}
        self.used: dict[str, list[Any]] = {}
        self.added = 0
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("code") == code_fingerprint():
                    self.saved = dict(data["documents"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.saved = {}

    def get(self, text: str) -> Document | None:
        key = _key(text)
        row = self.saved.get(key)
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
        self.used[key] = row
        return document

    def keep(self, text: str) -> None:
        """Keep the entry of a text this load did not need to look up (parsed earlier in the process)."""
        key = _key(text)
        row = self.saved.get(key)
        if row is not None:
            self.used[key] = row

    def put(self, text: str, document: Document) -> None:
        row = _row(document)
        try:
            kept = json.loads(json.dumps(row))
        except (TypeError, ValueError):  # sets, bytes, dates from explicit YAML tags
            return
        # JSON keeps int, float and bool apart, so equal means the same values of the same types.
        if kept == row:
            self.used[_key(text)] = row
            self.added += 1

    def save(self) -> None:
        """Write the documents this load used (those of deleted or changed files go)."""
        if self.path is None or (self.added == 0 and self.used.keys() == self.saved.keys()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        text = json.dumps({"code": code_fingerprint(), "documents": self.used}, ensure_ascii=False)
        partial.write_text(text, encoding="utf-8")
        partial.replace(self.path)
