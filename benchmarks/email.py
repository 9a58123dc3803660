"""Time to produce email fragments (and full emails) for a large synthetic site.

python -m benchmarks.email [--stories 10000] [--updates 1000]
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from benchmarks.common import scratch, size_arguments
from benchmarks.generate import generate
from followhome.email.compose import Composer
from followhome.email.profiles import PROFILES
from followhome.mkdocs.standalone import load_site
from followhome.model.content import Channel, Story, Update
from followhome.render.items import ItemRenderer


def run(stories: int, updates: int) -> list[tuple[str, float, int]]:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("FOLLOWHOME_TODAY", "2026-11-23")
    with scratch() as tmp:
        project = generate(Path(tmp), stories, updates)
        site = load_site(project / "mkdocs.yml")
        edition = site.edition
        sources: list[Story | Update] = [*edition.stories(Channel.EMAIL), *edition.current_updates()]
        renderer = ItemRenderer(edition, site.markdown())
        composer = Composer(edition, PROFILES["mailchimp"], project / "content")
        rows = []
        started = time.perf_counter()
        items = [renderer.item(s) for s in sources]
        rows.append(("render items (Markdown, URLs, sanitise)", time.perf_counter() - started, len(items)))
        started = time.perf_counter()
        for item in items:
            composer.fragment(item)
        rows.append(("email fragments (inlined + text)", time.perf_counter() - started, len(items)))
        sample = items[:1000]
        started = time.perf_counter()
        for item in sample:
            composer.email(item)
        rows.append(("full emails (first 1,000)", time.perf_counter() - started, len(sample)))
        started = time.perf_counter()
        composer.digest(items[:200], date(2021, 1, 1), date(2026, 11, 23))
        rows.append(("digest of 200 items", time.perf_counter() - started, 200))
    return rows


def main() -> None:
    args = size_arguments(__doc__)
    print(f"{args.stories} stories + {args.updates} updates")
    print(f"{'step':<42} {'seconds':>8} {'items':>7} {'ms/item':>8}")
    for label, seconds, count in run(args.stories, args.updates):
        print(f"{label:<42} {seconds:8.2f} {count:7d} {seconds / count * 1000:8.3f}")


if __name__ == "__main__":
    main()
