"""Hand each new item to one service, once: record after the service confirmed, go on after a
failure, and say what went out, what was held and what failed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from followhome.delivery.handover import Handed
from followhome.delivery.http import ServiceError
from followhome.delivery.record import Delivered, utc_stamp

P = TypeVar("P")


@dataclass(frozen=True)
class Job(Generic[P]):
    key: str
    """The item's permanent id: the key in ``delivered.yml``."""
    label: str
    """How the item is named to the editor: its title."""
    payload: P
    held: str = ""
    """Why it is not handed over (too loud for the channel with ``tone.enforce``), if it is not."""


@dataclass
class Outcome:
    handed: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def deliver(
    service: str,
    jobs: Sequence[Job[P]],
    create: Callable[[P], Handed],
    record: Delivered,
    dry_run: bool,
    now: Callable[[], datetime],
    say: Callable[[str], None],
    describe: Callable[[P], str] = lambda payload: "",
) -> Outcome:
    """Hand over every job not in the record; record each one the service confirmed."""
    outcome = Outcome()
    for job in jobs:
        if record.has(service, job.key):
            continue
        if job.held:
            outcome.held.append(job.key)
            say(f"  held: {job.key} {job.label!r}: {job.held}")
            continue
        if dry_run:
            detail = describe(job.payload)
            say(f"  would hand over {job.key} {job.label!r}" + (f":\n{detail}" if detail else ""))
            outcome.handed.append(job.key)
            continue
        try:
            handed = create(job.payload)
        except ServiceError as exc:
            outcome.failed.append(job.key)
            say(f"  NOT handed over: {job.key} {job.label!r}: {exc}")
            continue
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            # A success answer not as the service documents it (not JSON, no id): not recorded,
            # so the next run looks it up or tries again.
            outcome.failed.append(job.key)
            say(
                f"  NOT handed over: {job.key} {job.label!r}: {service} answered in an unexpected way ({exc!r})"
            )
            continue
        record.add(service, job.key, handed.entry(utc_stamp(now())))
        outcome.handed.append(job.key)
        say(
            f"  handed over {job.key} {job.label!r}"
            + (f": {handed.url}" if handed.url else f" ({handed.id})")
        )
    return outcome
