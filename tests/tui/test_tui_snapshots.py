"""How the screens look on the samples, with time frozen, reached by keys as a person would.

After a deliberate change to the screens (or to the diff engine's output on the samples),
run `pytest tests/tui --snapshot-update`, then look at every changed SVG before keeping it.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.drive import open_seed_diff, open_story, press, settle, to_sentence
from tests.tui.sample_archive import NOW
from tui.app import WirediffApp
from versions.service import Archive

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def make_app(archive: Archive) -> WirediffApp:
    return WirediffApp(archive, now=lambda: NOW, watch=False)


class TestStories:
    @pytest.mark.parametrize("size", [*SIZES, pytest.param((160, 40), id="160x40")])
    def test_stories(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        assert snap_compare(make_app(archive), terminal_size=size, run_before=settle)

    def test_empty_archive_says_how_to_fill_it(self, snap_compare: Any, tmp_path: Any) -> None:
        with Archive.open(f"sqlite:///{tmp_path / 'empty.db'}") as empty:
            assert snap_compare(make_app(empty), terminal_size=(100, 24), run_before=settle)


class TestStory:
    @pytest.mark.parametrize("size", SIZES)
    def test_timeline(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        async def timeline(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")

        assert snap_compare(make_app(archive), terminal_size=size, run_before=timeline)

    def test_full_text(self, snap_compare: Any, archive: Archive) -> None:
        async def full_text(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")
            await press(pilot, "up", "v")

        assert snap_compare(make_app(archive), terminal_size=(100, 40), run_before=full_text)

    def test_raw_bytes(self, snap_compare: Any, archive: Archive) -> None:
        async def raw(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")
            await press(pilot, "v", "r")

        assert snap_compare(make_app(archive), terminal_size=(100, 30), run_before=raw)


class TestDiff:
    @pytest.mark.parametrize("size", SIZES)
    def test_inline(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        async def first_change(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_seed_diff(pilot, 5, 6)
            await press(pilot, "n")

        assert snap_compare(make_app(archive), terminal_size=size, run_before=first_change)

    @pytest.mark.parametrize("size", SIZES)
    def test_side_by_side(self, snap_compare: Any, archive: Archive, size: tuple[int, int]) -> None:
        async def side_by_side(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_seed_diff(pilot, 5, 6)
            await press(pilot, "t", "n")

        assert snap_compare(make_app(archive), terminal_size=size, run_before=side_by_side)

    def test_changes_only(self, snap_compare: Any, archive: Archive) -> None:
        async def changes_only(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_seed_diff(pilot, 2, 3)
            await press(pilot, "o")

        assert snap_compare(make_app(archive), terminal_size=(120, 40), run_before=changes_only)


class TestGrid:
    def test_grid(self, snap_compare: Any, archive: Archive) -> None:
        async def grid(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")
            await press(pilot, "g", "up", "up", "up", *["right"] * 13)

        assert snap_compare(make_app(archive), terminal_size=(120, 30), run_before=grid)


class TestProvenance:
    """The seed story's Dnipro sentence: in the gutter (came in with v3, last changed in
    v6), then its history (v3 as it came in, v6 with "senior" marked inserted, ATTR)."""

    def test_gutter(self, snap_compare: Any, archive: Archive) -> None:
        async def gutter(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")
            await press(pilot, "p")
            await to_sentence(pilot, "Dnipro")

        assert snap_compare(make_app(archive), terminal_size=(120, 40), run_before=gutter)

    def test_history(self, snap_compare: Any, archive: Archive) -> None:
        async def history(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await open_story(pilot, "missiles")
            await press(pilot, "p")
            await to_sentence(pilot, "Dnipro")
            await press(pilot, "enter")

        assert snap_compare(make_app(archive), terminal_size=(100, 24), run_before=history)
