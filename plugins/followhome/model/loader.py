"""Load ``content/`` into a :class:`Catalog`, collecting every problem on the way."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from followhome.cache import background
from followhome.model import addresses
from followhome.model.catalog import Catalog
from followhome.model.content import (
    VALUE_ID_PATTERN,
    Brand,
    BrandConfig,
    Draft,
    DraftStoryMeta,
    Origin,
    Story,
    StoryMeta,
    Tombstone,
    TombstoneMeta,
    Update,
    UpdateMeta,
    Value,
    ValueMeta,
    is_tombstone,
    to_aware,
)
from followhome.model.drafts import as_advice, draft_advice, is_draft
from followhome.model.fmcache import FrontMatterCache
from followhome.model.frontmatter import Document, FrontMatterError, parse_document
from followhome.model.problems import ContentError, Problem, sort_problems
from followhome.model.text import strip_control
from followhome.model.tree import display_name, scan
from followhome.model.trust import check_stories, rating_claims
from followhome.model.validation import validate
from followhome.model.yamlio import YamlSyntaxError, load_yaml

BRAND_FILE = "brand.yml"
VALUES_DIR = "values"
STORIES_DIR = "stories"
UPDATES_DIR = "updates"
COLLECTION_DIRS = (VALUES_DIR, STORIES_DIR, UPDATES_DIR)
HOME_FILE = "index.md"
RESERVED_SLUGS = {"index", "page"}
PARALLEL_FROM = 500
"""Files to parse from which a second process is worth starting."""

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E")


@dataclass(frozen=True)
class LoadResult:
    """What could be loaded, and everything that was wrong."""

    catalog: Catalog | None
    problems: tuple[Problem, ...]
    refused: frozenset[str] = frozenset()
    """Files under the content folder (relative POSIX paths) that must reach no output:
    links leading out of it, special files, stray files in the collection folders."""
    advice: tuple[Problem, ...] = ()
    """What drafts still need before they can be published: never a failure."""

    def require(self) -> Catalog:
        """The catalog; raise :class:`ContentError` if the brand could not be loaded."""
        if self.catalog is None:
            raise ContentError(list(self.problems))
        return self.catalog


_SLUG = re.compile(r"[\w-]+(?:/[\w-]+)*")
"""A page's file name is its web address: letters, digits, hyphens and underscores."""


def _naming_problem(folder: str, slug: str) -> str | None:
    """Why a file's name cannot be used for its page, if it cannot."""
    if folder == VALUES_DIR:
        if not re.fullmatch(VALUE_ID_PATTERN, slug) or slug == "index":
            return (
                f"a value's file name is its id, and '{slug}' cannot be one: use lowercase letters, "
                "digits and hyphens, directly in values/ (for example values/honest-advice.md)"
            )
        return None
    if slug in RESERVED_SLUGS or slug.startswith("page/") or slug.endswith("/index"):
        return f"the file name '{slug}' is reserved for listing pages"
    if not _SLUG.fullmatch(slug):
        return (
            f"the file name '{slug}' becomes the page's web address, so it may hold only letters, digits, "
            "hyphens and underscores (no spaces, dots or other signs)"
        )
    return None


_Unparsable = tuple[str, int | None, str]
"""Why front matter cannot be read: message, line, fix (see :class:`FrontMatterError`)."""


def _parse(text: str) -> Document | _Unparsable:
    try:
        return parse_document(text)
    except FrontMatterError as exc:
        return exc.message, exc.line, exc.fix


_Parsed = tuple[Document | None, BaseModel | None, tuple[Problem, ...]]
_memo: dict[tuple[str, str, str], _Parsed] = {}
"""Parsed and validated files of the previous load, by (model, display path, text).

Under ``mkdocs serve`` the process loads the content again after every edit; a file
whose text did not change is not parsed and validated again."""


class _Reader:
    """Reads files under one content directory and names them as editors see them."""

    def __init__(self, content_dir: Path, display_prefix: str) -> None:
        self.root = content_dir
        self.prefix = display_prefix.rstrip("/")
        self.tree = scan(content_dir, self.prefix, COLLECTION_DIRS)
        self.problems: list[Problem] = list(self.tree.problems)
        self.parsed: dict[tuple[str, str, str], _Parsed] = {}
        self.texts: dict[Path, str | None] = {}
        self.prefetched: dict[str, Document | _Unparsable] = {}

    def display(self, path: Path) -> str:
        return self.tree.display(path.relative_to(self.root).as_posix())

    def read(self, path: Path) -> str | None:
        """The file's text; None (the problem recorded) when it cannot or must not be read."""
        if path.relative_to(self.root).as_posix() in self.tree.refused:
            return None  # the scan said why
        if path not in self.texts:
            self.texts[path] = self._read(path)
        return self.texts[path]

    def _read(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problems.append(
                Problem(
                    self.display(path),
                    None,
                    "",
                    f"is not UTF-8 text ({exc.reason})",
                    "save the file as UTF-8",
                )
            )
        except OSError as exc:
            self.problems.append(
                Problem(
                    self.display(path),
                    None,
                    "",
                    f"cannot be read ({exc.strerror})",
                    "check the file's permissions",
                )
            )
        return None

    def document(self, path: Path) -> Document | None:
        text = self.read(path)
        return None if text is None else self.parse_text(text, self.display(path))

    def parse_text(self, text: str, display: str) -> Document | None:
        """Front matter and body of ``text``; a problem recorded when the front matter is bad."""
        parsed = self.prefetched.get(text)
        if parsed is None:
            parsed = _parse(text)
        if isinstance(parsed, Document):
            return parsed
        message, line, fix = parsed
        self.problems.append(Problem(display, line, "", message, fix))
        return None

    def prefetch(self, folders: Iterable[str], cache: FrontMatterCache) -> None:
        """Front matter of the files the previous load in this process did not see, from the
        cache or parsed on every core: most of a large site's loading is its YAML."""
        known = {key[2]: found[0] for key, found in _memo.items()}
        texts = {
            text for folder in folders for path in self.markdown_files(folder) if (text := self.read(path))
        }
        todo = []
        for text in sorted(texts):
            found = None
            if text in known:
                earlier = known[text]
                if not cache.keep(text) and earlier is not None:  # the cache was deleted meanwhile
                    self._keep(cache, text, earlier)
            else:
                found = cache.get(text)
                if found is None:
                    todo.append(text)
            if found is not None:
                self.prefetched[text] = found
        for text, parsed in zip(todo, background.map_on_cores(_parse, todo, PARALLEL_FROM), strict=True):
            self.prefetched[text] = parsed
            if isinstance(parsed, Document):
                self._keep(cache, text, parsed)
        cache.save()

    @staticmethod
    def _keep(cache: FrontMatterCache, text: str, document: Document) -> None:
        # A tombstone is parsed every time: a grep of the caches for a withdrawn id finds nothing.
        if not is_tombstone(document.meta.data):
            cache.put(text, document)

    def markdown_files(self, folder: str) -> list[Path]:
        return self.tree.markdown[folder]

    def collection(
        self,
        folder: str,
        model: type[M],
        make: Callable[[str, M, Document, Origin], E],
        only: Callable[[object], bool] | None = None,
    ) -> list[E]:
        """The folder's files made into entities; with ``only``, the files whose front matter
        data it accepts (files whose front matter cannot be read go to the others)."""
        items = []
        for path in self.markdown_files(folder):
            if only is not None and not only(self.peek(path)):
                continue
            display = self.display(path)
            slug = path.relative_to(self.root / folder).with_suffix("").as_posix()
            naming = _naming_problem(folder, display_name(slug))
            if naming:
                self.problems.append(Problem(display, None, "", naming, "rename the file"))
                continue
            doc, meta = self.parse(path, display, model)
            if doc is not None and meta is not None:
                doc = replace(doc, body=strip_control(doc.body))
                lines = {**doc.meta.lines, ("body",): doc.body_line}
                items.append(make(slug, meta, doc, Origin(display, lines)))
        return items

    def peek(self, path: Path) -> object:
        """The file's front matter data, or None; no problem recorded (parse() does that)."""
        text = self.read(path)
        if text is None:
            return None
        parsed = self.prefetched.get(text)
        if parsed is None:
            parsed = self.prefetched[text] = _parse(text)
        return parsed.meta.data if isinstance(parsed, Document) else None

    def parse(self, path: Path, display: str, model: type[M]) -> tuple[Document | None, M | None]:
        """The file's front matter and body, validated against ``model``; problems recorded."""
        text = self.read(path)
        if text is None:
            return None, None
        key = (model.__name__, display, text)
        found = _memo.get(key)
        if found is None:
            before = len(self.problems)
            meta: M | None = None
            doc = self.parse_text(text, display)
            if doc is not None:
                meta, problems = validate(model, doc.meta, display)
                self.problems.extend(problems)
            found = (doc, meta, tuple(self.problems[before:]))
        else:
            self.problems.extend(found[2])
        self.parsed[key] = found
        doc, parsed, _ = found
        return doc, parsed if isinstance(parsed, model) else None


def _load_brand(reader: _Reader) -> Brand | None:
    path = reader.root / BRAND_FILE
    display = reader.display(path)
    if not path.is_file():
        reader.problems.append(
            Problem(
                display,
                None,
                "",
                "is missing",
                f"create {BRAND_FILE} with at least name, url, promise, image, tone and stories_policy",
            )
        )
        return None
    text = reader.read(path)
    if text is None:
        return None
    try:
        located = load_yaml(text)
    except YamlSyntaxError as exc:
        reader.problems.append(
            Problem(
                display,
                exc.line,
                "",
                f"is not valid YAML: {exc.message}",
                exc.fix or "check indentation and quoting on that line",
            )
        )
        return None
    config, problems = validate(BrandConfig, located, display)
    reader.problems.extend(problems)
    if config is None:
        return None
    brand = Brand(config, Origin(display, located.lines))
    url = config.url
    if url.scheme != "https" or url.host in ("localhost", "127.0.0.1", "[::1]", "0.0.0.0"):
        reader.problems.append(
            Problem(
                display,
                brand.origin.line_of("url"),
                "url",
                f"'{url}' is not the site's public https address, which every link in feeds, emails and "
                "social cards is made from (email clients and feed readers refuse other links)",
                "set `url` to the address the site is published at, like https://shop.example/; "
                "`mkdocs serve` previews at its own address whatever `url` says",
                blocks=False,
            )
        )
    logo = config.image.logo
    why = _logo_problem(reader, logo) if logo else None
    if why is not None:
        reader.problems.append(
            Problem(display, brand.origin.line_of("image", "logo"), "image.logo", why[0], why[1])
        )
        # Left out rather than published wrong (a preview goes on without it).
        image = config.image.model_copy(update={"logo": None})
        brand = Brand(config.model_copy(update={"image": image}), brand.origin)
    return brand


def _logo_problem(reader: _Reader, logo: str) -> tuple[str, str] | None:
    """(message, fix) when ``image.logo`` is not a file inside the content folder."""
    folder = f"{reader.prefix or 'content'}/"
    shown = logo if len(logo) <= 80 else logo[:77] + "..."
    parts = logo.replace("\\", "/").split("/")
    if logo.startswith(("/", "\\")) or ".." in parts or ":" in logo or len(logo) > 255:
        return (
            f"'{shown}' is not a path inside {folder}",
            f"put the logo in {folder}assets/ and write its path from there, for example assets/logo.svg",
        )
    rel = "/".join(p for p in parts if p not in ("", "."))
    if rel in reader.tree.refused or not (reader.root / rel).is_file():
        return f"file '{shown}' does not exist in {folder}", "put the logo there or correct the path"
    return None


def _load_intro(reader: _Reader) -> str:
    """The editor's home-page text; front matter, if any, is optional there."""
    path = reader.root / HOME_FILE
    if not path.is_file():
        return ""
    text = reader.read(path) or ""
    if not text.lstrip("\ufeff").startswith("---"):
        return strip_control(text)
    doc = reader.document(path)
    return strip_control(doc.body) if doc else ""


def _check_ids(reader: _Reader, items: Iterable[Story | Update | Tombstone | Draft]) -> None:
    seen: dict[str, Story | Update | Tombstone | Draft] = {}
    for item in items:
        first = seen.setdefault(item.id, item)
        if first is not item:
            reader.problems.append(
                Problem(
                    item.origin.path,
                    item.origin.line_of("id"),
                    "id",
                    f"'{item.id}' is already used by {first.origin.path}",
                    "give this file a new id (`followhome new` makes one); "
                    "keep the older file's id unchanged",
                )
            )


def _check_case(reader: _Reader, folder: str, items: Iterable[Story | Update | Tombstone | Draft]) -> None:
    """Two file names that differ only in case are one address on many systems (and Pages)."""
    seen: dict[str, str] = {}
    for item in items:
        first = seen.setdefault(item.slug.casefold(), item.origin.path)
        if first != item.origin.path:
            reader.problems.append(
                Problem(
                    item.origin.path,
                    None,
                    "",
                    f"has the same web address as {first} but for upper and lower case, which many "
                    "systems (and web hosts) treat as one",
                    f"rename one of the two files in {folder}/",
                )
            )


def _check_links(reader: _Reader, values: list[Value], items: Iterable[Story | Update]) -> None:
    known = {v.id for v in values}
    for item in items:
        for index, value_id in enumerate(item.meta.values):
            if value_id not in known:
                close = difflib.get_close_matches(value_id, sorted(known), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                reader.problems.append(
                    Problem(
                        item.origin.path,
                        item.origin.line_of("values", index),
                        f"values[{index}]",
                        f"unknown value id '{value_id}' (values are: {', '.join(sorted(known))})",
                        f"{hint}use the file name of a page in values/, or create values/{value_id}.md",
                    )
                )


def _check_generated_paths(reader: _Reader) -> None:
    """An editor's file where a generated page or feed goes would be silently replaced: it is
    named, and left out of the build (so the generated one never has to replace it)."""
    try:
        names = sorted(p.name for p in reader.root.iterdir())
    except OSError:
        return
    for name in names:
        kind = addresses.generated_at_root(name)
        if kind is None or name in reader.tree.refused:
            continue
        fixes = {
            addresses.POLICY: "rename the file; the generated page takes its text from stories_policy in brand.yml",
            addresses.SUBSCRIBE: "rename the file; the generated page lists your feeds and channels",
        }
        reader.problems.append(
            reader.tree.refuse(
                name,
                f"is where followhome puts a generated {kind}, so this file would be replaced",
                fixes.get(name, "rename the file"),
            )
        )


def _check_consent(reader: _Reader, stories: list[Story]) -> None:
    for story in stories:
        if story.meta.status == "published" and story.meta.consent is None:
            reader.problems.append(
                Problem(
                    story.origin.path,
                    story.origin.line_of("status"),
                    "consent",
                    "this published story has no recorded consent, so it is not published anywhere",
                    "add `consent:` with given, channels and reference, or set `status: draft`",
                )
            )


def _icon_problems(values: Iterable[Value], icon_exists: Callable[[str], bool]) -> list[Problem]:
    return [
        Problem(
            v.origin.path,
            v.origin.line_of("icon"),
            "icon",
            f"Material for MkDocs has no icon '{v.meta.icon}'",
            "pick a name from https://squidfunk.github.io/mkdocs-material/reference/icons-emojis/ "
            "(for example material/glass-wine) or remove the field",
        )
        for v in values
        if v.meta.icon and not icon_exists(v.meta.icon)
    ]


def _leave_out_broken(
    reader: _Reader, values: list[Value], stories: Iterable[Story], updates: Iterable[Update]
) -> tuple[list[Value], list[Story], list[Update]]:
    """Every value, story and update whose file has a problem that blocks is left out of every
    output, the same way in every mode (a strict build fails on the problem as well)."""
    broken = {p.file for p in reader.problems if p.blocks}
    kept = [v for v in values if v.origin.path not in broken]
    left_out = {v.id: v.origin.path for v in values if v.origin.path in broken}

    def blocked(item: Story | Update) -> tuple[str, ...]:
        why = ["the file has problems"] if item.origin.path in broken else []
        for index, value_id in enumerate(item.meta.values):
            if value_id in left_out:
                why.append(f"value '{value_id}' is left out")
                reader.problems.append(
                    Problem(
                        item.origin.path,
                        item.origin.line_of("values", index),
                        f"values[{index}]",
                        f"value '{value_id}' is left out until {left_out[value_id]} is fixed, and this item "
                        "with it",
                        f"fix the problems of {left_out[value_id]}",
                    )
                )
        return tuple(why)

    stories = [replace(s, blocked=(*s.blocked, *why)) if (why := blocked(s)) else s for s in stories]
    updates = [replace(u, blocked=why) if (why := blocked(u)) else u for u in updates]
    return kept, stories, updates


def _load_drafts(
    reader: _Reader, brand: Brand | None, make_story: Callable[[str, StoryMeta, Document, Origin], Story]
) -> tuple[list[Story], list[Draft], list[Problem]]:
    """Stories in draft: complete ones become stories (published nowhere while in draft), the
    others :class:`Draft` entities whose gaps are advice (see :mod:`followhome.model.drafts`)."""
    complete: list[Story] = []
    drafts: list[Draft] = []
    advice: list[Problem] = []
    for draft in reader.collection(
        STORIES_DIR,
        DraftStoryMeta,
        lambda slug, meta, doc, origin: Draft(slug, meta, doc.body, origin),
        only=lambda data: is_draft(data) and not is_tombstone(data),
    ):
        document = reader.document(reader.root / STORIES_DIR / f"{draft.slug}.md")
        assert document is not None  # it was read and parsed a moment ago
        meta, needs = validate(StoryMeta, document.meta, draft.origin.path)
        if meta is not None:
            complete.append(make_story(draft.slug, meta, document, draft.origin))
            continue
        found = draft_advice(draft, needs, brand)
        drafts.append(replace(draft, needs=tuple(p.field for p in found)))
        advice += found
    return complete, drafts, advice


def load_content(
    content_dir: Path,
    display_prefix: str = "content",
    cache_dir: Path | None = None,
    icon_exists: Callable[[str], bool] | None = None,
) -> LoadResult:
    """Read brand, values, stories and updates; never raises for bad content.

    With ``cache_dir``, parsed front matter is kept there between loads (see :mod:`followhome.model.fmcache`);
    with ``icon_exists``, the values' icons are checked against the theme's."""
    reader = _Reader(content_dir, display_prefix)
    brand = _load_brand(reader)
    tz = brand.tz if brand else UTC
    reader.prefetch(COLLECTION_DIRS, FrontMatterCache(cache_dir))

    values = reader.collection(
        VALUES_DIR, ValueMeta, lambda slug, meta, doc, origin: Value(slug, meta, doc.body, origin)
    )
    tombstones = reader.collection(
        STORIES_DIR,
        TombstoneMeta,
        lambda slug, meta, doc, origin: Tombstone(slug, meta, origin),
        only=is_tombstone,
    )

    def make_story(slug: str, meta: StoryMeta, doc: Document, origin: Origin) -> Story:
        return Story(
            slug,
            meta,
            doc.body,
            origin,
            published=to_aware(meta.date, tz),
            updated=to_aware(meta.updated, tz) if meta.updated else None,
        )

    stories = reader.collection(
        STORIES_DIR, StoryMeta, make_story, only=lambda data: not is_tombstone(data) and not is_draft(data)
    )
    complete_drafts, drafts, advice = _load_drafts(reader, brand, make_story)
    stories = sorted([*stories, *complete_drafts], key=lambda s: s.origin.path)
    updates = reader.collection(
        UPDATES_DIR,
        UpdateMeta,
        lambda slug, meta, doc, origin: Update(
            slug,
            meta,
            doc.body,
            origin,
            published=to_aware(meta.date, tz),
            updated=to_aware(meta.updated, tz) if meta.updated else None,
        ),
    )
    _check_ids(reader, [*tombstones, *stories, *drafts, *updates])  # a withdrawn id stays taken
    _check_case(reader, STORIES_DIR, sorted([*stories, *tombstones, *drafts], key=lambda i: i.origin.path))
    _check_case(reader, UPDATES_DIR, updates)
    links_from = len(reader.problems)
    in_draft = {s.origin.path for s in stories if s.meta.status == "draft"}
    _check_links(reader, values, [*stories, *updates])
    # A complete draft's broken links and trust rules are advice until it is published.
    advice += as_advice(p for p in reader.problems[links_from:] if p.file in in_draft)
    reader.problems[links_from:] = [p for p in reader.problems[links_from:] if p.file not in in_draft]
    _check_consent(reader, stories)
    _check_generated_paths(reader)
    values.sort(key=lambda v: (v.meta.order, v.id))
    catalog = None
    if brand is not None:
        checked = check_stories(stories, brand)
        advice += as_advice(p for p in checked.problems if p.file in in_draft)
        reader.problems += [p for p in checked.problems if p.file not in in_draft]
        reader.problems += rating_claims(brand, values, stories, updates)
        if icon_exists is not None:
            reader.problems += _icon_problems(values, icon_exists)
        intro = _load_intro(reader)
        values, kept, current = _leave_out_broken(reader, values, checked.stories, updates)
        catalog = Catalog(
            brand, tuple(values), tuple(kept), tuple(current), intro, tuple(tombstones), tuple(drafts)
        )
    _memo.clear()
    _memo.update(reader.parsed)
    return LoadResult(
        catalog,
        tuple(sort_problems(reader.problems)),
        frozenset(reader.tree.refused),
        tuple(sort_problems(advice)),
    )
