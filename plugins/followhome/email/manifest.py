"""The outbox's own record of what each folder was made from, so a build only redoes what changed.

It lives in the outbox's marker file: folder -> fingerprint of its inputs, the warnings
composing it gave (repeated on every build that reuses it, so ``--strict`` keeps failing
until the problem is fixed), and the checksum of each of its files, recorded when they were
written. A folder is reused only when it holds exactly those files with those checksums
(:func:`folder_files`): a file cut short by a killed build or a partial cache restore, edited
by hand or damaged on disk makes the folder be composed again, with an INFO line naming it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from followhome.cache.integrity import file_checksum, remove_partials, write_atomic

VERSION = 2

Files = tuple[tuple[str, str], ...]
"""(file name, checksum) of each file of a folder, by name."""


@dataclass(frozen=True)
class Entry:
    key: str
    warnings: tuple[str, ...] = ()
    files: Files = ()
    """Name and checksum of each file of the folder, recorded when it was written."""


def folder_files(folder: Path, files: Files) -> str | None:
    """What is wrong with an outbox folder that should hold exactly ``files`` (None: nothing).

    Its bytes are hashed, not parsed: ~12 µs a file, most of it opening the file."""
    expected = dict(files)
    try:
        with os.scandir(folder) as entries:
            found = sorted(
                (entry.name, entry.path, entry.is_file(follow_symlinks=False)) for entry in entries
            )
    except FileNotFoundError:
        return "is missing"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    for name, _, is_file in found:
        if name not in expected or not is_file:
            return f"{name} was not written by followhome"
    missing = sorted(expected.keys() - {name for name, _, _ in found})
    if missing:
        return f"{missing[0]} is missing"
    for name, path, _ in found:
        if file_checksum(path) != expected[name]:
            return f"{name} does not match the checksum recorded when it was written (edited or damaged)"
    return None


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)
    requested: tuple[str, ...] = ()
    """Ids of items an editor asked for with ``followhome email``: composed whatever their age."""

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The saved manifest; empty when missing or unreadable (everything is then remade)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                return cls()
            return cls(
                {
                    str(folder): Entry(
                        str(entry["key"]),
                        tuple(str(w) for w in entry["warnings"]),
                        tuple(sorted((str(name), str(total)) for name, total in entry["files"].items())),
                    )
                    for folder, entry in data["folders"].items()
                },
                tuple(sorted(str(i) for i in data.get("requested", []))),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        """Write the manifest: to a temporary file beside it, renamed over it."""
        data = {
            "made_by": "followhome-email; the outbox is kept in step with content/ on every build",
            "version": VERSION,
            "requested": sorted(self.requested),
            "folders": {
                folder: {"key": entry.key, "warnings": list(entry.warnings), "files": dict(entry.files)}
                for folder, entry in sorted(self.entries.items())
            },
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        remove_partials(path)
        write_atomic(path, text.encode("utf-8"))
