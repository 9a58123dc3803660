"""Score how commercial a text sounds, 0 (almost subliminal) to 10 (crassly commercial).

Deterministic and offline: the lexicon's phrases are looked up by word sequence (one
pass over the text), a few regular expressions catch prices, links and sentence-initial
imperatives, and typography adds exclamation marks and capitals. Each signal has
diminishing returns; "amplifiers" (a price, "best", "!") count for little unless
something commercial is present; the sum is diluted in long texts and squashed onto
0-10. Every point of volume can be traced to a reason an editor can act on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON = Path(__file__).parent / "lexicon.yml"
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_HTML_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*|[%#£$€-]")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_EXCLAIM = re.compile(r"!+")
# Capitalised words that are names or abbreviations, not shouting.
_CAPS_ALLOWED = {
    "UK", "USA", "EU", "BBQ", "DIY", "FAQ", "PDF", "URL", "RSS", "NHS", "BBC", "TV", "AM", "PM", "GMT",
    "BST", "ID", "OK", "CEO", "ISBN", "MOT", "LGBTQ", "VAT", "GBP", "USD", "EUR", "ABC",
}  # fmt: skip

PRESENCE = "the business speaking"
AMPLIFIER_ALONE = 0.2
"""Share of an amplifier's points when no commercial signal is present."""
SCALE = 3.5
"""Raw signal at which the volume reaches about 6.3 (1 - 1/e of the scale)."""
REFERENCE_WORDS = 60
"""Texts longer than this have their signals diluted (a long how-to with one mention is quieter)."""


@dataclass(frozen=True)
class Reason:
    signal: str
    phrase: str
    count: int
    points: float

    def __str__(self) -> str:
        times = f" ×{self.count}" if self.count > 1 else ""
        return f"{self.signal}: '{self.phrase}'{times}"


@dataclass(frozen=True)
class ToneScore:
    volume: float
    reasons: tuple[Reason, ...]
    words: int

    def top(self, n: int = 3) -> tuple[Reason, ...]:
        return self.reasons[:n]


@dataclass(frozen=True)
class _Signal:
    label: str
    weight: float
    amplifier: bool
    regex: re.Pattern[str] | None
    needs: tuple[str, ...]
    sentence_start: frozenset[str]


@dataclass(frozen=True)
class _Lexicon:
    signals: tuple[_Signal, ...]
    phrases: dict[tuple[str, ...], tuple[int, ...]]
    """Word sequence -> indexes of the signals it belongs to."""
    sizes: dict[str, tuple[int, ...]]
    """First word -> lengths of the phrases starting with it, longest first."""


def _key(tokens: list[re.Match[str]]) -> tuple[str, ...]:
    return tuple([t.group(0).lower() for t in tokens])


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    signals = []
    phrases: dict[tuple[str, ...], tuple[int, ...]] = {}
    for index, spec in enumerate(data["signals"].values()):
        patterns = spec.get("patterns", [])
        regex = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
        signals.append(
            _Signal(
                spec["label"],
                float(spec["weight"]),
                bool(spec.get("amplifier", False)),
                regex,
                tuple(spec.get("needs", ())),
                frozenset(spec.get("sentence_start", ())),
            )
        )
        for phrase in spec.get("phrases", []):
            key = _key(list(_TOKEN.finditer(phrase)))
            phrases[key] = (*phrases.get(key, ()), index)
    sizes: dict[str, set[int]] = {}
    for key in phrases:
        sizes.setdefault(key[0], set()).add(len(key))
    by_first = {word: tuple(sorted(lengths, reverse=True)) for word, lengths in sizes.items()}
    return _Lexicon(tuple(signals), phrases, by_first)


def _phrase_hits(
    text: str, tokens: list[re.Match[str]], keys: tuple[str, ...], lexicon: _Lexicon
) -> dict[int, list[str]]:
    """Per signal, the phrases found: longest first at each word, no overlaps within a signal."""
    hits: dict[int, list[str]] = {}
    free_from: dict[int, int] = {}
    for start, word in enumerate(keys):
        for size in lexicon.sizes.get(word, ()):
            if start + size > len(keys):
                continue
            signals = lexicon.phrases.get(keys[start : start + size])
            if not signals:
                continue
            for signal in signals:
                if free_from.get(signal, 0) <= start:
                    free_from[signal] = start + size
                    hits.setdefault(signal, []).append(
                        text[tokens[start].start() : tokens[start + size - 1].end()]
                    )
    return hits


def _sentence_starts(
    text: str, tokens: list[re.Match[str]], keys: tuple[str, ...], words: frozenset[str]
) -> list[str]:
    """Tokens in ``words`` that begin the text or follow ``.``, ``!``, ``?`` or a line break."""
    found = []
    previous_end = 0
    for token, key in zip(tokens, keys, strict=True):
        if key in words:
            gap = text[previous_end : token.start()]
            if previous_end == 0 or any(c in gap for c in ".!?\n"):
                found.append(token.group(0))
        previous_end = token.end()
    return found


def _diminishing(weight: float, count: int) -> float:
    """First hit counts fully, each further one half as much as the last (at most 2x)."""
    return weight * 2 * (1 - 0.5**count)


def plain_text(text: str) -> str:
    """Markdown/HTML -> readable text (link targets kept, so shop links still count)."""
    text = _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    return _HTML_TAG.sub(" ", text).replace("’", "'")


def _reason(label: str, hits: list[str], weight: float) -> Reason:
    cleaned = [" ".join(h.strip(".,;:!? \n").split()) for h in hits]
    phrases = sorted(
        set(cleaned), key=lambda h: (-cleaned.count(h), h.lower(), h)
    )  # "we" and "We": fixed order
    return Reason(label, "', '".join(phrases[:3]), len(hits), _diminishing(weight, len(hits)))


def score(text: str) -> ToneScore:
    """The volume of ``text`` (Markdown or plain) and the reasons behind it."""
    plain = plain_text(text)
    lexicon = _lexicon()
    tokens = list(_TOKEN.finditer(plain))
    keys = _key(tokens)
    lower = plain.lower()
    phrase_hits = _phrase_hits(plain, tokens, keys, lexicon)
    primary: list[Reason] = []
    amplifiers: list[Reason] = []
    for index, signal in enumerate(lexicon.signals):
        hits = phrase_hits.get(index, [])
        if signal.regex is not None and (not signal.needs or any(n in lower for n in signal.needs)):
            hits = hits + [m.group(0) for m in signal.regex.finditer(plain)]
        if signal.sentence_start:
            hits = hits + _sentence_starts(plain, tokens, keys, signal.sentence_start)
        if hits:
            (amplifiers if signal.amplifier else primary).append(_reason(signal.label, hits, signal.weight))
    exclaims = _EXCLAIM.findall(plain)
    if exclaims:
        marks = sum(len(e) for e in exclaims)
        mark = "!" * min(3, max(len(e) for e in exclaims))
        amplifiers.append(Reason("exclamation marks", mark, marks, _diminishing(0.6, marks)))
    shouting = [w for w in _CAPS.findall(plain) if w not in _CAPS_ALLOWED]
    if shouting:
        amplifiers.append(Reason("capitals", shouting[0], len(shouting), _diminishing(0.9, len(shouting))))
    # Amplifiers without anything commercial (a fee in a council notice, "URGENT" in a
    # safety notice) count for little.
    if not any(r.signal != PRESENCE for r in primary):
        amplifiers = [Reason(r.signal, r.phrase, r.count, r.points * AMPLIFIER_ALONE) for r in amplifiers]
    reasons = primary + amplifiers
    words = len(tokens)
    raw = sum(r.points for r in reasons)
    density = math.sqrt(REFERENCE_WORDS / max(words, REFERENCE_WORDS))
    volume = 10 * (1 - math.exp(-raw * density / SCALE))
    ordered = tuple(sorted(reasons, key=lambda r: (-r.points, r.signal)))
    return ToneScore(round(volume, 1), ordered, words)
