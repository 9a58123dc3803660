"""Trust rules an editor's content can break (trust reference R5, R6, R7, R9, privacy, names).

Consent (R1-R3) and disclosure (R4) are enforced by the publishing gate and the
renderers; this module finds what is wrong in the words themselves. A story that breaks a
rule is *blocked*: published nowhere until it is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from followhome.model.content import Brand, Story, Update, Value
from followhome.model.problems import Problem

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{7,}\d(?!\w)")
MACHINE_SOURCES = {
    "ai",
    "ai-generated",
    "generated",
    "machine",
    "machine-written",
    "llm",
    "chatgpt",
    "synthetic",
}
QUANTIFIED = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:%|per ?cent\b|percent\b|kg\b|kilos?\b|lbs?\b|stone\b|times\b|x\b|hours?\b|minutes?\b)"
    r"|[£$€]\s?\d|\b(?:doubled|tripled|quadrupled|halved)\b",
    re.IGNORECASE,
)
RATING_CLAIMS = (
    ("review", re.compile(r"\ball (?:of )?(?:our |the )?reviews\b|\bevery review\b", re.IGNORECASE)),
    ("rating", re.compile(r"\baverage rating\b", re.IGNORECASE)),
    ("out of", re.compile(r"\b\d(?:\.\d)? out of (?:5|five|10)\b", re.IGNORECASE)),
    ("star", re.compile(r"\b(?:5|five)[- ]star\b", re.IGNORECASE)),
    ("★", re.compile("★")),
)
"""Claims about all reviews or a rating, each with a word (lower case) every match contains:
a pattern runs only on texts holding its word, which most texts do not ("out of" aside)."""


def rating_claim(text: str) -> str | None:
    """The first claim about all reviews or a rating in ``text``, if any."""
    # Fold case as IGNORECASE matches: "ſtar" is a "star", "revİew" and "revıew" are "review".
    folded = text.casefold().replace("\u0307", "").replace("\u0131", "i")
    found = [m for word, pattern in RATING_CLAIMS if word in folded and (m := pattern.search(text))]
    return min(found, key=lambda m: m.start()).group(0) if found else None


_ANY_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class TrustResult:
    stories: tuple[Story, ...]
    problems: tuple[Problem, ...]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _story_texts(story: Story) -> Iterator[tuple[str, str]]:
    """(field, text) of everything a story publishes in words."""
    meta = story.meta
    yield "title", meta.title
    yield "quote", meta.quote
    yield "takeaway", meta.takeaway
    yield "body", story.body
    for name in ("name", "role", "organization", "location"):
        value = getattr(meta.customer, name)
        if value:
            yield f"customer.{name}", value
    if meta.connection:
        yield "connection.note", meta.connection.note


def contact_details(texts: Iterable[tuple[str, str]], brand: Brand) -> Iterator[tuple[str, str]]:
    """(field, what) for each customer's email address or phone number in ``texts``: the
    brand's own address and number are not the customer's."""
    contact = brand.config.contact
    own_email = (contact.email or "").lower()
    own_phone = _digits(contact.phone or "")
    for field, text in texts:
        # The patterns cost more than these tests, and most texts hold neither "@" nor digits.
        for found in EMAIL.findall(text) if "@" in text else ():
            if found.lower() != own_email:
                yield field, f"an email address ({found})"
        for found in PHONE.findall(text) if _ANY_DIGIT.search(text) else ():
            digits = _digits(found)
            if len(digits) >= 9 and digits != own_phone:
                yield field, f"a phone number ({found.strip()})"


def _contact_problems(story: Story, brand: Brand) -> Iterator[Problem]:
    for field, what in contact_details(_story_texts(story), brand):
        yield _problem(
            story, field, f"publishes {what}", "remove it: a customer's contact details are never published"
        )


def _name_problems(story: Story) -> Iterator[Problem]:
    customer = story.meta.customer
    words = [w for w in re.split(r"\s+", customer.name.strip()) if len(w) > 1]
    if customer.show_as == "full" or not words:
        return
    hidden = words[1:] if customer.show_as == "first-name" else words
    for field, text in _story_texts(story):
        if field.startswith("customer."):
            continue
        folded = text.casefold()
        for word in hidden:
            # The substring test first: compiling a pattern per customer name is the cost.
            if word.casefold() in folded and _names(word, text):
                yield _problem(
                    story,
                    field,
                    f"names the customer ('{word}') although show_as is {customer.show_as}",
                    f"take '{word}' out of the {field}, or set show_as to a form that allows it",
                )
                break


def _names(word: str, text: str) -> bool:
    """Whether ``text`` holds the name ``word`` in any case but all lower case ("Achterberg",
    "ACHTERBERG"), in the plural or possessive too ("the Achterbergs", "Achterberg's")."""
    pattern = rf"(?<![\w-]){re.escape(word)}(?:e?s|['’]s?)?(?![\w-])"
    return any(
        found.group(0) != found.group(0).lower() or word == word.lower()
        for found in re.finditer(pattern, text, re.IGNORECASE)
    )


def _problem(story: Story, field: str, message: str, fix: str) -> Problem:
    top = field.split(".")[0]
    return Problem(
        story.origin.path,
        story.origin.line_of(*field.split(".")) or story.origin.line_of(top),
        field,
        message,
        fix,
    )


def _story_problems(story: Story, brand: Brand) -> Iterator[tuple[Problem, bool]]:
    """(problem, blocks publication) for one story."""
    meta = story.meta
    if meta.connection and meta.connection.conditional:
        yield (
            _problem(
                story,
                "connection.conditional",
                "an incentive that depended on a positive story makes it unpublishable, disclosed or not (R5)",
                "do not publish this story; if the incentive did not depend on the story being positive, "
                "set conditional: false",
            ),
            True,
        )
    if meta.source.channel.strip().lower() in MACHINE_SOURCES:
        yield (
            _problem(
                story,
                "source.channel",
                "machine-written words cannot be attributed to a customer (R6)",
                "publish only words the customer said or wrote, and name where they came from",
            ),
            True,
        )
    for problem in _contact_problems(story, brand):
        yield problem, True
    for problem in _name_problems(story):
        yield problem, True
    policy = brand.config.trust.quantified_claims
    if policy != "off" and meta.substantiation is None:
        for field in ("quote", "takeaway"):
            found = QUANTIFIED.search(getattr(meta, field))
            if found:
                yield (
                    _problem(
                        story,
                        field,
                        f"states a quantified result ('{found.group(0).strip()}') without substantiation (R9)",
                        "add substantiation: with note (how it was checked) and typical (what most customers get), "
                        "or set trust.quantified_claims in brand.yml",
                    ),
                    policy == "error",
                )
                break


def check_stories(stories: Iterable[Story], brand: Brand) -> TrustResult:
    checked = []
    problems: list[Problem] = []
    for story in stories:
        found = list(_story_problems(story, brand))
        problems += [p if blocks else replace(p, blocks=False) for p, blocks in found]
        blocked = tuple(p.message for p, blocks in found if blocks)
        checked.append(replace(story, blocked=blocked) if blocked else story)
    return TrustResult(tuple(checked), tuple(problems))


def rating_claims(
    brand: Brand, values: Iterable[Value], stories: Iterable[Story], updates: Iterable[Update]
) -> list[Problem]:
    """ "All reviews" claims and star ratings over a curated selection (R7)."""
    texts: list[tuple[str, int | None, str, str]] = [
        (brand.origin.path, brand.origin.line_of("promise"), "promise", brand.config.promise),
        (
            brand.origin.path,
            brand.origin.line_of("stories_policy"),
            "stories_policy",
            brand.config.stories_policy,
        ),
    ]
    texts += [(v.origin.path, None, "body", f"{v.meta.title}\n{v.meta.summary}\n{v.body}") for v in values]
    texts += [(s.origin.path, None, "body", f"{s.meta.title}\n{s.meta.takeaway}\n{s.body}") for s in stories]
    texts += [(u.origin.path, None, "body", f"{u.meta.title}\n{u.meta.summary}\n{u.body}") for u in updates]
    problems = []
    for path, line, field, text in texts:
        found = rating_claim(text)
        if found:
            problems.append(
                Problem(
                    path,
                    line,
                    field,
                    f"claims something about all reviews or a rating ('{found}') over a curated selection (R7)",
                    "remove the claim: the stories are chosen, so they cannot stand for all customers or an average",
                )
            )
    return problems
