"""Every arrival carries its significance; only followed or significant ones ring or run hooks."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path

import pytest

from tests.watch.watch_stories import Recorder
from versions.config import Notify
from versions.service import Archive
from versions.watch import notice
from versions.watch.events import EventLog, text_line
from versions.watch.hooks import HookRunner
from versions.watch.notice import Reporter

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BIDEN = sorted((SAMPLES / "biden-ukraine-missiles").glob("*.txt"))
CORVANE = sorted((SAMPLES / "corvane-trial-withdrawn").glob("*.txt"))
EDITOR = "ana"


@pytest.fixture(autouse=True)
def follows_read_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests follow a story between two takes a few milliseconds apart."""
    monkeypatch.setattr(notice, "FOLLOWS_FRESH_S", 0.0)


def _ingest(archive: Archive, report: Reporter, *paths: Path) -> None:
    for path in paths:
        for result in archive.ingest(path.read_bytes(), source=path.name):
            report(result)


def test_each_ingested_event_carries_significance_reasons_and_followed(
    archive: Archive, recorder: Recorder
) -> None:
    report = Reporter(recorder.log, followed=lambda: archive.followed(EDITOR))
    _ingest(archive, report, BIDEN[0])
    archive.follow(EDITOR, "biden")
    _ingest(archive, report, *BIDEN[1:], *CORVANE)

    events = recorder.events("ingested")
    scores = [(e["story"][:6], e["version"], e["significance"], e["followed"]) for e in events]
    assert scores == [
        ("biden-", 1, 42, False),
        ("biden-", 2, 79, True),
        ("biden-", 3, 25, True),
        ("biden-", 4, 1, True),
        ("biden-", 5, 0, True),
        ("biden-", 6, 21, True),
        ("corvan", 1, 30, False),
        ("corvan", 2, 100, False),
    ]
    assert events[0]["reasons"] == ["new story", "watch term: nuclear"]
    assert events[4]["reasons"] == [], "the REFILE changed nothing shown"
    assert events[5]["reasons"][0] == "attribution in ¶8"
    assert events[7]["reasons"] == ["withdrawn"]


def test_only_followed_or_significant_arrivals_ring_and_run_hooks(
    archive: Archive, recorder: Recorder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "payloads.jsonl"
    script = "import sys; open(sys.argv[1], 'a').write(sys.stdin.read() + '\\n')"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {shlex.quote(str(output))}"
    hooks = HookRunner(command, recorder.log, timeout=20)
    report = Reporter(
        recorder.log,
        hooks=hooks,
        bell=True,
        notify=Notify(min_significance=50),
        followed=lambda: archive.followed(EDITOR),
    )
    _ingest(archive, report, *BIDEN[:2], *CORVANE[:1])
    archive.follow(EDITOR, "corvane")
    _ingest(archive, report, *BIDEN[2:], *CORVANE[1:])
    hooks.close()

    told = [json.loads(line) for line in output.read_text().splitlines()]
    # v1 (42) and v3-v6 (25, 1, 0, 21) are under 50; Corvane's withdrawal is followed and 100;
    # Corvane's first take (30) came before the follow
    assert [(p["story"][:6], p["version"]) for p in told] == [("biden-", 2), ("corvan", 2)]
    assert told[0]["significance"] == 79 and told[0]["followed"] is False
    assert told[1]["followed"] is True and told[1]["reasons"] == ["withdrawn"]
    assert capsys.readouterr().err == "\a\a"
    assert len(recorder.events("ingested")) == 8, "the log still has every arrival"


def test_followed_only_announces_a_followed_story_whatever_its_score(
    archive: Archive, recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    report = Reporter(
        recorder.log,
        bell=True,
        notify=Notify(followed_only=True),
        followed=lambda: archive.followed(EDITOR),
    )
    _ingest(archive, report, *BIDEN[:3], *CORVANE)
    assert capsys.readouterr().err == ""
    archive.follow(EDITOR, "biden")
    _ingest(archive, report, *BIDEN[3:])  # v4 (1), the REFILE (0), v6 (21)
    assert capsys.readouterr().err == "\a\a", "the REFILE is never announced"


def test_a_terminal_reads_one_line_an_arrival(archive: Archive) -> None:
    stream = io.StringIO()
    log = EventLog(stream, text=True)
    report = Reporter(log, advisory=True, followed=lambda: archive.followed(EDITOR))
    _ingest(archive, report, *BIDEN[:3])
    archive.follow(EDITOR, "biden")
    _ingest(archive, report, *BIDEN[3:5])
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5
    first, _, third, _, refile = (line.split("  ", 1)[1] for line in lines)
    headline = "Biden lets Ukraine strike deep into Russia with U.S. missiles"
    assert first.startswith(" 42   Biden lets Ukraine use U.S. missiles")
    assert first.endswith(" — v1 — new story, watch term: nuclear")
    assert third == (
        f" 25   {headline} — v3 UPDATE 2 — (Adds Dnipro missile report in paragraph 11, "
        "updates attribution in paragraphs 3 and 22, updates paragraphs 2 and 12) ⚑ attribution"
    )
    assert refile == f"  0 ★ {headline} — v5 REFILE-UPDATE 3 — no change"


def test_a_text_line_shows_wire_text_never_obeys_it() -> None:
    record = {
        "time": "2026-11-30T01:02:03.000+00:00",
        "event": "ingested",
        "headline": "Quake\x1b[2J hits\x07 town",
        "version": 2,
        "label": "UPDATE 1",
        "advisory": None,
        "reasons": ["watch term: killed"],
        "summary": "~1",
        "tags": {"number": 1},
        "significance": 52,
        "followed": False,
    }
    line = text_line(record)
    assert line is not None
    assert "\x1b" not in line and "\x07" not in line
    assert line.endswith(" 52   Quake␛[2J hits␇ town — v2 UPDATE 1 — watch term: killed ⚑ number")


def test_routine_events_stay_out_of_the_terminal_but_errors_do_not() -> None:
    time = "2026-11-30T01:02:03.000+00:00"
    assert text_line({"time": time, "event": "feed_checked", "url": "http://x"}) is None
    rejected = text_line({"time": time, "event": "rejected", "source": "a.txt", "reason": "empty"})
    assert rejected is not None and rejected.endswith("  rejected  a.txt: empty")


def test_follows_are_read_at_most_once_a_second_in_a_burst(
    archive: Archive, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notice, "FOLLOWS_FRESH_S", 60.0)
    asked = []

    def followed() -> frozenset[str]:
        asked.append(1)
        return archive.followed(EDITOR)

    _ingest(archive, Reporter(recorder.log, followed=followed), *BIDEN)
    assert len(asked) == 1
