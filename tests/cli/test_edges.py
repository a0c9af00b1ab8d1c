"""One clear line at every edge of opening an archive, run as the real command.

Permissions are tried for real: when the suite runs as root (who may write any
file), the command runs as the unprivileged user `nobody` instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import get_args

import click
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


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """`chattr +i`: not even root may change, add or remove what they hold, until `-i`."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr (e2fsprogs) to make a file immutable")
    made: list[Path] = []
    try:
        for path in paths:
            result = subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                pytest.skip(
                    "chattr +i needs root (CAP_LINUX_IMMUTABLE) and a filesystem with the "
                    f"immutable flag (ext4, xfs, btrfs; not tmpfs): {result.stderr.strip()}"
                )
            made.append(path)
        yield
    finally:
        for path in made:
            subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize(
    "which", ["file", "folder", "both"], ids=["immutable file", "immutable folder", "both"]
)
def test_read_commands_work_on_an_immutable_database(archive: Path, which: str) -> None:
    """Immutable holds for root too: the read commands read, ingest says why it cannot."""
    paths = {"file": [archive], "folder": [archive.parent], "both": [archive, archive.parent]}
    before = archive.read_bytes()
    db = str(archive)
    with immutable(*paths[which]):
        stories = run("--db", db, "stories")
        assert stories.returncode == 0, stories.stderr
        assert "strong-earthquake-strikes-southern-peru" in stories.stdout
        for command in (["log", "strong"], ["diff", "strong"], ["export", "strong"]):
            result = run("--db", db, *command)
            assert result.returncode == 0, (command, result.stderr)
            assert result.stdout
        ingest = run("--db", db, "ingest", str(ROOT / "samples" / "skarvik-castell-deal"))
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


def test_wire_text_opening_with_a_bracket_is_stored_and_input_format_forces_one(
    tmp_path: Path,
) -> None:
    wire = tmp_path / "wire.db"
    takes = {
        "flash.txt": "[FLASH] Quake hits Chile\n\nSANTIAGO, Nov 30 (Reuters) - A quake hit.\n",
        "draft.txt": "{Draft} Mayor resigns\n\nOSLO, Nov 30 (Reuters) - Oslo's mayor resigned.\n",
        "bold.txt": "<b>Headline</b>\n\nLIMA, Nov 30 (Reuters) - Peru's cabinet met on Sunday.\n",
    }
    for name, take in takes.items():
        (tmp_path / name).write_text(take)
    result = run("--db", str(wire), "ingest", *(str(tmp_path / name) for name in takes))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'flash.txt'}: flash-quake-hits-chile v1 new",
        f"{tmp_path / 'draft.txt'}: draft-mayor-resigns v1 new",
        f"{tmp_path / 'bold.txt'}: b-headline-b v1 new",
    ]

    flash = str(tmp_path / "flash.txt")
    forced = run("--db", str(wire), "ingest", "--input-format", "ninjs", flash)
    assert forced.returncode == 1
    assert forced.stdout == (
        f"{tmp_path / 'flash.txt'}: rejected: malformed JSON: Expecting value: line 1 column 2"
        " (char 1)\n"
    )
    ninjs = ROOT / "samples" / "formats" / "biden-ukraine-missiles-v2.ninjs.json"
    as_text = run("--db", str(wire), "ingest", "--input-format=text", "--format=json", str(ninjs))
    assert as_text.returncode == 0, as_text.stderr
    assert json.loads(as_text.stdout)["status"] == "added"  # its JSON, filed as words
    unknown = run("--db", str(wire), "ingest", "--input-format", "html", str(ninjs))
    assert unknown.returncode == 2 and "'html' is not one of" in unknown.stderr


def test_the_input_format_choices_are_the_readers_formats() -> None:
    from versions.cli import ingest
    from versions.readers import InputFormat

    [option] = [p for p in ingest.params if p.name == "input_format"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == get_args(InputFormat)


def _terminal_rows(output: str) -> list[str]:
    """The rows a terminal shows for `output`: carriage return, erase-line and line feed obeyed."""
    rows: list[str] = []
    row: list[str] = []
    column = 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|.|\n", output, re.DOTALL):
        if token == "\n":
            rows.append("".join(row).rstrip())
            row, column = [], 0
        elif token == "\r":
            column = 0
        elif token == "\x1b[2K":
            row = [" "] * len(row)
        elif token.startswith("\x1b"):
            continue
        else:
            row[column : column + 1] = [token]
            column += 1
    rows.append("".join(row).rstrip())
    return [r for r in rows if r.strip()]


def test_the_progress_bar_never_shares_a_row_with_the_per_file_lines(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(1, 31):
        (inbox / f"{n:02}.txt").write_text(
            f"Story {n} on topic {n}\n\nLIMA, Nov 30 (Reuters) - Item {n} says {n * 7} things.\n"
        )
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    process = subprocess.Popen(
        [str(WIREDIFF), "--db", str(tmp_path / "wire.db"), "ingest", str(inbox)],
        stdout=follower,
        stderr=follower,
        env=env | {"TERM": "xterm-256color", "COLUMNS": "120"},
    )
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the program exited
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0
    rows = _terminal_rows(screen.decode("utf-8").replace("\r\n", "\n"))
    file_rows = [r for r in rows if not r.startswith("ingesting")]
    assert file_rows == [
        f"{inbox / f'{n:02}.txt'}: {key} v{version} {counts}"
        for n, (key, version, counts) in enumerate(_keys(file_rows), 1)
    ]
    assert len(file_rows) == 30
    assert rows[-1].startswith("ingesting") and rows[-1].endswith("100%")
    assert all(re.fullmatch(r"ingesting +\[[#-]+\] +\d+%", r) for r in rows if r not in file_rows)


def _keys(rows: list[str]) -> list[tuple[str, str, str]]:
    """Each row's story key, version and counts: the test checks the rest of the row."""
    found = [re.fullmatch(r".*?: (\S+) v(\d+) (.+)", row) for row in rows]
    return [(m.group(1), m.group(2), m.group(3)) if m else ("?", "?", "?") for m in found]


def test_a_crash_of_the_terminal_ui_is_one_line_and_a_failure(tmp_path: Path) -> None:
    wire = tmp_path / "wire.db"
    assert run("--db", str(wire), "ingest", str(PERU)).returncode == 0
    crashing = tmp_path / "crashing_wirediff.py"
    crashing.write_text(
        "from tui.screens.stories import StoriesScreen\n"
        "def broken(self):\n"
        "    raise RuntimeError('the stories table could not be drawn')\n"
        "StoriesScreen.compose = broken\n"
        "from versions.cli import main\n"
        "main()\n"
    )
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDIFF_", "TEXTUAL"))}
    process = subprocess.Popen(
        [sys.executable, str(crashing), "--db", str(wire)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env | {"TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: the program exited
                    break
                screen += chunk
            elif process.poll() is not None:
                break
        status = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    after_the_ui = re.sub(  # what a person reads once the UI has left the screen
        r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)",
        "",
        screen.decode("utf-8", "replace").rpartition("\x1b[?1049l")[2],
    )
    assert status == 1
    assert "Traceback" not in after_the_ui
    assert after_the_ui.strip().replace("\r\n", "\n").split("\n") == [
        "wirediff: the terminal UI stopped on an error: "
        "RuntimeError: the stories table could not be drawn"
    ]
