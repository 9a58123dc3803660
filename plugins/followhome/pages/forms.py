"""The share-your-story and withdrawal forms as HTML blocks.

Plain HTML forms that work without JavaScript and load nothing from anyone: they post to the
form service in ``channels.intake.action``, or open the customer's email program with a
``mailto:`` form (``channels.intake.email``). Field names are the importer's (see
:mod:`followhome.intake.submission`); every consent box starts unticked.
"""

from __future__ import annotations

from urllib.parse import quote

from followhome.model.content import IntakeChannel
from followhome.publishing.intake_form import FormWording
from followhome.render.mdtext import attr, text_html

NETLIFY_FORMS = {"share": "share-your-story", "withdraw": "withdraw-a-story"}


def _form_open(intake: IntakeChannel, kind: str, subject: str) -> str:
    """The ``<form>`` tag: a POST to the service, or a mailto: form as text/plain."""
    label = "Share your story" if kind == "share" else "Withdraw a story"
    if intake.email:
        action = f"mailto:{intake.email}?subject={quote(subject)}"
        return (
            f'<form class="fh-form" method="post" action="{attr(action)}" enctype="text/plain" '
            f'aria-label="{label}">\n'
        )
    extra = ""
    if intake.service == "netlify":
        name = NETLIFY_FORMS[kind]
        extra = (
            f' name="{name}" data-netlify="true" netlify-honeypot="{attr(intake.honeypot_name)}"'
            f'>\n<input type="hidden" name="form-name" value="{name}"'
        )
    return f'<form class="fh-form" method="post" action="{attr(str(intake.action))}" aria-label="{label}"{extra}>\n'


def _honeypot(intake: IntakeChannel) -> str:
    # Hidden from everyone (display: none): people never see it, robots that fill every field do.
    name = attr(intake.honeypot_name)
    return (
        f'<p class="fh-form__trap" hidden><label for="fh-{name}">Leave this empty</label>'
        f'<input id="fh-{name}" name="{name}" type="text" tabindex="-1" autocomplete="off"></p>\n'
    )


def _text(name: str, label: str, hint: str = "", autocomplete: str = "off", required: bool = False) -> str:
    described = f' aria-describedby="fh-{name}-hint"' if hint else ""
    hint_html = f'<span class="fh-form__hint" id="fh-{name}-hint">{text_html(hint)}</span>\n' if hint else ""
    need = " required" if required else ""
    return (
        f'<p class="fh-form__field"><label for="fh-{name}">{text_html(label)}</label>\n{hint_html}'
        f'<input id="fh-{name}" name="{name}" type="text" autocomplete="{autocomplete}"{described}{need}></p>\n'
    )


def _choices(
    name: str,
    kind: str,
    legend: str,
    options: tuple[tuple[str, str], ...],
    hint: str = "",
    required: bool = False,
) -> str:
    hint_html = f'<p class="fh-form__hint" id="fh-{name}-hint">{text_html(hint)}</p>\n' if hint else ""
    described = f' aria-describedby="fh-{name}-hint"' if hint else ""
    need = " required" if required else ""  # on a radio group: one of them must be chosen
    rows = "".join(
        f'<p class="fh-form__choice"><input id="fh-{name}-{attr(value)}" name="{name}" type="{kind}" '
        f'value="{attr(value)}"{need}><label for="fh-{name}-{attr(value)}">{text_html(words)}</label></p>\n'
        for value, words in options
    )
    return f'<fieldset class="fh-form__group"{described}>\n<legend>{text_html(legend)}</legend>\n{hint_html}{rows}</fieldset>\n'


def share_form(wording: FormWording, intake: IntakeChannel, policy_href: str, withdraw_href: str) -> str:
    """The share-your-story form."""
    w = wording
    parts = [
        _form_open(intake, "share", "My story"),
        f'<input type="hidden" name="form_version" value="{w.version}">\n',
        '<p class="fh-form__field"><label for="fh-words">'
        f"{text_html(w.words_label)}</label>\n"
        f'<span class="fh-form__hint" id="fh-words-hint">{text_html(w.words_hint)}</span>\n'
        '<textarea id="fh-words" name="words" rows="10" required aria-describedby="fh-words-hint">'
        "</textarea></p>\n",
        _text("title", w.title_label),
        _text("name", w.name_label, autocomplete="name"),
        _choices("show_as", "radio", w.show_as_legend, w.show_as, required=True),  # the customer decides
        _text("role", w.role_label),
        _text("location", w.location_label),
    ]
    if w.values:
        parts.append(_choices("values", "checkbox", w.values_legend, w.values))
    parts.append(_choices("consent", "checkbox", w.consent_legend, w.consent, w.consent_hint))
    parts.append(
        f'<p class="fh-form__note">{text_html(w.withdraw_note)} '
        f'<a href="{attr(withdraw_href)}">The withdrawal form</a> · '
        f'<a href="{attr(policy_href)}">{text_html(w.policy_link)}</a></p>\n'
    )
    parts.append(_text("contact", w.contact_label, w.contact_hint, autocomplete="email"))
    parts.append(_honeypot(intake))
    parts.append(
        f'<p><button class="md-button md-button--primary" type="submit">{text_html(w.submit)}</button></p>\n'
    )
    parts.append("</form>\n")
    return "".join(parts)


def withdraw_form(intake: IntakeChannel, policy_href: str) -> str:
    """The withdrawal request form: which story, and how to confirm it is yours."""
    return "".join(
        [
            _form_open(intake, "withdraw", "Withdraw my story"),
            _text(
                "withdraw",
                "Which story? Its address or its title",
                "For example the address of its page on this site.",
                required=True,
            ),
            _text(
                "contact",
                "How we can reach you to confirm (optional)",
                "An email address or phone number. We never publish it; we use it only to confirm the story is "
                "yours and that it is gone.",
                autocomplete="email",
            ),
            _honeypot(intake),
            '<p><button class="md-button md-button--primary" type="submit">Ask us to withdraw it</button></p>\n',
            f'<p class="fh-form__note"><a href="{attr(policy_href)}">How we collect and choose stories</a></p>\n',
            "</form>\n",
        ]
    )
