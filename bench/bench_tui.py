"""TUI speed on a large archive, measured with Pilot, against baselines from the same run.

* First paint of the stories screen on 100,000 stories / 1,000,000 versions: target ≤ 1 s.
  Baseline: an empty Textual app (one Static) brought up the same way.
* Moving to the next version pair (`]`) in a typical story (the seed story, 6 versions):
  target ≤ 50 ms for the app's own work, timed from the key handler to the end of the
  refresh that shows the new pair; Pilot's figure (press to pause, ~90 ms of its own on
  any key) is printed too. Baseline: a key that only scrolls the same diff (`j`).

The archive is generated once with bulk SQL (stories and versions rows with empty text;
the seed story is ingested for real so its diff has sentences) and cached in /tmp.

Run: .venv/bin/python bench/bench_tui.py
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.stories import StoriesScreen
from versions.errors import NeedsUpgrade
from versions.service import Archive

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples/biden-ukraine-missiles"
STORIES = 100_000
VERSIONS_PER_STORY = 10
DATABASE = Path(f"/tmp/wirediff-bench-{STORIES}x{VERSIONS_PER_STORY}.db")
URL = f"sqlite:///{DATABASE}"
START = datetime(2024, 1, 1, tzinfo=UTC)
WORDS = [
    "port",
    "strike",
    "deal",
    "vote",
    "quake",
    "court",
    "rate",
    "oil",
    "talks",
    "fire",
    "bank",
    "storm",
]


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def generate() -> None:
    """Bulk rows straight into the schema the Archive created; ~1 minute on a slow machine."""
    DATABASE.unlink(missing_ok=True)
    Archive.open(URL).close()
    rng = random.Random(1)
    connection = sqlite3.connect(DATABASE)
    with connection:
        connection.executemany(
            "INSERT INTO story (id, key, title, first_seen, last_update, status, version_count)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    n,
                    f"story-{n}",
                    f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} story number {n}",
                    stamp(START + timedelta(minutes=n)),
                    stamp(START + timedelta(minutes=n + VERSIONS_PER_STORY * 7)),
                    "withdrawn" if n % 997 == 0 else "active",
                    VERSIONS_PER_STORY,
                )
                for n in range(1, STORIES + 1)
            ),
        )
        counts = '{"added": 1, "changed": 2, "removed": 1, "tags": {"attribution": 1}}'
        connection.executemany(
            "INSERT INTO version (story_id, number, label, withdrawn, correction, received_at,"
            " created_at, source, format, raw, encoding, text, content_hash, headline,"
            " headline_key, summary, byline, dateline, minhash, counts)"
            " VALUES (?, ?, ?, 0, 0, ?, ?, 'bench', 'text', x'', 'utf-8', '', ?, ?, '', '',"
            " '', '', x'', ?)",
            (
                (
                    n,
                    v,
                    f"UPDATE {v - 1}" if v > 1 else None,
                    stamp(START + timedelta(minutes=n + v * 7)),
                    stamp(START + timedelta(minutes=n + v * 7)),
                    f"{n}-{v}",
                    f"Story number {n}",
                    counts if v > 1 else None,
                )
                for n in range(1, STORIES + 1)
                for v in range(1, VERSIONS_PER_STORY + 1)
            ),
        )
    connection.close()
    with Archive.open(URL) as archive:
        for path in sorted(SEED.glob("*.txt")):
            archive.ingest(path.read_bytes(), source=str(path))


def ready() -> bool:
    """Whether the cached archive is there, complete and at this wirediff's schema."""
    if not DATABASE.exists():
        return False
    try:
        archive = Archive.open(URL)
    except NeedsUpgrade:
        return False
    with archive:
        return archive.story_count() > STORIES


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("baseline")


async def first_paint(archive: Archive | None) -> float:
    """Seconds from constructing the app to its first screen composed and refreshed."""
    started = time.perf_counter()
    app = WirediffApp(archive, watch=False) if archive is not None else EmptyApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if isinstance(app, WirediffApp):
            assert isinstance(app.screen, StoriesScreen) and app.screen.rows
        elapsed = time.perf_counter() - started
    return elapsed


def timed(screen: DiffScreen, action: str, times: list[float]) -> None:
    """Record how long the screen's own work for `action` takes: from the key handler
    to the end of the refresh that shows its result (Pilot's own overhead left out)."""
    original = getattr(screen, action)

    def run(*args: object) -> None:
        started = time.perf_counter()
        original(*args)
        screen.call_after_refresh(lambda: times.append(time.perf_counter() - started))

    setattr(screen, action, run)


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


async def pair_switch(archive: Archive) -> dict[str, float]:
    """Median seconds for `]` and for `j` (the baseline) on the seed story, two ways:
    Pilot (key press to pause) and the app's own work (handler to end of refresh)."""
    key = archive.stories(match="Ukraine", limit=1)[0].key
    numbers = [row.number for row in archive.versions(key)]
    app = WirediffApp(archive, watch=False)
    pilot_times: dict[str, list[float]] = {"]": [], "j": []}
    app_times: dict[str, list[float]] = {"]": [], "j": []}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            screen = DiffScreen(key, numbers[0], numbers[1], numbers)
            app.push_screen(screen)
            await pilot.pause()
            timed(screen, "action_pair", app_times["]"])
            timed(screen, "action_scroll", app_times["j"])
            for _ in range(len(numbers) - 2):
                await app.workers.wait_for_complete()  # the neighbours, fetched after a paint
                for key_name in ("right_square_bracket", "j"):
                    started = time.perf_counter()
                    await pilot.press(key_name)
                    await pilot.pause()
                    pilot_times["]" if key_name != "j" else "j"].append(
                        time.perf_counter() - started
                    )
            await pilot.press("q")
            await pilot.pause()
    return {
        "pilot ]": median(pilot_times["]"]),
        "pilot j": median(pilot_times["j"]),
        "app ]": median(app_times["]"]),
        "app j": median(app_times["j"]),
    }


async def main() -> None:
    if not ready():
        started = time.perf_counter()
        generate()
        print(f"generated {DATABASE} in {time.perf_counter() - started:.0f} s")
    with Archive.open(URL) as archive:
        stories = archive.story_count()
        baseline = min([await first_paint(None) for _ in range(3)])
        paint = min([await first_paint(archive) for _ in range(3)])
        switch = await pair_switch(archive)
    print(f"archive: {stories:,} stories, ~{stories * VERSIONS_PER_STORY:,} versions")
    print(f"first paint, empty app (baseline): {baseline * 1000:7.1f} ms")
    print(
        f"first paint, stories screen:       {paint * 1000:7.1f} ms"
        f"  ×{paint / baseline:.2f} baseline  (target ≤ 1000 ms)"
    )
    for way in ("pilot", "app"):
        scroll, pair = switch[f"{way} j"], switch[f"{way} ]"]
        print(f"{way:>5}: scroll key `j` (baseline):  {scroll * 1000:7.1f} ms")
        print(
            f"{way:>5}: next version pair `]`:      {pair * 1000:7.1f} ms"
            f"  ×{pair / scroll:.2f} baseline  (target ≤ 50 ms, app's own work)"
        )


if __name__ == "__main__":
    asyncio.run(main())
