"""What the benchmark scripts share."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def size_arguments(doc: str | None) -> argparse.Namespace:
    """``--stories`` and ``--updates`` (the size of the synthetic site)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=1_000)
    return parser.parse_args()


WORKDIR = Path(__file__).resolve().parent / "out"
"""Where the synthetic sites are built (git-ignored): beside the project, as a real site's
site/ and outbox/ are, rather than in the system's temporary folder, whose file system may
be slower or faster at creating files than the one projects live on."""


def scratch() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder under :data:`WORKDIR`, removed after use."""
    WORKDIR.mkdir(exist_ok=True)
    return tempfile.TemporaryDirectory(dir=WORKDIR)
