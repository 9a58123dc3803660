"""Credentials and addresses of the services, from environment variables (CI secrets), never
from the repository."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class SetupError(ValueError):
    """A service's settings cannot work (no audience, a malformed key): said before any request."""


class MissingCredentialsError(Exception):
    """Variables a command needs and the environment lacks: say every one of them."""

    def __init__(self, variables: Sequence[str]) -> None:
        self.variables = list(variables)
        super().__init__("set " + ", ".join(self.variables))


def require(env: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    """The values of ``names``; :class:`MissingCredentialsError` naming each one unset or empty."""
    absent = [name for name in names if not env.get(name, "").strip()]
    if absent:
        raise MissingCredentialsError(absent)
    return {name: env[name].strip() for name in names}


def has(env: Mapping[str, str], names: Sequence[str]) -> bool:
    """Whether every one of ``names`` is set (a network is used by default only then)."""
    return all(env.get(name, "").strip() for name in names)
