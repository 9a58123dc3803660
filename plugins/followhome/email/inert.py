"""Content text made inert for the email services' template engines.

Mailchimp (``*|FNAME|*``), Buttondown and Listmonk (``{{ … }}``, ``{% … %}``, ``{# … #}``)
and Ghost (``%%{…}%%``) evaluate their template syntax in whatever is pasted into them, so
a story saying ``{{ subscriber.email }}`` would be filled in, or break the send. Text from
content is shown literally, never rejected: a zero-width space (U+200B) goes between the two
characters that open a tag. It survives every step an email goes through (Markdown, lxml,
css-inline, the text conversion, shortening) and shows as nothing, so the HTML part, the
text part, the subject, the preheader and the snippets all read as written. Only the
footer's own unsubscribe tag, which comes from the profile and not from content, stays live.
"""

from __future__ import annotations

import re
from dataclasses import replace

from followhome.model.text import strip_control
from followhome.render.items import RenderedItem

BREAK = "\u200b"
_OPENING = re.compile(r"\{(?=[{%#])|%(?=%\{)|\*(?=\|)")
"""The first character of ``{{``, ``{%``, ``{#``, ``%%{`` and ``*|``."""


def inert(text: str) -> str:
    """``text`` with no template tag an email service would evaluate (and no control or
    directional formatting characters, see :func:`followhome.model.text.strip_control`)."""
    return _OPENING.sub(lambda match: match.group(0) + BREAK, strip_control(text))


def inert_item(item: RenderedItem) -> RenderedItem:
    """The item with every text that came from content made :func:`inert` (the HTML too:
    its markup holds none of these characters, only its text and link targets can)."""
    return replace(
        item,
        title=inert(item.title),
        author=inert(item.author),
        summary=inert(item.summary),
        content_html=inert(item.content_html),
        categories=tuple(inert(category) for category in item.categories),
    )
