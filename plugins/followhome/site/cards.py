"""Social card images (1200x630 PNG), drawn locally with Pillow and its bundled font.

No network: the font is the one Pillow ships. Cards are cached by the hash of what is
drawn on them, so a rebuild only draws what changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
DESIGN = "card-v1"
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
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == most:
            break
    else:
        lines.append(current)
        return [line for line in lines if line][:most]
    last = lines[-1]
    while last and draw.textlength(last + " …", font=font) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else ""
    lines[-1] = (last + " …").strip()
    return lines


def draw_card(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), card.primary)
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=34)
    big = ImageFont.load_default(size=64)
    body = ImageFont.load_default(size=38)
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
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class CardCache:
    """Cards on disk by content hash; ``prune`` forgets the ones no longer used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def path(self, card: Card) -> Path:
        target = self.folder / f"{card.key}.png"
        self.used.add(target.name)
        if not target.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".tmp")
            partial.write_bytes(draw_card(card))
            partial.replace(target)
        return target

    def prune(self) -> None:
        """Delete cards not drawn for this build (a withdrawn story's card goes too)."""
        if self.folder.is_dir():
            for old in self.folder.glob("*.png"):
                if old.name not in self.used:
                    old.unlink()
