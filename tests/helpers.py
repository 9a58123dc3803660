"""Small builders of valid content for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import yaml

BRAND = """\
name: Test Shop
url: https://shop.example/
timezone: Europe/London
promise: We tell you what we would drink ourselves.
image:
  palette:
    primary: "#6d1f33"
    accent: "#b8860b"
tone:
  volume: 3
stories_policy: We ask every customer before we publish a word.
"""

VALUE = """\
---
title: Honest advice
summary: We recommend what we would drink.
order: 1
---

We say so when a cheaper bottle is better.
"""


def story(
    id: str = "s-0000aaaa",
    name: str = "Ada Lovelace",
    show_as: str = "full",
    channels: str = "[site, feed, email, social]",
    extra: str = "",
    consent_extra: str = "",
    status: str = "published",
    date: str = "2026-03-14",
    quote: str = "They found me a bottle I still think about.",
    values: str = "[honest-advice]",
    title: str = "A bottle to remember",
    body: str = "Ada came in looking for a gift.",
) -> str:
    return (
        textwrap.dedent(
            f"""\
            ---
            id: {id}
            title: {title}
            date: {date}
            status: {status}
            customer:
              name: {name}
              show_as: {show_as}
            quote: {quote}
            takeaway: Ask, and you will be told the truth.
            values: {values}
            consent:
              given: 2026-03-01
              channels: {channels}
              reference: CONSENT-1
            """
        )
        + consent_extra
        + textwrap.dedent(
            """\
            source:
              channel: in-store
              received: 2026-03-01
            """
        )
        + extra
        + f"---\n\n{body}\n"
    )


def update(
    id: str = "u-0000bbbb",
    kind: str = "news",
    expires: str | None = None,
    date: str = "2026-09-01",
    title: str = "New shelf",
    status: str = "published",
) -> str:
    exp = f"expires: {expires}\n" if expires else ""
    return (
        f"---\nid: {id}\ntitle: {title}\ndate: {date}\nsummary: Something new.\n"
        f"kind: {kind}\nvalues: [honest-advice]\nstatus: {status}\n{exp}---\n\nBody of {title}.\n"
    )


MKDOCS_YML = """\
site_name: Test Shop
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - followhome
"""


def minimal_project(root: Path, feeds: bool = False) -> Path:
    """A tiny valid project: brand, one value, no stories; optionally with feeds on."""
    (root / "content" / "values").mkdir(parents=True)
    (root / "content" / "brand.yml").write_text(BRAND, encoding="utf-8")
    (root / "content" / "values" / "honest-advice.md").write_text(VALUE, encoding="utf-8")
    plugins = MKDOCS_YML + ("  - followhome-feeds\n" if feeds else "")
    (root / "mkdocs.yml").write_text(plugins, encoding="utf-8")
    return root


def front(path: Path) -> dict[str, Any]:
    """A Markdown file's front matter read with plain YAML, all values as text
    (independent of followhome's own loader)."""
    data: dict[str, Any] = yaml.load(
        path.read_text(encoding="utf-8").split("---\n")[1], Loader=yaml.BaseLoader
    )
    return data


def demo_stories(folder: Path) -> dict[str, dict[str, Any]]:
    """The demo's stories by slug, read with :func:`front`; tombstones (a withdrawn story cut
    down to its id and withdrawal) are left out: they have no fields to check."""
    stories = {p.stem: front(p) for p in sorted(folder.glob("*.md"))}
    return {slug: meta for slug, meta in stories.items() if "customer" in meta}
