"""Wire stories to drop into hot folders, and a watcher running on a thread for the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.watch.watch_stories import Recorder
from versions.service import Archive, IngestResult
from versions.watch.events import EventLog
from versions.watch.folder import FolderWatcher
from versions.watch.notice import Reporter


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def archive(db_url: str) -> Iterator[Archive]:
    with Archive.open(db_url) as opened:
        yield opened


@dataclass
class RunningWatcher:
    watcher: FolderWatcher
    stop: threading.Event
    thread: threading.Thread

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def start_watcher() -> Iterator[Callable[..., RunningWatcher]]:
    running: list[RunningWatcher] = []

    def start(
        archive: Archive,
        folder: Path,
        log: EventLog,
        report: Callable[[IngestResult], None] | None = None,
        **options: Any,
    ) -> RunningWatcher:
        watcher = FolderWatcher(
            archive, [folder], log, report or Reporter(log), settle=0.2, **options
        )
        stop = threading.Event()
        thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
        thread.start()
        running.append(RunningWatcher(watcher, stop, thread))
        return running[-1]

    yield start
    for watcher in running:
        watcher.halt()


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the watcher")
        time.sleep(0.05)


@pytest.fixture
def until() -> Callable[..., None]:
    return wait_for


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """The hot folder: apart from the SQLite file, which lives in tmp_path."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder
