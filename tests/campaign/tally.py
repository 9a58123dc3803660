"""Outcomes of the campaign's cases, counted by family for the end-of-run summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Tally:
    cases: Counter[str] = field(default_factory=Counter)
    expected: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    outcomes: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    builds: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def record(
        self, family: str, expect: str, outcome: str, built: bool, check_s: float, build_s: float
    ) -> None:
        self.cases[family] += 1
        self.expected[family][expect] += 1
        self.outcomes[family][outcome] += 1
        self.builds[family] += built
        self.seconds["check"] += check_s
        self.seconds["build"] += build_s

    def lines(self) -> list[str]:
        if not self.cases:
            return []
        out = []
        width = max(len(f) for f in self.cases)
        for family in sorted(self.cases):
            expect = ", ".join(f"{k} {v}" for k, v in sorted(self.expected[family].items()))
            outcome = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes[family].items()))
            out.append(
                f"{family:<{width}}  {self.cases[family]:4} cases ({expect}); "
                f"{self.builds[family]:3} strict builds; {outcome}"
            )
        total = sum(self.cases.values())
        bad = sum(n for c in self.outcomes.values() for k, n in c.items() if k != "ok")
        out.append(
            f"{'total':<{width}}  {total:4} cases, {sum(self.builds.values())} strict builds, {bad} failing; "
            f"check {self.seconds['check']:.1f} s, builds {self.seconds['build']:.1f} s"
        )
        return out


TALLY = Tally()
