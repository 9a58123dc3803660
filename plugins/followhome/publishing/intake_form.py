"""What the share-your-story form says to a customer, and the version of those words.

The page (``pages/forms.py``) shows these words and the importer (``intake/``) keeps them,
once per version, as the record of what each customer agreed to (GDPR Art. 7(1): the
information given at the time). The version is a short hash of every word shown, so a
change of wording is a new version and earlier records keep the words their customers saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from followhome.model.content import Brand, Channel, IntakeChannel, Value

SHOW_AS_CHOICES: tuple[tuple[str, str], ...] = (
    ("full", "Your full name, as you write it above"),
    ("first-name", "Only your first name"),
    ("initials", "Only your initials"),
    ("anonymous", "No name at all: “a customer”"),
)
CHANNEL_ORDER = (Channel.SITE, Channel.FEED, Channel.EMAIL, Channel.SOCIAL)


@dataclass(frozen=True)
class FormWording:
    """Every word of the share form, in the order shown."""

    heading: str
    intro: str
    words_label: str
    words_hint: str
    title_label: str
    name_label: str
    show_as_legend: str
    show_as: tuple[tuple[str, str], ...]
    role_label: str
    location_label: str
    values_legend: str
    values: tuple[tuple[str, str], ...]
    """(value id, title) of each value the customer may tick."""
    consent_legend: str
    consent_hint: str
    consent: tuple[tuple[str, str], ...]
    """(channel, plain words) of each consent box, none ticked beforehand."""
    withdraw_note: str
    policy_link: str
    contact_label: str
    contact_hint: str
    submit: str

    @property
    def version(self) -> str:
        """12 hex digits of the SHA-256 of the wording: the form's ``form_version``."""
        canonical = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def form_wording(brand: Brand, values: tuple[Value, ...], intake: IntakeChannel) -> FormWording:
    """The share form's words for this brand, its values and its consent wording."""
    name = brand.config.name
    return FormWording(
        heading="Share your story",
        intro=f"Tell {name} what happened, in your own words. We read every story; we publish one only "
        "where you allow it below, and we may shorten it or tidy it for clarity (we say so when we do).",
        words_label="Your story",
        words_hint="Required. What happened, and what it meant to you.",
        title_label="A title for it (optional)",
        name_label="Your name (optional)",
        show_as_legend="How may we name you? (required)",
        show_as=SHOW_AS_CHOICES,
        role_label="Who you are to us, e.g. “regular since 2019” (optional)",
        location_label="Where you live, e.g. a town or a neighbourhood (optional)",
        values_legend="Which of our values does your story show? (optional)",
        values=tuple((v.id, v.meta.title) for v in values),
        consent_legend="Where may we publish your story?",
        consent_hint="Tick each place you agree to. Nothing is ticked for you: with no box ticked we only read it.",
        consent=tuple((c.value, intake.wording(c)) for c in CHANNEL_ORDER),
        withdraw_note="You can change your mind at any time: use the withdrawal form or tell us, and we take "
        "your story down everywhere we published it. Emails already sent cannot be recalled.",
        policy_link="How we collect and choose stories",
        contact_label="How we can reach you with a question (optional)",
        contact_hint="An email address or phone number. We never publish it and it is never part of your "
        "story; we use it only to ask about your story or your consent.",
        submit="Send your story",
    )
