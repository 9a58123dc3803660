"""What the benchmark scripts share."""

from __future__ import annotations

import argparse


def size_arguments(doc: str | None) -> argparse.Namespace:
    """``--stories`` and ``--updates`` (the size of the synthetic site)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=1_000)
    return parser.parse_args()
