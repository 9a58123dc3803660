"""Social card images (1200x630 JPEG), drawn locally with Pillow and its bundled font.

No network: the font is the one Pillow ships. Cards are cached by the hash of what is
drawn on them, so a rebuild only draws what changed, and each is checked against the
checksum in its name before a build uses it, so a damaged one is drawn again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from followhome.cache.integrity import SUM_LENGTH, checksum, file_checksum, write_atomic

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
SUFFIX = ".jpg"
DESIGN = "card-v3"
"""Bump when the drawing changes, so cached cards are redrawn."""


@dataclass(frozen=True)
class Card:
    brand: str
    title: str
    text: str
    primary: str
    accent: str

    @property
    def key(self) -> str:
        raw = "\x1f".join((DESIGN, self.brand, self.title, self.text, self.primary, self.accent))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _lines(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
    most: int,
) -> list[str]:
    # Each word is measured once and lines are summed from the words (re-measuring every
    # growing line was a third of a card's drawing time); kerning across a space is below a
    # pixel, and the 80 px margins absorb it.
    words = " ".join(text.split()).split(" ")
    space = draw.textlength(" ", font=font)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in words:
        size = draw.textlength(word, font=font)
        needed = used + space + size if current else size
        if needed <= width:
            current.append(word)
            used = needed
            continue
        lines.append(" ".join(current))
        current, used = [word], size
        if len(lines) == most:
            break
    else:
        lines.append(" ".join(current))
        return [line for line in lines if line][:most]
    last = lines[-1]
    while last and draw.textlength(last + " …", font=font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else ""
    lines[-1] = (last + " …").strip()
    return lines


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def draw_card(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), card.primary)
    draw = ImageDraw.Draw(image)
    small, big, body = _font(34), _font(64), _font(38)
    draw.rectangle((0, HEIGHT - 24, WIDTH, HEIGHT), fill=card.accent)
    draw.text((MARGIN, 60), card.brand, font=small, fill="#ffffff")
    y = 140
    for line in _lines(draw, card.title, big, WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, y), line, font=big, fill="#ffffff")
        y += 78
    y += 24
    for line in _lines(draw, card.text, body, WIDTH - 2 * MARGIN, 4):
        draw.text((MARGIN, y), line, font=body, fill="#f3e9ec")
        y += 52
    out = BytesIO()
    # JPEG: a fifth of PNG's encoding time for the same card.
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


@dataclass(frozen=True)
class Ensured:
    """What :meth:`CardCache.ensure` did."""

    drawn: int
    damaged: tuple[str, ...]
    """Names of cached cards whose bytes did not match their checksum (drawn again)."""


class CardCache:
    """Cards on disk, named ``<card key>.<checksum of the JPEG>.jpg``: what is drawn on a card
    gives its name, and the name says what its bytes must hash to. ``prune`` forgets the cards
    no longer used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        """Keys of the cards of this build."""

    def use(self, card: Card) -> str:
        """Mark ``card`` as used by this build; its key."""
        self.used.add(card.key)
        return card.key

    def index(self) -> dict[str, str]:
        """Card key -> file name of every card in the cache (one listing of the folder)."""
        found: dict[str, str] = {}
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    parts = entry.name.split(".")
                    if len(parts) == 3 and _is_card_name(parts):
                        found[parts[0]] = entry.name
        except FileNotFoundError:
            pass
        return found

    def whole(self, name: str) -> bool:
        """Whether the cached card ``name`` hashes to the checksum its name records (~70 µs for
        a 60 KB card; decoding it as a JPEG would take 1.7 ms and miss a changed pixel)."""
        return file_checksum(self.folder / name) == name.split(".")[1]

    def _draw(self, card: Card, old: str | None) -> str:
        data = draw_card(card)
        name = f"{card.key}.{checksum(data)}{SUFFIX}"
        # A new file renamed over the old one: the old one's links (the last site) are untouched.
        write_atomic(self.folder / name, data)
        if old is not None and old != name:
            (self.folder / old).unlink(missing_ok=True)
        return name

    def ensure(self, cards: list[Card]) -> Ensured:
        """Check each cached card of ``cards`` against its checksum; draw the missing and damaged
        ones. Safe to run in several processes at once on different cards."""
        self.folder.mkdir(parents=True, exist_ok=True)
        index = self.index()
        damaged: list[str] = []
        drawn = 0
        for card in cards:
            old = index.get(card.key)
            if old is not None and self.whole(old):
                continue
            if old is not None:
                damaged.append(old)
            self._draw(card, old)
            drawn += 1
        return Ensured(drawn, tuple(damaged))

    def prune(self) -> None:
        """Delete every file but the cards used by this build (a withdrawn story's card goes
        too, and whatever a killed build was writing)."""
        current = {name for key, name in self.index().items() if key in self.used}
        if self.folder.is_dir():
            for old in self.folder.iterdir():
                if old.name not in current:
                    old.unlink()


def _is_card_name(parts: list[str]) -> bool:
    key, total, suffix = parts
    return (
        f".{suffix}" == SUFFIX
        and len(key) == 32
        and len(total) == SUM_LENGTH
        and all(c in "0123456789abcdef" for c in key + total)
    )


def place(image: Path, target: Path) -> None:
    """Put a cached card into the site: a hard link where the file system allows, else a copy.

    The link is tried first: in a freshly cleaned site the folder exists after the first card
    and the target never does, so one system call per card is the common case."""
    try:
        os.link(image, target)
        return
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        target.unlink()
    except OSError:
        pass  # no hard links on this file system
    try:
        os.link(image, target)
    except OSError:
        target.unlink(missing_ok=True)
        shutil.copyfile(image, target)
