"""``python -m followhome.cli.settings NAME``: one brand.yml setting as ``NAME=value``, for a
workflow's step outputs (``channels.delivery.outbox_artifact``)."""

from __future__ import annotations

import sys
from pathlib import Path

from followhome.model.loader import load_content

SETTINGS = ("outbox_artifact",)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in SETTINGS:
        print(f"usage: python -m followhome.cli.settings {{{','.join(SETTINGS)}}}", file=sys.stderr)
        return 2
    catalog = load_content(Path("content")).catalog
    value = bool(catalog and catalog.brand.config.channels.delivery.outbox_artifact)
    print(f"{argv[0]}={'true' if value else 'false'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
