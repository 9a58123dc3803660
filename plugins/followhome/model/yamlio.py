"""Read YAML the way editors mean it, keeping the line of every field.

Dates stay strings here (the model parses them, with a message editors can act on),
so a bad date is a validation problem instead of a crash inside the YAML library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is much faster on large sites; fall back to pure Python.
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader

Path = tuple[str | int, ...]


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that leaves timestamps as strings."""


# YAML 1.2 booleans only: "yes", "no", "on" and "off" stay words (no "Norway problem").
_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``line`` is the line in the file (see :func:`load_yaml`)."""

    def __init__(self, message: str, line: int | None, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.fix = fix
        """What to do, where the problem says more than "the YAML is broken"."""


@dataclass(frozen=True)
class Located:
    """Parsed YAML data and the 1-based line of each field path within the text."""

    data: Any
    lines: Mapping[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """Line of ``path`` or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], first_line: int, nodes: set[int]) -> None:
    lines.setdefault(path, node.start_mark.line + first_line)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if id(node) in nodes:
            # An alias (*name) of a list or mapping: a few hundred bytes of nested aliases
            # expand to billions of entries ("billion laughs"). Editors' files need none.
            raise YamlSyntaxError(
                "anchors and aliases (&name, *name) are not supported here",
                node.start_mark.line + first_line,
                "write the fields out in full instead of referring to an anchor",
            )
        nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + first_line
                first = keys.setdefault(str(key.value), line)
                if first != line:
                    # YAML keeps the last of two equal keys: `status: draft` then
                    # `status: published` would silently publish.
                    where = ".".join(str(p) for p in (*path, key.value))
                    raise YamlSyntaxError(
                        f"the key '{where}' appears twice (lines {first} and {line}); YAML would keep only "
                        "the last one",
                        line,
                        f"keep the right one of lines {first} and {line} and delete the other",
                    )
                child = (*path, str(key.value))
                lines[child] = line
                _walk(value, child, lines, first_line, nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, first_line, nodes)


def load_yaml(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document; raise :class:`YamlSyntaxError` on malformed text or a key
    given twice. Lines are counted from ``first_line``, the line of the text in its file."""
    loader = _Loader(text)
    lines: dict[Path, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, lines)
        _walk(node, (), lines, first_line, set())  # before building anything from the nodes
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(reason, line) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from exc
    finally:
        loader.dispose()
    return Located(data, lines)
