"""``delivered.yml``: what followhome handed over to each service, so nothing goes twice.

Keyed by service, then by item id (or feed file for WebSub), sorted so merges stay clean and
an editor can read it. An entry is written only after the service confirmed the hand-over.
Builds never read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from followhome.cache.integrity import write_atomic

RECORD_FILE = "delivered.yml"
HEADER = "# What followhome handed over. Written by followhome announce/send/post; do not edit by hand.\n"
Entry = dict[str, str]


class RecordError(Exception):
    """``delivered.yml`` cannot be read: say where and how to fix it."""


def utc_stamp(moment: datetime) -> str:
    """``2026-12-03T09:12:04Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Delivered:
    """The record, by service and key."""

    path: Path
    services: dict[str, dict[str, Entry]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Delivered:
        if not path.exists():
            return cls(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise RecordError(
                f"{path.as_posix()} is not readable YAML ({exc}); restore it from git (`git checkout -- "
                f"{path.name}`) rather than deleting it, or things already sent may be sent again"
            ) from None
        if data is None:
            return cls(path)
        if not isinstance(data, dict) or not all(isinstance(v, dict) or v is None for v in data.values()):
            raise RecordError(
                f"{path.as_posix()} must map each service to its items; restore it from git rather than "
                "editing it by hand"
            )
        services = {
            str(service): {
                str(key): {str(k): _text(v) for k, v in (entry or {}).items()}
                for key, entry in (items or {}).items()
            }
            for service, items in data.items()
        }
        return cls(path, services)

    def get(self, service: str, key: str) -> Entry | None:
        return self.services.get(service, {}).get(key)

    def has(self, service: str, key: str) -> bool:
        return self.get(service, key) is not None

    def add(self, service: str, key: str, entry: Mapping[str, str]) -> None:
        """Record a confirmed hand-over and save at once, so a crash later loses nothing."""
        self.services.setdefault(service, {})[key] = dict(entry)
        self.save()

    def remove(self, service: str, key: str) -> None:
        items = self.services.get(service, {})
        if items.pop(key, None) is not None:
            if not items:
                del self.services[service]
            self.save()

    def save(self) -> None:
        """One line per item, services and items sorted: merges stay clean, an editor can read it."""
        lines = [HEADER]
        for service, items in sorted(self.services.items()):
            lines.append(f"{_scalar(service)}:\n")
            for key, entry in sorted(items.items()):
                fields = ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in sorted(entry.items()))
                lines.append(f"  {_scalar(key)}: {{{fields}}}\n")
        write_atomic(self.path, "".join(lines).encode())


def _scalar(text: str) -> str:
    """``text`` as a YAML flow scalar: plain where YAML reads it back as the same string."""
    dumped = yaml.safe_dump(text, default_flow_style=True, width=10_000, allow_unicode=True).strip()
    dumped = dumped.removesuffix("\n...").removesuffix("...").strip()
    if dumped.startswith(("'", '"')) or "," in dumped or "{" in dumped or "}" in dumped or ": " in dumped:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return dumped


def _text(value: object) -> str:
    """A value as written: an unquoted time (as in a hand merge) read back in the record's form."""
    if isinstance(value, datetime):
        return utc_stamp(value if value.tzinfo else value.replace(tzinfo=UTC))
    return str(value)
