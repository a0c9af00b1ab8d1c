"""Two `wirediff ingest` processes on one database at the same moment.

Each runs several deliveries to a transaction, so on PostgreSQL a writer holds the
locks of several stories at once while the other wants them: neither may wait for
the other forever, fail, lose a take or store one twice, and every story's takes keep
their true numbers. On SQLite the second writer waits for the first's transactions.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from versions.service import Archive

STORIES = 6
TAKES = 8
START = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
TOPICS = ["harbour", "election", "drought", "railway", "vaccine", "satellite"]


def _take(story: int, number: int) -> str:
    """A ninjs take carrying its story uri, agency version number and time."""
    topic = TOPICS[story]
    body = [f"Officials said the {topic} count rose to {n * 7 + 3} by noon." for n in range(number)]
    return json.dumps(
        {
            "uri": f"urn:test:{topic}",
            "version": str(number),
            "versioncreated": (START + timedelta(minutes=10 * number)).isoformat(),
            "headline": f"{topic.capitalize()} update {number}",
            "body_text": "\n\n".join([f"CITY (Agency) - The {topic} story begins here.", *body]),
        }
    )


def _folder(root: Path, name: str, takes: list[tuple[int, int]]) -> Path:
    """The takes named so a directory ingest reads them in the order given."""
    folder = root / name
    folder.mkdir()
    for order, (story, number) in enumerate(takes):
        (folder / f"{order:03d}-s{story}-v{number}.json").write_text(_take(story, number))
    return folder


def _race(url: str, folders: list[Path]) -> list[dict[str, object]]:
    """Both processes started together; every item each one reported."""
    with Archive.open(url):  # the schema first, as a deployment would
        pass
    command = [sys.executable, "-m", "versions.cli", "--db", url, "ingest", "--format", "json"]
    processes = [
        subprocess.Popen(
            [*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for folder in folders
    ]
    reports: list[dict[str, object]] = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert err == "", err
        reports.extend(json.loads(line) for line in out.splitlines())
    return reports


def _source_take(report: dict[str, object]) -> tuple[int, int]:
    _, story, number = Path(str(report["path"])).stem.split("-")
    return int(story[1:]), int(number[1:])


def test_two_processes_storing_the_same_takes_in_opposite_orders_store_each_once(
    db_url: str, tmp_path: Path
) -> None:
    """Same bytes from both: each take added by one writer and unchanged for the other;
    late takes put before stored ones renumber the story without a gap or a twin."""
    takes = [(story, number) for number in range(1, TAKES + 1) for story in range(STORIES)]
    forward = _folder(tmp_path, "forward", takes)
    backward = _folder(tmp_path, "backward", takes[::-1])

    reports = _race(db_url, [forward, backward])

    assert len(reports) == 2 * len(takes)
    added = sorted(_source_take(r) for r in reports if r["status"] == "added")
    unchanged = sorted(_source_take(r) for r in reports if r["status"] == "unchanged")
    assert added == sorted(takes)
    assert unchanged == sorted(takes)
    with Archive.open(db_url) as archive:
        stories = archive.stories()
        assert len(stories) == STORIES
        for row in stories:
            versions = archive.versions(row.key)
            assert [v.number for v in versions] == list(range(1, TAKES + 1))
            assert [v.created_at for v in versions] == [
                START + timedelta(minutes=10 * n) for n in range(1, TAKES + 1)
            ]
            assert archive.compare(row.key, TAKES - 1, TAKES).summary["added"] == 1


def test_two_processes_on_different_stories_thread_plain_text_right(
    db_url: str, tmp_path: Path, samples: Path
) -> None:
    """Untagged wire text, one writer per story, takes interleaved as they reach a desk."""
    names = ["biden-ukraine-missiles", "peru-earthquake", "skarvik-castell-deal"]
    files = {name: sorted((samples / name).glob("*.txt")) for name in names}
    folders = []
    for writer, mine in enumerate([names[:2], names[2:]]):
        folder = tmp_path / f"writer-{writer}"
        folder.mkdir()
        for name in mine:
            for number, path in enumerate(files[name], start=1):
                (folder / f"{number:02d}-{name}.txt").write_bytes(path.read_bytes())
        folders.append(folder)

    reports = _race(db_url, folders)

    assert {r["status"] for r in reports} == {"added"}
    with Archive.open(db_url) as archive:
        assert archive.story_count() == len(names)
        for name in names:
            keys = {
                r["story"] for r in reports if Path(str(r["path"])).stem.split("-", 1)[1] == name
            }
            assert len(keys) == 1, keys
            versions = archive.versions(str(keys.pop()))
            assert [v.number for v in versions] == list(range(1, len(files[name]) + 1))
