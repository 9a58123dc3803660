"""Workers ahead of the build: every page gets the result it would get in the build, whoever
does it; a slow worker is overtaken; a failing page or a stopped worker leaves the page to
the build."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

import pytest

from followhome.cache import background
from followhome.mkdocs.speed.pageworkers import PageWorkers

pytestmark = pytest.mark.skipif(not background.available(), reason="fork() is POSIX only")
BUILD = os.getpid()


@dataclass
class _File:
    src_uri: str


@dataclass
class _Page:
    file: _File
    number: int


def _pages(count: int) -> list[Any]:
    return [_Page(_File(f"stories/{n}.md"), n) for n in range(count)]


def _square(page: Any) -> tuple[int, int]:
    return os.getpid(), page.number * page.number


def _go_through(workers: PageWorkers[Any], pages: list[Any], here: Any) -> list[Any]:
    """What the build does: each page in order, from a worker or done here."""
    results = []
    for page in pages:
        done = workers.take(page)
        results.append(here(page) if done is None else done.result)
    workers.stop()
    return results


def _start(pages: list[Any], work: Any, count: int = 1) -> PageWorkers[Any]:
    return PageWorkers(pages, work, count)


@pytest.mark.parametrize("count", [1, 3])
def test_every_page_gets_its_result_whoever_works_on_it(count: int) -> None:
    pages = _pages(400)
    workers = _start(pages, _square, count)
    results = _go_through(workers, pages, _square)
    assert [square for _, square in results] == [n * n for n in range(400)]
    by_workers = sum(1 for pid, _ in results if pid != BUILD)
    assert by_workers == workers.taken > 0
    assert len({pid for pid, _ in results if pid != BUILD}) <= count


def test_a_page_outside_the_list_is_left_to_the_build() -> None:
    pages = _pages(200)
    workers = _start(pages, _square)
    try:
        assert workers.take(_Page(_File("about.md"), 0)) is None  # type: ignore[arg-type]
    finally:
        workers.stop()


def _slow(page: Any) -> tuple[int, int]:
    time.sleep(0.05)
    return _square(page)


def test_a_slow_worker_is_overtaken_by_the_build() -> None:
    """The build does each page no worker has started when it gets there: it never waits
    for pages a slow worker would reach later."""
    pages = _pages(300)
    workers = _start(pages, _slow)
    results = _go_through(workers, pages, _square)
    assert [square for _, square in results] == [n * n for n in range(300)]
    assert 0 < workers.taken < 30  # 300 pages at 50 ms would take the worker 15 s


def _fails_there(page: Any) -> tuple[int, int]:
    if os.getpid() != BUILD and page.number % 2:
        raise RuntimeError("a bug in the worker")
    return _square(page)


def test_a_page_whose_work_fails_is_done_by_the_build() -> None:
    pages = _pages(200)
    workers = _start(pages, _fails_there)
    results = _go_through(workers, pages, _fails_there)
    assert [square for _, square in results] == [n * n for n in range(200)]
    assert all(pid == BUILD for pid, square in results if square % 2)
    assert workers.taken > 0


def _stops_there(page: Any) -> tuple[int, int]:
    if os.getpid() != BUILD and page.number >= 20:
        os._exit(3)  # the worker dies without a word
    return _square(page)


def test_the_pages_of_a_worker_that_stopped_are_done_by_the_build() -> None:
    pages = _pages(200)
    workers = _start(pages, _stops_there)
    results = _go_through(workers, pages, _square)
    assert [square for _, square in results] == [n * n for n in range(200)]
    assert all(pid == BUILD for pid, square in results[20:])


def _unpicklable(page: Any) -> Any:
    return (lambda: page.number) if os.getpid() != BUILD else page.number


def test_a_result_that_cannot_come_back_is_done_by_the_build() -> None:
    pages = _pages(150)
    workers = _start(pages, _unpicklable)
    assert _go_through(workers, pages, _unpicklable) == list(range(150))
    assert workers.taken == 0
