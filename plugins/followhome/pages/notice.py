"""What a withdrawn story's old address shows: a short notice with no personal data."""

from __future__ import annotations

import html

from followhome.render.mdtext import text_html

NOTICE_TITLE = "This story is no longer published"


def withdrawn_notice(brand_name: str, language: str, home: str, policy: str) -> str:
    """A complete, self-contained HTML page; ``home`` and ``policy`` are relative links."""
    name = text_html(brand_name)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{NOTICE_TITLE} - {name}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}}a{{color:#6d1f33}}</style>
</head>
<body>
<main>
<h1>{NOTICE_TITLE}</h1>
<p>The customer who shared it asked us to withdraw it, so we have taken it down here and everywhere else we share stories.</p>
<p><a href="{html.escape(home)}">Back to {name}</a> · <a href="{html.escape(policy)}">How we collect and choose stories</a></p>
</main>
</body>
</html>
"""
