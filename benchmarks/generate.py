"""Generate a realistic synthetic followhome project of any size.

    python -m benchmarks.generate OUT_DIR --stories 2000 [--updates 200] [--seed 1]

Writes OUT_DIR/mkdocs.yml, OUT_DIR/hooks/ and OUT_DIR/content/ (brand, 5 values,
N stories, M updates with full front matter and several paragraphs each). The same
seed always gives the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VALUES = {
    "honest-advice": ("Honest advice over the upsell", "material/glass-wine"),
    "local-growers": ("Backing local growers", "material/sprout"),
    "less-waste": ("Less waste, more refills", "material/recycle"),
    "a-table-for-everyone": ("A table for everyone", "material/table-chair"),
    "learning-together": ("Learning together", "material/book-open-variant"),
}
FIRST = ["Ada", "Bram", "Chloé", "Dev", "Esi", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemi", "Liam"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Patel", "Mensah", "Haddad", "Novak", "Reyes", "Silva", "Tanaka"]
SENTENCES = [
    "We came in looking for something to go with a slow Sunday lunch.",
    "The person behind the counter asked what we usually liked before suggesting anything.",
    "They talked us out of the expensive bottle and into a cheaper one that suited the food better.",
    "A week later we came back for two more, and brought the empty ones for the refill scheme.",
    "The grower's notes on the shelf told us more than any label ever has.",
    "At the Thursday tasting a neighbour explained why she keeps coming back.",
    "Nobody made us feel silly for not knowing the difference between the two regions.",
    "When a bottle was corked they replaced it without a fuss and thanked us for telling them.",
    "The tasting table had a place set for people who do not drink, which mattered to us.",
    "It is the kind of shop where people recommend bottles to strangers.",
]
SHOW_AS = ["full", "first-name", "initials", "anonymous"]
KINDS = ["news", "how-to", "offer", "event"]


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(rng.sample(SENTENCES, 4)) for _ in range(count))


def _story(rng: random.Random, index: int, start: date) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    values = rng.sample(sorted(VALUES), rng.randint(1, 3))
    day = start + timedelta(days=index % 1500)
    return f"""---
id: s-{index:08x}
title: "Story {index}: {rng.choice(SENTENCES)[:40].rstrip()}"
date: {day.isoformat()}
status: published
customer:
  name: {name}
  show_as: {rng.choice(SHOW_AS)}
  role: Regular since {2015 + index % 10}
  location: Oakhill
quote: "{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}"
takeaway: "{rng.choice(SENTENCES)}"
values: [{", ".join(values)}]
consent:
  given: {day.isoformat()}
  channels: [site, feed, email, social]
  reference: CONSENT-{index:06d}
source:
  channel: in-store
  received: {day.isoformat()}
edited: {str(index % 3 == 0).lower()}
---

{_paragraphs(rng, 4)}
"""


def _update(rng: random.Random, index: int, start: date) -> str:
    day = start + timedelta(days=index % 1500)
    kind = KINDS[index % len(KINDS)]
    expires = f"expires: {(day + timedelta(days=3000)).isoformat()}\n" if kind in ("offer", "event") else ""
    return f"""---
id: u-{index:08x}
title: "Update {index}: {rng.choice(SENTENCES)[:40].rstrip()}"
date: {day.isoformat()}
summary: "{rng.choice(SENTENCES)}"
kind: {kind}
values: [{rng.choice(sorted(VALUES))}]
{expires}status: published
---

{_paragraphs(rng, 3)}
"""


def generate(out: Path, stories: int, updates: int, seed: int = 1) -> Path:
    """Write a project with ``stories`` stories and ``updates`` updates; return ``out``."""
    rng = random.Random(seed)
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    for folder in ("values", "stories", "updates", "assets"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "brand.yml", content / "brand.yml")
    shutil.copy(ROOT / "content" / "assets" / "logo.svg", content / "assets" / "logo.svg")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(
        ROOT / "hooks", out / "hooks", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    (content / "index.md").write_text("Welcome to the shop.\n", encoding="utf-8")
    for order, (value_id, (title, icon)) in enumerate(VALUES.items(), start=1):
        (content / "values" / f"{value_id}.md").write_text(
            f"---\ntitle: {title}\nsummary: What {title.lower()} means here.\norder: {order}\nicon: {icon}\n---\n\n"
            f"{_paragraphs(rng, 2)}\n",
            encoding="utf-8",
        )
    start = date(2021, 1, 1)
    for index in range(stories):
        (content / "stories" / f"story-{index:05d}.md").write_text(
            _story(rng, index, start), encoding="utf-8"
        )
    for index in range(updates):
        (content / "updates" / f"update-{index:05d}.md").write_text(
            _update(rng, index, start), encoding="utf-8"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.stories, args.updates, args.seed)
    print(f"Wrote {args.stories} stories and {args.updates} updates to {args.out}")


if __name__ == "__main__":
    main()
