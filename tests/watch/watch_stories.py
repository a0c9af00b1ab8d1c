"""Made-up wire stories and a burst of them dropped into a hot folder: for tests and bench/."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from versions.watch.events import EventLog

# The types of the watch tests' fixtures (conftest.py), for their signatures.
StartWatcher = Callable[..., Any]
Until = Callable[..., None]

ROOT = Path(__file__).resolve().parents[2]

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _words(rng: random.Random, count: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)
    )


def wire_text(story: int, version: int) -> str:
    """Version `version` of made-up story `story`, plain wire text: each update adds a paragraph.

    Words are drawn at random per story, so two stories share no phrases and
    content threading cannot confuse them.
    """
    rng = random.Random(story)
    headline = _words(rng, 6).capitalize()
    body = [f"{_words(rng, 14).capitalize()}, officials said on Tuesday." for _ in range(3)]
    for paragraph in range(1, version):
        more = random.Random(story * 1000 + paragraph)
        body.append(f"{_words(more, 12).capitalize()} {paragraph * 7 + story} people.")
    label = f"UPDATE {version - 1}-" if version > 1 else ""
    lines = [
        f"{label}{headline}",
        f"By Reporter {story}",
        f"OSLO, March 3 (Reuters) - {body[0]}",
        *body[1:],
        f"(Reporting by Reporter {story}; Editing by Desk {story % 3})",
    ]
    return "\n".join(lines) + "\n"


def drop_burst(folder: Path, stories: int, versions: int) -> int:
    """Every version of every story, written elsewhere and renamed in: all land at once.

    Names sort version-major, and files are renamed in that order, so a story's
    versions arrive in order while the stories are interleaved.
    """
    staging = folder.parent / f".staging-{folder.name}"
    staging.mkdir()
    names = []
    for version in range(1, versions + 1):
        for story in range(stories):
            name = f"v{version:02d}-s{story:03d}.txt"
            (staging / name).write_text(wire_text(story, version))
            names.append(name)
    for name in names:
        os.rename(staging / name, folder / name)
    staging.rmdir()
    return len(names)


def done_count(folder: Path) -> int:
    return sum(1 for _ in (folder / ".done").iterdir()) if (folder / ".done").exists() else 0


def start_watch_process(db_url: str, folder: Path, log: Path) -> subprocess.Popen[bytes]:
    """`wirediff watch DIR` in its own process, its event lines going to `log`."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "versions.cli", "--db", db_url, "watch", str(folder)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.PIPE,
        )


def stop_watch_process(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err.decode("utf-8", "replace")


def wait_until_done(folder: Path, expected: int, timeout: float) -> float:
    """Seconds until `expected` files sit in DIR/.done/."""
    started = time.monotonic()
    while done_count(folder) < expected:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{done_count(folder)} of {expected} files done after {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - started


def ninjs_item(story: str, version: int, body: str, **extra: Any) -> bytes:
    item = {
        "uri": f"urn:test:{story}",
        "version": str(version),
        "versioncreated": f"2024-11-21T{8 + version:02d}:00:00Z",
        "headline": f"Headline of {story}",
        "body_text": body,
        "pubstatus": "usable",
    } | extra
    return json.dumps(item).encode()


@dataclass
class Recorder:
    """The event log, parsed back: what an editor following the log would see."""

    stream: io.StringIO = field(default_factory=io.StringIO)

    @property
    def log(self) -> EventLog:
        return EventLog(self.stream)

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        lines = [json.loads(line) for line in self.stream.getvalue().splitlines()]
        return [e for e in lines if kind is None or e["event"] == kind]
