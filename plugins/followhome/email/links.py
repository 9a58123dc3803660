"""Campaign tags on the brand's own links; merge tags and other sites' links untouched."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from followhome.email.profiles import MERGE_TAG

SOURCE = "newsletter"


def with_utm(url: str, site_url: str, campaign: str, medium: str = "email", source: str = SOURCE) -> str:
    """Add utm_source/utm_medium/utm_campaign to ``url`` if it is on the site; keep existing ones."""
    if MERGE_TAG.search(url) or not url.startswith(site_url):
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    wanted = (("utm_source", source), ("utm_medium", medium), ("utm_campaign", campaign))
    query += [(key, value) for key, value in wanted if key not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))
