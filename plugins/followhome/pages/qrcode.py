"""The share page's address as a QR code (SVG, drawn by segno), for counter cards and receipts."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as SVG, dark on white, for counter cards and receipts; with a
    ``viewBox``, so it scales to any size without blur."""
    qr = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    qr.save(
        out, kind="svg", scale=8, border=4, xmldecl=False, title=f"QR code: {url}", dark="#000", light="#fff"
    )
    width, height = qr.symbol_size(scale=8, border=4)
    return out.getvalue().decode().replace("<svg ", f'<svg viewBox="0 0 {width} {height}" ', 1)
