"""The content model: what editors write (front matter) and what the build uses.

Front-matter classes (``*Meta``, :class:`BrandConfig`) are pydantic models: they
validate editors' YAML and generate the JSON Schemas shipped for editors' tools.
Entities (:class:`Value`, :class:`Story`, :class:`Update`) are frozen dataclasses that
pair validated front matter with where it came from and its Markdown body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from followhome.model.text import strip_control
from followhome.model.yamlio import Path


class Channel(StrEnum):
    """Where a piece of content can be published."""

    SITE = "site"
    FEED = "feed"
    EMAIL = "email"
    SOCIAL = "social"


ShowAs = Literal["full", "first-name", "initials", "anonymous"]
ConnectionKind = Literal["employee", "relative", "free-product", "discount", "paid", "affiliate"]
Status = Literal["draft", "published"]
UpdateKind = Literal["news", "how-to", "offer", "event"]
EmailService = Literal["mailchimp", "buttondown", "listmonk", "ghost", "smtp"]

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,63}$"
"""Permanent ids: lowercase letters, digits and hyphens, 3-64 characters."""

# Every text is kept without control characters and direction overrides (see strip_control),
# so each output measures, checks and shows the same text.
_Clean = AfterValidator(strip_control)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), _Clean]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _Clean]
"""A name, a title or a one-line summary: what fits a heading, a card and an email subject."""
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400), _Clean]
"""A promise, a summary, a takeaway."""
Passage = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), _Clean]
"""A customer's quote: the words on a card and next to a story's title."""
ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
VALUE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
"""Value ids are their file names in ``values/``."""
ValueId = Annotated[str, StringConstraints(pattern=VALUE_ID_PATTERN)]
Icon = Annotated[
    str,
    StringConstraints(pattern=r"^(material|fontawesome/(brands|regular|solid)|octicons|simple)/[a-z0-9-]+$"),
]
HexColour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _not_a_number(value: object) -> None:
    # Pydantic would read a number as seconds since 1970: `date: 2026` must not mean 1970.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"{value!r} is a number, not a date in the form YYYY-MM-DD")


def _parse_when(value: object) -> object:
    """Accept ``YYYY-MM-DD`` or an ISO 8601 date-time; leave other input to pydantic."""
    _not_a_number(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            if _DATE_RE.match(text):
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a real date ({exc})") from None
    return value


def _parse_day(value: object) -> object:
    _not_a_number(value)
    if isinstance(value, str):
        text = value.strip()
        if not _DATE_RE.match(text):
            raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a real date ({exc})") from None
    return value


When = Annotated[
    date | datetime,
    BeforeValidator(_parse_when),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ],
            "description": "YYYY-MM-DD, or an ISO 8601 date-time such as 2026-03-14T09:30:00+00:00",
        }
    ),
]
Day = Annotated[
    date,
    BeforeValidator(_parse_day),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"}),
]


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = sorted(z for z in available_timezones() if z.lower().endswith(name.lower()))
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"'{name}' is not an IANA time zone{hint}") from None
    return name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- brand.yml ---------------------------------------------------------------------


class Palette(_Strict):
    primary: HexColour = Field(description="Main brand colour, #rrggbb")
    accent: HexColour = Field(description="Accent colour for links and highlights, #rrggbb")


class BrandImage(_Strict):
    logo: str | None = Field(None, description="Path of the logo inside content/, e.g. assets/logo.svg")
    palette: Palette
    voice: list[Text] = Field(default_factory=list, description="Words for the brand's voice")


class Tone(_Strict):
    volume: int = Field(ge=0, le=10, description="Loudest commercial tone accepted, 0-10")
    channels: dict[Channel, Annotated[int, Field(ge=0, le=10)]] = Field(
        default_factory=dict, description="Per-channel volume overrides"
    )
    enforce: bool = Field(False, description="Fail strict builds when an item is too loud")


class EmailChannel(_Strict):
    service: EmailService
    signup_url: HttpUrl | None = None
    from_address: Text | None = Field(
        None, description='Sender for .eml/SMTP output, e.g. "Shop <hello@shop.example>"'
    )
    unsubscribe_url: HttpUrl | None = Field(
        None, description="https unsubscribe link for plain SMTP email (services use their own merge tag)"
    )
    unsubscribe_email: Text | None = Field(None, description="Address for mailto: one-click unsubscribe")
    audience: str | list[int] | None = Field(
        None,
        description="Who `followhome send` drafts for: a Mailchimp audience (list) id, Listmonk list ids, "
        "or a Ghost newsletter slug (Buttondown: your whole list)",
    )
    value_tags: dict[ValueId, Line] = Field(
        default_factory=dict,
        description="Per-value subscriptions: the service's tag or segment for each value id",
    )


class DeliverySettings(_Strict):
    """``channels.delivery``: what ``followhome announce``, ``send`` and ``post`` hand over."""

    window_days: int = Field(
        14,
        ge=1,
        le=365,
        description="An item is new while its date (or its consent date, if later) is at most this many days "
        "ago; older items are never sent, so the first run on an existing site sends nothing old",
    )
    outbox_artifact: bool = Field(
        False,
        description="Upload outbox/ as a workflow artifact on main (kept 7 days). Off by default: anyone can "
        "download a public repository's artifacts, and the outbox holds stories consented for email only",
    )


class SocialAccount(_Strict):
    network: Text
    url: HttpUrl


class FeedSettings(_Strict):
    id_authority: (
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?$")] | None
    ) = Field(
        None,
        description="Authority of the tag: URIs used as Atom ids, e.g. 'example.com,2026'. "
        "Set it once and never change it; defaults to the site's host name and 2000.",
    )
    websub_hub: HttpUrl | None = Field(
        None,
        description="A WebSub hub (e.g. https://pubsubhubbub.appspot.com/): every feed declares it, and "
        "`followhome announce` pings it when a feed changed",
    )


IntakeService = Literal["formspree", "netlify", "basin", "other"]
HONEYPOTS: Mapping[str, str] = {"netlify": "bot-field"}
"""Each form service's own name for the hidden field only robots fill (default ``_gotcha``)."""

DEFAULT_CONSENT_WORDING: Mapping[Channel, str] = {
    Channel.SITE: "Show my story on this website.",
    Channel.FEED: "Include my story in this website's feeds, which people follow in feed-reader apps "
    "and services that turn feeds into emails.",
    Channel.EMAIL: "Include my story in the email letter we send to our subscribers.",
    Channel.SOCIAL: "Share my story on our social media accounts.",
}


def _submission_address(value: object) -> object:
    """Where the form posts: an https address, or http on this machine (for trying it out)."""
    if isinstance(value, str):
        text = value.strip()
        host = re.match(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", text)
        if not text.startswith("https://") and host is None:
            raise ValueError(
                f"'{text}' is not an https address: customers' words and contact details must not travel "
                "unencrypted (http is accepted only for 127.0.0.1 and localhost, to try the form out)"
            )
        return text
    return value


FormAddress = Annotated[HttpUrl, BeforeValidator(_submission_address)]
EMAIL_ADDRESS = r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$"


class IntakeChannel(_Strict):
    """``channels.intake``: the share-your-story form and where its submissions go."""

    action: FormAddress | None = Field(
        None,
        description="Address of the form service that receives submissions by POST (Formspree, Netlify Forms, "
        "Basin, a self-hosted endpoint), e.g. https://formspree.io/f/abcd1234",
    )
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_ADDRESS)] | None = Field(
        None,
        description="With no form service: the address a mailto: form opens the customer's email program "
        "with; the site needs nothing but static hosting",
    )
    service: IntakeService = Field(
        "other", description="The form service at `action`: it names the hidden anti-spam field"
    )
    honeypot: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_-]{0,40}$")] | None = Field(
        None, description="Name of the hidden anti-spam field (default: _gotcha; bot-field for Netlify)"
    )
    thanks: HttpUrl | None = Field(
        None,
        description="The page your form service sends customers to after they submit (default: the "
        "generated /share-your-story/thanks/ page; set the same address in the service's settings)",
    )
    consent_wording: dict[Channel, Sentence] = Field(
        default_factory=dict,
        description="Plain words for each consent box (site, feed, email, social); "
        "the defaults are used for the channels left out",
    )

    @model_validator(mode="after")
    def _one_destination(self) -> IntakeChannel:
        if (self.action is None) == (self.email is None):
            raise ValueError(
                "needs exactly one of `action` (a form service's address) or `email` (a mailto: form); "
                + ("both are set" if self.action else "neither is set")
            )
        return self

    @property
    def honeypot_name(self) -> str:
        return self.honeypot or HONEYPOTS.get(self.service, "_gotcha")

    def wording(self, channel: Channel) -> str:
        return self.consent_wording.get(channel, DEFAULT_CONSENT_WORDING[channel])


def _not_empty(value: object) -> object:
    # `email:` with nothing under it is null in YAML: say so instead of taking it for "no email".
    if value is None:
        raise ValueError("is empty: write its fields indented under it, or delete the line")
    return value


class Channels(_Strict):
    email: Annotated[EmailChannel | None, BeforeValidator(_not_empty)] = None
    social: list[SocialAccount] = Field(default_factory=list)
    feeds: Annotated[FeedSettings | None, BeforeValidator(_not_empty)] = None
    delivery: DeliverySettings = Field(default_factory=lambda: DeliverySettings())
    intake: Annotated[IntakeChannel | None, BeforeValidator(_not_empty)] = Field(
        None, description="The share-your-story form (see the README's 'Collecting stories')"
    )


class Contact(_Strict):
    email: str | None = None
    phone: str | None = None
    address: str | None = None


class TrustPolicy(_Strict):
    """Policy choices among the trust rules (the rest are not optional)."""

    quantified_claims: Literal["error", "warn", "off"] = Field(
        "error",
        description="A quote with a quantified result needs a substantiation note and a typical-results note "
        "(R9): 'error' keeps the story unpublished until it has them, 'warn' only reports, 'off' skips the check",
    )


class BrandConfig(_Strict):
    """``brand.yml``: the brand elements. Never copied into the built site."""

    name: Line
    url: HttpUrl = Field(description="Public URL of the site; every absolute link derives from it")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "UTC"
    description: Sentence | None = None
    promise: Sentence = Field(description="One sentence: what the community gets")
    image: BrandImage
    tone: Tone
    channels: Channels = Field(default_factory=Channels)
    contact: Contact = Field(default_factory=Contact)
    stories_policy: Text = Field(description="Markdown: how stories are collected, checked and chosen")
    trust: TrustPolicy = Field(default_factory=lambda: TrustPolicy())


# --- values, stories, updates ------------------------------------------------------


class ValueMeta(_Strict):
    """Front matter of ``values/<id>.md``; the id is the file name."""

    title: Line
    summary: Sentence
    order: int = 0
    icon: Icon | None = None


class Customer(_Strict):
    name: Line
    show_as: ShowAs
    role: Line | None = None
    organization: Line | None = None
    location: Line | None = None
    avatar: str | None = None


class Consent(_Strict):
    given: Day
    channels: Annotated[list[Channel], Field(min_length=1)]
    reference: Text = Field(description="Where the signed permission is kept: an id, never the evidence")
    withdrawn: Day | None = None


class Connection(_Strict):
    kind: ConnectionKind
    note: Text
    conditional: bool = Field(
        False,
        description="True if the incentive depended on the story being positive: such a story can never be "
        "published (FTC 16 CFR 465.4)",
    )


class Substantiation(_Strict):
    """Backing for a quantified result in a quote ("saved 30%"), trust rule R9."""

    note: Text = Field(description="How the result was checked, e.g. 'Receipts from March and April 2026'")
    typical: Text = Field(description="What customers typically get, e.g. 'Most regulars save less.'")


class Source(_Strict):
    channel: Text = Field(description="in-store, email, review-site, social, interview…")
    received: Day
    url: HttpUrl | None = None


class StoryMeta(_Strict):
    """Front matter of ``stories/<slug>.md``."""

    id: ItemId
    title: Line
    date: When
    updated: When | None = None
    status: Status = "published"
    featured: bool = False
    customer: Customer
    quote: Passage
    takeaway: Sentence
    values: Annotated[list[ValueId], Field(min_length=1)]
    consent: Consent | None = None
    connection: Connection | None = None
    source: Source
    edited: bool = False
    substantiation: Substantiation | None = None


class DraftCustomer(_Strict):
    name: Line | None = None
    show_as: ShowAs | None = None
    role: Line | None = None
    organization: Line | None = None
    location: Line | None = None
    avatar: str | None = None


class DraftConsent(_Strict):
    given: Day | None = None
    channels: list[Channel] = Field(default_factory=list)
    reference: Text | None = None
    withdrawn: Day | None = None


class DraftSource(_Strict):
    channel: Text | None = None
    received: Day | None = None
    url: HttpUrl | None = None


class DraftStoryMeta(_Strict):
    """Front matter of a story still in draft, such as one ``followhome intake import`` wrote:
    every field a published story needs may still be missing (``followhome check`` lists what
    it needs as advice), but each field that is there must already be right."""

    id: ItemId
    status: Literal["draft"]
    title: Line | None = None
    date: When | None = None
    updated: When | None = None
    featured: bool = False
    customer: DraftCustomer | None = None
    quote: Passage | None = None
    takeaway: Sentence | None = None
    values: list[ValueId] = Field(default_factory=list)
    consent: DraftConsent | None = None
    connection: Connection | None = None
    source: DraftSource | None = None
    edited: bool = False
    substantiation: Substantiation | None = None


class WithdrawnConsent(_Strict):
    withdrawn: Day = Field(description="The day the customer took their consent back")
    reference: Text | None = Field(None, description="Where the withdrawal request is kept: an id")


class TombstoneMeta(_Strict):
    """Front matter of a withdrawn story cut down to what proves it was withdrawn (GDPR Art. 17):
    the permanent id and the withdrawal, nothing personal. ``followhome withdraw`` writes it."""

    id: ItemId
    consent: WithdrawnConsent


def is_tombstone(data: object) -> bool:
    """Front matter with a withdrawal date and no more than a tombstone's fields."""
    if not isinstance(data, dict) or not set(data) <= {"id", "consent"}:
        return False
    consent = data.get("consent")
    return isinstance(consent, dict) and "withdrawn" in consent and set(consent) <= {"withdrawn", "reference"}


class UpdateMeta(_Strict):
    """Front matter of ``updates/<slug>.md``."""

    id: ItemId
    title: Line
    date: When
    updated: When | None = None
    summary: Sentence
    kind: UpdateKind
    values: list[ValueId] = Field(default_factory=list)
    expires: Day | None = None
    status: Status = "published"


# --- entities ----------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where an entity came from: display path and front-matter line of each field."""

    path: str
    lines: Mapping[Path, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, *path: str | int) -> int | None:
        key: Path = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


def to_aware(when: date | datetime, tz: tzinfo) -> datetime:
    """A date means midnight in the brand's time zone; naive date-times are local too."""
    if isinstance(when, datetime):
        return when if when.tzinfo is not None else when.replace(tzinfo=tz)
    return datetime.combine(when, time(0, 0), tzinfo=tz)


@dataclass(frozen=True)
class Brand:
    config: BrandConfig
    origin: Origin

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone)

    @property
    def url(self) -> str:
        """The site URL, always ending in ``/``."""
        text = str(self.config.url)
        return text if text.endswith("/") else text + "/"


@dataclass(frozen=True)
class Value:
    id: str
    meta: ValueMeta
    body: str
    origin: Origin


@dataclass(frozen=True)
class Story:
    slug: str
    meta: StoryMeta
    body: str
    origin: Origin
    published: datetime
    updated: datetime | None = None
    blocked: tuple[str, ...] = ()
    """Trust rules this story breaks; a blocked story is published nowhere."""

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Draft:
    """A story in draft that a published story's rules would refuse: published nowhere, its id
    taken, and what it still needs listed as advice."""

    slug: str
    meta: DraftStoryMeta
    body: str
    origin: Origin
    needs: tuple[str, ...] = ()
    """Dotted field paths a published story must have and this draft lacks or has wrong."""

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Tombstone:
    """A withdrawn story with nothing personal left: its old address keeps a short notice."""

    slug: str
    meta: TombstoneMeta
    origin: Origin

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def has_old_address(self) -> bool:
        """``withdraw --rename`` names the file by its id: a neutral name with no notice."""
        return self.slug != self.meta.id


@dataclass(frozen=True)
class Update:
    slug: str
    meta: UpdateMeta
    body: str
    origin: Origin
    published: datetime
    updated: datetime | None = None
    blocked: tuple[str, ...] = ()
    """Problems this update has; a blocked update is published nowhere."""

    @property
    def id(self) -> str:
        return self.meta.id
