"""Generate every page of the site as Markdown, from an :class:`Edition`.

Pure functions: no MkDocs, no file system. Links between pages are relative links to
source paths, so MkDocs validates them and rewrites them to URLs.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import yaml
from markdown.extensions.toc import slugify

from followhome.model import addresses
from followhome.model.content import Channel, IntakeChannel, Story, Update, Value
from followhome.model.text import strip_control
from followhome.pages.forms import share_form, withdraw_form
from followhome.pages.sharing import share_links
from followhome.publishing.edition import Edition, story_channels
from followhome.publishing.intake_form import form_wording
from followhome.render.blocks import quote_block
from followhome.render.feed_formats import FORMAT_NAMES, feed_path, value_feed_key
from followhome.render.mdtext import attr, cell, human_date, inline, text_html, time_tag
from followhome.render.sanitize import clean_page_html

T = TypeVar("T")

SOURCE_CHANNELS = {
    "in-store": "In the shop",
    "email": "By email",
    "review-site": "On a review site",
    "social": "On social media",
    "interview": "In an interview",
}
UPDATE_KINDS = {"news": "News", "how-to": "How-to", "offer": "Offer", "event": "Event"}
POLICY_TITLE = addresses.POLICY_TITLE


@dataclass(frozen=True)
class SiteOptions:
    per_page: int = 20
    featured: int = 3
    latest_updates: int = 3
    icons: bool = True
    feeds: bool = False
    """Whether feed files exist (the followhome-feeds plugin is on), so pages link them."""
    directory_urls: bool = True


def _clean_regions(html: str, marker: str) -> str:
    """``html`` with what lies between each ``<!--marker-->`` and ``<!--/marker-->`` sanitised
    (the markers are random for each build, so the editor's text cannot close a region)."""
    start, end = f"<!--{marker}-->", f"<!--/{marker}-->"
    out: list[str] = []
    rest = html
    while (opened := rest.find(start)) >= 0:
        closed = rest.find(end, opened)
        closed = len(rest) if closed < 0 else closed
        out += [rest[:opened], clean_page_html(rest[opened + len(start) : closed])]
        rest = rest[closed + len(end) :]
    return "".join([*out, rest])


@dataclass(frozen=True)
class GeneratedPage:
    """One page to add to the site: its source path and its Markdown.

    Generated HTML (listings, quotes, footers) is not in the Markdown but in ``blocks``:
    the Markdown holds a token paragraph for each block, which the site build swaps for
    the HTML after Markdown ran (:meth:`fill`). Parsing that HTML as raw HTML in Markdown
    was most of the cost of the generated pages on a large site.

    Blocks in ``unindexed`` (listings, pagers, story details, feed links) are not for the
    search index: :meth:`fill` leaves an HTML comment for each, and :meth:`fill_unindexed`
    puts them in after the search plugin read the page, so a search lands on a story's
    own words and the search plugin does not parse thousands of listing cards and footers.

    A page whose Markdown holds an editor's Markdown with raw HTML allowed (a story's or an
    update's body, the stories policy from ``brand.yml``) is ``sanitised``: :meth:`fill`
    runs the allowlist sanitiser over it before the blocks go in.
    """

    src_uri: str
    markdown: str
    blocks: Mapping[str, str] = field(default_factory=dict)
    unindexed: Mapping[str, str] = field(default_factory=dict)
    sanitised: bool = False
    regions: str = ""
    """The marker of the editor's Markdown within a page of the theme's own (a value's body,
    the home page's text): :meth:`fill` sanitises what lies between each pair of markers."""

    def fill(self, html: str) -> str:
        """``html`` (the Markdown rendered) with every indexed block in place, and a comment
        where each unindexed block goes."""
        if self.sanitised:
            html = clean_page_html(html)
        if self.regions:
            html = _clean_regions(html, self.regions)
        for token, block in self.blocks.items():
            html = html.replace(f"<p>{token}</p>", block, 1)
        for token in self.unindexed:
            html = html.replace(f"<p>{token}</p>", f"<!--{token}-->", 1)
        return html

    def fill_unindexed(self, html: str) -> str:
        """``html`` from :meth:`fill` with the unindexed blocks in place of their comments."""
        for token, block in self.unindexed.items():
            html = html.replace(f"<!--{token}-->", block, 1)
        return html

    def expanded(self) -> str:
        """The page as one Markdown text, blocks in place as raw HTML (for readers and tests)."""
        text = self.markdown
        for token, block in (*self.blocks.items(), *self.unindexed.items()):
            text = text.replace(token, block, 1)
        return text

    @property
    def in_nav(self) -> bool:
        """Whether the page belongs in the site navigation (see :func:`addresses.nav`)."""
        return addresses.in_nav(self.src_uri)


_YAML_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
"""Characters a YAML double-quoted scalar must escape: quote, backslash, control characters,
the C1 range (NEL is a line break in YAML 1.1), line/paragraph separators, BOM, non-characters."""


def _yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (what yaml.safe_dump does, at a fraction of the cost)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        return "\\" + char if char in '\\"' else f"\\u{ord(char):04x}"

    return '"' + _YAML_ESCAPE.sub(escape, text) + '"'


def _front(**fields: object) -> str:
    """Front matter for a generated page.

    MkDocs and Material print ``title`` and ``description`` into HTML unescaped
    (``<title>``, ``<meta content="…">``, navigation), so they are escaped here.
    """
    lines = []
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, str):
            lines.append(f"{key}: {_yaml_string(html.escape(value))}\n")
        else:
            lines.append(yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True))
    return "---\n" + "".join(lines) + "---\n\n"


def _page_front(**fields: object) -> str:
    """:func:`_front` of texts without control or directional formatting characters, which
    would reorder ``- Shop`` after a title in ``<title>``: the fields read as the navigation's
    titles do (:func:`followhome.render.mdtext.theme_text`)."""
    return _front(**{key: strip_control(v) if isinstance(v, str) else v for key, v in fields.items()})


def _title(title: str) -> str:
    """A story's or update's heading, as HTML in its first block: a Markdown heading would cost
    the table of contents, the title extraction and an anchor on 11,000 pages, for a heading
    the page's own title already names (the theme's table of contents skips it). The id is
    the slug Markdown would give it, and tells the search plugin the heading names the page."""
    anchor = slugify(title, "-") or "title"  # a title of punctuation only has no slug
    return f'<h1 id="{attr(anchor)}">{text_html(title)}</h1>\n'


def _icon(value: Value, options: SiteOptions) -> str:
    icon = value.meta.icon
    return f":{icon.replace('/', '-')}:{{ .lg .middle }} " if icon and options.icons else ""


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


def _card(kind: str, title: str, href: str, body: str, level: int = 3) -> str:
    """A listing entry as an HTML block: linked title, then ``body`` (HTML).

    Listings are HTML, not Markdown, since they are most of what a large site renders;
    they stay out of the search index (``data-search-exclude``): a search for a quote
    lands on the story, not on page 37 of a listing."""
    heading = f'<h{level}><a href="{attr(href)}">{text_html(title)}</a></h{level}>'
    return f'<article class="fh-card {kind}" data-search-exclude>\n{heading}\n{body}</article>\n'


class _Site:
    """Renders one edition; holds only what every page needs."""

    def __init__(self, edition: Edition, options: SiteOptions) -> None:
        self.edition = edition
        self.catalog = edition.catalog
        self.brand_name = edition.catalog.brand.config.name
        self.options = options
        self.nonce = secrets.token_hex(6)
        self.marker = f"fhuntrusted{self.nonce}"
        self.pending: dict[str, str] = {}
        self.pending_unindexed: dict[str, str] = {}
        self.quotes: dict[str, str] = {}

    def html(self, block: str, indexed: bool = True) -> str:
        """A token paragraph standing for ``block`` in the Markdown of the page being made
        (``indexed=False``: a block the search index leaves out, see :class:`GeneratedPage`)."""
        if not block:
            return ""
        number = len(self.pending) + len(self.pending_unindexed)
        token = f"fhblock{self.nonce}x{number}"
        (self.pending if indexed else self.pending_unindexed)[token] = block
        return f"\n\n{token}\n\n"

    def page(self, src_uri: str, markdown: str) -> GeneratedPage:
        """A finished page with the blocks made for it since the previous page."""
        blocks, self.pending = self.pending, {}
        unindexed, self.pending_unindexed = self.pending_unindexed, {}
        marker = self.marker if f"<!--{self.marker}-->" in markdown else ""
        return GeneratedPage(src_uri, markdown, blocks, unindexed, regions=marker)

    def untrusted(self, markdown: str) -> str:
        """An editor's Markdown (raw HTML allowed) on a page whose other parts are the theme's
        own Markdown: marked, so that :meth:`GeneratedPage.fill` sanitises it once rendered."""
        text = markdown.strip()
        return f"\n\n<!--{self.marker}-->\n\n{text}\n\n<!--/{self.marker}-->\n\n" if text else ""

    # --- shared pieces ---------------------------------------------------------

    def quote(self, story: Story) -> str:
        """The quote block (a story shows it on its page, the listing and each value's page)."""
        block = self.quotes.get(story.slug)
        if block is None:
            block = self.quotes[story.slug] = quote_block(story, self.brand_name)
        return block

    def href(self, at: str, to: str) -> str:
        return attr(addresses.href(at, to, self.options.directory_urls))

    def value_links(self, at: str, item: Story | Update) -> str:
        """HTML links to the item's value pages."""
        values = self.catalog.values_of(item)
        return " · ".join(
            f'<a href="{self.href(at, addresses.value(v.id))}">{text_html(v.meta.title)}</a>' for v in values
        )

    def feed_links(self, at: str, key: str) -> str:
        """``RSS · Atom · JSON Feed`` links to the files of feed ``key``, or nothing."""
        if not self.options.feeds:
            return ""
        return " · ".join(
            f"[{FORMAT_NAMES[fmt]}]({addresses.link(at, feed_path(key, fmt))})" for fmt in FORMAT_NAMES
        )

    def follow_line(self, at: str, key: str, what: str) -> str:
        if not self.options.feeds:
            return ""
        links = " · ".join(
            f'<a href="{self.href(at, feed_path(key, fmt))}">{FORMAT_NAMES[fmt]}</a>' for fmt in FORMAT_NAMES
        )
        return self.html(f'<p class="fh-follow">Follow {what}: {links}</p>\n', indexed=False)

    def policy_link(self, at: str) -> str:
        return f"[{POLICY_TITLE}]({addresses.link(at, addresses.POLICY)})"

    def policy_link_html(self, at: str) -> str:
        return f'<a href="{self.href(at, addresses.POLICY)}">{POLICY_TITLE}</a>'

    def share_line(self, at: str, withdraw: bool = False) -> str:
        """An invitation to the share form (only where ``channels.intake`` is set); with
        ``withdraw``, the way to take a story back too."""
        if self.catalog.brand.config.channels.intake is None:
            return ""
        back = (
            f" Changed your mind about one? [Withdraw a story]({addresses.link(at, addresses.WITHDRAW)})."
            if withdraw
            else ""
        )
        return (
            f"Have a story of your own? [Share your story]({addresses.link(at, addresses.SHARE)}).{back}\n\n"
        )

    def story_card(self, at: str, story: Story, level: int = 3) -> str:
        """The customer's words first, then the story's title and takeaway."""
        link = self.href(at, addresses.story(story.slug))
        return (
            '<article class="fh-card fh-story-card" data-search-exclude>\n'
            f"{self.quote(story)}"
            f'<h{level}><a href="{link}">{text_html(story.meta.title)}</a></h{level}>\n'
            f"<p>{text_html(story.meta.takeaway)}</p>\n"
            "</article>\n"
        )

    def update_line(self, update: Update) -> str:
        parts = [UPDATE_KINDS[update.meta.kind], time_tag(update.published.date())]
        if update.meta.expires:
            parts.append(f"until {time_tag(update.meta.expires)}")
        return '<p class="fh-meta">' + " · ".join(parts) + "</p>"

    def update_card(self, at: str, update: Update, level: int = 3) -> str:
        body = f"{self.update_line(update)}\n<p>{text_html(update.meta.summary)}</p>\n"
        link = addresses.href(at, addresses.update(update.slug), self.options.directory_urls)
        return _card("fh-update-card", update.meta.title, link, body, level)

    def pager(self, first: str, at: str, number: int, total: int, noun: str) -> str:
        if total <= 1:
            return ""
        links = []
        if number > 1:
            links.append(f'<a href="{self.href(at, addresses.page_n(first, number - 1))}">← Newer {noun}</a>')
        links.append(f"Page {number} of {total}")
        if number < total:
            links.append(f'<a href="{self.href(at, addresses.page_n(first, number + 1))}">Older {noun} →</a>')
        return self.html(
            f'<nav class="fh-pager" aria-label="{noun} pages">\n<p>{" · ".join(links)}</p>\n</nav>\n',
            indexed=False,
        )

    def paginated(
        self,
        first: str,
        items: Sequence[T],
        card: Callable[[str, T], str],
        title: str,
        noun: str,
        head: Callable[[str, int], str],
        description: str,
        empty: str,
    ) -> list[GeneratedPage]:
        pages = _chunks(items, self.options.per_page)
        out = []
        for index, chunk in enumerate(pages, start=1):
            at = addresses.page_n(first, index)
            page_title = title if index == 1 else f"{title} — page {index}"
            cards = "\n".join(card(at, item) for item in chunk)
            body = self.html(cards, indexed=False) if chunk else f"{empty}\n"
            out.append(
                self.page(
                    at,
                    # Older pages only repeat what the story and update pages say: left out
                    # of the search index, so a search lands on the story itself.
                    _page_front(
                        title=page_title,
                        description=description,
                        search={"exclude": True} if index > 1 else None,
                    )
                    + head(at, index)
                    + body
                    + self.pager(first, at, index, len(pages), noun),
                )
            )
        return out

    # --- pages -------------------------------------------------------------------

    def story_page(self, story: Story) -> GeneratedPage:
        at = addresses.story(story.slug)
        meta = story.meta
        source = meta.source
        source_bits = [
            SOURCE_CHANNELS.get(source.channel, text_html(source.channel)),
            f"received {time_tag(source.received)}",
        ]
        if source.url:
            source_bits.append(f'<a href="{attr(str(source.url))}">see the original</a>')
        dates = f"Published {time_tag(story.published.date())}"
        if story.updated:
            dates += f", updated {time_tag(story.updated.date())}"
        details = [
            f"<p><strong>Values:</strong> {self.value_links(at, story)}</p>",
            f"<p><strong>Source:</strong> {' · '.join(source_bits)}</p>",
        ]
        if meta.edited:
            details.append(
                '<p><em class="fh-edited">Edited: we shortened or clarified these words, '
                "with the customer's agreement.</em></p>"
            )
        details += [f"<p>{dates}</p>", f"<p>{self.policy_link_html(at)}</p>"]
        if Channel.SOCIAL in story_channels(story, self.edition.today):
            url = self.catalog.brand.url + addresses.url(at, self.options.directory_urls)
            links = " · ".join(
                f'<a href="{attr(href)}">{label}</a>' for label, href in share_links(url, meta.title)
            )
            details.append(
                f'<nav class="fh-share" aria-label="Share this story">\n<p>Share: {links}</p>\n</nav>'
            )
        markdown = (
            _page_front(title=meta.title, description=meta.takeaway)
            + self.html(
                _title(meta.title)
                + self.quote(story)
                + f'<p class="fh-takeaway">{text_html(meta.takeaway)}</p>\n'
            )
            + story.body.strip()
            + self.html(
                '<footer class="fh-story-details">\n' + "\n".join(details) + "\n</footer>\n", indexed=False
            )
        )
        return replace(self.page(at, markdown), sanitised=True)  # the customer's and editor's words

    def stories_listing(self) -> list[GeneratedPage]:
        stories = self.edition.stories(Channel.SITE)

        def head(at: str, number: int) -> str:
            filters = " · ".join(
                f'<a href="{self.href(at, addresses.value(v.id))}">{text_html(v.meta.title)}</a>'
                for v in self.catalog.values
            )
            heading = "# Stories\n\n" if number == 1 else f"# Stories — page {number}\n\n"
            return (
                heading
                + "What our customers told us, in their own words, newest first. "
                + f"{self.policy_link(at)}.\n\n"
                + self.share_line(at)
                + self.follow_line(at, "stories", "new stories")
                + (
                    self.html(f'<p class="fh-filter">Stories by value: {filters}</p>\n', indexed=False)
                    if filters
                    else ""
                )
            )

        return self.paginated(
            addresses.STORIES,
            stories,
            lambda at, story: self.story_card(at, story, level=2),  # right under the page's h1
            "Stories",
            "stories",
            head,
            f"Customer stories from {self.brand_name}",
            "No stories yet.",
        )

    def updates_listing(self) -> list[GeneratedPage]:
        def head(at: str, number: int) -> str:
            heading = "# Updates\n\n" if number == 1 else f"# Updates — page {number}\n\n"
            return (
                heading
                + f"News, how-tos, offers and events, newest first. {self.policy_link(at)}.\n\n"
                + self.follow_line(at, "updates", "new updates")
            )

        return self.paginated(
            addresses.UPDATES,
            self.edition.current_updates(),
            lambda at, update: self.update_card(at, update, level=2),
            "Updates",
            "updates",
            head,
            f"News, how-tos, offers and events from {self.brand_name}",
            "No updates right now.",
        )

    def update_page(self, update: Update) -> GeneratedPage:
        at = addresses.update(update.slug)
        meta = update.meta
        notice = ""
        if meta.expires and self.edition.expired(update):
            notice = f'!!! note "This {UPDATE_KINDS[meta.kind].lower()} has ended"\n\n    It ended on {human_date(meta.expires)}.\n\n'
        dates = f"Published {time_tag(update.published.date())}"
        if update.updated:
            dates += f", updated {time_tag(update.updated.date())}"
        values = self.value_links(at, update)
        head = _title(meta.title) + self.update_line(update) + "\n"
        summary = f'<p class="fh-summary">{text_html(meta.summary)}</p>\n'
        # The ended notice (Markdown) goes between the date line and the summary.
        intro = self.html(head) + notice + self.html(summary) if notice else self.html(head + summary)
        markdown = (
            _page_front(title=meta.title, description=meta.summary)
            + intro
            + update.body.strip()
            + self.html(
                '<footer class="fh-update-details">\n'
                + (f"<p><strong>Values:</strong> {values}</p>\n" if values else "")
                + f"<p>{dates}</p>\n</footer>\n",
                indexed=False,
            )
        )
        return replace(self.page(at, markdown), sanitised=True)  # the editor's words

    def value_pages(self, value: Value) -> list[GeneratedPage]:
        first = addresses.value(value.id)
        stories = self.edition.stories_for_value(value.id, Channel.SITE)
        updates = self.edition.updates_for_value(value.id)
        title = value.meta.title

        def head(at: str, number: int) -> str:
            if number > 1:
                return f"# {inline(title)} — page {number}\n\n{self.policy_link(at)}\n\n## Stories that show it\n\n"
            out = (
                f"# {inline(title)}\n\n*{inline(value.meta.summary)}*{{ .fh-summary }}\n\n{self.untrusted(value.body)}"
                + self.follow_line(at, value_feed_key(value.id), "this value")
            )
            if updates:
                shown = updates[: self.options.per_page]
                cards = "\n".join(self.update_card(at, u) for u in shown)
                out += "## Updates\n\n" + self.html(cards, indexed=False)
            return out + f"## Stories that show it\n\n{self.policy_link(at)}\n\n"

        pages = self.paginated(
            first,
            stories,
            self.story_card,
            title,
            "stories",
            head,
            value.meta.summary,
            "No published stories for this value yet.",
        )
        # The first page carries the value's icon for Material's navigation.
        icon = value.meta.icon
        if icon:
            first_page = pages[0]
            markdown = first_page.markdown.replace("---\n", f"---\nicon: {icon}\n", 1)
            pages[0] = replace(first_page, markdown=markdown)
        return pages

    def values_index(self) -> GeneratedPage:
        at = addresses.VALUES
        cards = []
        for value in self.catalog.values:
            count = len(self.edition.stories_for_value(value.id, Channel.SITE))
            stories = "1 story" if count == 1 else f"{count} stories"
            cards.append(
                f"-   {_icon(value, self.options)}__[{inline(value.meta.title)}]({addresses.link(at, addresses.value(value.id))})__\n\n"
                f"    ---\n\n    {inline(value.meta.summary)}\n\n    {stories}\n"
            )
        markdown = (
            _page_front(title="Our values", description=f"What {self.brand_name} stands for")
            + "# Our values\n\n"
            + f"What we stand for, and the customers' stories that show it. {self.policy_link(at)}.\n\n"
            + '<div class="grid cards" markdown>\n\n'
            + "\n".join(cards)
            + "\n</div>\n"
        )
        return self.page(at, markdown)

    def home(self) -> GeneratedPage:
        at = addresses.HOME
        brand = self.catalog.brand.config
        value_cards = "\n".join(
            f"-   {_icon(v, self.options)}__[{inline(v.meta.title)}]({addresses.link(at, addresses.value(v.id))})__\n\n"
            f"    ---\n\n    {inline(v.meta.summary)}\n"
            for v in self.catalog.values
        )
        featured = self.edition.featured_stories(self.options.featured)
        latest = self.edition.current_updates()[: self.options.latest_updates]
        parts = [
            _page_front(title="Home", description=brand.description or brand.promise),
            '<div class="fh-promise" markdown>\n\n',
            f"# {inline(brand.name)}\n\n",
            f'<p class="fh-promise__text" markdown>{inline(brand.promise)}</p>\n\n',
            f"[Follow us home]({addresses.link(at, addresses.SUBSCRIBE)}){{ .md-button .md-button--primary }} ",
            f"[Our values]({addresses.link(at, addresses.VALUES)}){{ .md-button }}\n\n",
            "</div>\n\n",
        ]
        parts.append(self.untrusted(self.catalog.intro))
        if value_cards:
            parts.append(
                f'## What we stand for\n\n<div class="grid cards" markdown>\n\n{value_cards}\n</div>\n\n'
            )
        if featured:
            parts.append("## From our customers\n\n")
            parts.append(self.html("\n".join(self.story_card(at, s) for s in featured), indexed=False))
            parts.append(
                f"[All stories]({addresses.link(at, addresses.STORIES)}) · {self.policy_link(at)}\n\n"
            )
        parts.append(self.share_line(at))
        if latest:
            parts.append("## Latest updates\n\n")
            parts.append(self.html("\n".join(self.update_card(at, u) for u in latest), indexed=False))
            parts.append(f"[All updates]({addresses.link(at, addresses.UPDATES)})\n")
        return self.page(at, "".join(parts))

    def subscribe(self) -> GeneratedPage:
        channels = self.catalog.brand.config.channels
        parts = [
            _page_front(
                title="Follow us home", description=f"Get new stories and updates from {self.brand_name}"
            ),
            "# Follow us home\n\n",
            "You don't need to come back to this website to hear from us: "
            "we bring new stories and updates to you.\n\n",
        ]
        email = channels.email
        if email and email.signup_url:
            parts.append(
                f"## By email\n\n[Sign up for our letter](<{email.signup_url}>){{ .md-button .md-button--primary }}\n\n"
            )
        if self.options.feeds:
            at = addresses.SUBSCRIBE
            rows = [("Everything", "all"), ("Stories", "stories"), ("Updates", "updates")]
            rows += [(f"Value: {cell(v.meta.title)}", value_feed_key(v.id)) for v in self.catalog.values]
            parts.append(
                "## In your feed reader\n\n"
                "Paste one of these addresses into a feed reader, or into an RSS-to-email service.\n\n"
                "| Feed | Formats |\n| --- | --- |\n"
                + "".join(f"| {label} | {self.feed_links(at, key)} |\n" for label, key in rows)
                + "\n"
            )
        if channels.social:
            parts.append("## On social media\n\n")
            parts.extend(f"- [{inline(a.network.title())}](<{a.url}>)\n" for a in channels.social)
            parts.append("\n")
        return self.page(addresses.SUBSCRIBE, "".join(parts))

    def policy(self) -> GeneratedPage:
        """The stories policy: Markdown from brand.yml, sanitised like a story's body. The
        heading is a block, as on story pages, so the site build fills (and sanitises) the page."""
        text = strip_control(self.catalog.brand.config.stories_policy)
        page = self.page(
            addresses.POLICY,
            _page_front(
                title=POLICY_TITLE,
                description=f"How {self.brand_name} collects, checks and chooses customer stories",
            )
            + self.html(_title(POLICY_TITLE))
            + f"{text.strip()}\n"
            + (f"\n{share}" if (share := self.share_line(addresses.POLICY, withdraw=True)) else ""),
        )
        return replace(page, sanitised=True)

    def share(self) -> list[GeneratedPage]:
        """The share-your-story form, its QR code, and the thank-you page (unless the brand has its own)."""
        brand = self.catalog.brand
        intake = brand.config.channels.intake
        if intake is None:
            return []
        at = addresses.SHARE
        wording = form_wording(brand, self.catalog.values, intake)
        qr = self.href(at, addresses.SHARE_QR)
        how = self.mailto_note(intake, "your story")
        form = share_form(
            wording,
            intake,
            self.href(at, addresses.POLICY),
            self.href(at, addresses.WITHDRAW),
        )
        pages = [
            self.page(
                at,
                _page_front(title=wording.heading, description=f"Tell {self.brand_name} your story")
                + f"# {inline(wording.heading)}\n\n{inline(wording.intro)}\n\n{how}"
                + self.html(form)
                + "## Print this page's address\n\n"
                + self.html(
                    f'<figure class="fh-qr"><img src="{qr}" width="200" height="200" '
                    f'alt="QR code of this page\'s address"><figcaption>Scan to share your story: '
                    f'<a href="{qr}">download the QR code (SVG)</a> for counter cards and receipts.'
                    "</figcaption></figure>\n",
                    indexed=False,
                ),
            )
        ]
        if intake.thanks is None and intake.email is None:
            pages.append(
                self.page(
                    addresses.SHARE_THANKS,
                    _page_front(title="Thank you", description="Your message reached us")
                    + "# Thank you\n\n"
                    + "Your message reached us.\n\n"
                    "- **If you shared a story:** we read every one. If we would like to publish yours, we do "
                    "so only where you allowed it, and you can change your mind at any time "
                    f"([withdraw a story]({addresses.link(addresses.SHARE_THANKS, addresses.WITHDRAW)})).\n"
                    "- **If you asked us to withdraw a story:** we take it down everywhere we published it, "
                    "and tell you when it is gone if you left us a way to reach you.\n\n"
                    f"[Back to the stories]({addresses.link(addresses.SHARE_THANKS, addresses.STORIES)})\n",
                )
            )
        pages.append(self.withdraw_page())
        return pages

    @staticmethod
    def mailto_note(intake: IntakeChannel, what: str) -> str:
        """For a mailto: form, what happens on sending, and what to do if nothing opens."""
        if not intake.email:
            return ""
        return (
            f"Your email program opens with {what} in a new message: send it from there. "
            f"If nothing opens, write {what} in an email to "
            f"[{inline(intake.email)}](<mailto:{intake.email}>).\n\n"
        )

    def withdraw_page(self) -> GeneratedPage:
        intake = self.catalog.brand.config.channels.intake
        assert intake is not None
        at = addresses.WITHDRAW
        return self.page(
            at,
            _page_front(title="Withdraw a story", description=f"Take your story off {self.brand_name}'s site")
            + "# Withdraw a story\n\n"
            + "Changed your mind about a story you shared with us? Tell us which one, and we take it down "
            "everywhere we published it: this site, our feeds, our email letter's archive and our social media "
            "accounts. Emails already sent cannot be recalled. You do not need to give a reason.\n\n"
            + self.mailto_note(intake, "your request")
            + self.html(withdraw_form(intake, self.href(at, addresses.POLICY))),
        )

    def all_pages(self) -> list[GeneratedPage]:
        pages = [self.home(), self.values_index(), self.subscribe(), self.policy(), *self.share()]
        for value in self.catalog.values:
            pages.extend(self.value_pages(value))
        pages.extend(self.stories_listing())
        pages.extend(self.story_page(s) for s in self.edition.stories(Channel.SITE))
        pages.extend(self.updates_listing())
        pages.extend(self.update_page(u) for u in self.edition.update_pages())
        return pages


def site_pages(edition: Edition, options: SiteOptions | None = None) -> list[GeneratedPage]:
    """Every generated page of the site for this edition."""
    return _Site(edition, options or SiteOptions()).all_pages()
