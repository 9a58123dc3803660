"""What a page tells social networks and search engines: Open Graph, Twitter card, JSON-LD.

Plain functions over plain values; the MkDocs adapter puts the result in each page's head.
Structured data follows Google's guidance for self-published reviews: one Organization
for the site, a Review per story with the name as show_as allows, never an AggregateRating.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from followhome.model.content import Brand, Story
from followhome.model.text import strip_control
from followhome.publishing.names import display_name
from followhome.render.mdtext import attr


@dataclass(frozen=True)
class Share:
    title: str
    description: str
    url: str
    image: str
    kind: str = "website"
    """Open Graph type: ``website`` or ``article``."""


def head_tags(share: Share, site_name: str, language: str) -> str:
    pairs = [
        ("property", "og:type", share.kind),
        ("property", "og:site_name", site_name),
        ("property", "og:title", share.title),
        ("property", "og:description", share.description),
        ("property", "og:url", share.url),
        ("property", "og:image", share.image),
        ("property", "og:image:width", "1200"),
        ("property", "og:image:height", "630"),
        ("property", "og:image:alt", share.title),
        ("property", "og:locale", language.replace("-", "_")),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", share.title),
        ("name", "twitter:description", share.description),
        ("name", "twitter:image", share.image),
    ]
    return "".join(f'<meta {key}="{name}" content="{attr(value)}">' for key, name, value in pairs)


def organization(brand: Brand, logo: str | None) -> dict[str, Any]:
    config = brand.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": f"{brand.url}#organization",
        "name": config.name,
        "url": brand.url,
        "slogan": config.promise,
    }
    if config.description:
        data["description"] = config.description
    if logo:
        data["logo"] = logo
    same_as = [str(account.url) for account in config.channels.social]
    if same_as:
        data["sameAs"] = same_as
    return data


def review(story: Story, brand: Brand, url: str) -> dict[str, Any]:
    meta = story.meta
    return {
        "@context": "https://schema.org",
        "@type": "Review",
        "url": url,
        "name": meta.title,
        "reviewBody": " ".join(meta.quote.split()),
        "datePublished": story.published.date().isoformat(),
        "author": {"@type": "Person", "name": display_name(meta.customer)},
        "itemReviewed": {
            "@id": f"{brand.url}#organization",
            "@type": "Organization",
            "name": brand.config.name,
        },
        "publisher": {"@id": f"{brand.url}#organization"},
    }


def json_ld(data: dict[str, Any]) -> str:
    """A JSON-LD script element; ``<`` is escaped so no text can close the element (``</script>``)
    or open a comment (``<!--``), and directional formatting characters are left out."""
    text = strip_control(json.dumps(data, ensure_ascii=False, sort_keys=False)).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share links (no third-party script): X, Facebook, LinkedIn, email."""
    u, t = quote(url, safe=""), quote(" ".join(strip_control(title).split()), safe="")
    return [
        ("X", f"https://x.com/intent/post?url={u}&text={t}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ("Email", f"mailto:?subject={t}&body={u}"),
    ]
