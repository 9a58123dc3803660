"""The campaign's counts by family at the end of the run."""

from __future__ import annotations

import pytest

from tests.campaign.tally import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = TALLY.lines()
    if lines:
        terminalreporter.write_sep("-", "robustness campaign: cases and outcomes by family")
        for line in lines:
            terminalreporter.write_line(line)
