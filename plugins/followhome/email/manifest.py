"""The outbox's own record of what each folder was made from, so a build only redoes what changed.

It lives in the outbox's marker file: folder -> fingerprint of its inputs, and the
warnings composing it gave (repeated on every build that reuses it, so ``--strict``
keeps failing until the problem is fixed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1


@dataclass(frozen=True)
class Entry:
    key: str
    warnings: tuple[str, ...] = ()


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The saved manifest; empty when missing or unreadable (everything is then remade)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                return cls()
            return cls(
                {
                    folder: Entry(str(entry["key"]), tuple(str(w) for w in entry["warnings"]))
                    for folder, entry in data["folders"].items()
                }
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, path: Path) -> None:
        data = {
            "made_by": "followhome-email; the outbox is kept in step with content/ on every build",
            "version": VERSION,
            "folders": {
                folder: {"key": entry.key, "warnings": list(entry.warnings)}
                for folder, entry in sorted(self.entries.items())
            },
        }
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        partial.replace(path)
