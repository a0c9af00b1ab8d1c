"""TUI speed on a large archive, measured with Pilot, against baselines from the same run.

* First paint of the stories screen on the store benchmark's largest archive (100,000
  versions; 1,000,000 with `--full`): target ≤ 1 s. Baseline: an empty Textual app
  (one Static) brought up the same way.
* Moving to the next version pair (`]`) in a typical story (the seed story, 6 versions):
  target ≤ 50 ms for the app's own work, timed from the key handler to the end of the
  refresh that shows the new pair; Pilot's figure (press to pause, ~90 ms of its own on
  any key) is printed too. Baseline: a key that only scrolls the same diff (`j`).

The archive is `bench.store`'s (bulk SQL, the seed story ingested for real so its diff
has sentences), cached in /tmp.
"""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult
from textual.widgets import Static

from bench.harness import Figure, Run, at_most, megabytes, python_peak
from bench.store import CACHE, sqlite_archive
from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.stories import StoriesScreen
from versions.service import Archive

GROUP = "TUI"


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


async def pair_switch(archive: Archive, rounds: int = 5) -> dict[str, float]:
    """Median seconds for `]` and for `j` (the baseline) on the seed story, two ways:
    Pilot (key press to pause) and the app's own work (handler to end of refresh)."""
    key = archive.stories(match="Ukraine", limit=1)[0].key
    numbers = [row.number for row in archive.versions(key)]
    app = WirediffApp(archive, watch=False)
    pilot_times: dict[str, list[float]] = {"]": [], "j": []}
    app_times: dict[str, list[float]] = {"]": [], "j": []}
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(rounds):
            screen = DiffScreen(app.workspace, key, numbers[0], numbers[1])
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


async def _measure(archive: Archive, rounds: int) -> tuple[float, float, dict[str, float]]:
    baseline = min([await first_paint(None) for _ in range(min(rounds, 3))])
    paint = min([await first_paint(archive) for _ in range(min(rounds, 3))])
    return baseline, paint, await pair_switch(archive, rounds)


def measure(run: Run) -> None:
    size = run.scale.tui_archive
    url = sqlite_archive(size // 10, size, CACHE if size >= 10_000 else run.work)
    with Archive.open(url) as archive:
        baseline, paint, switch = asyncio.run(_measure(archive, run.scale.repeat))
        paint_heap = python_peak(lambda: asyncio.run(first_paint(archive)))
    run.add(
        Figure(
            GROUP,
            f"first paint, stories screen, {size:,} versions",
            paint * 1000,
            "ms",
            "empty Textual app",
            baseline * 1000,
            [at_most(1000, "≤ 1 s")],
            f"py {megabytes(paint_heap)}",
        )
    )
    for way, note in (
        ("app", "key handler to the end of the refresh"),
        ("pilot", "Pilot press to pause, its own ~90 ms included"),
    ):
        run.add(
            Figure(
                GROUP,
                f"next version pair `]` ({way})",
                switch[f"{way} ]"] * 1000,
                "ms",
                "scroll key `j`",
                switch[f"{way} j"] * 1000,
                [at_most(50, "≤ 50 ms")] if way == "app" else [],
                note=note,
            )
        )
