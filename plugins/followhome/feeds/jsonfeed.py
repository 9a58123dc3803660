"""JSON Feed 1.1: keys are omitted rather than written as null."""

from __future__ import annotations

import json
from typing import Any

from followhome.feeds.model import Feed, FeedItem

VERSION = "https://jsonfeed.org/version/1.1"


def _item(item: FeedItem) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id}
    if item.url:
        data["url"] = item.url
    data["title"] = item.title
    data["content_html"] = item.content_html
    data["summary"] = item.summary
    data["date_published"] = item.published.isoformat()
    if item.updated:
        data["date_modified"] = item.updated.isoformat()
    data["authors"] = [{"name": item.author}]
    if item.categories:
        data["tags"] = list(item.categories)
    return data


def render_json(feed: Feed) -> str:
    data: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.url("json"),
        "description": feed.description,
        "user_comment": f"How we collect and choose stories: {feed.policy_url}",
        "language": feed.language,
        "authors": [{"name": feed.author}],
    }
    if feed.hub:  # WebSub: feed_url is the topic
        data["hubs"] = [{"type": "WebSub", "url": feed.hub}]
    data["items"] = [_item(item) for item in feed.items]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
