"""Tone scores kept between builds, by the hash of the text scored.

Scoring is deterministic, so a text that did not change keeps its score; the cache is
tied to followhome's code (lexicon included) and is dropped when that changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from followhome.fingerprint import code_fingerprint
from followhome.tone.scorer import Reason, ToneScore, score

FILE = "tone-scores.json"


class ScoreCache:
    """``score`` with a memory: call it like the scorer, then :meth:`save`."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / FILE if folder else None
        self.saved: dict[str, list[object]] = {}
        self.used: dict[str, list[object]] = {}
        self.misses = 0
        if self.path is not None:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("code") == code_fingerprint():
                    self.saved = dict(data["scores"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self.saved = {}

    def __call__(self, text: str) -> ToneScore:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        row = self.saved.get(key)
        if row is not None:
            try:
                found = _load(row)
                self.used[key] = row
                return found
            except (ValueError, TypeError, IndexError):
                pass
        self.misses += 1
        scored = score(text)
        self.used[key] = _dump(scored)
        return scored

    def save(self) -> None:
        """Write the scores used in this build (scores no text uses any more are forgotten)."""
        if self.path is None or (self.misses == 0 and self.used.keys() == self.saved.keys()):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps({"code": code_fingerprint(), "scores": self.used}), encoding="utf-8")
        partial.replace(self.path)


def _dump(scored: ToneScore) -> list[object]:
    reasons = [[r.signal, r.phrase, r.count, r.points] for r in scored.reasons]
    return [scored.volume, scored.words, reasons]


def _load(row: list[object]) -> ToneScore:
    volume, words, reasons = row
    if not isinstance(reasons, list):
        raise TypeError("reasons")
    return ToneScore(
        float(str(volume)),
        tuple(Reason(str(s), str(p), int(c), float(pts)) for s, p, c, pts in reasons),
        int(str(words)),
    )
