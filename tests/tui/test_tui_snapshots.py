"""How the main screens look on the samples, at 80×24 and 120×40, with time frozen.

After a deliberate change to the screens (or to the diff engine's output on the
samples), run `pytest tests/tui --snapshot-update` and look at the SVGs before keeping them.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.sample_archive import NOW, seed_key
from textual.pilot import Pilot

from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.story import StoryScreen
from versions.service import Archive

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def make_app(archive: Archive) -> WirediffApp:
    return WirediffApp(archive, now=lambda: NOW, watch=False)


async def open_seed(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, WirediffApp)
    key = seed_key(app.archive)
    app.push_screen(StoryScreen(key))
    await pilot.pause()


async def open_seed_diff(pilot: Pilot[Any], *keys: str) -> None:
    app = pilot.app
    assert isinstance(app, WirediffApp)
    key = seed_key(app.archive)
    numbers = [v.number for v in app.archive.versions(key)]
    app.push_screen(StoryScreen(key))
    app.push_screen(DiffScreen(key, numbers[-2], numbers[-1], numbers))
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()


class TestStories:
    @pytest.mark.parametrize("size", SIZES)
    def test_stories(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        assert snap_compare(make_app(archive), terminal_size=size)


class TestStory:
    @pytest.mark.parametrize("size", SIZES)
    def test_timeline(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        assert snap_compare(make_app(archive), terminal_size=size, run_before=open_seed)


class TestDiff:
    @pytest.mark.parametrize("size", SIZES)
    def test_inline(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        async def first_change(pilot: Pilot[Any]) -> None:
            await open_seed_diff(pilot, "n")

        assert snap_compare(make_app(archive), terminal_size=size, run_before=first_change)

    @pytest.mark.parametrize("size", SIZES)
    def test_side_by_side(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        async def side_by_side(pilot: Pilot[Any]) -> None:
            await open_seed_diff(pilot, "t", "n")

        assert snap_compare(make_app(archive), terminal_size=size, run_before=side_by_side)
