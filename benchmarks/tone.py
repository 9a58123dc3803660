"""Items scored per second by the tone meter on a large synthetic site.

python -m benchmarks.tone [--stories 10000] [--updates 1000]
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from benchmarks.common import scratch, size_arguments
from benchmarks.generate import generate
from followhome.model.loader import load_content
from followhome.publishing.edition import Edition
from followhome.tone.check import scored_items


def run(stories: int, updates: int) -> tuple[int, float]:
    """(items scored, seconds) for scoring every item of the site once."""
    with scratch() as tmp:
        project = generate(Path(tmp), stories, updates)
        edition = Edition(load_content(project / "content").require(), date(2026, 11, 23))
        scored_items(edition)  # warm the compiled lexicon
        started = time.perf_counter()
        items = scored_items(edition)
        return len(items), time.perf_counter() - started


def main() -> None:
    args = size_arguments(__doc__)
    count, seconds = run(args.stories, args.updates)
    print(
        f"scored {count} items in {seconds:.2f} s: {count / seconds:,.0f} items/s, {seconds / count * 1000:.3f} ms/item"
    )


if __name__ == "__main__":
    main()
