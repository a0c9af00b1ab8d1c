"""The worker processes of a directory ingest take comparisons before files, and the
writer reads a file itself rather than wait for a process to take it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from versions import intake


class _Held(Executor):
    """Runs nothing by itself: what it is handed waits for `finish`, in the order handed."""

    def __init__(self) -> None:
        self.given: list[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]]] = []
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._changed:
            self.given.append((fn, args, future))
            self._changed.notify_all()
        return future

    def calls(self, count: int) -> list[tuple[Any, ...]]:
        """The arguments of the first `count` tasks handed over (the processes' start-up
        left out), once they are."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self._tasks()) >= count, timeout=10)
            return [args for _, args, _ in self._tasks()]

    def finish(self, args: tuple[Any, ...]) -> None:
        for function, given, future in self._tasks():
            if given == args:
                future.set_result(function(*given))

    def _tasks(self) -> list[tuple[Callable[..., Any], tuple[Any, ...], Future[Any]]]:
        return [task for task in self.given if task[0] is not os.getpid]


@pytest.fixture
def held() -> Iterator[tuple[_Held, intake.Workers]]:
    executor = _Held()
    pool = intake.Workers(executor)
    yield executor, pool
    pool.close()


def _where(name: str) -> tuple[str, str]:
    return name, threading.current_thread().name


def test_a_comparison_goes_before_the_files_waiting_for_a_process(
    held: tuple[_Held, intake.Workers],
) -> None:
    executor, pool = held
    files = [pool.submit(_where, f"file {n}") for n in range(5)]
    assert executor.calls(intake.GIVEN) == [(f"file {n}",) for n in range(intake.GIVEN)]
    comparison = pool.submit(_where, "comparison", urgent=True)

    executor.finish(("file 0",))  # a process is free: the comparison is next
    assert executor.calls(intake.GIVEN + 1)[-1] == ("comparison",)
    assert files[0].done() and not comparison.done()


def test_the_writer_reads_a_file_itself_rather_than_wait_for_a_process(
    held: tuple[_Held, intake.Workers],
) -> None:
    executor, pool = held
    for n in range(intake.GIVEN):
        pool.submit(_where, f"file {n}")
    executor.calls(intake.GIVEN)  # every process busy
    waiting = pool.submit(_where, "next file")

    assert pool.result(waiting) == ("next file", threading.current_thread().name)
    assert ("next file",) not in executor.calls(intake.GIVEN)
