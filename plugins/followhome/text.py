"""Plain-text hygiene shared by every output."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control(text: str) -> str:
    """Remove control characters that XML 1.0 and most readers reject (keeps tab and newlines)."""
    return _CONTROL.sub("", text)
