"""One clear line at every edge of opening an archive, run as the real command.

Permissions are tried for real: when the suite runs as root (who may write any
file), the command runs as the unprivileged user `nobody` instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

WIREDIFF = Path(sys.executable).parent / "wirediff"
ROOT = Path(__file__).resolve().parents[2]
PERU = ROOT / "samples" / "peru-earthquake"


def run(
    *args: str, as_user: bool = False, home: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    if home is not None:
        env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    return subprocess.run(
        [*(unprivileged() if as_user else []), str(WIREDIFF), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("wirediff: ")
    return result.stderr.strip()


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory every user may enter (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="wirediff-edges-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in folder.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def unprivileged() -> list[str]:
    """A prefix under which file permissions hold: root loses its power to override them."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


@pytest.fixture
def archive(shared_dir: Path) -> Path:
    path = shared_dir / "wire.db"
    result = run("--db", str(path), "ingest", str(PERU))
    assert result.returncode == 0, result.stderr
    return path


def test_a_text_file_as_database_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n" * 200)
    for command in (["stories"], ["ingest", str(PERU / "01-first-take.txt")]):
        line = one_line(run("--db", str(notes), *command))
        assert line == f"wirediff: cannot open sqlite:///{notes}: file is not a database"
    assert notes.read_text() == "shopping list\n" * 200


def test_a_database_path_under_a_regular_file_or_proc_is_one_line(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.write_text("x")
    line = one_line(run("--db", str(plain / "wire.db"), "ingest", str(PERU)))
    assert line == f"wirediff: cannot open sqlite:///{plain}/wire.db: {plain} is not a directory"
    line = one_line(run("--db", "/proc/wire.db", "ingest", str(PERU)))
    assert line.startswith("wirediff: cannot open sqlite:////proc/wire.db: ")
    line = one_line(run("--db", "/proc/wire.db", "stories"))
    assert line.startswith("wirediff: no wirediff database at sqlite:////proc/wire.db")


def test_a_directory_without_permission_is_one_line(shared_dir: Path) -> None:
    locked = shared_dir / "locked"
    locked.mkdir(mode=0o000)
    result = run("--db", str(locked / "wire.db"), "ingest", str(PERU), as_user=True)
    assert one_line(result).startswith(f"wirediff: cannot open sqlite:///{locked}/wire.db: ")


@pytest.mark.parametrize("folder_too", [False, True], ids=["read-only file", "read-only folder"])
def test_read_commands_work_on_a_read_only_database(archive: Path, folder_too: bool) -> None:
    archive.chmod(0o444)
    for leftover in (Path(f"{archive}-wal"), Path(f"{archive}-shm")):
        assert not leftover.exists()
    if folder_too:
        archive.parent.chmod(0o555)
    before = archive.read_bytes()
    db = str(archive)
    stories = run("--db", db, "stories", as_user=True, home=archive.parent)
    assert stories.returncode == 0, stories.stderr
    assert "strong-earthquake-strikes-southern-peru" in stories.stdout
    for command in (
        ["log", "strong"],
        ["diff", "strong"],
        ["export", "strong"],
        ["search", "lima"],
    ):
        result = run("--db", db, *command, as_user=True, home=archive.parent)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout
    ingest = run("--db", db, "ingest", str(ROOT / "samples" / "skarvik-castell-deal"), as_user=True)
    assert one_line(ingest) == f"wirediff: cannot write to sqlite:///{db}: it is read-only"
    assert archive.read_bytes() == before


def test_passwords_are_never_printed() -> None:
    malformed = run("--db", "postgresql+psycopg://u:SECRETPW@127.0.0.1:abc/x", "stories")
    assert one_line(malformed) == (
        "wirediff: not a database URL: 'postgresql+psycopg://u:***@127.0.0.1:abc/x'"
    )
    unescaped = run("--db", "postgresql+psycopg://u:SEC@RETPW@127.0.0.1:1/x", "stories")
    line = one_line(unescaped)
    assert "SEC" not in line and "RETPW" not in line and "u:***@127.0.0.1:1/x" in line
    assert "SECRET" not in run("--help").stdout + run("db", "upgrade", "--help").stdout


def test_an_unreachable_postgresql_is_one_line_for_db_upgrade_too() -> None:
    url = "postgresql+psycopg://u:SECRETPW@127.0.0.1:1/wire"
    for command in (["db", "upgrade"], ["stories"], ["ingest", str(PERU)]):
        line = one_line(run("--db", url, *command))
        assert line.startswith(
            "wirediff: cannot open postgresql+psycopg://u:***@127.0.0.1:1/wire: "
        )
        assert "SECRETPW" not in line


def test_a_psycopg2_url_says_which_package_to_install() -> None:
    line = one_line(run("--db", "postgresql+psycopg2://u@127.0.0.1/x", "stories"))
    assert line == (
        "wirediff: postgresql+psycopg2://u@127.0.0.1/x: wirediff talks to PostgreSQL through"
        " psycopg 3: use postgresql+psycopg:// and `pip install 'psycopg[binary]'`"
    )


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(WIREDIFF), "--db", str(tmp_path / "wire.db"), "ingest", "-"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    time.sleep(3)  # reading standard input, which never ends
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err


def test_a_closed_pipe_ends_the_output_quietly(archive: Path) -> None:
    for command in (["log", "strong"], ["export", "strong"], ["stories"]):
        reader, writer = os.pipe()
        os.close(reader)  # `| head -0`: the reader is gone before anything is written
        process = subprocess.run(
            [str(WIREDIFF), "--db", str(archive), *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
        os.close(writer)
        assert process.stderr == b"", (command, process.stderr)
        assert process.returncode == 141, command


def test_empty_results_say_what_to_do_next(tmp_path: Path, archive: Path) -> None:
    empty = tmp_path / "empty.db"
    assert run("--db", str(empty), "ingest", str(tmp_path / "nothing-here"), stdin="").returncode
    folder = tmp_path / "inbox"
    folder.mkdir()
    line = one_line(run("--db", str(empty), "ingest", str(folder)))
    assert line == f"wirediff: {folder}: no files to ingest (hidden files are skipped)"

    sqlite3.connect(archive.parent / "blank.db").close()
    blank = archive.parent / "fresh.db"
    assert run("--db", str(blank), "db", "upgrade").returncode == 0
    result = run("--db", str(blank), "stories")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        "wirediff: no stories yet: `wirediff ingest PATH` stores some, `wirediff demo` shows some\n"
    )
    result = run("--db", str(archive), "search", "zanzibar")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "wirediff: no story holds zanzibar\n"

    line = one_line(run("--db", str(archive), "log", "peru"))
    assert "no story key starts with 'peru'" in line
    assert "strong-earthquake-strikes-southern-peru-at-least-12-dead" in line


def test_export_follows_the_file_extension_unless_told(archive: Path, tmp_path: Path) -> None:
    page = tmp_path / "peru.html"
    result = run("--db", str(archive), "export", "strong", "-o", str(page))
    assert result.returncode == 0, result.stderr
    assert page.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    table = tmp_path / "peru.csv"
    assert run("--db", str(archive), "export", "strong", "-o", str(table)).returncode == 0
    assert table.read_text("utf-8").startswith("story,")
    clash = run("--db", str(archive), "export", "strong", "--format", "csv", "-o", str(page))
    assert clash.returncode == 2
    assert "--format csv does not match" in clash.stderr and "name the file .csv" in clash.stderr
