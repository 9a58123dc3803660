"""The visible disclosure of a material connection (trust rule R4)."""

from __future__ import annotations

from followhome.model.content import Story
from followhome.publishing.names import display_name

_RELATION = {
    "employee": "works for {brand}",
    "relative": "is related to someone at {brand}",
    "free-product": "received a free product from {brand}",
    "discount": "received a discount from {brand}",
    "paid": "was paid by {brand}",
    "affiliate": "earns a commission from {brand}",
}


def disclosure(story: Story, brand_name: str) -> str | None:
    """Plain-text disclosure to show next to the quote, or None without a connection."""
    connection = story.meta.connection
    if connection is None:
        return None
    who = display_name(story.meta.customer)
    if story.meta.customer.show_as == "anonymous":
        who = "This customer"
    relation = _RELATION[connection.kind].format(brand=brand_name)
    note = connection.note.rstrip()
    end = "" if note.endswith((".", "!", "?")) else "."
    return f"Disclosure: {who} {relation}. {note}{end}"
