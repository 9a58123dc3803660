"""Tone report for people (a table) and for tools (JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from followhome.tone.check import ScoredItem


def as_json(items: Sequence[ScoredItem]) -> str:
    rows = [
        {
            "path": item.path,
            "kind": item.kind,
            "title": item.title,
            "status": item.status,
            "channels": sorted(c.value for c in item.channels),
            "volume": item.score.volume,
            "limit": item.limit,
            "too_loud": item.is_too_loud,
            "too_loud_for": sorted(c.value for c in item.too_loud),
            "reasons": [
                {"signal": r.signal, "phrase": r.phrase, "count": r.count, "points": round(r.points, 2)}
                for r in item.score.reasons
            ],
        }
        for item in items
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def as_table(items: Sequence[ScoredItem]) -> str:
    lines = [f"{'volume':>6}  {'limit':>5}  {'':4}  {'status':<13}  file / top reasons"]
    for item in sorted(items, key=lambda i: (-i.score.volume, i.path)):
        limit = item.limit
        flag = "LOUD" if item.is_too_loud else ""
        limit_text = "-" if limit is None else str(limit)
        lines.append(f"{item.score.volume:6.1f}  {limit_text:>5}  {flag:4}  {item.status:<13}  {item.path}")
        reasons = "; ".join(str(r) for r in item.score.top(3))
        if reasons:
            lines.append(f"{'':36}{reasons}")
    return "\n".join(lines) + "\n"
