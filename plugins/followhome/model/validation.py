"""Turn pydantic validation errors into problems an editor can act on."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from followhome.model.content import ID_PATTERN
from followhome.model.problems import Problem
from followhome.model.yamlio import Located

M = TypeVar("M", bound=BaseModel)

_DATE_FIX = "write the date as YYYY-MM-DD, for example 2026-03-14"
_DATE_FIELDS = {"date", "updated", "given", "withdrawn", "received", "expires"}


def field_name(loc: tuple[Any, ...]) -> str:
    """``('consent', 'channels', 1)`` -> ``consent.channels[1]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model in ``X`` or ``X | None``, if any."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at the mapping that contains ``loc[-1]``."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current is not None else None
        current = _model_in(info.annotation) if info is not None else None
    return list(current.model_fields) if current is not None else []


def _explain(model: type[BaseModel], error: Any) -> tuple[str, str]:
    """(message, fix) for one pydantic error."""
    kind: str = error["type"]
    loc: tuple[Any, ...] = tuple(error["loc"])
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    got = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing", f"add `{last}:` with a value"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"rename it to `{close[0]}`" if close else "remove it"
        known = ", ".join(allowed)
        return f"is not a known field (known fields here: {known})", hint
    if kind in ("literal_error", "enum"):
        return (
            f"expected one of {ctx.get('expected', '')}; got {_shown(got)}",
            f"set `{last}` to one of {ctx.get('expected', '')}",
        )
    if last in _DATE_FIELDS:
        return f"expected a date; got {_shown(got)}", _DATE_FIX
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return (
            f"expected a permanent id of 3-64 lowercase letters, digits and hyphens; got {_shown(got)}",
            "use an id like s-3f9a1c2e (`followhome new` makes one); never change it once published",
        )
    if kind == "string_too_long":
        most = ctx.get("max_length")
        return (
            f"is {len(str(got))} characters long, more than the {most} it may have",
            f"shorten `{last}` to {most} characters or fewer",
        )
    if kind == "string_too_short" or (kind == "too_short" and isinstance(got, list)):
        return "is empty", f"write a value for `{last}` or remove the field if it is optional"
    if kind in ("model_type", "dict_type"):
        return (
            f"expected a mapping of fields; got {_shown(got)}",
            f"indent the fields of `{last or 'the front matter'}` under it",
        )
    if kind == "list_type":
        return f"expected a list; got {_shown(got)}", f"write `{last}: [first, second]`"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"expected true or false; got {_shown(got)}", f"set `{last}: true` or `{last}: false`"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        side = "at most" if kind == "less_than_equal" else "at least"
        return f"expected a number {side} {bound}; got {_shown(got)}", f"set `{last}` to {side} {bound}"
    if kind in ("int_parsing", "int_type"):
        return f"expected a whole number; got {_shown(got)}", f"write `{last}` as a number, like 3"
    if kind.startswith("url"):
        return (
            f"expected a full URL; got {_shown(got)}",
            "write it with its scheme, like https://example.com/",
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{message}; got {_shown(got)}", f"correct `{last}` as the message says"


def problems_from(exc: ValidationError, model: type[BaseModel], path: str, located: Located) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message, fix = _explain(model, error)
        if loc and loc[-1] == "[key]":  # a key of a mapping (consent_wording: {print: ...}), not a value
            loc = loc[:-1]
            message = f"'{loc[-1]}' is not a key this field takes: {message.removeprefix('expected ')}"
            fix = f"rename `{loc[-1]}`" + fix.removeprefix("set `[key]`")
        # A missing top-level field has no line; a missing nested one points at its parent.
        line = None if error["type"] == "missing" and len(loc) == 1 else located.line_of(loc)
        problems.append(Problem(path, line, field_name(loc), message, fix))
    return problems


def validate(model: type[M], located: Located, path: str) -> tuple[M | None, list[Problem]]:
    """Validate parsed YAML against ``model``; return the instance or the problems."""
    data = located.data
    if not isinstance(data, dict):
        return None, [
            Problem(
                path,
                located.line_of(()),
                "",
                f"expected YAML fields (key: value); got {_shown(data)}",
                "write one `field: value` per line",
            )
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(exc, model, path, located)
