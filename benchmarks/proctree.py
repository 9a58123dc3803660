"""Wall time, CPU time and peak memory of a command and of every process it starts (Linux).

    python benchmarks/proctree.py --report usage.json [--every 0.05] -- mkdocs build -q

The command runs under this small wrapper process, which

* makes itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``), so a process of the
  tree whose parent ends without waiting for it is handed to the wrapper rather than to
  init; after the command ends the wrapper waits for every such process too. CPU time is
  then ``getrusage(RUSAGE_CHILDREN)`` of the wrapper: user + system time of the command, of
  every descendant its own parent waited for (the kernel adds it to the parent's), and of
  every descendant the wrapper waited for itself. Without the subreaper, a forked worker
  that its parent does not wait for is missed by ``RUSAGE_CHILDREN`` around a
  ``subprocess.run`` (see ``tests/tooling/test_benchmarks.py``);
* samples the memory of the whole tree from a thread: the sum of PSS (and of RSS) from
  ``/proc/<pid>/smaps_rollup`` of every descendant, every ``--every`` seconds; the peak of
  the sums is reported. PSS shares each page between the processes that map it, so forked
  workers count the pages they share with the build once, and the pages they copied in
  full. Reading ``smaps_rollup`` walks the process's page tables (about 3 ms of CPU for
  100 MB here), so the sampler waits at least 9 times the CPU time its last sample took,
  keeping it under a tenth of one core however large the tree.

Wall time is from starting the command to its end (not to the end of processes it left
behind; their number is reported as ``strays``). The report is a JSON object
(:class:`Usage`); the wrapper exits with the command's exit code.

:func:`measure_command` runs a command this way from Python; :func:`tree_cpu_seconds` reads
the CPU time of a running process tree from /proc (for `mkdocs serve`, measured between
two moments rather than to its end).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
TICK = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024
LINGER = 120.0
"""Seconds the wrapper waits for processes the command left behind before killing them."""
SAMPLER_SHARE = 0.1
"""Most of one core the memory sampler may use (it waits 1/share - 1 times its last sample)."""


@dataclass(frozen=True)
class Usage:
    """What one command and its process tree used."""

    wall_s: float
    user_s: float
    system_s: float
    peak_pss_mb: float
    """Highest sum of PSS over the tree at one sample (RSS when PSS cannot be read)."""
    peak_rss_mb: float
    """Highest sum of RSS over the tree at one sample (shared pages counted in each process)."""
    max_rss_mb: float
    """Peak RSS of the largest single process (``ru_maxrss``), as GNU time's ``%M``."""
    samples: int
    strays: int
    """Descendants that ended after their parent without being waited for by it."""
    returncode: int = 0

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.system_s


@dataclass(frozen=True)
class _Stat:
    ppid: int
    cpu_ticks: int
    """utime + stime + cutime + cstime: the process and its children it has waited for."""


def _stat(pid: int) -> _Stat | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:  # noqa: PTH123  # many small reads
            text = file.read()
    except OSError:
        return None
    fields = text[text.rindex(b")") + 2 :].split()
    # state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    return _Stat(ppid=int(fields[1]), cpu_ticks=sum(int(f) for f in fields[11:15]))


def _all_stats() -> dict[int, _Stat]:
    stats = {}
    for name in os.listdir("/proc"):  # noqa: PTH208  # names only, 20 times a second
        if name.isdigit() and (stat := _stat(int(name))) is not None:
            stats[int(name)] = stat
    return stats


def descendants(root: int, stats: Mapping[int, _Stat] | None = None) -> list[int]:
    """Every living process under ``root`` (not ``root`` itself), found by parent ids in /proc
    (this kernel may lack ``/proc/<pid>/task/<tid>/children``)."""
    stats = _all_stats() if stats is None else stats
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        children.setdefault(stat.ppid, []).append(pid)
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root``, its living descendants and the
    descendants they have waited for. The difference between two readings is what the tree
    used in between, except processes that ended unwaited-for in between (handed to init)."""
    stats = _all_stats()
    pids = [root, *descendants(root, stats)]
    return sum(stats[pid].cpu_ticks for pid in pids if pid in stats) / TICK


def _memory_kb(pid: int) -> tuple[int, int] | None:
    """(PSS, RSS) of one process in kB; PSS is RSS where smaps_rollup cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as file:  # noqa: PTH123
            text = file.read()
    except OSError:
        text = b""
    pss = rss = None
    for line in text.splitlines():
        if line.startswith(b"Pss:"):
            pss = int(line.split()[1])
        elif line.startswith(b"Rss:"):
            rss = int(line.split()[1])
    if pss is not None and rss is not None:
        return pss, rss
    try:
        with open(f"/proc/{pid}/statm", "rb") as file:  # noqa: PTH123
            resident = int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return None  # ended meanwhile
    return resident, resident


def tree_memory_kb(pids: Iterable[int]) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in kB over ``pids``; processes that ended count nothing."""
    pss = rss = 0
    for pid in pids:
        memory = _memory_kb(pid)
        if memory is not None:
            pss += memory[0]
            rss += memory[1]
    return pss, rss


class MemorySampler(threading.Thread):
    """Samples the memory of every descendant of ``root`` until :meth:`stop`."""

    def __init__(self, root: int, every: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.every = every
        self.peak_pss_kb = 0
        self.peak_rss_kb = 0
        self.samples = 0
        self._stopped = threading.Event()

    def sample(self) -> None:
        pss, rss = tree_memory_kb(descendants(self.root))
        self.peak_pss_kb = max(self.peak_pss_kb, pss)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.samples += 1

    def run(self) -> None:
        while not self._stopped.is_set():
            started = time.thread_time()  # CPU time: on a busy machine, wall time would overstate it
            self.sample()
            took = time.thread_time() - started
            self._stopped.wait(max(self.every, took * (1 / SAMPLER_SHARE - 1)))

    def stop(self) -> None:
        self._stopped.set()
        self.join()


def _become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _reap_strays(linger: float) -> int:
    """Wait for every process handed to this one; kill what is left after ``linger`` s."""
    strays = 0
    deadline = time.monotonic() + linger
    killed = False
    while True:
        try:
            pid, _, _ = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return strays
        if pid:
            strays += 1
            continue
        if not killed and time.monotonic() > deadline:
            for left in descendants(os.getpid()):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(left, signal.SIGKILL)
            killed = True
        time.sleep(0.01)


def run_wrapped(command: Sequence[str], every: float, linger: float = LINGER) -> Usage:
    """Runs ``command`` as this process's child (this process becoming a subreaper) and
    measures it. Meant for a process that does nothing else: the wrapper below."""
    _become_subreaper()
    sampler = MemorySampler(os.getpid(), every)
    sampler.start()
    started = time.perf_counter()
    process = subprocess.Popen(command)
    returncode = process.wait()
    wall = time.perf_counter() - started
    strays = _reap_strays(linger)
    sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Usage(
        wall_s=wall,
        user_s=usage.ru_utime,
        system_s=usage.ru_stime,
        peak_pss_mb=sampler.peak_pss_kb / 1024,
        peak_rss_mb=sampler.peak_rss_kb / 1024,
        max_rss_mb=usage.ru_maxrss / 1024,
        samples=sampler.samples,
        strays=strays,
        returncode=returncode,
    )


class CommandFailedError(RuntimeError):
    def __init__(self, command: Sequence[str], usage: Usage, output: str) -> None:
        super().__init__(f"{' '.join(command)} exited with {usage.returncode}:\n{output}")
        self.usage = usage
        self.output = output


def measure_command(
    command: Sequence[str],
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    every: float = 0.05,
    check: bool = True,
) -> Usage:
    """Runs ``command`` under the wrapper (see the module's description) and returns its
    :class:`Usage`; its output is captured and shown only if it fails (``check``)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage.json"
        run = subprocess.run(
            [sys.executable, __file__, "--report", str(report), "--every", str(every), "--", *command],
            cwd=cwd,
            env=None if env is None else dict(env),
            capture_output=True,
            text=True,
            check=False,
        )
        if not report.exists():
            raise RuntimeError(f"the measuring wrapper failed ({run.returncode}):\n{run.stderr}")
        usage = Usage(**json.loads(report.read_text(encoding="utf-8")))
    if check and usage.returncode != 0:
        raise CommandFailedError(command, usage, run.stdout + run.stderr)
    return usage


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--report", type=Path, required=True, help="where to write the JSON usage")
    parser.add_argument("--every", type=float, default=0.05, help="seconds between memory samples")
    parser.add_argument("--linger", type=float, default=LINGER)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args(argv)
    usage = run_wrapped(args.command, args.every, args.linger)
    args.report.write_text(json.dumps(asdict(usage)), encoding="utf-8")
    return usage.returncode if usage.returncode >= 0 else 128 - usage.returncode  # killed by a signal


if __name__ == "__main__":
    sys.exit(main())
