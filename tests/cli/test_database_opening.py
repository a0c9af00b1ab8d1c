"""Opening the database from the command line: one line at every edge, nothing made by mistake.

Each case runs the real `wirediff` command in its own process, as a desk editor would.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from versions import resources
from versions.errors import WirediffError
from versions.service import Archive
from versions.store import db

ROOT = Path(__file__).resolve().parents[2]
WIREDIFF = Path(sys.executable).parent / "wirediff"


def wirediff(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    return subprocess.run(
        [str(WIREDIFF), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environ | env,
        timeout=120,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("wirediff: ")
    return result.stderr.strip()


def test_read_commands_on_a_missing_database_say_so_and_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "wire.db"
    for command in (["stories"], ["log", "x"], ["diff", "x"], ["export", "x"], ["search", "x"]):
        line = one_line(wirediff("--db", str(missing), *command))
        assert line == (
            f"wirediff: no wirediff database at sqlite:///{missing}: "
            "`wirediff ingest PATH` creates it, `wirediff demo` shows one"
        )
    assert not missing.exists() and not missing.parent.exists()


def test_the_ui_on_a_missing_database_says_so(tmp_path: Path) -> None:
    line = one_line(wirediff("--db", str(tmp_path / "wire.db")))
    assert line.startswith("wirediff: no wirediff database at ")
    assert list(tmp_path.iterdir()) == []


def test_ingest_creates_the_database_a_plain_path_names(tmp_path: Path, samples: Path) -> None:
    story = samples / "peru-earthquake" / "01-first-take.txt"
    result = wirediff("--db", "./wire.db", "ingest", str(story), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "wire.db").is_file()
    assert "v1" in wirediff("--db", "wire.db", "stories", cwd=tmp_path).stdout


def test_a_database_of_another_program_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = other.read_bytes()
    for command in (["stories"], ["ingest", str(ROOT / "samples" / "peru-earthquake")]):
        line = one_line(wirediff("--db", str(other), *command))
        assert "holds tables but no wirediff schema" in line
        assert "give --db a new file or empty database" in line
    assert other.read_bytes() == before


def test_a_missing_migration_head_is_one_line_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "migrations", lambda: tmp_path / "no-migrations")
    target = tmp_path / "new.db"
    with pytest.raises(WirediffError, match=r"no migration head in .*: reinstall wirediff"):
        Archive.open(f"sqlite:///{target}")
    assert not target.exists()


def test_a_failed_first_open_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(connection: object, revision: str = "head") -> None:
        raise WirediffError("migration failed")

    monkeypatch.setattr(db, "_migrate", broken)
    target = tmp_path / "new.db"
    with pytest.raises(WirediffError, match="migration failed"):
        Archive.open(f"sqlite:///{target}")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    Archive.open(f"sqlite:///{target}").close()  # a later run is not blocked


def test_the_head_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    assert db.head_revision() == script.get_current_head()


def test_alembic_from_the_checkout_still_migrates(tmp_path: Path) -> None:
    target = tmp_path / "alembic.db"
    result = subprocess.run(
        [str(WIREDIFF.parent / "alembic"), "-x", f"db=sqlite:///{target}", "upgrade", "head"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    engine = db.make_engine(f"sqlite:///{target}")
    try:
        assert db.current_revision(engine) == db.head_revision()
    finally:
        engine.dispose()
