"""Plain-text hygiene shared by every output."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newlines, DEL, and the bidirectional embeddings, overrides and
isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI)."""


def strip_control(text: str) -> str:
    """Remove control characters that XML 1.0 and most readers reject (keeps tab and newlines),
    and the directional formatting characters: a right-to-left override in a name would
    reorder the text around it (the rest of a title, a caption, ``- Shop`` in ``<title>``).
    Right-to-left words need none of them; the marks (U+200E, U+200F) stay."""
    return _CONTROL.sub("", text)
