"""kill -9 at any moment loses nothing: every file ends in `.done/` or `.rejected/` and
in the archive exactly once, on both engines.

Real processes, killed for real while they hold a file: a `wirediff watch` during a
burst (restarted after each kill), an `ingest` of a directory (run again), and two
watchers sharing one folder, one of them killed while the other goes on. The long
variants (`-m long`) run in CI with the rest; `-m "not long"` leaves them out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.watch.watch_stories import (
    done_count,
    drop_burst,
    start_watch_process,
    stop_watch_process,
    wire_text,
)
from versions.service import Archive
from versions.store import db
from versions.watch.folder import HotFolder, host_tag

ROOT = Path(__file__).resolve().parents[2]


def stored_sources(url: str) -> Counter[str]:
    """How many versions each delivered file became; checks every story is numbered 1..n."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            sources = Counter(
                str(row[0]) for row in connection.execute(text("SELECT source FROM version"))
            )
            numbers: dict[int, list[int]] = {}
            for story, number in connection.execute(
                text("SELECT story_id, number FROM version ORDER BY story_id, number")
            ):
                numbers.setdefault(story, []).append(number)
    finally:
        engine.dispose()
    for story, seen in numbers.items():
        assert seen == list(range(1, len(seen) + 1)), f"story {story} numbered {seen}"
    return sources


def claims(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder / ".processing") if not n.startswith(".")]


def kill_holding_a_file(process: subprocess.Popen[bytes], folder: Path, done: int) -> bool:
    """SIGKILL once `done` files are filed, at a moment the watcher holds one; True if it did."""
    deadline = time.monotonic() + 120
    while done_count(folder) < done:
        assert process.poll() is None, "the watcher died on its own"
        assert time.monotonic() < deadline, f"stuck at {done_count(folder)} files"
        time.sleep(0.01)
    holding = time.monotonic() + 2
    while not claims(folder) and time.monotonic() < holding:
        time.sleep(0.001)
    process.kill()
    process.wait(30)
    return bool(claims(folder))


def check_filed_once(folder: Path, url: str, names: list[str]) -> None:
    filed = sorted(os.listdir(folder / ".done")) + sorted(
        n for n in os.listdir(folder / ".rejected") if not n.endswith(".reason")
    )
    assert sorted(filed) == sorted(names), "a file is missing from .done/ or filed twice"
    assert os.listdir(folder / ".processing") == [], "a claim or a lock was left behind"
    assert [n for n in os.listdir(folder) if not n.startswith(".")] == []
    sources = stored_sources(url)
    assert sources == Counter({str(folder / name): 1 for name in names})


def watch_burst_with_kills(db_url: str, tmp_path: Path, stories: int, kills: int) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Archive.open(db_url):  # the schema exists: creating it at once is not this test
        pass
    total = drop_burst(inbox, stories, 3)
    names = sorted(os.listdir(inbox))
    held = 0
    for kill in range(1, kills + 1):
        process = start_watch_process(db_url, inbox, tmp_path / f"watch-{kill}.log")
        held += kill_holding_a_file(process, inbox, total * kill // (kills + 2))
    process = start_watch_process(db_url, inbox, tmp_path / "watch-last.log")
    deadline = time.monotonic() + 300
    while done_count(inbox) < total or claims(inbox):
        assert time.monotonic() < deadline, f"{done_count(inbox)} of {total} filed"
        time.sleep(0.05)
    status, err = stop_watch_process(process)
    assert status == 0 and "Traceback" not in err, err
    assert held >= kills - 1, "the kills should catch the watcher holding a file"
    check_filed_once(inbox, db_url, names)
    print(
        f"\nwatch {db_url.split(':')[0]}: {total} files, {kills} kills, {held} killed holding "
        "a file; after restart: stranded 0, lost 0, duplicates 0"
    )
    log = (tmp_path / "watch-last.log").read_text()
    assert log.count('"event": "recovered"') >= 1


def test_a_watcher_killed_during_a_burst_loses_nothing(db_url: str, tmp_path: Path) -> None:
    watch_burst_with_kills(db_url, tmp_path, stories=20, kills=2)


@pytest.mark.long
def test_a_watcher_killed_five_times_during_a_300_file_burst_loses_nothing(
    db_url: str, tmp_path: Path
) -> None:
    watch_burst_with_kills(db_url, tmp_path, stories=100, kills=5)


MARKER = "WIREDIFF_TEST_PROCESS"


def marked_processes(marker: str) -> list[int]:
    """The processes whose environment carries `marker`: a command and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if f"{MARKER}={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def assert_no_process_outlives(marker: str) -> None:
    """The ingest's worker pool and fork server end with it: none are left idle, for ever,
    under init (they were, holding memory, until a worker watched its parent)."""
    deadline = time.monotonic() + 30
    while (left := marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # never leave them behind, even when failing
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} processes outlived the killed ingest"


def ingest_with_kills(db_url: str, tmp_path: Path, files: int, kills: int) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    with Archive.open(db_url):
        pass
    names = []
    for n in range(files):
        name = f"v{n // 250 + 1:02d}-s{n % 250:03d}.txt"
        (folder / name).write_text(wire_text(n % 250, n // 250 + 1))
        names.append(name)
    command = [sys.executable, "-m", "versions.cli", "--db", db_url, "ingest", str(folder)]
    for kill in range(1, kills + 1):
        out = tmp_path / f"ingest-{kill}.out"
        marker = f"{tmp_path.name}-{kill}"
        with out.open("wb") as stdout:
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=stdout, env={**os.environ, MARKER: marker}
            )
        target = files * kill // (kills + 1)
        deadline = time.monotonic() + 300
        while len(out.read_bytes().splitlines()) < target:
            assert process.poll() is None, "ingest ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        assert_no_process_outlives(marker)
    last = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert last.returncode == 0, last.stderr
    lines = last.stdout.splitlines()
    assert len(lines) == files and not any("rejected" in line for line in lines)
    assert stored_sources(db_url) == Counter({str(folder / name): 1 for name in names})
    print(
        f"\ningest {db_url.split(':')[0]}: {files} files, {kills} kills; after the rerun: "
        f"{sum('unchanged' in line for line in lines)} unchanged, lost 0, duplicates 0"
    )


def test_an_ingest_killed_midway_and_run_again_stores_each_file_once(
    db_url: str, tmp_path: Path
) -> None:
    ingest_with_kills(db_url, tmp_path, files=100, kills=1)


@pytest.mark.long
def test_an_ingest_of_1000_files_killed_three_times_stores_each_file_once(
    db_url: str, tmp_path: Path
) -> None:
    ingest_with_kills(db_url, tmp_path, files=1000, kills=3)


def test_two_watchers_share_a_folder_and_one_takes_over_when_the_other_is_killed(
    db_url: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Archive.open(db_url):
        pass
    first = start_watch_process(db_url, inbox, tmp_path / "first.log")
    second = start_watch_process(db_url, inbox, tmp_path / "second.log")
    total = drop_burst(inbox, 25, 3)
    names = sorted(n for n in os.listdir(inbox) if not n.startswith("."))
    assert len(names) == total
    kill_holding_a_file(first, inbox, total // 3)
    deadline = time.monotonic() + 300
    # the survivor also sweeps the dead watcher's lock, at its next look (every 5 s)
    while done_count(inbox) < total or len(os.listdir(inbox / ".processing")) > 1:
        assert time.monotonic() < deadline, f"{done_count(inbox)} of {total} filed"
        time.sleep(0.05)
    status, err = stop_watch_process(second)
    assert status == 0, err
    check_filed_once(inbox, db_url, names)
    logs = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    # no file ingested twice while both ran: only a file taken back from the dead one may be
    # "unchanged" (its version was committed before the kill)
    recovered = logs.count('"event": "recovered"')
    assert logs.count('"event": "unchanged"') <= recovered <= 1


def test_a_claim_from_another_host_is_taken_back_only_after_the_timeout(tmp_path: Path) -> None:
    now = 1_000_000.0
    folder = HotFolder(tmp_path, claim_timeout=600, wall_clock=lambda: now)
    other = "desk-2~4242~cafe0123"
    fresh = tmp_path / ".processing" / f"fresh.txt.{other}~1~{int(now) - 599}"
    stale = tmp_path / ".processing" / f"stale.txt.{other}~2~{int(now) - 601}"
    fresh.write_text("x")
    stale.write_text("y")
    assert host_tag() != "desk-2"

    [left] = folder.abandoned()

    assert (left.claim, left.name, left.holder) == (stale, "stale.txt", other)
    assert left.why == "claimed 601 s ago"
    claim = folder.take_back(left)
    assert claim is not None and claim.read_text() == "y" and not stale.exists()
    assert folder.abandoned() == []
    folder.close()


def test_a_claim_of_a_live_watcher_on_this_host_is_never_taken(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("x")
    holder = HotFolder(tmp_path, claim_timeout=1, wall_clock=lambda: 0.0)
    claim = holder.claim("story.txt")
    later = HotFolder(tmp_path, claim_timeout=1, wall_clock=lambda: 10_000.0)
    assert claim is not None and later.abandoned() == []
    holder.close()  # as at exit: its lock goes, and its claim is free to take
    [left] = later.abandoned()
    assert (left.claim, left.why) == (claim, "exited")
    later.close()


def test_a_claim_already_filed_when_its_watcher_died_is_only_unlinked(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("x")
    dead = HotFolder(tmp_path)
    claim = dead.claim("story.txt")
    assert claim is not None
    os.link(claim, tmp_path / ".done" / "story.txt")  # killed between link and unlink
    dead.close()
    survivor = HotFolder(tmp_path)
    [left] = survivor.abandoned()
    assert survivor.take_back(left) is None
    assert os.listdir(tmp_path / ".processing") == [f".{survivor.holder}.lock"]
    assert os.listdir(tmp_path / ".done") == ["story.txt"]
    survivor.close()
