"""The wheel works on its own: built, installed into a new venv, run from elsewhere.

What `pipx install` does, done for real (harlequin's test-build check): a copy of the
source tree is built into a wheel, the wheel and its dependencies are installed into
a fresh venv outside the repository, and each command runs from another directory,
with its own data and config directories, so nothing from the checkout can help.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNCOPIED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.db*"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a new venv holding the wheel built from this checkout."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=UNCOPIED)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", base / "dist", source],
        capture_output=True,
        text=True,
        check=True,
    )
    setuptools_warnings = [
        line for line in build.stdout.splitlines() if re.search(r"Warning|deprecat", line)
    ]
    assert setuptools_warnings == []
    (wheel,) = (base / "dist").glob("wirediff-*.whl")
    venv = base / "venv"
    # pip from this venv installs into the new one (as pipx shares one pip): the wheel
    # and every dependency it declares, resolved from the index, nothing borrowed.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", wheel],
        capture_output=True,
        check=True,
    )
    return venv / "bin"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A working directory far from the checkout, with its own home."""
    home = tmp_path / "home"
    (home / "wire").mkdir(parents=True)
    for name in ("01-first-take.txt", "02-update-1.txt"):
        shutil.copy(ROOT / "samples" / "peru-earthquake" / name, home / "wire" / name)
    return home


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREDIFF_", "PYTHON"))}
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "NO_COLOR": "1",
    }
    return env


def _wirediff(bin_dir: Path, home: Path, *args: str) -> str:
    result = subprocess.run(
        [bin_dir / "wirediff", *args],
        cwd=home / "wire",
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


PERU = "strong-earthquake-strikes-southern-peru-at-least-12-dead"


def test_the_installed_wheel_runs_every_command(installed: Path, desk: Path) -> None:
    import versions

    assert _wirediff(installed, desk, "--version").strip() == (
        f"wirediff, version {versions.__version__}"
    )
    demo = _wirediff(installed, desk, "demo", "--no-tui")
    assert "16 versions of 4 stories" in demo
    assert "(8 deliveries in other formats recognised)" in demo

    ingested = _wirediff(installed, desk, "ingest", "01-first-take.txt", "02-update-1.txt")
    assert f"01-first-take.txt: {PERU} v1 new" in ingested
    assert f"02-update-1.txt: {PERU} v2 +3 ~2" in ingested
    assert (desk / "data" / "wirediff" / "wirediff.db").is_file()
    assert "is up to date" in _wirediff(installed, desk, "db", "upgrade")
    assert PERU in _wirediff(installed, desk, "stories")
    assert "v2" in _wirediff(installed, desk, "log", "strong")
    assert "{+" in _wirediff(installed, desk, "diff", "strong")
    assert "wrote peru.html" in _wirediff(installed, desk, "export", "strong", "-o", "peru.html")
    assert (desk / "wire" / "peru.html").read_text("utf-8").lstrip().startswith("<!")


def test_the_installed_wheel_opens_the_terminal_ui(installed: Path, desk: Path) -> None:
    _wirediff(installed, desk, "ingest", "01-first-take.txt")
    screen = _run_in_terminal(
        [str(installed / "wirediff")], desk, until="Strong earthquake", keys=b"\x11"
    )
    assert "Traceback" not in screen


def _run_in_terminal(argv: list[str], home: Path, *, until: str, keys: bytes) -> str:
    """Run `argv` on a real pseudo-terminal, wait for `until` on screen, then type `keys`."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = _env(home) | {"TERM": "xterm-256color"}
    process = subprocess.Popen(
        argv,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=home,
        start_new_session=True,
    )
    os.close(follower)
    screen = b""
    deadline = time.monotonic() + 60
    sent = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: the program exited
                    break
                screen += chunk
            if not sent and until in _text(screen):
                os.write(leader, keys)
                sent = True
            if process.poll() is not None and not ready:
                break
        assert sent, _text(screen)[-2000:]
        assert process.wait(timeout=20) == 0, _text(screen)[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    return _text(screen)


def _text(screen: bytes) -> str:
    """What a person reads: the terminal's control sequences taken out."""
    return re.sub(
        r"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)",
        "",
        screen.decode("utf-8", "replace"),
    )
