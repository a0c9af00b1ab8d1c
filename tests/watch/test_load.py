"""A burst of files into a folder watched by two `wirediff watch` processes, on both engines.

200 files here (20 stories × 10 versions) to keep the suite quick; the 1,000-file
burst (50 × 20) and its timing are in bench/watch.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.watch.watch_stories import (
    drop_burst,
    start_watch_process,
    stop_watch_process,
    wait_until_done,
)
from versions.service import Archive

STORIES, VERSIONS = 20, 10


def events(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def wait_for_start(logs: list[Path]) -> None:
    deadline = time.monotonic() + 30
    while not all(log.exists() and '"watching"' in log.read_text() for log in logs):
        assert time.monotonic() < deadline, "the watchers did not start"
        time.sleep(0.05)


class Reader(threading.Thread):
    """Stands in for a TUI open on the same database: polls for changes throughout."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.tokens: set[int] = set()
        self.reads = 0
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with Archive.open(self.url) as archive:
                while not self.stop.wait(0.1):
                    self.tokens.add(archive.change_token())
                    archive.stories(limit=50)
                    self.reads += 1
        except Exception as exc:
            self.error = exc


def test_burst_into_two_watchers_takes_every_file_exactly_once(db_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Archive.open(db_url):
        pass  # the schema exists before two processes race to create it
    logs = [tmp_path / f"watch-{n}.log" for n in range(2)]
    processes = [start_watch_process(db_url, inbox, log) for log in logs]
    reader = Reader(db_url)
    try:
        wait_for_start(logs)
        reader.start()
        count = drop_burst(inbox, STORIES, VERSIONS)
        try:
            wait_until_done(inbox, count, timeout=150)
        except TimeoutError as exc:
            tails = [log.read_text()[-2000:] for log in logs if log.exists()]
            raise AssertionError(f"{exc}; inbox exists: {inbox.exists()}; logs: {tails}") from exc
    finally:
        exits = [stop_watch_process(process) for process in processes]
        reader.stop.set()
        reader.join(10)
    assert exits == [(0, ""), (0, "")]

    dropped = {f"v{v:02d}-s{s:03d}.txt" for v in range(1, VERSIONS + 1) for s in range(STORIES)}
    assert {p.name for p in (inbox / ".done").iterdir()} == dropped, "filed once, none renamed"
    assert not [p for p in inbox.iterdir() if p.is_file()]
    assert not list((inbox / ".processing").iterdir())
    assert not list((inbox / ".rejected").iterdir())

    ingested = [e for log in logs for e in events(log) if e["event"] == "ingested"]
    taken = Counter(Path(e["source"]).name for e in ingested)
    assert set(taken) == dropped and max(taken.values()) == 1, "each file ingested exactly once"
    per_watcher = [sum(e["event"] == "ingested" for e in events(log)) for log in logs]
    assert sum(per_watcher) == count

    with Archive.open(db_url) as archive:
        stories = archive.stories(limit=1000)
        assert len(stories) == STORIES
        assert sorted(story.versions for story in stories) == [VERSIONS] * STORIES
        for story in stories:
            lengths = sorted(
                len(archive.document(story.key, n).paragraphs) for n in range(1, VERSIONS + 1)
            )
            assert lengths == list(range(lengths[0], lengths[0] + VERSIONS)), story.key

    assert reader.error is None, reader.error
    assert reader.reads > 0 and len(reader.tokens) > 1, "the reader saw the archive move"
