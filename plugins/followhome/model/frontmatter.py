"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass

from followhome.model.yamlio import Located, YamlSyntaxError, load_yaml

_FENCE = "---"


class FrontMatterError(Exception):
    """The file has no usable front matter; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int | None, fix: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix


@dataclass(frozen=True)
class Document:
    """Front matter (with file line numbers) and the Markdown body."""

    meta: Located
    body: str
    body_line: int


def parse_document(text: str) -> Document:
    """Parse ``---``-fenced front matter; line numbers refer to the whole file."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        raise FrontMatterError(
            "expected front matter starting with '---' on the first line",
            1,
            "start the file with a line '---', the YAML fields, then another '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            break
    else:
        raise FrontMatterError(
            "front matter is never closed",
            1,
            "add a line '---' after the last YAML field",
        )
    yaml_text = "".join(lines[1:index])
    try:
        located = load_yaml(yaml_text, first_line=2)  # the YAML starts after the fence
    except YamlSyntaxError as exc:
        raise FrontMatterError(
            f"front matter is not valid YAML: {exc.message}",
            exc.line,
            exc.fix
            or "check indentation and quoting on that line; "
            "put text containing ': ' or starting with a quote inside double quotes",
        ) from exc
    return Document(meta=located, body="".join(lines[index + 1 :]), body_line=index + 2)


def body_of(text: str, body_line: int) -> str:
    """The body of ``text`` as :func:`parse_document` gives it, from its first line (1-based)."""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    return "".join(lines[body_line - 1 :])
