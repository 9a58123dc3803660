"""Social card images (1200x630 JPEG), drawn locally with Pillow and its bundled font.

No network: the font is the one Pillow ships. Cards are cached by the hash of what is
drawn on them, so a rebuild only draws what changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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


class CardCache:
    """Cards on disk by content hash; ``prune`` forgets the ones no longer used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def path(self, card: Card) -> Path:
        """Where the card is (or will be) kept; marks it as used by this build."""
        target = self.folder / f"{card.key}{SUFFIX}"
        self.used.add(target.name)
        return target

    def missing(self, cards: list[Card]) -> list[Card]:
        """The cards not drawn yet, each once."""
        unique = {card.key: card for card in cards}
        return [card for card in unique.values() if not self.path(card).is_file()]

    def draw(self, cards: list[Card]) -> int:
        """Draw and keep ``cards``; safe to run in several processes at once."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for card in cards:
            target = self.path(card)
            partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            partial.write_bytes(draw_card(card))
            partial.replace(target)
        return len(cards)

    def prune(self) -> None:
        """Delete cards not used by this build (a withdrawn story's card goes too)."""
        if self.folder.is_dir():
            for old in self.folder.iterdir():
                if old.name not in self.used:
                    old.unlink()


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
