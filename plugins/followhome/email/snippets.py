"""Short posts for social networks (<= 280 characters) and SMS (<= 160), link included.

Text is shortened at word boundaries only; a customer's name is either whole or left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from followhome.email.compose import fit
from followhome.email.inert import inert, inert_item
from followhome.email.links import with_utm
from followhome.render.items import RenderedItem

SOCIAL_LIMIT = 280
SMS_LIMIT = 160


@dataclass(frozen=True)
class Snippets:
    social: str
    sms: str


def _compose(parts: list[str], link: str | None, limit: int) -> str:
    """Join the most parts that fit with the link; shorten the last one at a word boundary."""
    suffix = f" {link}" if link else ""
    room = limit - len(suffix)
    text = ""
    for index, part in enumerate(parts):
        candidate = f"{text} {part}".strip()
        if len(candidate) <= room:
            text = candidate
            continue
        if index > 0 and part.startswith("— "):
            continue  # a name is never cut: leave it out
        space = room - len(text) - (1 if text else 0)
        if space > 10:
            text = f"{text} {fit(part, space)}".strip()
        break
    return (text + suffix).strip()


def snippets(item: RenderedItem, brand_name: str, site_url: str) -> Snippets:
    """The social post and the SMS; text from content is made inert for services that evaluate
    template tags (a scheduler, an SMS gateway), as in email."""
    item, brand_name = inert_item(item), inert(brand_name)
    social_link = (
        with_utm(item.url, site_url, item.id, medium="social", source="social") if item.url else None
    )
    sms_link = with_utm(item.url, site_url, item.id, medium="sms", source="sms") if item.url else None
    byline = [f"— {item.author}"] if item.kind == "story" else []
    social = _compose([f"{item.title}:", item.summary, *byline], social_link, SOCIAL_LIMIT)
    sms = _compose([item.title], sms_link, SMS_LIMIT)
    branded = f"{brand_name}: {sms}"
    if len(branded) <= SMS_LIMIT:
        sms = branded
    return Snippets(social, sms)
