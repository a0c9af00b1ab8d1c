"""Edges of the input: dates at the ends of the calendar, FIFOs, odd path names, hand-made
story keys, takes over the size limit. Each is one line naming the input and the reason,
and the inputs beside it go in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, text
from sqlalchemy.exc import DataError, OperationalError, StatementError

from versions.config import DEFAULT_MAX_TAKE_SIZE
from versions.errors import printable
from versions.service import Archive
from versions.store import db
from versions.store.failures import archive_failure
from versions.store.schema import UTCDateTime

ROOT = Path(__file__).resolve().parents[2]
GOOD = "GENEVA, Nov 21 (Reuters) - Talks resumed on Thursday, officials said.\n"


def _item(uri: str, created: str) -> bytes:
    return json.dumps(
        {
            "uri": uri,
            "versioncreated": created,
            "headline": f"Quake {uri}",
            "body_text": "An earthquake struck the coast. Many people were hurt.",
        }
    ).encode()


def _wirediff(url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "versions.cli", "--db", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        errors="surrogateescape",
    )


@pytest.mark.parametrize("created", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_date_with_no_utc_equivalent_rejects_its_item_and_the_rest_go_in(
    db_url: str, tmp_path: Path, created: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1-edge.json").write_bytes(_item("urn:edge", created))
    (folder / "2-good.txt").write_text(GOOD)
    with Archive.open(db_url) as archive:
        edge, good = archive.ingest_paths([folder])
        assert (edge.status, good.status) == ("rejected", "added")
        assert edge.reason == (
            f"versioncreated {created!r} is out of range: "
            "its UTC time is before year 1 or after 9999"
        )
        assert archive.story_count() == 1


def test_the_first_and_last_representable_instants_are_stored(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        first, last = (
            archive.ingest(_item(uri, created), source=uri)[0]
            for uri, created in (
                ("urn:first", "0001-01-01T00:00:00Z"),
                ("urn:last", "9999-12-31T23:59:59-00:00"),
            )
        )
        assert (first.status, last.status) == ("added", "added")
        assert first.story and last.story
        assert archive.versions(first.story)[0].created_at == datetime(1, 1, 1, tzinfo=UTC)
        assert archive.versions(last.story)[0].created_at == datetime(
            9999, 12, 31, 23, 59, 59, tzinfo=UTC
        )


def test_watch_files_an_edge_date_as_rejected_instead_of_retrying_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "edge.json").write_bytes(_item("urn:edge", "0001-01-01T00:00:00+14:00"))
    (inbox / "good.txt").write_text(GOOD)
    watcher = subprocess.Popen(
        [sys.executable, "-m", "versions.cli", "--db", sqlite_url, "watch", str(inbox)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None
        events = [json.loads(watcher.stdout.readline())["event"] for _ in range(3)]
        watcher.send_signal(2)
        out, err = watcher.communicate(timeout=15)
    finally:
        watcher.kill()
    assert sorted(events) == ["ingested", "rejected", "watching"]
    assert "retry" not in out and err == ""
    assert "out of range" in (inbox / ".rejected" / "edge.json.reason").read_text()
    assert (inbox / ".done" / "good.txt").exists()


def test_archive_failures_are_told_from_an_items_own(tmp_path: Path, postgres_url: str) -> None:
    """Only the archive's own failures are retried; what one item's values cause is not."""
    missing = create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    with pytest.raises(OperationalError) as unreachable:
        missing.connect()
    assert archive_failure(unreachable.value)
    assert archive_failure(OSError(28, "No space left on device"))

    moments = Table("moments", MetaData(), Column("at", UTCDateTime()))
    engine = db.make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            moments.create(connection)
            with pytest.raises(DataError) as refused:
                connection.execute(text("SELECT 'abc'::integer"))
        with engine.begin() as connection, pytest.raises(StatementError) as unsendable:
            east = timezone(timedelta(hours=14))
            connection.execute(moments.insert(), {"at": datetime(1, 1, 1, tzinfo=east)})
    finally:
        engine.dispose()
    assert not archive_failure(refused.value)
    assert isinstance(unsendable.value.orig, OverflowError)
    assert not archive_failure(unsendable.value)


def test_a_fifo_named_on_the_command_line_is_rejected_not_waited_on(
    sqlite_url: str, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    inside = tmp_path / "dir"
    inside.mkdir()
    os.mkfifo(inside / "pipe")
    (tmp_path / "good.txt").write_text(GOOD)

    run = _wirediff(sqlite_url, "ingest", str(fifo), str(inside), str(tmp_path / "good.txt"))

    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.splitlines()[:2] == [
        f"{fifo}: rejected: not a regular file (a FIFO)",
        f"{inside / 'pipe'}: rejected: not a regular file (a FIFO)",
    ]
    assert run.stdout.splitlines()[2].startswith(f"{tmp_path / 'good.txt'}: ")


def test_a_path_with_a_newline_or_an_escape_is_printed_escaped_on_one_line(
    sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["two\nlines.txt", "red\x1b[31m.txt", "latin-\udce9.txt"]:
        (folder / name).write_text(GOOD)
    (folder / "empty\r.txt").write_bytes(b"")

    run = _wirediff(sqlite_url, "ingest", str(folder))

    lines = run.stdout.splitlines()
    assert len(lines) == 4, lines
    assert "\x1b" not in run.stdout and "\r" not in run.stdout
    assert lines[0].startswith(f'"{folder}/empty\\r.txt": rejected: ')
    assert f'"{folder}/latin-\\xe9.txt": ' in run.stdout
    assert f'"{folder}/red\\e[31m.txt": ' in run.stdout
    assert f'"{folder}/two\\nlines.txt": ' in run.stdout


def test_printable_leaves_ordinary_names_alone_and_quotes_the_rest() -> None:
    assert printable("/desk/in/Café — 2.txt") == "/desk/in/Café — 2.txt"
    assert printable("a\nb") == '"a\\nb"'
    assert printable('say "hi"\t') == '"say \\"hi\\"\\t"'
    assert printable("\x07bell\u202e") == '"\\x07bell\\u202e"'


@pytest.mark.parametrize("key", ["../../etc/x", "..", "Biden", "a--b", "-a", "a b", "x" * 61])
def test_a_story_key_that_is_not_a_slug_is_refused_in_one_line(
    sqlite_url: str, tmp_path: Path, key: str
) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    run = _wirediff(sqlite_url, "ingest", "--story", key, str(tmp_path / "good.txt"))
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == (
        f"wirediff: story key {key!r} is not a slug: lower-case letters and digits in words "
        "joined by single hyphens, at most 60 characters\n"
    )
    with Archive.open(sqlite_url) as archive:
        assert archive.story_count() == 0


def test_a_slug_story_key_is_used(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    run = _wirediff(sqlite_url, "ingest", "--story", "geneva-talks-2", str(tmp_path / "good.txt"))
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{tmp_path / 'good.txt'}: geneva-talks-2 v1 new\n"


def test_a_take_over_the_size_limit_is_rejected_unread_in_one_line(
    db_url: str, tmp_path: Path
) -> None:
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(GOOD)
    large.write_text(GOOD + "More talks were held, the officials said.\n" * 100)

    run = _wirediff(db_url, "--max-take-size", "2K", "ingest", str(large), str(small))

    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.splitlines()[0] == (
        f"{large}: rejected: larger than the 2048 bytes limit for one take "
        "(--max-take-size or WIREDIFF_MAX_TAKE_SIZE raises it)"
    )
    assert run.stdout.splitlines()[1].startswith(f"{small}: ")
    env_run = subprocess.run(
        [sys.executable, "-m", "versions.cli", "--db", db_url, "ingest", str(large)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"WIREDIFF_MAX_TAKE_SIZE": "1M"},
        timeout=120,
    )
    assert env_run.returncode == 0, env_run.stdout + env_run.stderr


def test_the_default_limit_is_ten_megabytes(sqlite_url: str, tmp_path: Path) -> None:
    assert DEFAULT_MAX_TAKE_SIZE == 10 * 1024 * 1024
    with Archive.open(sqlite_url) as archive:
        over = b"a" * (DEFAULT_MAX_TAKE_SIZE + 1)
        (result,) = archive.ingest(over, source="feed")
        assert result.status == "rejected"
        assert result.reason == (
            "larger than the 10.0 MB limit for one take "
            "(--max-take-size or WIREDIFF_MAX_TAKE_SIZE raises it)"
        )


def test_a_bad_size_is_a_usage_error(sqlite_url: str) -> None:
    run = _wirediff(sqlite_url, "--max-take-size", "lots", "stories")
    assert run.returncode == 2
    assert "'lots' is not a size such as 10M, 512K or 2000000" in run.stderr
