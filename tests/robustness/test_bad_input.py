"""Bad input never changes stored data.

A desk feeds wirediff whatever lands in a folder: empty files, images, legacy
encodings, half-written XML, JSON from another system, symlink tangles. Each bad
file gets one line saying why it was refused, never a traceback; the good ones go
in; and every row already stored stays exactly as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from versions.service import Archive
from versions.store import db
from versions.store.schema import metadata

ROOT = Path(__file__).resolve().parents[2]
NEWSML = ROOT / "samples" / "formats" / "biden-ukraine-missiles-v3.newsml.xml"
Snapshot = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def snapshot(url: str) -> Snapshot:
    """Every row of every table (and the schema revision), keyed by primary key."""
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            tables: Snapshot = {}
            for table in metadata.sorted_tables:
                key = [column.name for column in table.primary_key.columns]
                tables[table.name] = {
                    tuple(row._mapping[name] for name in key): tuple(row)
                    for row in connection.execute(select(table))
                }
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            tables["alembic_version"] = {tuple(row): tuple(row) for row in revision}
            return tables
    finally:
        engine.dispose()


def added_rows(before: Snapshot, after: Snapshot) -> Snapshot:
    """The rows `after` has and `before` had not; fails if any earlier row changed or went."""
    for table, rows in before.items():
        for key, row in rows.items():
            assert after[table].get(key) == row, f"{table} row {key} changed"
    return {
        table: {k: r for k, r in rows.items() if k not in before[table]}
        for table, rows in after.items()
    }


def new_version_sources(before: Snapshot, after: Snapshot) -> set[str]:
    """The source of every version added; checks no sentence or band row belongs elsewhere."""
    added = added_rows(before, after)
    columns = [c.name for c in metadata.tables["version"].columns]
    versions = {
        key[0]: dict(zip(columns, row, strict=True)) for key, row in added["version"].items()
    }
    for table in ("sentence", "band"):
        owner = [c.name for c in metadata.tables[table].primary_key.columns].index("version_id")
        assert {key[owner] for key in added[table]} <= set(versions), table
    assert added["alembic_version"] == {}
    return {str(version["source"]) for version in versions.values()}


@pytest.fixture
def mixed_folder(tmp_path: Path, samples: Path) -> tuple[Path, dict[str, str], set[str]]:
    """A folder of good and bad files: (folder, bad file → what its reason names, good files)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    good = {
        folder / "01-quake.txt": (samples / "peru-earthquake" / "01-first-take.txt").read_bytes(),
        folder / "02-deal.txt": (
            samples / "skarvik-castell-deal" / "01-first-take.txt"
        ).read_bytes(),
        # not UTF-8: é and curly quotes as Windows-1252 bytes, as older wire systems send
        folder / "03-cafe.txt": b"Caf\xe9 owner says \x93hello\x94 to Paris\n\n"
        b"PARIS, Nov 21 (Reuters) - The caf\xe9 opened on Monday, its owner said.\n",
        # one 5 MB line: text, however odd, is stored (the segmenter is linear on it)
        folder / "04-one-line.txt": b"word " * 1_048_576,
    }
    bad = {
        folder / "10-empty.txt": b"",
        folder / "11-image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR" + b"\x00" * 64,
        folder / "12-truncated.xml": NEWSML.read_bytes()[:700],
        folder / "13-other.json": json.dumps({"name": "not ninjs", "items": [1, 2]}).encode(),
    }
    for path, data in {**good, **bad}.items():
        path.write_bytes(data)
    loop = folder / "20-loop"
    loop.mkdir()
    (loop / "up").symlink_to("..", target_is_directory=True)
    (folder / "21-cycle-a").symlink_to("21-cycle-b")
    (folder / "21-cycle-b").symlink_to("21-cycle-a")
    reasons = {
        str(folder / "10-empty.txt"): "empty",
        str(folder / "11-image.png"): "binary",
        str(folder / "12-truncated.xml"): "XML",
        str(folder / "13-other.json"): "ninjs",
        str(folder / "21-cycle-a"): "symbolic links",
        str(folder / "21-cycle-b"): "symbolic links",
    }
    return folder, reasons, {str(path) for path in good}


def _stored_already(url: str, samples: Path) -> None:
    with Archive.open(url) as archive:
        files = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))[:2]
        assert all(r.status == "added" for r in archive.ingest_paths(files))


def _wirediff(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "versions.cli", "--db", url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_wirediff_ingest_rejects_each_bad_file_in_one_line_and_keeps_stored_rows(
    db_url: str, samples: Path, mixed_folder: tuple[Path, dict[str, str], set[str]]
) -> None:
    folder, reasons, good = mixed_folder
    missing = str(folder / "not-there.txt")
    reasons[missing] = "No such file"
    _stored_already(db_url, samples)
    before = snapshot(db_url)

    run = _wirediff(db_url, "ingest", str(folder), missing)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stderr == ""
    lines = run.stdout.splitlines()
    rejected = {line.split(": rejected: ")[0]: line for line in lines if ": rejected: " in line}
    assert set(rejected) == set(reasons)
    for path, word in reasons.items():
        assert sum(line.startswith(f"{path}:") for line in lines) == 1
        reason = rejected[path].split(": rejected: ", 1)[1]
        assert word.lower() in reason.lower(), rejected[path]
    assert {line.split(": ")[0] for line in lines if ": rejected: " not in line} == good
    assert new_version_sources(before, snapshot(db_url)) == good

    with Archive.open(db_url) as archive:
        titles = [row.title for row in archive.stories()]
    assert "Café owner says “hello” to Paris" in titles


def test_the_same_folder_again_stores_nothing(
    db_url: str, samples: Path, mixed_folder: tuple[Path, dict[str, str], set[str]]
) -> None:
    folder, reasons, good = mixed_folder
    _wirediff(db_url, "ingest", str(folder))
    before = snapshot(db_url)

    run = _wirediff(db_url, "ingest", "--format", "json", str(folder))

    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 1 and run.stderr == ""
    assert {row["path"] for row in rows if row["status"] == "unchanged"} == good
    assert {row["path"] for row in rows if row["status"] == "rejected"} == set(reasons)
    assert snapshot(db_url) == before


def test_archive_ingest_rejects_bad_bytes_and_keeps_stored_rows(
    db_url: str, samples: Path, mixed_folder: tuple[Path, dict[str, str], set[str]]
) -> None:
    folder, reasons, good = mixed_folder
    files = [folder / name for name in reasons if Path(name).is_file()]
    _stored_already(db_url, samples)
    before = snapshot(db_url)

    with Archive.open(db_url) as archive:
        for path in files:
            (result,) = archive.ingest(path.read_bytes(), source=str(path))
            assert result.status == "rejected", path
            assert result.reason and "\n" not in result.reason
            assert reasons[str(path)].lower() in result.reason.lower()
        for name in sorted(good):
            (result,) = archive.ingest(Path(name).read_bytes(), source=name)
            assert result.status == "added", result

    assert new_version_sources(before, snapshot(db_url)) == good


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: root reads a chmod 000 file, so it cannot be made unreadable",
)
def test_an_unreadable_file_is_rejected_saying_so(db_url: str, tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("GENEVA, Nov 21 (Reuters) - Talks resumed on Thursday.\n")
    locked.chmod(0)
    try:
        run = _wirediff(db_url, "ingest", str(locked))
    finally:
        locked.chmod(0o600)
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout == f"{locked}: rejected: Permission denied\n"


HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
print(time.time(), flush=True)
"""


@pytest.fixture
def lock_holder(sqlite_url: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with Archive.open(sqlite_url):  # the schema exists before the lock is taken
        pass
    path = sqlite_url.removeprefix("sqlite:///")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, path, "2"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    yield sqlite_url, holder
    holder.wait(30)


def test_ingest_waits_for_another_writer_on_sqlite_instead_of_failing(
    lock_holder: tuple[str, subprocess.Popen[str]], samples: Path
) -> None:
    url, holder = lock_holder
    path = sorted((samples / "peru-earthquake").glob("*.txt"))[0]

    with Archive.open(url) as archive:
        (result,) = archive.ingest_paths([path])
    finished = time.time()

    assert holder.stdout is not None
    released = float(holder.stdout.readline())
    assert (result.status, result.version) == ("added", 1)
    assert finished >= released  # it waited for the other writer, it did not give up
