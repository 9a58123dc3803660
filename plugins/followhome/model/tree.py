"""What is in ``content/``: the files followhome may read, and the ones it refuses.

Nothing outside ``content/`` may reach an output, and nothing may make a build wait: a
link (symlink) that leads out of ``content/`` or nowhere, a FIFO, a socket or a device is
refused here, named with its path, before any file is opened. The collection folders
(``values/``, ``stories/``, ``updates/``) hold Markdown only: anything else there (an
editor's ``x.md~``, ``x-copy.txt``, ``x.html``) would be copied into the site verbatim,
names and consent references included, so it is refused too.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from followhome.model.problems import Problem

MAX_BYTES = 1_000_000
"""Largest Markdown or YAML file read: a story is a page, not a book."""


def display_name(path: str) -> str:
    """A path as text that can always be printed (bytes that are not UTF-8 shown as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class Tree:
    """The result of :func:`scan`."""

    root: Path
    prefix: str
    markdown: dict[str, list[Path]] = field(default_factory=dict)
    """Readable Markdown files of each collection folder, sorted."""
    refused: set[str] = field(default_factory=set)
    """Paths relative to ``root`` (POSIX) that must not reach any output."""
    problems: list[Problem] = field(default_factory=list)

    def display(self, rel: str) -> str:
        return display_name(f"{self.prefix}/{rel}" if self.prefix else rel)

    def refuse(self, rel: str, message: str, fix: str) -> Problem:
        """Keep ``rel`` out of every output, and say why."""
        self.refused.add(rel)
        self.problems.append(Problem(self.display(rel), None, "", message, fix))
        return self.problems[-1]


def scan(root: Path, prefix: str, collections: tuple[str, ...]) -> Tree:
    """Walk ``root`` without following links; refuse what must not be read."""
    tree = Tree(root, prefix, {folder: [] for folder in collections})
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        rel_base = base.relative_to(root).as_posix()
        top = rel_base.split("/", 1)[0] if rel_base != "." else ""
        for name in sorted(dirs):
            rel = name if rel_base == "." else f"{rel_base}/{name}"
            if (base / name).is_symlink():
                dirs.remove(name)  # os.walk does not enter it; say why it is left out
                _check_link(tree, real_root, base / name, rel)
        for name in sorted(files):
            rel = name if rel_base == "." else f"{rel_base}/{name}"
            if display_name(rel) != rel:
                tree.refuse(rel, "has a name that is not UTF-8 text", "rename the file")
                continue
            _check_file(tree, real_root, base / name, rel, top in collections)
            if top in collections and rel not in tree.refused and name.endswith(".md"):
                tree.markdown[top].append(base / name)
    for paths in tree.markdown.values():
        paths.sort()
    return tree


def _check_link(tree: Tree, real_root: Path, path: Path, rel: str) -> None:
    """A link may point only at something inside ``content/`` (it is read as its target)."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        tree.refuse(rel, "is a link to nothing (its target does not exist)", "delete the link")
        return
    if target != real_root and real_root not in target.parents:
        # The target's name is not repeated: it may itself be private.
        tree.refuse(
            rel,
            "is a link to something outside the content folder, which is never published",
            "copy what should be published into the content folder and delete the link",
        )


def _check_file(tree: Tree, real_root: Path, path: Path, rel: str, in_collection: bool) -> None:
    if path.is_symlink():
        _check_link(tree, real_root, path, rel)
        if rel in tree.refused:
            return
    try:
        info = path.stat()
    except OSError as exc:
        tree.refuse(rel, f"cannot be read ({exc.strerror})", "check the file and its permissions")
        return
    if not stat.S_ISREG(info.st_mode):  # nothing waits on a pipe
        tree.refuse(
            rel,
            "is not a regular file (a pipe, socket or device), so it is not read",
            "delete it or replace it with a regular file",
        )
        return
    if in_collection and not rel.endswith(".md"):
        folder = rel.split("/", 1)[0]
        tree.refuse(
            rel,
            f"is not a Markdown file, and {folder}/ holds only Markdown files followhome turns into pages "
            "(anything else there would be published as it is)",
            "delete it, or move it out of the content folder (images go in assets/)",
        )
        return
    size = info.st_size
    if rel.endswith((".md", ".yml", ".yaml")) and size > MAX_BYTES:
        tree.refuse(
            rel,
            f"is {size / 1_000_000:.1f} MB, more than the {MAX_BYTES // 1_000_000} MB a content file may have",
            "shorten it, or link to a longer text instead of including it",
        )
