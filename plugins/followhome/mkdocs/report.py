"""The content and output problems followhome's plugins report in one build.

MkDocs counts warnings for ``--strict`` through its logger, so ``-q`` (which raises the
log level to ERROR) hides them from the count as well as from the screen: a strict build
would pass with every problem unseen (mkdocs issue #4126). The plugins report through
this ledger instead, which logs each problem and keeps it; once every followhome plugin
has finished, the content plugin fails a strict build on it, whatever the log level, and
lists the problems in its error when they were not shown.

The ledger lives on the build's config object, like the edition (see :mod:`.context`), so
nothing is carried from one ``mkdocs serve`` rebuild into the next.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import NoReturn

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

_ATTRIBUTE = "_followhome_report"


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

    def warning(self, log: logging.LoggerAdapter[logging.Logger], message: str) -> None:
        """Log ``message`` as a warning and keep it for the strict check."""
        self.problems.append(message)
        log.warning(message)

    def fail_if_strict(self, config: MkDocsConfig, log: logging.LoggerAdapter[logging.Logger]) -> None:
        """Raise :class:`PluginError` in a strict build that reported any problem."""
        if config.strict and self.problems:
            count = len(self.problems)
            self.fail(
                log,
                f"followhome: {count} {'problem fails' if count == 1 else 'problems fail'} this strict build",
            )

    def fail(self, log: logging.LoggerAdapter[logging.Logger], headline: str) -> NoReturn:
        """Raise :class:`PluginError` with ``headline`` and the problems, unless the log showed them."""
        if log.isEnabledFor(logging.WARNING):
            raise PluginError(f"{headline}; the problems are listed above.")
        listed = "".join(f"\n  {message}" for message in self.problems)
        raise PluginError(f"{headline}:{listed}")


def report_of(config: MkDocsConfig) -> Report:
    """This build's ledger (made by whichever followhome plugin reports first)."""
    report = getattr(config, _ATTRIBUTE, None)
    if not isinstance(report, Report):
        report = Report()
        setattr(config, _ATTRIBUTE, report)
    return report
