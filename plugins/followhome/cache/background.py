"""Work for another core while MkDocs builds the pages.

MkDocs builds pages in one process. Work the pages do not need (email outbox, social
cards) runs in forked processes meanwhile, and the build collects it at the end. Where
fork() is not available (Windows), callers do the work in process instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")
X = TypeVar("X")


class WorkError(Exception):
    """Work that failed for a reason the user can act on; the message says what to do."""


CGROUP_ROOT = Path("/sys/fs/cgroup")
"""Where cgroup v2 is mounted (a container's own cgroup is its root)."""


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def quota_cores(cpu_max: str) -> int | None:
    """The whole cores a cgroup v2 ``cpu.max`` (``"200000 100000"``: quota and period in µs)
    allows, at least 1; None for no quota (``"max 100000"``) or a text it does not read."""
    fields = cpu_max.split()
    if len(fields) != 2 or fields[0] == "max":
        return None
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    return max(1, quota // period) if quota > 0 and period > 0 else None


def cgroup_cores(root: Path = CGROUP_ROOT, own: str | None = None) -> int | None:
    """The fewest whole cores any cgroup v2 ``cpu.max`` above this process allows (its own
    cgroup, read from /proc/self/cgroup, and every parent up to ``root``), or None."""
    if own is None:
        try:
            lines = Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        own = next((line[3:] for line in lines if line.startswith("0::")), "/")
    folder = root / own.strip("/") if ".." not in own else root
    limits = []
    while True:
        try:
            limit = quota_cores((folder / "cpu.max").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            limit = None
        if limit is not None:
            limits.append(limit)
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    return min(limits, default=None)


def usable_cores() -> int:
    """Cores this process may use: the CPUs it may run on (its affinity, where the system
    tells), and no more than its container's CPU quota (cgroup v2) allows."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    quota = cgroup_cores()
    return max(1, cores if quota is None else min(cores, quota))


def shares(tasks: Sequence[X], smallest_share: int, work: float | None = None) -> list[Sequence[X]] | None:
    """``tasks`` split into one share per process worth starting (one per usable core, each with
    at least ``smallest_share`` tasks), or None when they are better done in this process.

    ``work`` is what the tasks amount to, counted in tasks of the kind ``smallest_share``
    counts, when some tasks are much cheaper than others (default: one each); the shares
    take every ``count``-th task, so order the tasks to spread the dear ones."""
    amount = len(tasks) if work is None else work
    if amount < smallest_share or not tasks or not available():
        return None
    count = max(1, min(usable_cores(), int(amount // smallest_share), len(tasks)))
    return [tasks[i::count] for i in range(count)]


def _child(work: Callable[[], object], writer: Connection) -> None:
    # Everything inherited from the build stays alive until this process ends: keep the
    # garbage collector from scanning it (each scan would also copy the pages it touches).
    gc.freeze()
    try:
        writer.send(("ok", work()))
    except WorkError as exc:
        writer.send(("error", str(exc)))
    except BaseException:  # a bug: the whole story goes back to the build, which reports it
        writer.send(("error", traceback.format_exc()))
    finally:
        writer.close()


class Background(Generic[T]):
    """``work()`` in a forked process; :meth:`result` waits for it and returns its result."""

    def __init__(self, work: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        # fork: the child gets `work` and everything it refers to as it is now, unpickled.
        self.process: BaseProcess = context.Process(target=_child, args=(work, writer), daemon=True)
        self.process.start()
        writer.close()

    def result(self) -> T:
        """The work's result; :class:`WorkError` if it failed."""
        try:
            status, payload = self.reader.recv()
        except EOFError:
            status, payload = "error", f"the worker stopped with exit code {self.process.exitcode}"
        finally:
            self.process.join()
            self.reader.close()
        if status != "ok":
            raise WorkError(str(payload))
        result: T = payload
        return result

    def stop(self) -> None:
        """Give up on the work (the build failed); the next build redoes it."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.reader.close()


def _each(work: Callable[[X], T], tasks: Sequence[X]) -> list[T]:
    return [work(task) for task in tasks]


def map_on_cores(work: Callable[[X], T], tasks: Sequence[X], smallest_share: int) -> list[T]:
    """``[work(task) for task in tasks]``, shared between this process and forked ones (see
    :func:`shares`). A share whose process fails is done again here, so a bug in ``work``
    shows as it would without the other processes."""
    split = shares(tasks, smallest_share)
    if split is None or len(split) < 2:
        return _each(work, tasks)
    workers = [Background(partial(_each, work, share)) for share in split[1:]]
    results: list[T | None] = [None] * len(tasks)
    results[0 :: len(split)] = _each(work, split[0])
    for number, (worker, share) in enumerate(zip(workers, split[1:], strict=True), start=1):
        try:
            done = worker.result()
        except WorkError:
            done = _each(work, share)
        results[number :: len(split)] = done
    return results  # type: ignore[return-value]  # every slot is filled
