"""The story take by take: g on the timeline, arrows over the grid, Enter to that diff."""

from __future__ import annotations

import pytest

from tests.tui.drive import open_story, press, screen_text, settle, shown
from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.grid import GridScreen

pytestmark = pytest.mark.anyio


async def test_g_shows_every_take_with_its_label_and_what_each_paragraph_went_through(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        await press(pilot, "g")
        assert isinstance(app.screen, GridScreen)
        lines = screen_text(app).splitlines()
        takes = [line for line in lines if line.lstrip().startswith("v")]
        assert [line.split()[0] for line in takes[:6]] == [f"v{n}" for n in range(1, 7)]
        assert "REFILE-UPDATE 3" in takes[4]
        # the cursor starts on the latest take, first paragraph: the headline, untouched
        assert "v6 UPDATE 4 · paragraph 1: untouched" in shown(app, "#grid-detail")
        assert "406 → 946 words" in shown(app, "#grid-head")
        assert "946 words" in takes[5]


async def test_arrows_reach_the_dnipro_paragraph_and_enter_opens_that_diff_there(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        await press(pilot, "g", "up", "up", "up")  # v3, where the Dnipro line came in
        for _ in range(40):
            if "Dnipro" in shown(app, "#grid-detail"):
                break
            await press(pilot, "right")
        detail = shown(app, "#grid-detail")
        assert detail.startswith("v3 UPDATE 2 · paragraph ") and ": changed" in detail
        await press(pilot, "enter")
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.old, app.screen.new) == (2, 3)
        assert "Moscow has vowed to respond" in screen_text(app)
        await press(pilot, "q")
        assert isinstance(app.screen, GridScreen)


async def test_a_removed_paragraph_is_shown_where_it_stood(app: WirediffApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        await press(pilot, "g")
        for _ in range(40):
            if "removed" in shown(app, "#grid-detail"):
                break
            await press(pilot, "right")
        detail = shown(app, "#grid-detail")
        assert "of the take before: removed" in detail
        assert "The White House did not immediately respond" in detail
