"""Content problems: what an editor did wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in the editors' content.

    ``file`` is the path as the editor knows it (e.g. ``content/stories/ana.md``),
    ``line`` the 1-based line in that file where known, ``field`` the dotted path of
    the front-matter field (``customer.show_as``), ``message`` what was expected and
    what was found, ``fix`` what to do about it.
    """

    file: str
    line: int | None
    field: str
    message: str
    fix: str
    blocks: bool = True
    """The file's item is left out of every output until this is fixed (False: only reported)."""

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order by file, then line (problems without a line first), then field."""
        return (self.file, self.line or 0, self.field, self.message)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}. Fix: {self.fix}"


class ContentError(Exception):
    """Raised when content cannot be used at all (for instance a broken brand.yml)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
