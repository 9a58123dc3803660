"""Fingerprints: short hashes of everything an output is made from, for build caches.

A cache entry is reused only when its fingerprint matches, and every fingerprint starts
from :func:`code_fingerprint`, so installing a changed followhome invalidates them all.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).parent.parent


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
