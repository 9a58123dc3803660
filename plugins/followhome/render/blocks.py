"""HTML blocks shared by pages, feeds and email: the quote with its disclosure.

Plain HTML, not Markdown: Python-Markdown passes a raw HTML block through as it is,
which costs a fraction of parsing the same content as Markdown on thousands of pages.
"""

from __future__ import annotations

from followhome.model.content import Story
from followhome.publishing.disclosure import disclosure
from followhome.publishing.names import attribution
from followhome.render.mdtext import paragraphs_html, text_html


def quote_block(story: Story, brand_name: str) -> str:
    """The quote with its attribution and, right next to it, any disclosure (R4)."""
    parts = [
        '<figure class="fh-quote">\n<blockquote>\n',
        paragraphs_html(story.meta.quote),
        "</blockquote>\n",
        f"<figcaption>\n<p>— {text_html(attribution(story.meta.customer))}</p>\n</figcaption>\n",
        "</figure>\n",
    ]
    text = disclosure(story, brand_name)
    if text:
        parts.append(f'<p class="fh-disclosure">{text_html(text)}</p>\n')
    backing = story.meta.substantiation
    if backing:
        note = f"Results vary: {backing.typical.rstrip('.')}. How we checked: {backing.note.rstrip('.')}."
        parts.append(f'<p class="fh-substantiation">{text_html(note)}</p>\n')
    return "".join(parts)
