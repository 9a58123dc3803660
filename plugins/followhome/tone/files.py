"""Score files given by path: content items keep their channels, other files meet the brand's volume.

A file outside the content collections (a newsletter draft, a page written elsewhere) is
Markdown or plain text with optional front matter; its title comes from the front matter
or, failing that, from the file name. A folder stands for its Markdown files (recursively,
hidden ones left out). Files are opened without blocking and only read when they are
regular files, so a FIFO or a device named by mistake is refused instead of hanging.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from followhome.model.frontmatter import FrontMatterError, parse_document
from followhome.model.problems import Problem
from followhome.tone.check import ScoredItem
from followhome.tone.scorer import ToneScore, score

FILE_KIND = "file"
FILE_STATUS = "not content"
"""Status of a file that is not one of the content's items (it goes to no channel)."""
MARKDOWN = ".md"
TEXT_FIELDS = ("title", "summary", "description", "quote", "takeaway")
"""Front-matter fields scored with the body, as they are for content items."""


class ToneInputError(Exception):
    """A file that cannot be scored; ``problem`` names it and says what to do."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Target:
    """A file to score: as the user named it, and where it really is."""

    display: str
    path: Path


@dataclass(frozen=True)
class Selection:
    targets: tuple[Target, ...]
    missing: tuple[str, ...]
    """Paths given that do not exist (a dangling symbolic link included)."""


def select(paths: Sequence[str], extra: Callable[[Path], bool] = lambda _: False) -> Selection:
    """The files named by ``paths``, in order, each once; a folder stands for its Markdown
    files and for any other file for which ``extra`` (given the resolved path) is true."""
    targets: list[Target] = []
    seen: set[Path] = set()
    missing: list[str] = []

    def add(display: str, path: Path) -> None:
        real = path.resolve()
        if real not in seen:
            seen.add(real)
            targets.append(Target(display, real))

    for raw in paths:
        given = Path(raw)
        if not given.exists():
            missing.append(raw)
        elif given.is_dir():
            for found in _walk(given):
                if found.suffix == MARKDOWN or extra(found.resolve()):
                    add(found.as_posix(), found)
        else:
            add(given.as_posix(), given)
    return Selection(tuple(targets), tuple(missing))


def _walk(folder: Path) -> Iterator[Path]:
    """Every non-hidden entry under ``folder`` that is not a folder, sorted; links to folders
    are not followed (no loops)."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(top) / name


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a special file"


def read_text(target: Target) -> str:
    """The file's text; :class:`ToneInputError` if it is not a regular UTF-8 file."""

    def refuse(message: str, fix: str) -> ToneInputError:
        return ToneInputError(Problem(target.display, None, "", message, fix))

    try:
        # Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(target.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})", "check the path and the file's permissions") from exc
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(
                f"is not a regular file but {_kind_of(mode)}", "name a Markdown or text file, or a folder"
            )
        try:
            data = handle.read()
        except OSError as exc:
            raise refuse(f"cannot be read ({exc.strerror})", "check the file") from exc
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise refuse(
            f"is not UTF-8 text ({exc.reason} at byte {exc.start})", "save the file as UTF-8"
        ) from exc


def _scalar(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None


def file_item(target: Target, volume: int, scorer: Callable[[str], ToneScore] = score) -> ScoredItem:
    """A file that is not a content item, scored against the brand's ``volume``."""
    text = read_text(target)
    meta: dict[object, object] = {}
    body = text
    first_line = text.split("\n", 1)[0]
    if first_line.rstrip() == "---":
        try:
            document = parse_document(text)
        except FrontMatterError as exc:
            raise ToneInputError(Problem(target.display, exc.line, "", exc.message, exc.fix)) from exc
        if isinstance(document.meta.data, dict):
            meta = document.meta.data
        body = document.body
    fields = [_scalar(meta.get(name)) for name in TEXT_FIELDS]
    title = fields[0] or Path(target.display).stem
    scored = scorer("\n\n".join([*(f for f in fields if f), body.strip()]))
    return ScoredItem(target.display, FILE_KIND, title, FILE_STATUS, frozenset(), scored, {}, volume)


@dataclass(frozen=True)
class PathScores:
    """What ``followhome tone PATH…`` reports."""

    items: tuple[ScoredItem, ...]
    missing: tuple[str, ...]
    unscored: tuple[Problem, ...]
    """Files that could not be scored (not a regular file, not UTF-8, broken front matter)."""
    not_loaded: tuple[Problem, ...]
    """Content problems of files scored as plain files because they did not load as items."""


def score_paths(
    paths: Sequence[str],
    items: Sequence[ScoredItem],
    volume: int,
    content_problems: Sequence[Problem] = (),
    scorer: Callable[[str], ToneScore] = score,
) -> PathScores:
    """The content ``items`` the paths name, and every other file they name scored against ``volume``."""
    by_path = {Path(item.path).resolve(): item for item in items}
    selection = select(paths, extra=lambda path: path in by_path)
    if selection.missing:
        return PathScores((), selection.missing, (), ())
    problems_of: dict[Path, list[Problem]] = {}
    for problem in content_problems:
        problems_of.setdefault(Path(problem.file).resolve(), []).append(problem)
    chosen: list[ScoredItem] = []
    unscored: list[Problem] = []
    not_loaded: list[Problem] = []
    for target in selection.targets:
        item = by_path.get(target.path)
        if item is not None:
            chosen.append(item)
            continue
        not_loaded += problems_of.get(target.path, [])
        try:
            chosen.append(file_item(target, volume, scorer))
        except ToneInputError as exc:
            unscored.append(exc.problem)
    return PathScores(tuple(chosen), (), tuple(unscored), tuple(not_loaded))
