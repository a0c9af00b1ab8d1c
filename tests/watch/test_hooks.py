"""`--exec` and `--bell`: the change summary reaches the outside world; a bad hook harms nothing.

Which arrivals are worth it (followed, significant) is tested in test_significance_notices.py."""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.watch.watch_stories import Recorder, StartWatcher, Until, wire_text
from versions.service import Archive
from versions.watch.hooks import HookRunner
from versions.watch.notice import Reporter

WRITE_STDIN = (
    "import sys, pathlib\npathlib.Path(sys.argv[1]).open('a').write(sys.stdin.read() + '\\n')\n"
)
STORY = """Dam breach floods valley towns
By Anna Berg
KESSEL, March 3 (Reuters) - Water from the dam flooded three towns, the goverment said.
Rescue teams reached the area by boat.
(Reporting by Anna Berg; Editing by Tom Lee)
"""
TYPO_FIXED = STORY.replace("goverment", "government").replace("Dam", "CORRECTED-Dam", 1)
TOLL_CORRECTED = TYPO_FIXED.replace("three towns", "four towns")


@pytest.fixture
def hook_output(tmp_path: Path) -> tuple[str, Path]:
    script = tmp_path / "hook.py"
    script.write_text(WRITE_STDIN)
    output = tmp_path / "payloads.jsonl"
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(output))}"
    return command, output


def payloads(output: Path) -> list[dict[str, Any]]:
    if not output.exists():
        return []
    return [json.loads(line) for line in output.read_text().splitlines() if line]


def test_each_new_version_runs_the_hook_with_its_summary(
    archive: Archive,
    inbox: Path,
    recorder: Recorder,
    hook_output: tuple[str, Path],
    start_watcher: StartWatcher,
    until: Until,
) -> None:
    command, output = hook_output
    hooks = HookRunner(command, recorder.log, timeout=20)
    start_watcher(archive, inbox, recorder.log, Reporter(recorder.log, hooks=hooks))
    (inbox / "v1.txt").write_text(STORY)
    until(lambda: len(payloads(output)) == 1)
    (inbox / "v2.txt").write_text(TYPO_FIXED)
    until(lambda: len(recorder.events("ingested")) == 2)
    (inbox / "v3.txt").write_text(TOLL_CORRECTED)
    until(lambda: len(payloads(output)) == 2)
    hooks.close()

    first, toll = payloads(output)
    # the corrected typo is logged, but it is not worth a hook: significance 0
    typo = recorder.events("ingested")[1]
    assert (typo["significance"], typo["reasons"]) == (0, ["corrected", "cosmetic only"])
    assert toll["significance"] >= 80 and toll["reasons"][0] == "corrected"
    assert first["story"] == typo["story"] == toll["story"] == "dam-breach-floods-valley-towns"
    assert first["versions"] == {"old": None, "new": 1, "total": 1}
    assert first["substantive"] is True

    assert typo["label"] == "CORRECTED"
    assert typo["versions"] == {"old": 1, "new": 2, "total": 2}
    assert typo["counts"]["changed"] == 1
    assert typo["tags"] == {"cosmetic": 1}
    assert typo["substantive"] is False, "a spelling fix changes nothing in substance"
    assert typo["advisory"] == "(Corrects typo in paragraph 1)"

    assert toll["substantive"] is True
    assert toll["tags"] == {"number": 1}
    assert toll["advisory"].startswith("(Corrects")
    logged = recorder.events("ingested")
    assert [e["substantive"] for e in logged] == [True, False, True], "the log says it too"
    assert recorder.events("hook_error") == []


def test_a_failing_hook_is_logged_and_the_watcher_carries_on(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    script = "import sys; sys.stderr.write('no pager'); sys.exit(3)"
    failing = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    hooks = HookRunner(failing, recorder.log, timeout=20)
    start_watcher(archive, inbox, recorder.log, Reporter(recorder.log, hooks=hooks))
    (inbox / "a.txt").write_text(wire_text(1, 1))
    (inbox / "b.txt").write_text(wire_text(2, 1))
    until(lambda: len(recorder.events("hook_error")) == 2)
    assert len(recorder.events("ingested")) == 2
    error = recorder.events("hook_error")[0]
    assert error["reason"] == "exit status 3"
    assert error["stderr"] == "no pager"
    assert error["story"] is not None


def test_a_hanging_hook_is_killed_after_its_timeout(recorder: Recorder, tmp_path: Path) -> None:
    marker = tmp_path / "late"
    hanging = f"sleep 30 & sleep 30; touch {shlex.quote(str(marker))}"
    hooks = HookRunner(hanging, recorder.log, timeout=0.5)
    started = time.monotonic()
    assert hooks.run_once({"story": "s", "version": 2}) is False
    assert time.monotonic() - started < 10
    [error] = recorder.events("hook_error")
    assert error["reason"] == "timed out after 0.5 s; killed"
    assert (error["story"], error["version"]) == ("s", 2)
    time.sleep(0.2)
    assert not marker.exists(), "the whole process group is gone"


def test_a_missing_hook_command_is_only_an_error_line(recorder: Recorder) -> None:
    hooks = HookRunner("/nonexistent/pager-bridge", recorder.log, timeout=5)
    assert hooks.run_once({"story": "s", "version": 1}) is False
    assert recorder.events("hook_error")[0]["reason"] == "exit status 127"


def test_bell_rings_once_per_new_version(
    archive: Archive, recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    report = Reporter(recorder.log, bell=True)
    for result in archive.ingest(STORY.encode(), source="v1.txt"):
        report(result)
    for result in archive.ingest(STORY.encode(), source="v1-again.txt"):
        report(result)
    assert capsys.readouterr().err == "\a"
    assert [e["event"] for e in recorder.events()] == ["ingested", "unchanged"]
