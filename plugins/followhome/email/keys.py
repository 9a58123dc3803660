"""What an outbox folder is made from, beyond the settings: the item, and the images it may show."""

from __future__ import annotations

import os
from pathlib import Path

from followhome.cache.fingerprint import fingerprint
from followhome.model.content import Story, Update

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif")


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
