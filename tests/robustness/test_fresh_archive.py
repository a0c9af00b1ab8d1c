"""Two ingests and a watcher opening one fresh archive at the same moment: 0 errors,
0 duplicates, 0 lost, dense numbering, on both engines.

Before the schema's creation was serialised (issue 13 item 3, versions/store/db.py's
schema lock) a process died here: "database is locked", UniqueViolation on
pg_type_typname_nsp_index, or told to run `db upgrade`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.robustness.test_crash import stored_sources
from tests.watch.watch_stories import done_count, start_watch_process, stop_watch_process, wire_text

ROOT = Path(__file__).resolve().parents[2]


def race_on_a_fresh_archive(db_url: str, tmp_path: Path, per_process: int) -> None:
    folders = []
    for n, name in enumerate(["ingest-a", "ingest-b", "inbox"]):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(per_process):
            story = n * 1000 + i
            (folder / f"s{story}.txt").write_text(wire_text(story, 1))
        folders.append(folder)
    command = [sys.executable, "-m", "versions.cli", "--db", db_url, "ingest"]
    ingests = [
        subprocess.Popen(
            [*command, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for folder in folders[:2]
    ]
    watcher = start_watch_process(db_url, folders[2], tmp_path / "watch.log")
    results = [process.communicate(timeout=600) for process in ingests]
    deadline = time.monotonic() + 300
    while done_count(folders[2]) < per_process and watcher.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    status, err = stop_watch_process(watcher)
    errors = [err.decode() for _, err in results if err] + ([err] if err else [])
    assert errors == [], errors[0]
    assert [process.returncode for process in ingests] == [0, 0] and status == 0
    expected = {str(folder / name): 1 for folder in folders[:2] for name in os.listdir(folder)}
    expected |= {str(folders[2] / name): 1 for name in os.listdir(folders[2] / ".done")}
    assert len(expected) == 3 * per_process
    assert stored_sources(db_url) == Counter(expected)


def test_two_ingests_and_a_watcher_share_a_fresh_archive_from_the_first_second(
    db_url: str, tmp_path: Path
) -> None:
    race_on_a_fresh_archive(db_url, tmp_path, per_process=20)


@pytest.mark.long
@pytest.mark.parametrize("trial", range(3))
def test_a_fresh_archive_shared_at_once_three_times_over(
    db_url: str, tmp_path: Path, trial: int
) -> None:
    race_on_a_fresh_archive(db_url, tmp_path, per_process=60)
