"""The outbox's own record of what each folder was made from, so a build only redoes what changed.

It lives in the outbox's marker file: folder -> fingerprint of its inputs, the warnings
composing it gave (repeated on every build that reuses it, so ``--strict`` keeps failing
until the problem is fixed), and the checksum of each of its files, recorded when they were
written. A folder is reused only when it holds exactly those files with those checksums: a
file cut short by a killed build or a partial cache restore, edited by hand or damaged on
disk makes the folder be composed again, with an INFO line naming it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from followhome.background import map_on_cores
from followhome.integrity import file_checksum, remove_partials, report, write_atomic

VERSION = 2
PLUGIN = "followhome-email"
CHECK_SHARE = 1000
"""Folders to check (~0.1 ms each) from which another process is worth starting."""

Files = tuple[tuple[str, str], ...]
"""(file name, checksum) of each file of a folder, by name."""
FolderSignature = tuple[tuple[str, int, int, int], ...]
"""(name, inode, size, modification time) of each file of a folder, by name."""


@dataclass(frozen=True)
class Entry:
    key: str
    warnings: tuple[str, ...] = ()
    files: Files = ()
    """Filled in from the folder by :meth:`Manifest.save` when empty (a folder just written)."""


_CHECKED: dict[Path, tuple[str, Files, FolderSignature]] = {}
"""Folders this process found or wrote whole: key, files and their signature then. A `mkdocs
serve` rebuild hashes only folders whose files changed since, and a build records the
checksums of the folders it reused without reading them again."""


def _listing(folder: Path) -> tuple[FolderSignature, str | None]:
    """The folder's files, and what is wrong with it for an outbox folder (None: nothing)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                return (), f"{entry.name} is not a file followhome wrote"
            st = entry.stat(follow_symlinks=False)
            found.append((entry.name, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found)), None


def _check(outbox: Path, item: tuple[str, Entry]) -> tuple[str | None, FolderSignature]:
    """What is wrong with an outbox folder for its entry (None: nothing), and its signature."""
    name, entry = item
    folder = outbox / name
    try:
        listing, problem = _listing(folder)
    except FileNotFoundError:
        return "is missing", ()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})", ()
    if problem is not None:
        return problem, ()
    expected = dict(entry.files)
    names = {file for file, *_ in listing}
    if names != expected.keys():
        extra, missing = sorted(names - expected.keys()), sorted(expected.keys() - names)
        return (f"{extra[0]} was not written by followhome" if extra else f"{missing[0]} is missing"), ()
    if _CHECKED.get(folder) == (entry.key, entry.files, listing):
        return None, listing
    for file, _, _, _ in listing:
        if file_checksum(folder / file) != expected[file]:
            return f"{file} does not match the checksum recorded when it was written (edited or damaged)", ()
    return None, listing


def _record(outbox: Path, name: str) -> tuple[Files, FolderSignature]:
    """The checksum of each file of a folder just written, and its signature."""
    folder = outbox / name
    try:
        listing, problem = _listing(folder)
    except OSError:
        return (), ()
    if problem is not None:
        return (), ()
    return tuple((file, file_checksum(folder / file) or "") for file, *_ in listing), listing


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The saved manifest, with only the folders that hold what it records (the others are
        composed again); empty when missing or unreadable (everything is then remade)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                return cls()
            entries = {
                str(folder): Entry(
                    str(entry["key"]),
                    tuple(str(w) for w in entry["warnings"]),
                    tuple(sorted((str(name), str(total)) for name, total in entry["files"].items())),
                )
                for folder, entry in data["folders"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()
        outbox = path.parent
        items = sorted(entries.items())
        checks = map_on_cores(partial(_check, outbox), items, CHECK_SHARE)
        kept = {}
        for (name, entry), (problem, listing) in zip(items, checks, strict=True):
            folder = outbox / name
            if problem is None:
                kept[name] = entry
                _CHECKED[folder] = (entry.key, entry.files, listing)
                continue
            _CHECKED.pop(folder, None)
            if problem != "is missing":  # the email plugin composes a missing folder anyway
                report(PLUGIN, f"outbox folder {folder}: {problem}; it is not reused")
        return cls(kept)

    def save(self, path: Path) -> None:
        """Write the manifest atomically; folders without checksums (just written) are read for them."""
        outbox = path.parent
        todo = []
        for name, entry in self.entries.items():
            checked = _CHECKED.get(outbox / name)
            if entry.files:
                continue
            if checked is not None and checked[0] == entry.key:  # reused as found whole
                self.entries[name] = replace(entry, files=checked[1])
            else:
                todo.append(name)
        for name, (files, listing) in zip(
            todo, map_on_cores(partial(_record, outbox), todo, CHECK_SHARE), strict=True
        ):
            entry = self.entries[name] = replace(self.entries[name], files=files)
            if files:
                _CHECKED[outbox / name] = (entry.key, files, listing)
        data = {
            "made_by": "followhome-email; the outbox is kept in step with content/ on every build",
            "version": VERSION,
            "folders": {
                folder: {"key": entry.key, "warnings": list(entry.warnings), "files": dict(entry.files)}
                for folder, entry in sorted(self.entries.items())
            },
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        remove_partials(path)
        write_atomic(path, text.encode("utf-8"))
