"""Hot folders: each complete file taken once, filed away after commit, never deleted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.watch.watch_stories import Recorder, StartWatcher, Until, wire_text
from versions.labels import label_text
from versions.service import Archive
from versions.watch.folder import HotFolder, Settler, takeable

ROOT = Path(__file__).resolve().parents[2]


def test_work_in_progress_is_never_taken() -> None:
    assert takeable("story.txt")
    assert not takeable(".story.txt")
    assert not takeable("story.txt.tmp")
    assert not takeable("story.txt.part")


def test_a_file_is_taken_only_after_it_stops_changing() -> None:
    settler = Settler(settle=0.5)
    assert settler.ready({"a.txt": (10, 1)}, now=0.0) == []
    assert settler.ready({"a.txt": (20, 2)}, now=0.4) == [], "still being written"
    assert settler.ready({"a.txt": (20, 2)}, now=0.8) == [], "unchanged for only 0.4 s"
    assert settler.ready({"a.txt": (20, 2)}, now=0.9) == ["a.txt"]


def test_ready_files_come_in_delivery_order() -> None:
    settler = Settler(settle=0.0)
    snapshot = {"b.txt": (1, 100), "a.txt": (1, 300), "c.txt": (1, 200)}
    settler.ready(snapshot, now=0.0)
    assert settler.ready(snapshot, now=1.0) == ["b.txt", "c.txt", "a.txt"]


def test_of_two_claims_on_one_file_exactly_one_wins(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("x")
    first, second = HotFolder(tmp_path), HotFolder(tmp_path)
    claims = [first.claim("story.txt"), second.claim("story.txt")]
    assert sum(claim is not None for claim in claims) == 1


def test_filing_never_overwrites(tmp_path: Path) -> None:
    folder = HotFolder(tmp_path)
    for text in ("first", "second"):
        (tmp_path / "story.txt").write_text(text)
        claim = folder.claim("story.txt")
        assert claim is not None
        folder.finish(claim, "story.txt")
    assert (tmp_path / ".done" / "story.txt").read_text() == "first"
    assert (tmp_path / ".done" / "story.1.txt").read_text() == "second"


def test_files_present_at_start_are_ingested_and_filed(
    archive: Archive,
    inbox: Path,
    recorder: Recorder,
    start_watcher: StartWatcher,
    until: Until,
    samples: Path,
) -> None:
    for path in sorted((samples / "skarvik-castell-deal").glob("*.txt")):
        (inbox / path.name).write_bytes(path.read_bytes())
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("ingested")) == 4)
    [story] = archive.stories()
    assert [label_text(v.label) for v in archive.versions(story.key)] == [
        None,
        "UPDATE 1",
        "CORRECTED-UPDATE 1",
        "UPDATE 2",
    ]
    assert sorted(p.name for p in (inbox / ".done").iterdir()) == [
        "01-first-take.txt",
        "02-update-1.txt",
        "03-corrected.txt",
        "04-update-2.txt",
    ]
    assert not [p for p in inbox.iterdir() if not p.name.startswith(".")]
    assert not [p for p in (inbox / ".processing").iterdir() if not p.name.startswith(".")]


def test_growing_file_is_taken_whole(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    start_watcher(archive, inbox, recorder.log)
    text = wire_text(1, 4).encode()
    half = len(text) // 2
    with open(inbox / "story.txt", "wb") as out:
        out.write(text[:half])
        out.flush()
        time.sleep(0.1)  # a writer pausing: under the 0.2 s settle time
        out.write(text[half:])
    until(lambda: len(recorder.events("ingested")) == 1)
    [story] = archive.stories()
    assert archive.document(story.key, 1).text.endswith(
        "(Reporting by Reporter 1; Editing by Desk 1)"
    )


def test_renamed_from_temporary_name(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    start_watcher(archive, inbox, recorder.log)
    (inbox / "story.txt.tmp").write_text(wire_text(2, 1))
    (inbox / ".story2.txt").write_text(wire_text(3, 1))
    time.sleep(0.6)
    assert recorder.events("ingested") == [], "temporary files are left alone"
    os.rename(inbox / "story.txt.tmp", inbox / "story.txt")
    until(lambda: len(recorder.events("ingested")) == 1)
    assert (inbox / ".story2.txt").exists()


def test_unreadable_file_goes_to_rejected_with_its_reason(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    (inbox / "broken.json").write_text('{"uri": "urn:x", "headline": ')
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("rejected")) == 1)
    [event] = recorder.events("rejected")
    assert event["source"] == str(inbox / "broken.json")
    assert "malformed JSON" in event["reason"]
    rejected = inbox / ".rejected"
    assert (rejected / "broken.json").read_text() == '{"uri": "urn:x", "headline": '
    assert "malformed JSON" in (rejected / "broken.json.reason").read_text()
    assert archive.story_count() == 0


class FlakyArchive(Archive):
    """A real archive whose first ingest fails as if the database had gone away."""

    failures = 1

    def ingest(self, data: bytes, **kwargs):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database unreachable")
        return super().ingest(data, **kwargs)


def test_file_is_retried_when_ingest_fails_for_another_reason(
    db_url: str, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    with FlakyArchive.open(db_url) as archive:
        (inbox / "story.txt").write_text(wire_text(4, 1))
        running = start_watcher(archive, inbox, recorder.log)
        until(lambda: len(recorder.events("ingested")) == 1)
        running.halt()
        [retry] = recorder.events("retry")
        assert retry["reason"] == "ConnectionError: database unreachable"
        assert archive.story_count() == 1
        assert (inbox / ".done" / "story.txt").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly(tmp_path: Path, sqlite_url: str, signum: int) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "versions.cli", "--db", sqlite_url, "watch", str(inbox)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None
        assert '"event": "watching"' in watcher.stdout.readline()
        (inbox / "story.txt").write_text(wire_text(5, 1))
        assert '"event": "ingested"' in watcher.stdout.readline()
        watcher.send_signal(signum)
        out, err = watcher.communicate(timeout=15)
    finally:
        watcher.kill()
    assert watcher.returncode == 0, err
    assert '"event": "stopped"' in out
    assert err == ""
    assert (inbox / ".done" / "story.txt").exists()


def test_a_file_over_the_take_size_limit_is_rejected_unread(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    archive.max_take_size = 300
    (inbox / "long.txt").write_text(wire_text(6, 9))
    (inbox / "short.txt").write_text("OSLO, March 3 (Reuters) - Talks resumed.\n")
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("rejected")) == 1 and recorder.events("ingested"))
    [event] = recorder.events("rejected")
    assert event["source"] == str(inbox / "long.txt")
    assert event["reason"].startswith("larger than the 300 bytes limit for one take")
    assert (inbox / ".rejected" / "long.txt.reason").read_text().startswith("larger than")
    assert archive.story_count() == 1
