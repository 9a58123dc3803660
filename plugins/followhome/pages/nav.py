"""The site navigation in MkDocs' ``nav`` form."""

from __future__ import annotations

from typing import Any

from followhome.model.addresses import HOME, POLICY, STORIES, SUBSCRIBE, UPDATES, VALUES, value
from followhome.render.mdtext import theme_text


def nav(value_titles: list[tuple[str, str]]) -> list[Any]:
    """The site navigation in MkDocs' ``nav`` form; stories and updates stay out of it.

    MkDocs makes a nav title the page's title, and Material prints both into every page
    unescaped (``{{ nav_item.title }}``, ``<title>``): value titles are escaped here, as
    the value pages' front matter has them."""
    return [
        {"Home": HOME},
        {"Values": [VALUES, *({theme_text(title): value(vid)} for vid, title in value_titles)]},
        {"Stories": STORIES},
        {"Updates": UPDATES},
        {"Subscribe": SUBSCRIBE},
        {"How we choose stories": POLICY},
    ]
