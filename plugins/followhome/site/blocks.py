"""Markdown blocks shared by pages, feeds and email: the quote with its disclosure."""

from __future__ import annotations

from followhome.disclosure import disclosure
from followhome.model import Story
from followhome.names import attribution
from followhome.site.mdtext import inline, paragraphs


def quote_block(story: Story, brand_name: str) -> str:
    """The quote with its attribution and, right next to it, any disclosure (R4)."""
    parts = [
        '<figure class="fh-quote" markdown>\n<blockquote markdown>\n',
        paragraphs(story.meta.quote),
        "\n\n</blockquote>\n",
        f"<figcaption markdown>— {inline(attribution(story.meta.customer))}</figcaption>\n",
        "</figure>\n",
    ]
    text = disclosure(story, brand_name)
    if text:
        parts.append(f'\n<p class="fh-disclosure" markdown>{inline(text)}</p>\n')
    backing = story.meta.substantiation
    if backing:
        note = f"Results vary: {backing.typical.rstrip('.')}. How we checked: {backing.note.rstrip('.')}."
        parts.append(f'\n<p class="fh-substantiation" markdown>{inline(note)}</p>\n')
    return "".join(parts)
