"""Several writers ingesting versions of the same stories at the same moment.

Two watchers on one database (or a watcher and an editor's `wirediff ingest`) must
never collide: no IntegrityError, no story created twice, no version lost or stored
twice, and every version in its true place.
"""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from versions.readers import read
from versions.service import Archive, IngestResult

STORIES = ["biden-ukraine-missiles", "peru-earthquake", "skarvik-castell-deal"]
WRITERS = 4
START = datetime(2024, 11, 21, 6, 0, tzinfo=UTC)


def _as_ninjs(path: Path, story: str, number: int) -> bytes:
    """The sample as a ninjs item carrying its story uri, version number and time."""
    (document,) = read(path.read_bytes(), str(path))
    body = [p.text for p in document.paragraphs if p.text != document.headline]
    item = {
        "uri": f"urn:test:{story}",
        "version": str(number),
        "versioncreated": (START + timedelta(hours=number)).isoformat(),
        "headline": f"{document.meta.label}-{document.headline}"
        if document.meta.label
        else document.headline,
        "body_text": "\n\n".join(body),
    }
    return json.dumps(item).encode()


def _run_writers(url: str, deliveries: list[tuple[str, bytes]]) -> list[IngestResult]:
    """Each writer has its own engine; all start together and take deliveries in turn."""
    barrier = threading.Barrier(WRITERS)
    results: list[IngestResult] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def write(share: list[tuple[str, bytes]]) -> None:
        try:
            with Archive.open(url) as archive:
                barrier.wait()
                for source, data in share:
                    found = archive.ingest(data, source=source)
                    with lock:
                        results.extend(found)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    with Archive.open(url):  # create the schema once, before the writers race
        pass
    threads = [
        threading.Thread(target=write, args=(deliveries[n::WRITERS],)) for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return results


def test_writers_racing_on_the_same_stories_keep_every_version_once_in_order(
    db_url: str, samples: Path
) -> None:
    files = {story: sorted((samples / story).glob("*.txt")) for story in STORIES}
    deliveries = [
        (f"{story}/v{number}", _as_ninjs(path, story, number))
        for story in STORIES
        for number, path in enumerate(files[story], start=1)
    ]
    random.Random(7).shuffle(deliveries)
    # every item twice, so writers also race to store the same version
    results = _run_writers(db_url, deliveries + deliveries[::-1])

    assert sorted(r.status for r in results) == ["added"] * len(deliveries) + ["unchanged"] * len(
        deliveries
    )
    key_of = {r.source.split("/")[0]: r.story for r in results}
    with Archive.open(db_url) as archive:
        assert archive.story_count() == len(STORIES)
        for story in STORIES:
            versions = archive.versions(key_of[story] or "")
            assert [v.created_at for v in versions] == [
                START + timedelta(hours=n) for n in range(1, len(files[story]) + 1)
            ]
            assert [v.number for v in versions] == list(range(1, len(files[story]) + 1))


def test_writers_racing_on_plain_wire_text_thread_every_file_into_its_story(
    db_url: str, samples: Path
) -> None:
    """No ids to go by: content threading must see what the other writers just stored."""
    files = {story: sorted((samples / story).glob("*.txt")) for story in STORIES}
    deliveries = [(str(path), path.read_bytes()) for story in STORIES for path in files[story]]
    random.Random(11).shuffle(deliveries)
    results = _run_writers(db_url, deliveries)

    assert all(r.status == "added" for r in results), results
    by_source = {r.source: r for r in results}
    with Archive.open(db_url) as archive:
        assert archive.story_count() == len(STORIES)
        for story in STORIES:
            mine = [by_source[str(path)] for path in files[story]]
            assert len({r.story for r in mine}) == 1, mine
            assert sorted(r.version or 0 for r in mine) == list(range(1, len(mine) + 1))
            versions = archive.versions(mine[0].story or "")
            assert sorted(v.number for v in versions) == list(range(1, len(mine) + 1))


@pytest.mark.parametrize("run", range(3))
def test_writers_racing_to_start_the_same_new_story_make_one(db_url: str, run: int) -> None:
    """The first version of a story delivered to every writer at once."""
    item = json.dumps(
        {
            "uri": f"urn:test:race-{run}",
            "version": "1",
            "versioncreated": START.isoformat(),
            "headline": "Port strike halts container traffic in Rotterdam",
            "body_text": "Dock workers walked out at dawn, halting container traffic.",
        }
    ).encode()
    results = _run_writers(db_url, [(f"writer-{n}", item) for n in range(WRITERS)])

    assert sorted(r.status for r in results) == ["added"] + ["unchanged"] * (WRITERS - 1)
    with Archive.open(db_url) as archive:
        assert archive.story_count() == 1
