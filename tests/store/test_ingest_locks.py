"""The ingest locks on PostgreSQL: one per story, and one for deciding new stories.

Writers of different stories go on side by side; a writer never waits while it holds
a story's lock (it commits what it has, then waits), so two writers cannot deadlock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from versions.ingest import IngestResult
from versions.service import Archive
from versions.store.store import Store
from versions.store.writer import WouldWait

pytestmark = pytest.mark.postgres


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    Archive.open(postgres_url).close()  # the schema
    store = Store.open(postgres_url, create=False)
    yield store
    store.close()


def _eventually(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_a_writer_holding_a_story_is_told_to_commit_instead_of_waiting(store: Store) -> None:
    with store.ingesting() as first, store.ingesting() as second:
        assert first.lock_story(1) is True
        assert first.lock_story(1) is False  # held already: nothing read has changed
        assert second.lock_story(2) is True
        with pytest.raises(WouldWait):
            second.lock_story(1)
        assert first.lock_threading() is True
        with pytest.raises(WouldWait):
            second.lock_threading()


def test_a_writer_holding_no_story_waits_for_the_lock(store: Store) -> None:
    taken = threading.Event()
    with store.ingesting() as first:
        first.lock_story(7)

        def second_writer() -> None:
            with store.ingesting() as second:
                second.lock_story(7)
                taken.set()

        waiter = threading.Thread(target=second_writer)
        waiter.start()
        time.sleep(0.5)
        assert not taken.is_set()
    waiter.join(30)
    assert taken.is_set()


def test_a_batch_meeting_a_held_story_commits_what_it_stored_then_waits(
    postgres_url: str, store: Store, samples: Path
) -> None:
    """Two takes in one batch: the first goes in and is reported while the second
    waits for the writer holding its story."""
    peru = sorted((samples / "peru-earthquake").glob("*.txt"))
    biden = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    with Archive.open(postgres_url) as archive:
        (first_peru,) = archive.ingest(peru[0].read_bytes(), source=str(peru[0]))
        (first_biden,) = archive.ingest(biden[0].read_bytes(), source=str(biden[0]))
    results: list[IngestResult] = []

    def ingest_both() -> None:
        with Archive.open(postgres_url) as archive:
            results.extend(archive.ingest_paths([peru[1], biden[1]]))

    with store.ingesting() as holder:
        held = holder.story_by_key(first_biden.story or "")
        assert held is not None
        holder.lock_story(held.id)
        writer = threading.Thread(target=ingest_both)
        writer.start()
        with Archive.open(postgres_url) as reader:
            _eventually(lambda: reader.story(first_peru.story or "").versions == 2)
            assert reader.story(held.key).versions == 1
        assert writer.is_alive()
    writer.join(60)
    assert [(r.story, r.version, r.status) for r in results] == [
        (first_peru.story, 2, "added"),
        (first_biden.story, 2, "added"),
    ]
