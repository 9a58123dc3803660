"""Check an email against the rules email clients impose (rules 1-18 of the email reference).

Used by the build as a safety net and by the test suite on every output. Fragments are
checked against the rules that apply to a block pasted into an email service's editor;
full emails and digests against all of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import tinycss2
from lxml import html

from followhome.email.profiles import MERGE_TAG, EspProfile

CLIP_BYTES = 102 * 1000
STYLE_BYTES = 16 * 1000
CONTAINER = 600
FORBIDDEN_TAGS = ("script", "form", "video", "svg", "picture", "iframe", "object", "embed")
LAYOUT_CSS = re.compile(
    r"(?:^|[;{\s])(?:display\s*:\s*(?:flex|grid|inline-flex|inline-grid)|position\s*:|box-shadow\s*:)|var\(|--md-",
    re.I,
)
RASTER_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif")
HREF_OK = re.compile(r"^(https://|mailto:|tel:)", re.I)
BROKEN_TAGS = re.compile(r"%7B%7B|%7D%7D|%7C%2A|%2A%7C|\*%7C|%7C\*|%25%25", re.I)


@lru_cache(maxsize=32)
def _style_problems(css: str) -> tuple[str, ...]:
    """Problems of the <style> blocks (every email of a build has the same ones: parsed once)."""
    problems = []
    if len(css.encode("utf-8")) > STYLE_BYTES:
        problems.append("rule 2: <style> blocks exceed 16 KB")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type == "error":
            problems.append(f"rule 2: CSS syntax error: {rule.message}")
        elif rule.type == "qualified-rule":
            problems.append("rule 3: layout CSS left in <style> instead of inlined")
        elif rule.type == "at-rule" and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            for nested in inner:
                if nested.type == "at-rule":
                    problems.append("rule 2: nested @-rule")
                elif nested.type == "qualified-rule":
                    declarations = tinycss2.parse_declaration_list(
                        nested.content, skip_whitespace=True, skip_comments=True
                    )
                    for declaration in declarations:
                        if declaration.type == "declaration" and not declaration.important:
                            problems.append(
                                f"rule 6: @{rule.lower_at_keyword} declaration '{declaration.name}' lacks !important"
                            )
    return tuple(problems)


def _is_own(url: str, site_url: str) -> bool:
    return url.startswith(site_url)


def check_email(
    document: str,
    text: str,
    profile: EspProfile,
    site_url: str,
    *,
    full: bool,
    unsubscribe_url: str | None = None,
) -> list[str]:
    """Every rule the email breaks, as ``rule N: what``; empty when it is fine."""
    problems: list[str] = []
    size = len(document.encode("utf-8"))
    if size > CLIP_BYTES:
        problems.append(f"rule 1: {size} bytes, over Gmail's 102 KB clipping limit")
    root = html.fromstring(document) if full else html.fragment_fromstring(document, create_parent="div")
    styles = [s.text or "" for s in root.iter("style")]
    problems += _style_problems("\n".join(styles))
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_TAGS or (tag == "link" and "stylesheet" in (element.get("rel") or "")):
            problems.append(f"rule 4: <{tag}> is not supported by email clients")
        if element.get("srcset") is not None:
            problems.append("rule 4: srcset is not supported by email clients")
        style = element.get("style") or ""
        if LAYOUT_CSS.search(style):
            problems.append(f"rule 5: unsupported layout CSS on <{tag}>: {style[:60]}")
    for style in styles:
        if LAYOUT_CSS.search(style):
            problems.append("rule 5: unsupported layout CSS in <style>")
    for table in root.iter("table"):
        if table.get("role") != "presentation":
            problems.append('rule 7: a layout table lacks role="presentation"')
        width = table.get("width", "")
        if width.isdigit() and int(width) > CONTAINER:
            problems.append(f"rule 7: table width {width} over {CONTAINER} px")
    for img in root.iter("img"):
        src = img.get("src", "")
        path = urlsplit(src).path.lower()
        if not src.startswith("https://") or not path.endswith(RASTER_EXTENSIONS):
            problems.append(f"rule 8: image {src[:80]} is not an absolute https PNG/JPEG/GIF")
        width, height = img.get("width", ""), img.get("height", "")
        if not (width.isdigit() and height.isdigit()) or int(width) > CONTAINER:
            problems.append(
                f"rule 9: image {src[:80]} needs width and height attributes within {CONTAINER} px"
            )
        if img.get("alt") is None:
            problems.append(f"rule 9: image {src[:80]} has no alt")
    for anchor in root.iter("a"):
        href = anchor.get("href") or ""
        if not (HREF_OK.match(href) or MERGE_TAG.fullmatch(href)):
            problems.append(f"rule 10: link {href[:80]} is not https, mailto, tel or a merge tag")
        if _is_own(href, site_url) and href != unsubscribe_url:  # the unsubscribe link is not a campaign link
            query = parse_qs(urlsplit(href).query)
            if not {"utm_source", "utm_medium", "utm_campaign"} <= set(query):
                problems.append(f"rule 17: own link {href[:80]} lacks utm parameters")
    if BROKEN_TAGS.search(document):
        problems.append("rule 11: a merge tag was URL-encoded")
    for tag in MERGE_TAG.findall(document):
        if re.search(r"https?://[^\s\"']*" + re.escape(tag), document):
            problems.append(f"rule 11: merge tag {tag} was prefixed with a URL")
    problems += _text_problems(text, profile, full, unsubscribe_url)
    for number, line in enumerate(document.splitlines(), start=1):
        if len(line.encode("utf-8")) > 998:
            problems.append(f"rule 15: HTML line {number} is over 998 octets")
    if full:
        problems += _document_problems(root, document, profile, unsubscribe_url)
    return problems


def _text_problems(text: str, profile: EspProfile, full: bool, unsubscribe_url: str | None) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line.encode("utf-8")) > 998:
            problems.append(f"rule 15: text line {number} is over 998 octets")
    if BROKEN_TAGS.search(text):
        problems.append("rule 11: a merge tag was URL-encoded in the text part")
    unsubscribe = profile.unsubscribe or unsubscribe_url
    if full and unsubscribe and unsubscribe not in text:
        problems.append("rule 14: the text part lost the unsubscribe link")
    return problems


def _document_problems(
    root: html.HtmlElement, document: str, profile: EspProfile, unsubscribe_url: str | None
) -> list[str]:
    problems = []
    unsubscribe = profile.unsubscribe or unsubscribe_url
    footer = root.find_class("footer")
    hrefs = {a.get("href") for a in footer[0].iter("a")} if footer else set()
    if not unsubscribe or unsubscribe not in hrefs:
        problems.append(f"rule 12: the footer lacks the {profile.label} unsubscribe link")
    body = root.find("body")
    first = body[0] if body is not None and len(body) else None
    if (
        first is None
        or "preheader" not in (first.get("class") or "")
        or "display:none" not in (first.get("style") or "").replace(" ", "")
    ):
        problems.append("rule 13: the hidden preheader is not the first element of <body>")
    else:
        length = len(first.text_content().strip())
        if not 35 <= length <= 140:
            problems.append(f"rule 13: the preheader has {length} characters, not 35-140")
    charset = root.find(".//meta[@charset]")
    if charset is None or charset.get("charset", "").lower() != "utf-8":
        problems.append("rule 15: UTF-8 is not declared")
    scheme = root.find(".//meta[@name='color-scheme']")
    if scheme is None or scheme.get("content") != "light dark":
        problems.append('rule 16: <meta name="color-scheme" content="light dark"> is missing')
    if not root.get("lang"):
        problems.append("rule 18: <html lang> is not set")
    return problems
