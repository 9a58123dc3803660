"""Fingerprints: short hashes of everything an output is made from, for build caches.

A cache entry is reused only when its fingerprint matches, and every fingerprint starts
from :func:`code_fingerprint`, so installing a changed followhome invalidates them all.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from followhome.model import Story, Update

PACKAGE = Path(__file__).parent
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif")


def fingerprint(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


@cache
def code_fingerprint() -> str:
    """The hash of followhome's own code, templates, styles and word lists."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".css", ".yml", ".json"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def source_fingerprint(source: Story | Update) -> str:
    """Everything an editor wrote for one story or update (front matter, body, dates)."""
    return fingerprint(
        source.meta.model_dump_json(),
        source.body,
        source.published.isoformat(),
        source.updated.isoformat() if source.updated else "",
    )


def images_fingerprint(content_dir: Path) -> str:
    """Name, size and modification time of every image under ``content_dir``."""
    entries = []
    for top, _, names in os.walk(content_dir):
        folder = Path(top)
        for name in names:
            if name.lower().endswith(IMAGE_SUFFIXES):
                stat = (folder / name).stat()
                entries.append(
                    f"{(folder / name).relative_to(content_dir)}:{stat.st_size}:{stat.st_mtime_ns}"
                )
    return fingerprint(*sorted(entries))
