"""Time feed generation for a large synthetic site.

    python -m benchmarks.feeds [--stories 10000] [--updates 1000]

Builds every feed (everything, stories, updates, 5 values) in all three formats, with
the default item limit and with no effective limit (every item rendered and written),
using the demo site's Markdown extensions. Prints a table; nothing is asserted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import markdown
from mkdocs.config import load_config

from benchmarks.common import scratch, size_arguments
from benchmarks.generate import generate
from followhome.feeds.build import FeedOptions, build_feeds
from followhome.feeds.render import feed_files
from followhome.model.loader import load_content
from followhome.publishing.edition import Edition


def _renderer(project: Path) -> Callable[[str], str]:
    config = load_config(config_file=str(project / "mkdocs.yml"))
    converter = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def render(text: str) -> str:
        html: str = converter.reset().convert(text)
        return html

    return render


def run(stories: int, updates: int) -> list[tuple[str, float, int, int]]:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    rows = []
    with scratch() as tmp:
        project = generate(Path(tmp), stories, updates)
        started = time.perf_counter()
        catalog = load_content(project / "content").require()
        rows.append(("load and validate content", time.perf_counter() - started, 0, 0))
        edition = Edition(catalog, date(2026, 11, 23))
        render = _renderer(project)
        for label, limit in (
            ("feeds, 50 items each (default)", 50),
            ("feeds, every item", stories + updates),
        ):
            started = time.perf_counter()
            feeds = build_feeds(edition, render, FeedOptions(items=limit))
            files = [f for feed in feeds for f in feed_files(feed)]
            elapsed = time.perf_counter() - started
            items = len({item.id for feed in feeds for item in feed.items})
            rows.append((label, elapsed, items, sum(f.size for f in files)))
    return rows


def main() -> None:
    args = size_arguments(__doc__)
    print(f"{args.stories} stories + {args.updates} updates")
    print(f"{'step':<34} {'seconds':>8} {'items':>7} {'bytes':>12}")
    for label, seconds, items, size in run(args.stories, args.updates):
        print(f"{label:<34} {seconds:8.2f} {items:7d} {size:12d}")


if __name__ == "__main__":
    main()
