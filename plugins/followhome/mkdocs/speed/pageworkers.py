"""Pages worked on in forked processes ahead of MkDocs, which takes the results in its order.

MkDocs goes through the pages one after the other, in one process, twice: it renders their
Markdown, then fills their theme's templates. For both passes, forked workers take pages
ahead of it: a worker claims the next page no one has claimed that is some pages past the
one the build is on (:data:`LEAD`; twice as many each time the build had to wait for the
worker), works on it and sends the result back. When the build gets to a page a worker
claimed, it takes the result, waiting for it if the worker is still on it; a page no worker
claimed, it does itself. So the shares adjust as they go: a worker that runs slowly (its
core also composing emails, say) is overtaken and goes further ahead. What a worker's work
logged comes back with the result, for the build to log where it would have (see
:meth:`Done.replay`). A page whose work raised, or whose result cannot be pickled, and the
pages of a worker that stopped are left to the build, which reports any problem as usual.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from mkdocs.structure.pages import Page

R = TypeVar("R")
LEAD = 4
"""How far ahead of the build a worker starts a page at first (so the build rarely waits)."""
MOST_LEAD = 64
"""How far ahead a worker that keeps the build waiting (it is slower) goes at most."""
STARTING = 10.0
"""Seconds the build waits at most for a worker to start."""
FREE, BY_BUILD = 0, 255
"""Who has claimed a page: no one, the build, or worker number n (1, 2, ...)."""
SMALLEST_SHARE = 100
"""Pages each process (the build's included) must have for workers to be worth starting
(read by :mod:`followhome.mkdocs.speed.speedpath` when it decides)."""
PIPE_BYTES = 1 << 20
"""Room in each worker's pipe, so a worker ahead of the build rarely waits to send."""


@dataclass
class Done(Generic[R]):
    """A worker's result for one page, and what its work logged."""

    result: R
    records: list[logging.LogRecord]

    def replay(self) -> None:
        """Log the worker's records in this process, as if the work had been done here."""
        for record in self.records:
            logging.getLogger(record.name).handle(record)


class _Capture(logging.Handler):
    """Keeps a worker's log records (message formatted) to send back with the page."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None
        self.records.append(record)

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


@dataclass
class _Shared:
    """What the build and its workers share: who claimed each page, and where the build is."""

    claims: Any  # ctypes array of FREE / BY_BUILD / a worker's number, one per page
    position: Any  # ctypes integer: the index of the page the build is on
    lock: Any  # multiprocessing lock over both
    started: Any  # multiprocessing semaphore: a worker has claimed its first page (or has none)


if sys.platform == "linux":
    import fcntl

    def _widen(connection: Connection) -> None:
        """Make the pipe under ``connection`` hold :data:`PIPE_BYTES` (if the system allows)."""
        with contextlib.suppress(OSError):
            fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

else:

    def _widen(connection: Connection) -> None:
        """Other systems keep their pipes' size."""


def _work(
    number: int, pages: Sequence[Page], work: Callable[[Page], object], shared: _Shared, writer: Connection
) -> None:
    gc.freeze()  # see followhome.cache.background._child
    capture = _Capture()
    # Send what is logged back instead of printing it here, each record once.
    for name in ("mkdocs", ""):
        logging.getLogger(name).handlers = [capture]
    logging.getLogger("mkdocs").propagate = False
    index, lead = 0, LEAD
    claimed_one = False
    try:
        while True:
            with shared.lock:
                index = max(index, shared.position.value + lead)
                while index < len(pages) and shared.claims[index] != FREE:
                    index += 1
                if index >= len(pages):
                    break
                shared.claims[index] = number
            if not claimed_one:
                shared.started.release()
                claimed_one = True
            try:  # pickled here, so a result that cannot cross is a failure like any other
                result: bytes | None = pickle.dumps(work(pages[index]), pickle.HIGHEST_PROTOCOL)
            except Exception:  # the build does this page itself and reports the problem there
                result = None
            writer.send((index, result, capture.take()))
            if shared.position.value >= index:  # the build is waiting for this page: go further ahead
                lead = min(2 * lead, MOST_LEAD)
            index += 1
    finally:
        if not claimed_one:
            shared.started.release()
        writer.close()


class PageWorkers(Generic[R]):
    """``count`` forked workers doing ``work(page)`` for ``pages`` (in the build's order) ahead
    of the build; :meth:`take` gives the build a page's result, or None when the build should
    do it. Only :class:`followhome.mkdocs.speed.speedpath.SpeedPath` starts them, where its
    decision allows."""

    def __init__(self, pages: Sequence[Page], work: Callable[[Page], R], count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.index = {page.file.src_uri: number for number, page in enumerate(pages)}
        self.shared = _Shared(
            context.RawArray(ctypes.c_ubyte, len(pages)),
            context.RawValue(ctypes.c_long, 0),
            context.Lock(),
            context.Semaphore(0),
        )
        self.waiting = count
        """Workers the build waits for before its first page (so each takes a page at least)."""
        self.done: dict[int, Done[R] | None] = {}
        self.taken = 0
        """Pages whose result the build took."""
        self.readers: list[Connection] = []
        self.processes: list[BaseProcess] = []
        for number in range(1, count + 1):
            reader, writer = context.Pipe(duplex=False)
            _widen(writer)
            process = context.Process(
                target=_work, args=(number, pages, work, self.shared, writer), daemon=True
            )
            process.start()
            writer.close()  # so the reader sees the end when the worker stops
            self.readers.append(reader)
            self.processes.append(process)

    def take(self, page: Page) -> Done[R] | None:
        """A worker's result for ``page``, or None if the build should do the page itself
        (``page`` is not one of the pages, no worker claimed it, or its work failed)."""
        number = self.index.pop(page.file.src_uri, None)
        if number is None:
            return None
        while self.waiting:
            self.waiting -= 1
            self.shared.started.acquire(timeout=STARTING)
        with self.shared.lock:
            self.shared.position.value = number
            worker = self.shared.claims[number]
            if worker == FREE:
                self.shared.claims[number] = BY_BUILD
        if worker == FREE:
            return None
        reader = self.readers[worker - 1]
        while number not in self.done and not reader.closed:
            try:
                index, result, records = reader.recv()
            except (EOFError, OSError):  # the worker stopped: the build does what is missing
                reader.close()
                break
            self.done[index] = None if result is None else Done(pickle.loads(result), records)
        done = self.done.pop(number, None)
        if done is not None:
            self.taken += 1
        return done

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for reader in self.readers:
            reader.close()
        self.processes, self.readers, self.index, self.done = [], [], {}, {}
        # `taken` stays: what this build's workers did
