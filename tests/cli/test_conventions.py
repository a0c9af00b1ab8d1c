"""Conventions of well-liked CLIs: local time with its zone, a pager, completion, JSON."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

WIREDIFF = Path(sys.executable).parent / "wirediff"
PERU = Path(__file__).resolve().parents[2] / "samples" / "peru-earthquake"
KEY = "strong-earthquake-strikes-southern-peru-at-least-12-dead"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("archive") / "wire.db")
    subprocess.run(
        [str(WIREDIFF), "--db", path, "ingest", str(PERU)], check=True, capture_output=True
    )
    return path


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    return subprocess.run(
        [str(WIREDIFF), *args], capture_output=True, text=True, env=environ | env, check=False
    )


def on_a_terminal(*args: str, **env: str) -> None:
    """Run with standard output on a pseudo-terminal, as at the prompt."""
    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    process = subprocess.Popen(
        [str(WIREDIFF), *args], stdout=follower, stderr=subprocess.PIPE, env=environ | env
    )
    os.close(follower)
    while True:
        try:
            if not os.read(leader, 65536):
                break
        except OSError:
            break
    os.close(leader)
    assert process.wait(timeout=60) == 0


def test_text_shows_local_time_with_its_zone_and_json_stays_utc(archive: str) -> None:
    tokyo = run("--db", archive, "log", "strong", TZ="Asia/Tokyo").stdout.splitlines()
    assert tokyo[0].split()[3] == "JST"
    utc = run("--db", archive, "log", "strong", TZ="UTC").stdout.splitlines()
    assert utc[0].split()[3] == "UTC"
    assert tokyo[0].split()[1:3] != utc[0].split()[1:3] or tokyo[0].split()[2] != utc[0].split()[2]
    rows = json.loads(run("--db", archive, "log", "strong", "--format", "json").stdout)
    assert rows[0]["created_at"].endswith("+00:00")


def test_long_output_goes_through_the_pager_on_a_terminal_only(
    archive: str, tmp_path: Path
) -> None:
    paged = tmp_path / "paged.txt"
    on_a_terminal("--db", archive, "log", "strong", WIREDIFF_PAGER=f"cat > {paged}", PAGER="more")
    assert paged.read_text().startswith("v1  ")
    assert paged.read_text() == run("--db", archive, "log", "strong").stdout
    paged.unlink()
    on_a_terminal("--db", archive, "--no-pager", "log", "strong", WIREDIFF_PAGER=f"cat > {paged}")
    assert not paged.exists()
    piped = run("--db", archive, "log", "strong", WIREDIFF_PAGER=f"cat > {paged}")
    assert piped.stdout.startswith("v1  ") and not paged.exists()


def test_search_as_json(archive: str) -> None:
    hits = json.loads(run("--db", archive, "search", "--format", "json", "lima").stdout)
    assert [hit["story"] for hit in hits] == [KEY]
    assert set(hits[0]) == {"story", "title", "version", "snippet", "last_update", "dropped_in"}
    assert json.loads(run("--db", archive, "search", "--format", "json", "zanzibar").stdout) == []


def test_the_shell_completes_story_keys_and_version_numbers(archive: str) -> None:
    def complete(words: str) -> list[str]:
        result = run(
            _WIREDIFF_COMPLETE="bash_complete",
            COMP_WORDS=f"wirediff --db {archive} {words}",
            COMP_CWORD=str(len(words.split()) + 3 - (0 if words.endswith(" ") else 1)),
        )
        return [line.partition(",")[2] for line in result.stdout.splitlines() if "," in line]

    assert complete("log str") == [KEY]
    assert complete("log zz") == []
    assert complete(f"diff {KEY} ") == ["1", "2", "3", "4"]
