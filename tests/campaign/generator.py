"""Seeded, deterministic cases for the robustness campaign.

Every case starts from one small valid project built from ``tests/helpers.py`` (brand.yml,
a value, a story, an update and index.md, each extended so that every field of its model
is present) and changes something: the YAML of one file, the type of one field, a date, a
key's spelling, a file's name, a symbolic link or special file, a stray file, or hostile
text in one text field (or in every text field of one kind of file at once).

Each case says what must happen to it:

``invalid``
    must be refused: ``followhome check`` exits 1 and a strict build fails, both naming
    the file (and the field, where there is one).
``valid``
    must be accepted: ``check`` exits 0, the strict build succeeds with no warning, and
    the output holds no live markup, no evaluated template or merge tag from the input,
    and nothing read from outside ``content/``.
``either``
    the spec leaves it open (a control character in a quote, ``<`` in a file name): refusing
    it (naming the file) and accepting it (with clean output) are both right, but check and
    build must agree.

The same seed always gives the same cases, in the same order, with the same ids.
"""

from __future__ import annotations

import copy
import hashlib
import random
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, partial
from typing import Any, Literal

import yaml

from tests.helpers import BRAND, MKDOCS_YML, VALUE, story, update

SEED = 20261123
TOKEN = "zqx"
"""Every hostile payload carries it in a front-matter field; the base project never does."""
BODY_TOKEN = "zqb"
"""The token of the same payloads in a Markdown body, where sanitised markup may stay: a
``class`` holding it is fine, one holding :data:`TOKEN` (from a plain-text field) is not."""
SECRET = "ZQXSECRET-9b41c7e2"
"""Written only into files outside content/: it must never reach site/ or outbox/."""
JINJA_MARKS = ("zqxjinja", "zqbjinja")
"""What the Jinja payload would print if a template evaluated it (from a field, from a body)."""
ESPS = ("mailchimp", "buttondown", "listmonk", "ghost")
BUILD_VALID_EVERY = 5
"""One valid case in this many (chosen by a hash of its id) also gets a strict build."""

Expect = Literal["valid", "invalid", "either"]
Path = tuple[str | int, ...]

FILES = {
    "brand": "content/brand.yml",
    "value": "content/values/honest-advice.md",
    "story": "content/stories/a-bottle.md",
    "update": "content/updates/new-shelf.md",
    "index": "content/index.md",
}


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    expect: Expect
    note: str
    names: tuple[str, ...] = ()
    """Paths (from the project root) of which a refusal must name at least one."""
    field: str | None = None
    """The field a refusal must name along with the file."""
    writes: tuple[tuple[str, bytes], ...] = ()
    removes: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    """(path, target) symbolic links; ``@ROOT`` in a target is the project's absolute path."""
    specials: tuple[tuple[str, str], ...] = ()
    """(path, ``fifo`` or ``socket``)."""
    esp: str = "mailchimp"
    payload: str | None = None
    """Name of the hostile payload in the case (see :data:`PAYLOADS`)."""
    build: bool = True
    quiet: bool = False
    """Build with the MkDocs log at ERROR (``mkdocs build -q --strict``)."""

    @property
    def valid(self) -> bool | None:
        """True for valid input, False for invalid, None when either outcome is right."""
        return {"valid": True, "invalid": False, "either": None}[self.expect]


# --- the base project --------------------------------------------------------------------


class Plain(str):
    """A string written as a plain (unquoted) YAML scalar, as an editor types a date."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_plain(dumper: yaml.SafeDumper, value: Plain) -> yaml.ScalarNode:
    tag = dumper.resolve(yaml.ScalarNode, str(value), (True, False))  # type: ignore[no-untyped-call]
    return yaml.ScalarNode(tag, str(value), style=None)


_Dumper.add_representer(Plain, _represent_plain)


def dump(data: object) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )


def _front(text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return data


def base_docs(esp: str = "mailchimp") -> dict[str, tuple[dict[str, Any] | None, str]]:
    """(front matter or brand data, body) of every kind, with every field of its model set."""
    return copy.deepcopy(_base_docs(esp))


@cache
def _base_docs(esp: str) -> dict[str, tuple[dict[str, Any] | None, str]]:
    brand = yaml.safe_load(BRAND)
    brand["language"] = "en"
    brand["description"] = "A neighbourhood wine shop."
    brand["image"]["logo"] = "assets/logo.svg"
    brand["image"]["voice"] = ["warm", "plain"]
    brand["tone"]["channels"] = {"email": 5}
    brand["tone"]["enforce"] = False
    brand["channels"] = {
        "email": {
            "service": esp,
            "signup_url": "https://shop.example/signup/",
            "from_address": "Test Shop <hello@shop.example>",
            "unsubscribe_email": "unsubscribe@shop.example",
        },
        "social": [{"network": "Mastodon", "url": "https://social.example/@shop"}],
        "feeds": {"id_authority": "shop.example,2026"},
    }
    brand["contact"] = {
        "email": "hello@shop.example",
        "phone": "+44 20 7946 0000",
        "address": "1 High Street",
    }
    brand["trust"] = {"quantified_claims": "error"}

    value = _front(VALUE)
    value["icon"] = "material/glass-wine"
    value_body = VALUE.split("---\n", 2)[2].strip() + "\n"

    # New within channels.delivery.window_days of the campaign's day (tests.conftest.TODAY), so
    # every build composes the story's and the update's emails into the outbox it scans.
    item = _front(story(date="2026-11-16"))
    item["updated"] = date(2026, 11, 20)
    item["featured"] = True
    item["customer"].update(role="Regular", organization="Lovelace Analytics", location="Oakhill")
    item["customer"]["avatar"] = "assets/logo.svg"
    item["consent"]["channels"] = ["site", "feed", "email", "social"]
    item["connection"] = {
        "kind": "discount",
        "note": "Ada gets the regulars' discount.",
        "conditional": False,
    }
    item["source"]["url"] = "https://reviews.example/ada"
    item["edited"] = True
    item["substantiation"] = {"note": "Checked with Ada.", "typical": "Most customers find one bottle."}
    story_body = "Ada came in looking for a gift.\n\nWe talked about *what she likes* and found it.\n"

    news = _front(update(kind="offer", expires="2027-01-01", date="2026-11-16"))
    news["updated"] = date(2026, 11, 18)
    update_body = "Body of New shelf.\n\nCome and see the **new shelf**.\n"

    return {
        "brand": (brand, ""),
        "value": (value, value_body),
        "story": (item, story_body),
        "update": (news, update_body),
        "index": (None, "Welcome to **Test Shop**.\n"),
    }


def render(kind: str, data: dict[str, Any] | None, body: str) -> str:
    if kind == "brand":
        return dump(data)
    if data is None:
        return body
    return f"---\n{dump(data)}---\n\n{body}"


CAMPAIGN_MKDOCS_YML = MKDOCS_YML.replace("  - followhome\n", "") + textwrap.dedent(
    """\
      - followhome
      - followhome-feeds
      - followhome-tone
      - followhome-email:
          outbox_dir: outbox
    markdown_extensions:
      - abbr
      - admonition
      - attr_list
      - md_in_html
      - tables
      - toc:
          permalink: true
      - pymdownx.details
      - pymdownx.superfences
    validation:
      nav:
        omitted_files: warn
        not_found: warn
        absolute_links: warn
      links:
        not_found: warn
        anchors: warn
        absolute_links: relative_to_docs
        unrecognized_links: warn
    """
)

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32"/></svg>\n'
SECRET_SVG = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><text>{SECRET}</text></svg>\n'


def _outside_files() -> dict[str, str]:
    """Files beside content/ that a link or path could reach; each holds :data:`SECRET`."""
    docs = base_docs()
    leak_story = copy.deepcopy(docs["story"][0]) or {}
    leak_story.update(id="s-0000eeee", title="Leaked story", quote=f"The secret is {SECRET}.")
    leak_brand = copy.deepcopy(docs["brand"][0]) or {}
    leak_brand["promise"] = f"We leak {SECRET}."
    leak_value = copy.deepcopy(docs["value"][0]) or {}
    leak_value["summary"] = f"Leaked {SECRET}."
    return {
        "outside/secret.txt": f"{SECRET}\n",
        "outside/secret.svg": SECRET_SVG,
        "outside/brand.yml": render("brand", leak_brand, ""),
        "outside/stories/leak.md": render("story", leak_story, f"Body with {SECRET}.\n"),
        "outside/values/leak.md": render("value", leak_value, f"Body with {SECRET}.\n"),
        "outside/pages/leak.md": f"# Leak\n\n{SECRET}\n",
    }


def base_files(esp: str = "mailchimp") -> dict[str, bytes]:
    """Every file of the valid base project, by path from the project root."""
    return dict(_base_files(esp))


@cache
def _base_files(esp: str) -> dict[str, bytes]:
    files = {path: render(kind, *base_docs(esp)[kind]).encode("utf-8") for kind, path in FILES.items()}
    files["content/assets/logo.svg"] = LOGO.encode()
    files["mkdocs.yml"] = CAMPAIGN_MKDOCS_YML.encode()
    files.update({path: text.encode() for path, text in _outside_files().items()})
    return files


# --- field paths ---------------------------------------------------------------------------


def parse_path(dotted: str) -> Path:
    """``channels.social[0].url`` -> ``("channels", "social", 0, "url")``."""
    out: list[str | int] = []
    for part in dotted.split("."):
        name, _, rest = part.partition("[")
        out.append(name)
        while rest:
            index, _, rest = rest.partition("]")
            out.append(int(index))
            rest = rest.removeprefix("[")
    return tuple(out)


def _parent(data: Any, path: Path) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def with_value(data: dict[str, Any], dotted: str, value: object) -> dict[str, Any]:
    out = copy.deepcopy(data)
    path = parse_path(dotted)
    _parent(out, path)[path[-1]] = value
    return out


def with_key_renamed(data: dict[str, Any], dotted: str, new: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    path = parse_path(dotted)
    parent = _parent(out, path)
    items = [(new if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return out


def leaf_paths(data: Any, prefix: str = "") -> Iterator[str]:
    """Every key path in ``data``, parents before children (``values[0]`` for list items)."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            yield path
            yield from leaf_paths(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data[:1]):
            path = f"{prefix}[{index}]"
            yield path
            yield from leaf_paths(value, path)


# --- what each field is --------------------------------------------------------------------

TYPES: dict[str, dict[str, str]] = {
    "brand": {
        "name": "text", "url": "url", "language": "language", "timezone": "timezone",
        "description": "text?", "promise": "text", "image": "map", "image.logo": "path?",
        "image.palette": "map", "image.palette.primary": "colour", "image.palette.accent": "colour",
        "image.voice": "list?", "image.voice[0]": "text", "tone": "map", "tone.volume": "volume",
        "tone.channels": "map?", "tone.channels.email": "volume", "tone.enforce": "bool",
        "channels": "map?", "channels.email": "map?", "channels.email.service": "esp",
        "channels.email.signup_url": "url?", "channels.email.from_address": "text?",
        "channels.email.unsubscribe_email": "text?", "channels.social": "list?",
        "channels.social[0]": "map", "channels.social[0].network": "text",
        "channels.social[0].url": "url", "channels.feeds": "map?",
        "channels.feeds.id_authority": "authority?", "contact": "map?", "contact.email": "str?",
        "contact.phone": "str?", "contact.address": "str?", "stories_policy": "text",
        "trust": "map?", "trust.quantified_claims": "claims",
    },
    "value": {"title": "text", "summary": "text", "order": "int", "icon": "icon?"},
    "story": {
        "id": "id", "title": "text", "date": "when", "updated": "when?", "status": "status",
        "featured": "bool", "customer": "map", "customer.name": "text", "customer.show_as": "show_as",
        "customer.role": "text?", "customer.organization": "text?", "customer.location": "text?",
        "customer.avatar": "str?", "quote": "text", "takeaway": "text", "values": "values",
        "values[0]": "value_id", "consent": "map?", "consent.given": "day",
        "consent.channels": "channels", "consent.channels[0]": "channel", "consent.reference": "text",
        "connection": "map?", "connection.kind": "connection", "connection.note": "text",
        "connection.conditional": "bool", "source": "map", "source.channel": "text",
        "source.received": "day", "source.url": "url?", "edited": "bool", "substantiation": "map?",
        "substantiation.note": "text", "substantiation.typical": "text",
    },
    "update": {
        "id": "id", "title": "text", "date": "when", "updated": "when?", "summary": "text",
        "kind": "update_kind", "values": "list?", "values[0]": "value_id", "expires": "day?",
        "status": "status",
    },
}  # fmt: skip

WRONG: dict[str, list[object]] = {
    "text": [42, ["a", "b"], {"k": "v"}, "", "   ", True],
    "str": [42, ["a"], {"k": "v"}],
    "url": ["not a url", "ftp://shop.example/", "https://", 42, ["https://shop.example/"]],
    "language": ["English", "EN", 42, "e"],
    "timezone": ["Mars/Olympus", "europe/london", "Europe/London/", 42],
    "colour": ["red", "#12345g", "#fff", 123456, "6d1f33"],
    "volume": ["loud", 11, -1, 3.5, [3], "3.5"],
    "int": ["first", 2.5, [1], {"a": 1}],
    "bool": ["sometimes", 2, [True], {"a": True}],
    "esp": ["mailchimpp", "Mailchimp", 42, ["mailchimp"]],
    "claims": ["never", "Error", 0],
    "status": ["publish", "Published", 1, ["published"]],
    "show_as": ["nickname", "Full", "first name", 0],
    "connection": ["friend", "Employee", 1],
    "update_kind": ["sale", "News", "how to", 3],
    "path": ["assets/missing.svg", "ASSETS/LOGO.SVG", 42],
    "icon": ["material/no-such-icon-here", "glass-wine", "Material/glass-wine", 42],
    "authority": ["Shop.example,2026", "shop.example", "shop.example,26", 2026],
    "id": ["S-0000AAAA", "s 0000aaaa", "ab", 42, "s-0000aaaa\u200d"],
    "value_id": ["Honest-Advice", "honest advice", "honest-advise", "", 42],
    "channel": ["fax", "Site", 42, "site "],
    "when": [2026, [date(2026, 3, 14)], {"y": 2026}, True],
    "day": [2026, [date(2026, 3, 1)], {"y": 2026}, True],
    "values": ["honest-advice", {"a": "b"}, 42, []],
    "channels": ["site", {"site": True}, 42, []],
    "list": ["warm", {"a": "b"}, 42],
    "map": ["text", [1, 2], 42],
}
"""Values that are wrong for each type; one is picked per field (``None`` joins them for a
required field)."""
MUST: dict[str, list[object]] = {
    "url": ["javascript:alert(1)"],
    "timezone": ["../../../../etc/passwd"],
    "path": ["../outside/secret.svg", "/etc/passwd"],
    "icon": ["material/../../x"],
    "id": ["../../etc/x", "s-café-0001"],
    "value_id": ["../values/honest-advice"],
}
"""Wrong values always tried for a type: paths and names that reach out of content/ or of ASCII."""

DATE_BAD = [
    "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01",
    "2026-1-5", "2026/03/14", "14/03/2026", "2026-03-14T25:00:00", "2026-03-14T10:00:00+25:00",
    "yesterday", "10000-01-01", "-2026-03-14", "2026-03-14 and more", "",
]  # fmt: skip
DATE_VALID = {
    "when": ["2024-02-29", "2026-03-14T09:30:00+01:00", "2026-03-14T09:30:00Z"],
    "day": ["2024-02-29"],
}
DATE_EITHER = ["0001-01-01", "9999-12-31"]
"""Real dates at the ends of the calendar: refusing them or building with them are both fine."""

# --- hostile text ----------------------------------------------------------------------------

PAYLOADS: dict[str, str] = {
    "svg-onload": f"<svg onload=alert('{TOKEN}')>",
    "img-onerror": f'<img src=x onerror="{TOKEN}()">',
    "script": f"<script>{TOKEN}()</script>",
    "cdata-break": f"]]><script>{TOKEN}()</script><![CDATA[",
    "attr-breakout": f'" onmouseover="{TOKEN}()" data-x="',
    "js-link-html": f'<a href="javascript:{TOKEN}()">click</a>',
    "js-link-md": f"[click](javascript:{TOKEN}()) and ![i](javascript:{TOKEN}())",
    "attr-list": f'Text {{: onclick="{TOKEN}()" }}',
    "iframe-style": f'<iframe src="https://evil.example/{TOKEN}"></iframe><style>body{{display:none}}/*{TOKEN}*/</style>',
    "closing-tags": f'</title></script></textarea><b class="{TOKEN}">bold</b>',
    "entities": f"&lt;script&gt;{TOKEN}()&lt;/script&gt; &amp;lt;b&amp;gt;",
    "jinja": "{{ 'zqx' ~ 'jinja' }} {% if true %}zqx-if{% endif %} {{ config }}",
    "merge-mailchimp": "*|ZQXTAG|* and *|UNSUB|*",
    "merge-ghost": "%%{zqxtag}%% and %%{unsubscribe_url}%%",
    "merge-curly": "{{ zqxtag }} and {{ UnsubscribeURL }}",
    "rtl": f"\u202egnp.{TOKEN}\u202c invoice",
    "zero-width": f"zq\u200dx {TOKEN}\u200b \U0001f468\u200d\U0001f469\u200d\U0001f467 \ufeff done",
    "line-separators": f"{TOKEN}\u2028next\u2029para",
    "control": f"{TOKEN}\x00nul \x01\x08\x0b\x0c\x1b[31m\x7f\x85 end",
}  # fmt: skip
MERGE_TAGS = {
    "mailchimp": ("*|ZQXTAG|*",),
    "ghost": ("%%{zqxtag}%%",),
    "buttondown": ("{{ zqxtag }}", "{{zqxtag}}"),
    "listmonk": ("{{ zqxtag }}", "{{zqxtag}}"),
}
"""Merge tags of each service that a payload carries and that must not reach its outbox as such."""
IMAGE_PAYLOADS = {"img-onerror", "js-link-md"}
"""In a body these are images that are not files of the site: the email plugin may refuse them."""
TRUSTED_BODIES: frozenset[str] = frozenset()
"""Kinds whose Markdown body is the business's own trusted HTML (as in any MkDocs page), kept
out of the hostile cases. Empty: the issue asks for no live markup from any text."""
PAYLOAD_ESP = {
    "merge-mailchimp": ("mailchimp",),
    "merge-ghost": ("ghost",),
    "merge-curly": ("buttondown", "listmonk"),
}
EITHER_PAYLOADS = {"control"}
"""Invisible control characters: refusing them (naming file and field) or dropping them is fine."""

TEXT_FIELDS = {
    "brand": [
        "name", "description", "promise", "stories_policy", "image.voice[0]",
        "channels.social[0].network", "contact.address",
    ],
    "value": ["title", "summary", "@body"],
    "story": [
        "title", "quote", "takeaway", "customer.name", "customer.role", "customer.organization",
        "customer.location", "connection.note", "substantiation.note", "substantiation.typical",
        "source.channel", "consent.reference", "@body",
    ],
    "update": ["title", "summary", "@body"],
    "index": ["@body"],
}  # fmt: skip
"""Text fields a hostile payload goes into (``@body``: the Markdown body)."""
MARKDOWN_FIELDS = {("brand", "stories_policy")}
"""Fields written in Markdown, like a body: sanitised markup may stay, so they get :data:`BODY_TOKEN`."""


# --- building cases ----------------------------------------------------------------------------


def _doc(kind: str, esp: str = "mailchimp") -> tuple[dict[str, Any] | None, str]:
    data, body = base_docs(esp)[kind]
    return copy.deepcopy(data), body


@cache
def _text(kind: str, esp: str = "mailchimp") -> str:
    return render(kind, *_doc(kind, esp))


def _write(kind: str, text: str | bytes) -> tuple[tuple[str, bytes], ...]:
    return ((FILES[kind], text if isinstance(text, bytes) else text.encode("utf-8")),)


def _changed(kind: str, dotted: str, value: object, esp: str = "mailchimp") -> tuple[tuple[str, bytes], ...]:
    data, body = _doc(kind, esp)
    assert data is not None
    return _write(kind, render(kind, with_value(data, dotted, value), body))


def _yaml_part(kind: str, text: str) -> str:
    """The YAML of a rendered file: all of brand.yml, the front matter of the others."""
    return text if kind == "brand" else text.split("---\n")[1]


def _yaml_fails(text: str) -> bool:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError:
        return True
    return False


def _first_nested_line(text: str) -> int | None:
    lines = text.split("\n")
    return next((i for i, line in enumerate(lines) if line.startswith("  ") and line.strip()), None)


def _file_case(
    family: str,
    kind: str,
    name: str,
    content: str | bytes,
    expect: Expect,
    note: str,
    field: str | None = None,
) -> Case:
    """A case that rewrites the file of one kind."""
    return Case(f"{family}/{kind}/{name}", family, expect, note, (FILES[kind],), field, _write(kind, content))


def _yaml_breakage() -> Iterator[Case]:
    family = "yaml-breakage"
    for kind in FILES:
        text = _text(kind)
        data, _ = _doc(kind)
        md = kind != "brand"
        has_front = data is not None
        required = kind != "index"
        broken: Expect = "either" if not required else "invalid"
        case = partial(_file_case, family, kind)
        if has_front or kind == "brand":
            lines = text.split("\n")
            nested = _first_nested_line(text)
            if nested is not None:
                tabbed = lines.copy()
                tabbed[nested] = "\t" + tabbed[nested].lstrip(" ")
                if _yaml_fails(_yaml_part(kind, "\n".join(tabbed))):
                    yield case(
                        "tab-indent", "\n".join(tabbed), "invalid", "a nested field indented with a tab"
                    )
            top = 1 if md else 0
            tabbed = lines.copy()
            tabbed[top + 1] = "\t" + tabbed[top + 1]
            if _yaml_fails(_yaml_part(kind, "\n".join(tabbed))):
                yield case("tab-before-key", "\n".join(tabbed), "invalid", "a top-level key after a tab")
            first_key = lines[top].split(":")[0]
            duplicate = lines.copy()
            duplicate.insert(top + 1, f"{first_key}: Another {first_key}")
            yield case("duplicate-key", "\n".join(duplicate), "invalid", "a top-level key twice", first_key)
            same = lines.copy()
            same.insert(top + 1, lines[top])
            yield case(
                "duplicate-key-same-value", "\n".join(same), "invalid", "a key twice, same value", first_key
            )
            if nested is not None:
                duplicate = lines.copy()
                duplicate.insert(nested + 1, lines[nested])
                key = lines[nested].strip().split(":")[0]
                yield case("duplicate-nested-key", "\n".join(duplicate), "invalid", "a nested key twice", key)
            yield case(
                "non-utf8-latin1",
                text.replace("e", "\udce9", 1).encode("utf-8", "surrogateescape"),
                "invalid",
                "a Latin-1 é in the YAML",
            )
            yield case("utf16", text.encode("utf-16"), "invalid", "the file saved as UTF-16")
            yield case("raw-nul", text.replace(": ", ": \x00", 1), "invalid", "a raw NUL in the YAML")
            yield case("raw-escape", text.replace(": ", ": \x1b[31m", 1), "invalid", "a raw ESC in the YAML")
            quote_line = lines[top].split(": ", 1)[0] + ': "unclosed'
            unclosed = lines.copy()
            unclosed[top] = quote_line
            yield case("unclosed-quote", "\n".join(unclosed), "invalid", "a quote never closed")
            colon = lines.copy()
            colon[top] = lines[top] + ": and: more"
            if _yaml_fails(_yaml_part(kind, "\n".join(colon))):
                yield case(
                    "colon-in-plain-value", "\n".join(colon), "invalid", "': ' inside an unquoted value"
                )
            tagged = lines.copy()
            tagged[top] = lines[top].split(":")[0] + ": !!python/object/apply:os.system ['echo zqx']"
            yield case("python-tag", "\n".join(tagged), "invalid", "a !!python tag")
            levels = ["&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
                f"&l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 8)
            ]
            bomb = lines.copy()
            bomb[top] = f"{first_key}: [{', '.join(levels)}]"
            # 7 levels: 9**7 entries if expanded; refused as YAML, so no field to name.
            yield case("alias-bomb", "\n".join(bomb), "invalid", "nested aliases (billion laughs)")
            deep = lines.copy()
            deep[top] = f"{first_key}: " + "[" * 3000 + "]" * 3000
            yield case("deep-nesting", "\n".join(deep), "invalid", "3,000 nested lists")
            yield case("bom", "\ufeff" + text, "valid", "a UTF-8 byte-order mark")
            yield case("crlf", text.replace("\n", "\r\n"), "valid", "Windows line endings")
            yield case("bom-crlf", "\ufeff" + text.replace("\n", "\r\n"), "valid", "BOM and CRLF")
            yield case("cr-only", text.replace("\n", "\r"), "either", "old Mac line endings")
        if md and has_front:
            front, rest = text.split("---\n", 2)[1:]
            yield case("unclosed-front-matter", f"---\n{front}\n{rest}", "invalid", "no closing ---")
            yield case("dot-terminator", f"---\n{front}...\n{rest}", "valid", "front matter closed by ...")
            yield case("fence-trailing-space", f"--- \n{front}---  \n{rest}", "valid", "fences with spaces")
            yield case("indented-fence", f" ---\n{front}---\n{rest}", "invalid", "the first fence indented")
            yield case("no-front-matter", rest.lstrip(), "invalid", "a body without front matter")
        if md:
            yield case("only-fence", "---\n", broken, "a file of one ---")
            yield case("two-fences", "---\n---\n", broken, "empty front matter, no body")
            yield case("empty", b"", "valid" if not required else "invalid", "an empty file")
            yield case("whitespace-only", "  \n\n\t\n", "valid" if not required else "invalid", "only blanks")
            yield case("front-matter-list", "---\n- a\n- b\n---\n\nText.\n", broken, "front matter is a list")
            yield case(
                "front-matter-scalar", "---\njust words\n---\n\nText.\n", broken, "front matter is text"
            )
        else:
            yield case("only-fence", "---\n", "invalid", "brand.yml of one ---")
            yield case("empty", b"", "invalid", "an empty brand.yml")
            yield case("whitespace-only", "  \n\n", "invalid", "only blanks")
            yield case("list", "- a\n- b\n", "invalid", "brand.yml is a list")
            yield case("scalar", "just words\n", "invalid", "brand.yml is text")
            yield case("two-documents", text + "---\nname: Other\n", "invalid", "two YAML documents")
            yield case("fenced", f"---\n{text}---\n", "either", "brand.yml fenced like front matter")
        if kind == "index":
            yield case("body-only", "Welcome, plain text.\n", "valid", "index.md without front matter")
            yield case(
                "front-matter-title",
                "---\ntitle: Home\n---\n\nWelcome.\n",
                "valid",
                "index.md with front matter",
            )
            yield case(
                "latin1-body",
                "Caf\udce9 open.\n".encode("utf-8", "surrogateescape"),
                "invalid",
                "a Latin-1 byte in index.md",
            )
            yield case(
                "broken-front-matter", "---\ntitle: [unclosed\n---\n\nWelcome.\n", "invalid", "bad YAML"
            )


NOT_NULLABLE = {"image.voice", "tone.channels", "channels", "channels.social", "contact", "trust", "values"}
"""Optional fields with a default that the model does not let be null."""
REQUIRED_WHEN_PUBLISHED = {"story": ("consent",)}
"""Optional in the schema, but a published story without it is refused (trust rule)."""


def _wrong_values(kind_of: str, rng: random.Random) -> list[object]:
    base = kind_of.rstrip("?")
    pool = list(WRONG[base]) + ([] if kind_of.endswith("?") else [None])
    return [*MUST.get(base, []), rng.choice(pool)]


def _wrong_types(rng: random.Random) -> Iterator[Case]:
    family = "wrong-types"
    for kind, types in TYPES.items():
        for dotted, kind_of in types.items():
            for index, value in enumerate(_wrong_values(kind_of, rng)):
                expect: Expect = "invalid"
                if kind_of == "str?" and value == "":
                    expect = "valid"
                shown = repr(value)[:40]
                yield Case(
                    f"{family}/{kind}/{dotted}/{index}",
                    family,
                    expect,
                    f"{dotted} = {shown}",
                    (FILES[kind],),
                    dotted,
                    _changed(kind, dotted, value),
                )
            if kind_of.endswith("?"):
                null_expect: Expect = "valid"
                if kind_of.rstrip("?") in ("map", "list") or dotted in NOT_NULLABLE:
                    null_expect = "either"  # an empty block: refusing it or taking it as absent are both fine
                if dotted in REQUIRED_WHEN_PUBLISHED.get(kind, ()):
                    null_expect = "invalid"
                yield Case(
                    f"{family}/{kind}/{dotted}/null",
                    family,
                    null_expect,
                    f"{dotted} = null (optional)",
                    (FILES[kind],),
                    dotted,
                    _changed(kind, dotted, None),
                )


def _dates(rng: random.Random) -> Iterator[Case]:
    family = "impossible-dates"
    fields = [(k, d, t.rstrip("?")) for k, types in TYPES.items() for d, t in types.items()]
    date_fields = [(k, d, t) for k, d, t in fields if t in ("when", "day")]
    date_fields.append(("story", "consent.withdrawn", "day"))
    for kind, dotted, type_name in date_fields:
        optional = dotted in ("updated", "expires", "consent.withdrawn")
        for text in rng.sample(DATE_BAD, 5):
            if text == "" and (type_name == "when" or optional):
                continue  # an empty date is null: absent, or a type error covered by wrong-types
            yield Case(
                f"{family}/{kind}/{dotted}/{text or 'empty'}",
                family,
                "invalid",
                f"{dotted} = {text!r}",
                (FILES[kind],),
                dotted,
                _changed(kind, dotted, Plain(text)),
            )
        if type_name == "day":
            yield Case(
                f"{family}/{kind}/{dotted}/with-time",
                family,
                "invalid",
                f"{dotted} with a time",
                (FILES[kind],),
                dotted,
                _changed(kind, dotted, Plain("2026-03-01T10:00:00")),
            )
        for text in DATE_VALID[type_name]:
            if dotted == "consent.withdrawn":
                continue  # a valid withdrawal date is a withdrawal, tested elsewhere
            yield Case(
                f"{family}/{kind}/{dotted}/{text}",
                family,
                "valid",
                f"{dotted} = {text}",
                (FILES[kind],),
                dotted,
                _changed(kind, dotted, Plain(text)),
            )
        for text in DATE_EITHER if dotted == "date" else ():
            yield Case(
                f"{family}/{kind}/{dotted}/{text}",
                family,
                "either",
                f"{dotted} = {text} (end of the calendar)",
                (FILES[kind],),
                dotted,
                _changed(kind, dotted, Plain(text)),
            )


def _typo(key: str, rng: random.Random, taken: set[str]) -> str:
    operations: list[Callable[[str], str]] = [
        lambda k: k[:-1] if len(k) > 2 else k + k[-1],
        lambda k: k[1] + k[0] + k[2:] if len(k) > 1 else k + "x",
        lambda k: k[: len(k) // 2] + k[len(k) // 2] + k[len(k) // 2 :],
        lambda k: k[:1].upper() + k[1:],
        lambda k: k.replace("_", "-") if "_" in k else k + "s",
        lambda k: k.upper(),
    ]
    for _ in range(20):
        candidate = rng.choice(operations)(key)
        if candidate != key and candidate not in taken:
            return candidate
    return key + "_x"


def _misspelt_keys(rng: random.Random) -> Iterator[Case]:
    family = "misspelt-keys"
    for kind in ("brand", "value", "story", "update"):
        data, body = _doc(kind)
        assert data is not None
        for dotted in leaf_paths(data):
            path = parse_path(dotted)
            if isinstance(path[-1], int):
                continue
            parent = _parent(data, path)
            wrong = _typo(str(path[-1]), rng, set(parent))
            shown = ".".join([*dotted.split(".")[:-1], wrong]) if "." in dotted else wrong
            yield Case(
                f"{family}/{kind}/{dotted}",
                family,
                "invalid",
                f"{dotted} spelt {wrong!r}",
                (FILES[kind],),
                shown,
                _write(kind, render(kind, with_key_renamed(data, dotted, wrong), body)),
            )


def _moved(kind: str, to: str, extra_writes: tuple[tuple[str, bytes], ...] = ()) -> dict[str, Any]:
    return {"removes": (FILES[kind],), "writes": ((to, _text(kind).encode()), *extra_writes)}


def _story_copy(new_id: str) -> bytes:
    data, body = _doc("story")
    assert data is not None
    data["id"] = new_id
    return render("story", data, body).encode()


def _update_copy(new_id: str) -> bytes:
    data, body = _doc("update")
    assert data is not None
    data["id"] = new_id
    return render("update", data, body).encode()


def _names() -> Iterator[Case]:
    family = "file-names"
    specs: list[tuple[str, Expect, str, tuple[str, ...], str | None, dict[str, Any]]] = [
        ("unicode-story", "valid", "stories/café-crème.md", ("content/stories/café-crème.md",), None,
         _moved("story", "content/stories/café-crème.md")),
        ("unicode-update", "valid", "updates/日本語のお知らせ.md", ("content/updates/日本語のお知らせ.md",), None,
         _moved("update", "content/updates/日本語のお知らせ.md")),
        ("nested-story", "valid", "stories/2026/march/a-bottle.md", ("content/stories/2026/march/a-bottle.md",),
         None, _moved("story", "content/stories/2026/march/a-bottle.md")),
        ("uppercase-update", "valid", "updates/New-Shelf.md", ("content/updates/New-Shelf.md",), None,
         _moved("update", "content/updates/New-Shelf.md")),
        ("space-story", "either", "stories/a bottle.md", ("content/stories/a bottle.md",), None,
         _moved("story", "content/stories/a bottle.md")),
        ("markup-story", "either", "stories/<svg onload=zqx()>.md", ("content/stories/<svg onload=zqx()>.md",),
         None, _moved("story", "content/stories/<svg onload=zqx()>.md")),
        ("quotes-story", "either", "stories/it's \"quoted\".md", ("content/stories/it's \"quoted\".md",), None,
         _moved("story", "content/stories/it's \"quoted\".md")),
        ("percent-story", "either", "stories/100%25 & more.md", ("content/stories/100%25 & more.md",), None,
         _moved("story", "content/stories/100%25 & more.md")),
        ("jinja-story", "either", "stories/{{ 'zqx' ~ 'jinja' }}.md",
         ("content/stories/{{ 'zqx' ~ 'jinja' }}.md",), None,
         _moved("story", "content/stories/{{ 'zqx' ~ 'jinja' }}.md")),
        ("rtl-story", "either", "stories/\u202egnp.md", ("content/stories/\u202egnp.md",), None,
         _moved("story", "content/stories/\u202egnp.md")),
        ("newline-story", "invalid", "stories/a\\nb.md", ("content/stories/a",), None,
         _moved("story", "content/stories/a\nb.md")),
        ("tab-story", "invalid", "stories/a\\tb.md", ("content/stories/a",), None,
         _moved("story", "content/stories/a\tb.md")),
        ("dot-story", "invalid", "stories/..md (slug '.')", ("content/stories/..md",), None,
         _moved("story", "content/stories/..md")),
        ("dotdot-story", "invalid", "stories/...md (slug '..')", ("content/stories/...md",), None,
         _moved("story", "content/stories/...md")),
        ("hidden-story", "either", "stories/.hidden.md", ("content/stories/.hidden.md",), None,
         _moved("story", "content/stories/.hidden.md")),
        ("reserved-index", "invalid", "stories/index.md", ("content/stories/index.md",), None,
         _moved("story", "content/stories/index.md")),
        ("reserved-page", "invalid", "stories/page/2.md", ("content/stories/page/2.md",), None,
         _moved("story", "content/stories/page/2.md")),
        ("reserved-update-index", "invalid", "updates/index.md", ("content/updates/index.md",), None,
         _moved("update", "content/updates/index.md")),
        ("unicode-value", "invalid", "values/café.md", ("content/values/café.md",), None,
         {"writes": (("content/values/café.md", _text("value").encode()),)}),
        ("uppercase-value", "invalid", "values/Honest-Advice.md", ("content/values/Honest-Advice.md",), None,
         _moved("value", "content/values/Honest-Advice.md")),
        ("space-value", "invalid", "values/honest advice.md", ("content/values/honest advice.md",), None,
         {"writes": (("content/values/honest advice.md", _text("value").encode()),)}),
        ("nested-value", "invalid", "values/more/honest-advice.md", ("content/values/more/honest-advice.md",),
         None, {"writes": (("content/values/more/honest-advice.md", _text("value").encode()),)}),
        ("index-value", "invalid", "values/index.md", ("content/values/index.md",), None,
         {"writes": (("content/values/index.md", _text("value").encode()),)}),
        ("case-only-stories", "invalid", "stories/A-Bottle.md beside stories/a-bottle.md",
         ("content/stories/A-Bottle.md", "content/stories/a-bottle.md"), None,
         {"writes": (("content/stories/A-Bottle.md", _story_copy("s-0000abab")),)}),
        ("case-only-updates", "invalid", "updates/New-Shelf.md beside updates/new-shelf.md",
         ("content/updates/New-Shelf.md", "content/updates/new-shelf.md"), None,
         {"writes": (("content/updates/New-Shelf.md", _update_copy("u-0000abab")),)}),
        ("case-only-values", "invalid", "values/Honest-advice.md beside values/honest-advice.md",
         ("content/values/Honest-advice.md",), None,
         {"writes": (("content/values/Honest-advice.md", _text("value").encode()),)}),
        ("id-shared-by-story-and-update", "invalid", "an update with the story's id",
         ("content/updates/new-shelf.md", "content/stories/a-bottle.md"), "id",
         {"writes": (("content/updates/new-shelf.md", _update_copy("s-0000aaaa")),)}),
        ("id-shared-by-two-stories", "invalid", "two stories with one id",
         ("content/stories/another.md", "content/stories/a-bottle.md"), "id",
         {"writes": (("content/stories/another.md", _story_copy("s-0000aaaa")),)}),
        ("long-name", "either", "a story file name of 240 characters", ("content/stories/" + "l" * 20,), None,
         _moved("story", "content/stories/" + "l" * 237 + ".md")),
    ]  # fmt: skip
    for name, expect, note, names, field_name, change in specs:
        yield Case(
            f"{family}/{name}",
            family,
            expect,
            note,
            names,
            field_name,
            writes=tuple(change.get("writes", ())),
            removes=tuple(change.get("removes", ())),
        )


def _links_and_specials() -> Iterator[Case]:
    family = "symlinks-special"
    specs: list[tuple[str, str, tuple[str, ...], dict[str, Any]]] = [
        ("story-link-outside", "a story linked to a file outside content/", ("content/stories/leak.md",),
         {"links": (("content/stories/leak.md", "../../outside/stories/leak.md"),)}),
        ("story-link-absolute", "a story linked by absolute path outside content/", ("content/stories/leak.md",),
         {"links": (("content/stories/leak.md", "@ROOT/outside/stories/leak.md"),)}),
        ("value-link-outside", "a value linked outside content/", ("content/values/leak.md",),
         {"links": (("content/values/leak.md", "../../outside/values/leak.md"),)}),
        ("stories-folder-link-outside", "stories/ is a link to a folder outside content/", ("content/stories",),
         {"removes": ("content/stories/a-bottle.md", "content/stories"),
          "links": (("content/stories", "../outside/stories"),)}),
        ("page-link-outside", "an editor's page linked outside content/", ("content/notes.md",),
         {"links": (("content/notes.md", "../outside/pages/leak.md"),)}),
        ("folder-link-outside", "a folder of pages linked outside content/", ("content/extra",),
         {"links": (("content/extra", "../outside/pages"),)}),
        ("asset-link-outside", "an image linked outside content/", ("content/assets/photo.svg",),
         {"links": (("content/assets/photo.svg", "../../outside/secret.svg"),)}),
        ("text-asset-link-outside", "a text file linked outside content/", ("content/assets/notes.txt",),
         {"links": (("content/assets/notes.txt", "../../outside/secret.txt"),)}),
        ("logo-link-outside", "the logo linked outside content/", ("content/assets/logo.svg",),
         {"removes": ("content/assets/logo.svg",),
          "links": (("content/assets/logo.svg", "../../outside/secret.svg"),)}),
        ("brand-link-outside", "brand.yml linked outside content/", ("content/brand.yml",),
         {"removes": ("content/brand.yml",), "links": (("content/brand.yml", "../outside/brand.yml"),)}),
        ("story-link-inside", "a second story linked to the first", ("content/stories/alias.md",),
         {"links": (("content/stories/alias.md", "a-bottle.md"),)}),
        ("self-loop", "a story linked to itself", ("content/stories/loop.md",),
         {"links": (("content/stories/loop.md", "loop.md"),)}),
        ("dangling", "a story linked to nothing", ("content/stories/gone.md",),
         {"links": (("content/stories/gone.md", "missing.md"),)}),
        ("folder-loop", "a folder linked to its parent", ("content/stories/again",),
         {"links": (("content/stories/again", "."),)}),
        ("dev-null", "a story linked to /dev/null", ("content/stories/null.md",),
         {"links": (("content/stories/null.md", "/dev/null"),)}),
        ("fifo-story", "a FIFO among the stories", ("content/stories/pipe.md",),
         {"specials": (("content/stories/pipe.md", "fifo"),)}),
        ("fifo-value", "a FIFO among the values", ("content/values/pipe.md",),
         {"specials": (("content/values/pipe.md", "fifo"),)}),
        ("fifo-update", "a FIFO among the updates", ("content/updates/pipe.md",),
         {"specials": (("content/updates/pipe.md", "fifo"),)}),
        ("fifo-brand", "brand.yml is a FIFO", ("content/brand.yml",),
         {"removes": ("content/brand.yml",), "specials": (("content/brand.yml", "fifo"),)}),
        ("fifo-index", "index.md is a FIFO", ("content/index.md",),
         {"removes": ("content/index.md",), "specials": (("content/index.md", "fifo"),)}),
        ("fifo-page", "an editor's page is a FIFO", ("content/notes.md",),
         {"specials": (("content/notes.md", "fifo"),)}),
        ("fifo-asset", "an image is a FIFO", ("content/assets/pipe.svg",),
         {"specials": (("content/assets/pipe.svg", "fifo"),)}),
        ("fifo-logo", "the logo is a FIFO", ("content/assets/logo.svg",),
         {"removes": ("content/assets/logo.svg",), "specials": (("content/assets/logo.svg", "fifo"),)}),
        ("socket-story", "a socket among the stories", ("content/stories/sock.md",),
         {"specials": (("content/stories/sock.md", "socket"),)}),
        ("link-to-fifo", "a story linked to a FIFO outside content/", ("content/stories/p.md",),
         {"specials": (("outside/pipe", "fifo"),), "links": (("content/stories/p.md", "../../outside/pipe"),)}),
    ]  # fmt: skip
    for name, note, names, change in specs:
        yield Case(
            f"{family}/{name}",
            family,
            "either" if name == "folder-loop" else "invalid",  # a loop inside content/ reads nothing outside
            note,
            names,
            None,
            removes=tuple(change.get("removes", ())),
            links=tuple(change.get("links", ())),
            specials=tuple(change.get("specials", ())),
        )


def _stray_files() -> Iterator[Case]:
    family = "stray-files"
    jpeg = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
    specs: list[tuple[str, str, Expect, bytes]] = [
        ("stories/notes.txt", "a text file among the stories", "invalid", b"notes\n"),
        ("stories/photo.jpg", "an image among the stories", "invalid", jpeg),
        ("stories/a-bottle.md.bak", "an editor's backup", "invalid", _text("story").encode()),
        ("values/README", "a README among the values", "invalid", b"About values.\n"),
        ("values/readme.MD", "an upper-case .MD among the values", "invalid", _text("value").encode()),
        ("updates/draft.markdown", "a .markdown update", "invalid", _text("update").encode()),
        ("updates/data.yml", "a YAML file among the updates", "invalid", b"a: 1\n"),
        ("subscribe.md", "a page where a generated one goes", "invalid", b"# Subscribe\n"),
        ("how-we-choose-stories.md", "a page where the policy goes", "invalid", b"# Policy\n"),
        ("stories.md", "a page where the story listing goes", "invalid", b"# Stories\n"),
        ("values.md", "a page where the value listing goes", "invalid", b"# Values\n"),
        ("feed.xml", "a file where the feed goes", "invalid", b"<rss/>\n"),
        ("stories.json", "a file where a JSON feed goes", "invalid", b"{}\n"),
        ("sitemap.xml", "a file where the sitemap goes", "either", b"<urlset/>\n"),
        ("values/.DS_Store", "a hidden file among the values", "either", b"\x00\x01"),
        ("brand.yaml", "a second brand file, misspelt", "either", _text("brand").encode()),
    ]
    for rel, note, expect, content in specs:
        yield Case(
            f"{family}/{rel}",
            family,
            expect,
            note,
            (f"content/{rel}",),
            None,
            ((f"content/{rel}", content),),
        )


def in_body(payload: str) -> str:
    """The payload as it goes into a Markdown body: its tokens marked as the body's."""
    return payload.replace(TOKEN, BODY_TOKEN).replace(TOKEN.upper(), BODY_TOKEN.upper())


def _set_text(kind: str, dotted: str, payload: str, esp: str) -> tuple[tuple[str, bytes], ...]:
    data, body = _doc(kind, esp)
    if dotted == "@body":
        body = f"{body}\n{in_body(payload)}\n"
    else:
        assert data is not None
        data = with_value(data, dotted, in_body(payload) if (kind, dotted) in MARKDOWN_FIELDS else payload)
    return _write(kind, render(kind, data, body))


def _hostile() -> Iterator[Case]:
    counter = 0
    for payload_name, payload in PAYLOADS.items():
        expect: Expect = "either" if payload_name in EITHER_PAYLOADS else "valid"
        for kind, all_fields in TEXT_FIELDS.items():
            fields = [f for f in all_fields if not (f == "@body" and kind in TRUSTED_BODIES)]
            if not fields:
                continue
            for dotted in fields:
                esps = PAYLOAD_ESP.get(payload_name, (ESPS[counter % len(ESPS)],))
                esp = esps[counter % len(esps)]
                counter += 1
                image = dotted == "@body" and payload_name in IMAGE_PAYLOADS
                yield Case(
                    f"hostile-text/{payload_name}/{kind}/{dotted}",
                    "hostile-text",
                    "either" if image else expect,
                    f"{payload_name} in {kind} {dotted}",
                    (FILES[kind],),
                    None if dotted == "@body" else dotted,
                    _set_text(kind, dotted, payload, esp),
                    esp=esp,
                    payload=payload_name,
                )
            esps = PAYLOAD_ESP.get(payload_name, (ESPS[counter % len(ESPS)],))
            esp = esps[counter % len(esps)]
            counter += 1
            data, body = _doc(kind, esp)
            for dotted in fields:
                if dotted == "@body":
                    body = f"{body}\n{in_body(payload)}\n"
                else:
                    assert data is not None
                    markdown = (kind, dotted) in MARKDOWN_FIELDS
                    data = with_value(data, dotted, in_body(payload) if markdown else payload)
            image = "@body" in fields and payload_name in IMAGE_PAYLOADS
            yield Case(
                f"hostile-every-field/{payload_name}/{kind}",
                "hostile-every-field",
                "either" if image else expect,
                f"{payload_name} in every text field of {kind}",
                (FILES[kind],),
                None,
                _write(kind, render(kind, data, body)),
                esp=esp,
                payload=payload_name,
            )


def _stable(case_id: str) -> int:
    return int.from_bytes(hashlib.sha256(case_id.encode()).digest()[:4], "big")


def generate(seed: int = SEED) -> list[Case]:
    """All cases, in a fixed order; valid ones are sampled for builds (see :data:`BUILD_VALID_EVERY`)."""
    rng = random.Random(seed)
    cases = [
        *_yaml_breakage(),
        *_wrong_types(rng),
        *_dates(rng),
        *_misspelt_keys(rng),
        *_names(),
        *_links_and_specials(),
        *_stray_files(),
        *_hostile(),
    ]
    out = []
    for case in cases:
        stable = _stable(case.id)
        build = (
            case.expect != "valid" or case.family == "hostile-every-field" or stable % BUILD_VALID_EVERY == 0
        )
        out.append(replace(case, build=build, quiet=case.expect != "valid" and stable % 2 == 1))
    ids = [c.id for c in out]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return out
