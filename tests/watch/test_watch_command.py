"""`wirediff watch` as an editor runs it: readable lines on a terminal, JSON when piped,
their follows and thresholds deciding what runs --exec."""

from __future__ import annotations

import json
import os
import pty
import select
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from versions.service import Archive

WIREDIFF = Path(sys.executable).parent / "wirediff"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BIDEN = sorted((SAMPLES / "biden-ukraine-missiles").glob("*.txt"))
CORVANE = sorted((SAMPLES / "corvane-trial-withdrawn").glob("*.txt"))


def _environ(tmp_path: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    return environ | {"WIREDIFF_CONFIG": str(tmp_path / "config.toml"), "TZ": "UTC"}


def _drop(inbox: Path, *paths: Path) -> None:
    for path in paths:
        staged = inbox.parent / f"{path.parent.name}-{path.name}"
        staged.write_bytes(path.read_bytes())
        staged.rename(inbox / staged.name)
        time.sleep(0.3)  # one after another, as takes land


def _wait_done(inbox: Path, count: int) -> None:
    deadline = time.monotonic() + 60
    while not (inbox / ".done").exists() or len(list((inbox / ".done").iterdir())) < count:
        assert time.monotonic() < deadline, "the watcher did not take the files"
        time.sleep(0.1)


def test_piped_json_carries_significance_and_exec_fires_for_followed_or_significant(
    db_url: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with Archive.open(db_url) as archive:
        list(archive.ingest(CORVANE[0].read_bytes(), source="corvane-1.txt"))
        archive.follow("ana", "corvane")
    (tmp_path / "config.toml").write_text("[notify]\nmin_significance = 50\n")
    payloads = tmp_path / "payloads.jsonl"
    script = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read() + '\\n')"
    hook = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {shlex.quote(str(payloads))}"
    process = subprocess.Popen(
        [str(WIREDIFF), "--db", db_url, "--user", "ana", "watch", str(inbox), "--exec", hook],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environ(tmp_path),
    )
    try:
        _drop(inbox, *BIDEN[:3], CORVANE[1])
        _wait_done(inbox, 4)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    events = [json.loads(line) for line in out.decode().splitlines()]
    ingested = [e for e in events if e["event"] == "ingested"]
    assert [(e["version"], e["significance"], e["followed"]) for e in ingested] == [
        (1, 42, False),
        (2, 79, False),
        (3, 25, False),
        (2, 100, True),
    ]
    told = [json.loads(line) for line in payloads.read_text().splitlines()]
    # 42 and 25 are under the config's 50; the withdrawal is followed (and 100)
    assert [(p["version"], p["significance"]) for p in told] == [(2, 79), (2, 100)]
    assert told[1]["reasons"] == ["withdrawn"] and told[1]["followed"] is True


def test_on_a_terminal_one_readable_line_an_arrival(sqlite_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(WIREDIFF), "--db", sqlite_url, "watch", str(inbox), "--min-significance", "30"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=_environ(tmp_path),
    )
    os.close(follower)
    output = b""
    try:
        _drop(inbox, *BIDEN[:2])
        _wait_done(inbox, 2)
        deadline = time.monotonic() + 20
        while output.count(b"\n") < 3 and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.2)[0]:
                output += os.read(leader, 65536)
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
        os.close(leader)
    lines = output.decode().splitlines()
    assert lines[0].endswith(f"watching  folders={inbox}  notifier=watchfiles")
    assert lines[1][8:] == (
        "   42   Biden lets Ukraine use U.S. missiles to strike deep inside Russia - source"
        " — v1 — new story, watch term: nuclear"
    )
    assert lines[2][8:].startswith(
        "   79   Biden lets Ukraine strike deep into Russia with U.S. missiles — v2 UPDATE 1 —"
        " (Adds Trump election report in paragraphs 5-8,"
    )
    assert lines[2].endswith(" ⚑ attribution ⚑ quote")
