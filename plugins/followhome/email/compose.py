"""Fragments, full emails and digests: templates, inlined CSS and a plain-text part."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import css_inline
from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from jinja2 import Environment, PackageLoader
from lxml import html

from followhome.email.inert import inert, inert_item
from followhome.email.links import with_utm
from followhome.email.prepare import prepare
from followhome.email.profiles import MERGE_TAG, EspProfile
from followhome.model import addresses
from followhome.publishing.edition import Edition
from followhome.render.items import RenderedItem
from followhome.render.mdtext import human_date

STYLE = Path(__file__).parent / "style.css"
KINDS = {"story": "Story", "news": "News", "how-to": "How-to", "offer": "Offer", "event": "Event"}
PREHEADER_MIN, PREHEADER_MAX = 35, 140
_KEEP = "\x1f"
TEASER_CLASSES = ("fh-quote", "fh-disclosure", "fh-substantiation", "fh-takeaway", "fh-summary")


class EmailSetupError(Exception):
    """The brand's settings cannot make this email (for instance no unsubscribe URL for SMTP)."""


@dataclass(frozen=True)
class EmailOutput:
    name: str
    """``fragment``, ``email`` or ``digest``."""
    campaign: str
    subject: str
    preheader: str
    html: str
    text: str
    dropped_images: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.html.encode("utf-8"))

    def links(self) -> list[str]:
        return [a.get("href") for a in html.fromstring(self.html).iter("a") if a.get("href")]

    def meta(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "subject": self.subject,
            "preheader": self.preheader,
            "size_bytes": self.size,
            "text_size_bytes": len(self.text.encode("utf-8")),
            "links": self.links(),
        }


def fit(text: str, limit: int) -> str:
    """``text`` cut at a word boundary with an ellipsis, if longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return textwrap.shorten(text, limit, placeholder="…")


def _plain(document: str) -> str:
    """The text/plain part. inscriptis leaves out the hidden preheader (display:none) by itself;
    the HTML is not re-serialised first, since lxml would URL-encode merge tags in links."""
    text = get_text(document, ParserConfig(display_links=True))
    # Merge tags must survive wrapping whole: hide their spaces from textwrap.
    text = MERGE_TAG.sub(lambda m: m.group(0).replace(" ", _KEEP), text)
    lines = []
    for line in text.splitlines():
        line = line.rstrip()
        if len(line) > 78:
            line = textwrap.fill(line, 78, break_long_words=False, break_on_hyphens=False)
        lines.append(line)
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    return joined.replace(_KEEP, " ")


_START, _END = "<!--followhome:item-->", "<!--/followhome:item-->"
_SPLIT = "FOLLOWHOMEITEMBOUNDARY"


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _texts(marked: str) -> tuple[str, str]:
    """(text of the whole email, text of the item alone) from a document whose item is
    between the :data:`_START` and :data:`_END` comments."""
    boundary = f"<p>{_SPLIT}</p>"
    text = _plain(marked.replace(_START, boundary).replace(_END, boundary))
    head, rest = text.split(_SPLIT, 1)  # the first and the last are ours, whatever the item says
    item, tail = rest.rsplit(_SPLIT, 1)
    return _tidy(head + item + tail), _tidy(item)


@dataclass
class Composer:
    """Builds every email of one edition for one email-service profile.

    Text from content (the items, the brand's name and promise) enters here, made
    :func:`~followhome.email.inert.inert` for the service's template engine."""

    edition: Edition
    profile: EspProfile
    content_dir: Path
    unsubscribe_url: str | None = None
    _env: Environment = field(init=False, repr=False)
    _css: str = field(init=False, repr=False)
    _brand_name: str = field(init=False, repr=False)
    _promise: str = field(init=False, repr=False)
    _last: tuple[RenderedItem, EmailOutput, EmailOutput] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.profile.unsubscribe is None and not self.unsubscribe_url:
            raise EmailSetupError(
                "plain SMTP email needs its own unsubscribe link: set channels.email.unsubscribe_url "
                "in brand.yml, or choose an email service with --esp"
            )
        self._env = Environment(loader=PackageLoader("followhome.email", "templates"), autoescape=True)
        brand = self.edition.catalog.brand.config
        self._brand_name, self._promise = inert(brand.name), inert(brand.promise)
        palette = brand.image.palette
        self._css = (
            STYLE.read_text(encoding="utf-8")
            .replace("PRIMARY", palette.primary)
            .replace("ACCENT", palette.accent)
        )

    # --- pieces --------------------------------------------------------------------

    @property
    def site_url(self) -> str:
        return self.edition.catalog.brand.url

    def _url(self, url: str | None, campaign: str) -> str | None:
        return with_utm(url, self.site_url, campaign) if url else None

    def _kicker(self, item: RenderedItem) -> str:
        when = human_date(item.published.date())
        return f"{KINDS.get(item.kind, item.kind.title())} · {when}"

    def _teaser_html(self, content: str) -> str:
        root = html.fragment_fromstring(content, create_parent="div")
        keep = [el for el in root if set(el.get("class", "").split()) & set(TEASER_CLASSES)]
        return "\n".join(html.tostring(el, encoding="unicode") for el in keep)

    def _item_context(self, item: RenderedItem, campaign: str, dropped: list[str]) -> dict[str, Any]:
        prepared = prepare(item.content_html, self.site_url, self.content_dir, campaign)
        dropped.extend(prepared.dropped)
        return {
            "title": item.title,
            "url": self._url(item.url, campaign),
            "kicker": self._kicker(item),
            "html": prepared.html,
            "teaser_html": self._teaser_html(prepared.html),
            "cta": "Read it on our website" if item.kind == "story" else "Read more on our website",
        }

    def _preheader(self, text: str) -> str:
        """``text``, with the promise, then the brand's name and an invitation, as long as it is
        shorter than a preheader must be (email clients fill a short one with the body's start)."""
        text = " ".join(text.split())
        for more in (f" — {self._promise}", f" · {self._brand_name}", " · Read it on our website"):
            if len(text) >= PREHEADER_MIN:
                break
            text += more
        return fit(text, PREHEADER_MAX)

    def _document(self, subject: str, preheader: str, body: str, campaign: str, intro: str = "") -> str:
        brand = self.edition.catalog.brand.config
        unsubscribe = self.profile.unsubscribe or self.unsubscribe_url or ""
        document = self._env.get_template("document.html").render(
            language=brand.language,
            subject=subject,
            preheader=preheader,
            css=self._css,
            logo=None,
            brand_name=self._brand_name,
            home_url=self._url(self.site_url, campaign),
            policy_url=self._url(self.site_url + addresses.url(addresses.POLICY), campaign),
            share_url=(
                self._url(self.site_url + addresses.url(addresses.SHARE), campaign)
                if brand.channels.intake is not None
                else None
            ),
            promise=self._promise,
            intro=intro,
            body=body,
            unsubscribe=unsubscribe,
        )
        inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
        inlined: str = inliner.inline(document)
        return inlined.replace("><tr>", ">\n<tr>").rstrip("\n") + "\n"

    # --- outputs ---------------------------------------------------------------------

    def _outputs(self, item: RenderedItem) -> tuple[EmailOutput, EmailOutput]:
        """The item's fragment and full email, made together (kept for the last item).

        One text conversion serves both: the full email's text, and the part of it between
        two markers around the item, which is the fragment's text."""
        if self._last is None or self._last[0] is not item:
            source, item = item, inert_item(item)
            dropped: list[str] = []
            context = self._item_context(item, item.id, dropped)
            block = self._env.get_template("item.html").render(item=context)
            preheader = self._preheader(item.summary)
            marked = self._document(item.title, preheader, _START + block + _END, item.id)
            document = marked.replace(_START, "").replace(_END, "")
            email_text, item_text = _texts(marked)
            fragment = EmailOutput(
                "fragment",
                item.id,
                item.title,
                preheader,
                css_inline.inline_fragment(block, self._css),
                item_text,
                tuple(dropped),
            )
            email = EmailOutput("email", item.id, item.title, preheader, document, email_text, tuple(dropped))
            self._last = (source, fragment, email)
        return self._last[1], self._last[2]

    def fragment(self, item: RenderedItem) -> EmailOutput:
        """A block to paste into an email service's editor: inlined, no document around it."""
        return self._outputs(item)[0]

    def email(self, item: RenderedItem) -> EmailOutput:
        """A complete HTML email for one story or update."""
        return self._outputs(item)[1]

    def digest(self, items: Sequence[RenderedItem], since: date, until: date) -> EmailOutput:
        """One email with every item of the window: title, teaser and link (full text when no page)."""
        campaign = f"digest-{since.isoformat()}-{until.isoformat()}"
        items = [inert_item(item) for item in items]
        dropped: list[str] = []
        blocks = [
            self._env.get_template("teaser.html").render(item=self._item_context(item, campaign, dropped))
            for item in items
        ]
        stories = sum(1 for i in items if i.kind == "story")
        updates = len(items) - stories
        counts = " and ".join(
            part
            for part in (
                f"{stories} new {'story' if stories == 1 else 'stories'}" if stories else "",
                f"{updates} {'update' if updates == 1 else 'updates'}" if updates else "",
            )
            if part
        )
        subject = f"{self._brand_name}: {counts}"
        preheader = self._preheader("; ".join(i.title for i in items))
        intro = f"What's new from {human_date(since)} to {human_date(until)}."
        document = self._document(subject, preheader, "\n".join(blocks), campaign, intro)
        return EmailOutput("digest", campaign, subject, preheader, document, _plain(document), tuple(dropped))
