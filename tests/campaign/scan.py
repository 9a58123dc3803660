"""Look through a build's output for live markup, evaluated templates, merge tags and leaks.

Every hostile payload carries :data:`~tests.campaign.generator.TOKEN` (in a front-matter
field) or :data:`~tests.campaign.generator.BODY_TOKEN` (in a Markdown body), so markup it
would inject can be told from the theme's own: an event-handler attribute anywhere, a
``javascript:`` URL, a script, frame, style or SVG element holding a token, or the field
token in a ``class`` or ``style`` attribute (plain-text fields allow no markup at all). HTML is looked for in pages, in the HTML that feeds carry (RSS
``description``/``content:encoded``, Atom ``content``/``summary``, JSON Feed
``content_html``), in the search index (Material renders its text as HTML) and in the
outbox's emails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree, html

from tests.campaign.generator import BODY_TOKEN, JINJA_MARKS, MERGE_TAGS, SECRET, TOKEN, in_body

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "base", "form", "svg", "math",
    "template", "style", "marquee", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".css", ".eml"}


TOKENS = (TOKEN, BODY_TOKEN)


def html_findings(markup: str, where: str) -> list[str]:
    """Live markup in an HTML document or fragment."""
    if not markup.strip():
        return []
    try:
        tree = (
            html.fromstring(markup)
            if "<html" in markup[:500].lower()
            else html.fragment_fromstring(markup, create_parent="div")
        )
    except (etree.ParserError, ValueError) as exc:
        return [f"{where}: HTML does not parse ({exc})"]
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        text = element.text or ""
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"{where}: <{tag} {name}={value!r}> (event handler)")
            if lowered in URL_ATTRIBUTES and _BAD_SCHEME.match(_INVISIBLE.sub("", value)):
                found.append(f"{where}: <{tag} {name}={value!r}> (script URL)")
            if lowered in ("class", "style") and TOKEN in value:
                found.append(f"{where}: <{tag} {name}={value!r}> (markup from a plain-text field)")
        if tag == "script" and (element.get("type") or "").lower() in JSON_SCRIPT_TYPES:
            try:
                json.loads(text)
            except ValueError:
                found.append(f"{where}: a {element.get('type')} script that is not JSON: {text[:80]!r}")
            continue
        if tag in DANGEROUS_TAGS:
            own = text + " ".join(element.attrib.values())
            inner = element.text_content() if tag != "svg" else own
            if any(token in own or token in inner for token in TOKENS):
                found.append(f"{where}: <{tag}> holding a token: {etree.tostring(element)[:120]!r}")
    return found


def _feed_findings(path: Path, text: str, where: str) -> list[str]:
    try:
        root = etree.fromstring(
            text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        return [f"{where}: not well-formed XML ({exc})"]
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname.lower()
        if local in DANGEROUS_TAGS or local in ("img", "a", "b"):
            found.append(f"{where}: a raw <{local}> element in the XML")
        carries_html = local in ("description", "encoded") or (
            local in ("content", "summary") and element.get("type") == "html"
        )
        if carries_html and element.text:
            parent = element.getparent()
            context = etree.QName(parent).localname if parent is not None else ""
            found += html_findings(element.text, f"{where} <{context}><{local}>")
    return found


def _json_findings(path: Path, text: str, where: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"{where}: not JSON ({exc})"]
    found: list[str] = []
    if path.name == "search_index.json":
        for doc in data.get("docs", []):
            for key in ("title", "text"):
                found += html_findings(str(doc.get(key, "")), f"{where} {doc.get('location')!r} {key}")
    elif isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org/"):
        for item in data.get("items", []):
            found += html_findings(str(item.get("content_html", "")), f"{where} content_html")
    return found


def output_files(root: Path) -> Iterator[Path]:
    for folder in ("site", "outbox"):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    yield path


def leaks(root: Path) -> list[str]:
    """Output files holding the secret kept outside content/ (or linked out of site/)."""
    found = []
    for folder in ("site", "outbox"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.is_symlink():
                found.append(f"{path.relative_to(root)}: a symbolic link in the output")
            elif path.is_file() and SECRET.encode() in path.read_bytes():
                found.append(f"{path.relative_to(root)}: holds the secret from outside content/")
    return found


def findings(root: Path, *, esp: str, payload: str | None) -> list[str]:
    """Everything wrong with a successful build's site/ and outbox/."""
    found = leaks(root)
    for path in output_files(root):
        if path.suffix not in TEXT_SUFFIXES:
            continue
        where = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            found.append(f"{where}: not UTF-8")
            continue
        for mark in JINJA_MARKS:
            if mark in text:
                found.append(f"{where}: a template evaluated the input ({mark!r})")
        if path.suffix in (".html", ".xml", ".txt", ".eml") and _CONTROL.search(text):
            char = _CONTROL.search(text)
            found.append(f"{where}: control character {char.group(0)!r} in the output" if char else where)
        in_outbox = where.startswith("outbox/")
        if in_outbox and payload is not None and payload.startswith("merge-"):
            for live in {t for tag in MERGE_TAGS[esp] for t in (tag, in_body(tag))}:
                if live in text:
                    found.append(f"{where}: the {esp} merge tag {live!r} from the content is live")
        if path.suffix == ".html":
            found += html_findings(text, where)
        elif path.suffix == ".xml" and not in_outbox:
            found += _feed_findings(path, text, where)
        elif path.suffix == ".json" and not in_outbox:
            found += _json_findings(path, text, where)
    return found


def page_count(root: Path) -> int:
    return sum(1 for _ in (root / "site").rglob("*.html")) if (root / "site").is_dir() else 0
