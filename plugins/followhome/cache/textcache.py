"""JSON rows kept between builds, by the hash of the text each was made from.

What a build derives from a text (a tone score, parsed front matter) does not change while
the text and followhome's code do not: the rows are tied to the code's fingerprint and a
cache written by other code is ignored. Only the rows a build used are written back, so the
rows of texts that are gone (an edited or withdrawn story's old words) are forgotten.

The file is JSON with one row a line, each with the checksum of its key and its JSON::

    {"format":2,"code":"<code fingerprint>","<section>":{
    "<text key>":["<checksum>",<row>],
    ...
    }}

so each row is verified on its own before use: a row damaged on disk, or cut off by a
partial cache restore, is made again (with an INFO line naming it) and the others are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from followhome.cache.fingerprint import code_fingerprint
from followhome.cache.integrity import SUM_LENGTH, checksum, remove_partials, report, write_atomic

FORMAT = 2
KEY_LENGTH = 32
END = b"}}"
MOST_REPORTED = 5
"""Damaged rows named one by one; more are counted."""
_OTHER_CODE = re.compile(rb'\{"format":%d,"code":"[0-9a-f]{32}","\w+":\{' % FORMAT)
"""The first line of a cache written by another version of followhome: ignored without a word."""
_FORMAT_1 = b'{"code": "'
"""How followhome's caches began before each row had a checksum."""
_HEX = re.compile(f"[0-9a-f]{{{KEY_LENGTH}}}")

# A row's line: "<key>":["<checksum>",<json>] and a comma unless it is the last.
_KEY_END = 1 + KEY_LENGTH
_SUM_START = _KEY_END + len(b'":["')
_SUM_END = _SUM_START + SUM_LENGTH
_JSON_START = _SUM_END + len(b'",')


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_LENGTH]


def _row_sum(key: bytes, payload: bytes) -> bytes:
    return checksum(key + b" " + payload).encode("ascii")


def _row_line(key: str, payload: bytes) -> bytes:
    raw = key.encode("ascii")
    return b'"' + raw + b'":["' + _row_sum(raw, payload) + b'",' + payload + b"]"


def _parse_row(line: bytes) -> tuple[str, bytes] | None:
    """(key, row JSON) of a row's line whose checksum holds; None for a damaged line."""
    line = line.removesuffix(b",")
    if (
        len(line) <= _JSON_START
        or line[:1] != b'"'
        or line[_KEY_END:_SUM_START] != b'":["'
        or line[_SUM_END:_JSON_START] != b'",'
        or not line.endswith(b"]")
    ):
        return None
    key, payload = line[1:_KEY_END], line[_JSON_START:-1]
    if _row_sum(key, payload) != line[_SUM_START:_SUM_END]:
        return None
    try:
        return key.decode("ascii"), payload
    except UnicodeDecodeError:
        return None


class TextCache:
    """Rows by text key in ``folder / file`` under ``section``: :meth:`row`, then :meth:`use` or
    :meth:`add` during a build, then :meth:`save`."""

    def __init__(self, folder: Path | None, file: str, section: str) -> None:
        self.path = folder / file if folder else None
        self.section = section
        self.saved: dict[str, bytes] = {}
        """Row JSON by key, as read (every row's checksum verified)."""
        self.used: dict[str, bytes] = {}
        """Row JSON by key of the rows this build used, to be saved."""
        self.added = 0
        """Rows made in this build (texts not in the cache)."""
        self.rewrite = False
        """The file holds more than its rows (damaged lines, another version's cache): it is
        written again even if this build uses the same rows."""
        if self.path is not None:
            self._load(self.path)

    def _header(self) -> bytes:
        return f'{{"format":{FORMAT},"code":"{code_fingerprint()}","{self.section}":{{'.encode()

    def _load(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            report("followhome", f"cannot read {path} ({exc.strerror or exc}); every entry is made again")
            return
        lines = data.split(b"\n")
        if lines[0] != self._header():
            self.rewrite = True
            other_code = len(lines) > 1 and _OTHER_CODE.fullmatch(lines[0])
            if not (other_code or lines[0].startswith(_FORMAT_1)):  # not just another version's
                report(
                    "followhome", f"{path} is not a followhome cache (damaged?); every entry is made again"
                )
            return
        ended = lines[-2:] == [END, b""]
        bad = []
        rows = lines[1:-2] if ended else lines[1:]
        for number, line in enumerate(rows, start=2):
            parsed = _parse_row(line)
            if parsed is None:
                bad.append((number, line))
            else:
                self.saved[parsed[0]] = parsed[1]
        for number, line in bad[:MOST_REPORTED]:
            key = line[1:_KEY_END].decode("ascii", "replace")
            entry = f" (entry {key})" if _HEX.fullmatch(key) else ""
            report(
                "followhome",
                f"{path}, line {number}{entry}: does not match the checksum recorded when it "
                "was written; the entry is made again",
            )
        if len(bad) > MOST_REPORTED:
            report("followhome", f"{path}: {len(bad) - MOST_REPORTED} more damaged entries are made again")
        if not ended:
            report(
                "followhome",
                f"{path} ends early (cut off), after {len(self.saved)} whole entries; the others are made again",
            )
        self.rewrite = bool(bad) or not ended or len(self.saved) != len(rows)  # a key twice

    def row(self, key: str) -> Any | None:
        """The saved row of ``key``, if any (:meth:`use` it once it proved readable)."""
        payload = self.saved.get(key)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:  # its checksum held: written so by other code
            return None

    def use(self, key: str) -> None:
        """Keep the saved row of ``key``: this build used it."""
        self.used[key] = self.saved[key]

    def add(self, key: str, row: Any) -> None:
        # ASCII: every text round-trips, lone surrogates included, and lines split on b"\n" alone.
        self.used[key] = json.dumps(row, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        self.added += 1

    def save(self) -> None:
        """Write the rows this build used, if they differ from the saved ones."""
        if self.path is None:
            return
        remove_partials(self.path)
        if self.added == 0 and not self.rewrite and self.used.keys() == self.saved.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        rows = [_row_line(key, payload) for key, payload in self.used.items()]
        write_atomic(
            self.path, self._header() + b"\n" + b",\n".join(rows) + (b"\n" if rows else b"") + END + b"\n"
        )
