"""Tone scores kept between builds, by the hash of the text scored.

Scoring is deterministic, so a text that did not change keeps its score; the cache is
tied to followhome's code (lexicon included) and is dropped when that changes. Each score
is verified by its checksum before use, and a damaged one is scored again (see
:mod:`followhome.cache.textcache`).
"""

from __future__ import annotations

from pathlib import Path

from followhome.cache.textcache import TextCache, text_key
from followhome.tone.scorer import Reason, ToneScore, score

FILE = "tone-scores.json"


class ScoreCache(TextCache):
    """``score`` with a memory: call it like the scorer, then :meth:`save`."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder, FILE, "scores")

    @property
    def misses(self) -> int:
        """Texts scored in this build (not found in the cache)."""
        return self.added

    def __call__(self, text: str) -> ToneScore:
        key = text_key(text)
        row = self.row(key)
        if row is not None:
            try:
                found = _load(row)
                self.use(key)
                return found
            except (ValueError, TypeError, IndexError):
                pass
        scored = score(text)
        self.add(key, _dump(scored))
        return scored


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
