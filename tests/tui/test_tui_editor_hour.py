"""What an editor hit in an hour at the desk, and what people who live in Textual apps
expect: each pressed through the keys, each read off the screen."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.tui.drive import (
    column,
    notices,
    open_seed_diff,
    open_story,
    press,
    screen_text,
    settle,
    shown,
)
from tests.tui.sample_archive import NOW
from tui.app import WirediffApp
from tui.workspace import Settings
from versions.service import Archive, StoryRow

pytestmark = pytest.mark.anyio


def editor_app(archive: Archive, **settings: Any) -> WirediffApp:
    return WirediffApp(archive, now=lambda: NOW, watch=False, settings=Settings(**settings))


# Reading on the UI thread


class SlowArchive(Archive):
    """The sample archive on a disk so slow that listing stories waits until the test has
    seen the UI answer keys (at most half a minute)."""

    released = threading.Event()

    def stories(self, *args: Any, **kwargs: Any) -> list[StoryRow]:
        self.released.wait(30)
        return super().stories(*args, **kwargs)


async def test_a_slow_archive_never_stops_the_ui_answering_keys(db_url: str) -> None:
    with SlowArchive.open(db_url) as archive:
        app = WirediffApp(archive, now=lambda: NOW, watch=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            stories = app.screen.query_one("#stories")
            assert stories.loading, "the list says it is loading"
            await pilot.press("f1")
            await pilot.pause()
            assert "Keys on wirediff" in screen_text(app)
            await pilot.press("escape", "s")
            await pilot.pause()
            assert "Search the archive" in screen_text(app)
            assert stories.loading, "all this while the archive was still reading"
            SlowArchive.released.set()
            await press(pilot, "escape")
            assert len(column(app, "#stories", 0)) == 4
            assert not stories.loading


class FailingDisk(Archive):
    """The sample archive on a disk that fails when a comparison reads it."""

    def comparison(self, *args: Any, **kwargs: Any) -> Any:
        raise OSError(5, "Input/output error")


async def test_a_failing_archive_read_is_told_in_a_notice_not_a_traceback(db_url: str) -> None:
    with FailingDisk.open(db_url) as archive:
        app = editor_app(archive)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_story(pilot, "missiles")
            await press(pilot, "enter")
            assert app.is_running
            said = notices(app)
            assert any("Comparing failed: [Errno 5] Input/output error" in m for m in said)
            assert not app.screen.query_one("#diff").loading
            await press(pilot, "q")
            assert column(app, "#versions", 1)[0] == "v1"


# Section 2: what an editor hit


async def test_find_goes_on_from_match_to_match_and_wraps_to_the_top(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 5, 6)
        await press(pilot, "slash", *"Ukraine", "enter")
        first = shown(app, "#diff-status")
        assert "“Ukraine”: paragraph 1 of " in first
        paragraphs = int(first.split(" of ")[1].split()[0])
        assert paragraphs > 3
        for position in range(2, paragraphs + 1):
            await press(pilot, "enter")
            assert f"paragraph {position} of {paragraphs}" in shown(app, "#diff-status")
        await press(pilot, "enter")
        assert f"paragraph 1 of {paragraphs}" in shown(app, "#diff-status")
        assert "wrapped to the top" in shown(app, "#diff-status")


async def test_find_reaches_a_match_above_where_the_reader_is(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 5, 6)
        await press(pilot, *["j"] * 40)
        assert "Stone" not in screen_text(app)
        await press(pilot, "slash", *"Mike Stone", "enter")  # the byline, at the very top
        assert "“Mike Stone”: paragraph 1 of 1" in shown(app, "#diff-status")
        assert "Mike Stone" in screen_text(app)


async def test_the_headline_takes_the_room_and_the_key_waits_for_a_wide_screen(
    archive: Archive,
) -> None:
    for width, headline, key in ((80, 38, False), (120, 60, False), (160, 60, True)):
        app = editor_app(archive)
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            seed = "Biden lets Ukraine strike deep into Russia with U.S. missiles"
            assert seed[:headline] in text, width
            assert ("biden-lets-ukraine" in text) is key, width


async def test_search_shows_where_the_words_are_at_100_columns(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "s", *"Dnipro", "enter")
        text = screen_text(app)
        assert "Where" in text
        assert "Dnipro" in column(app, "#hits", 3)[0]


async def test_an_empty_archive_says_how_to_fill_it(tmp_path: Path) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'empty.db'}") as empty:
        app = editor_app(empty)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "0 stories" in text
            assert "wirediff ingest PATH" in text and "wirediff demo" in text


async def test_v_shows_a_version_as_filed_and_r_its_bytes_as_received(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_story(pilot, "missiles")
        await press(pilot, "home", "v")
        text = screen_text(app)
        assert "v1 · received 21 Nov 2024 09:00 UTC" in text
        for part in ("HEADLINE", "BYLINE", "DATELINE", "¶1", "By Mike Stone"):
            assert part in text, part
        await press(pilot, "r")
        text = screen_text(app)
        assert "bytes as received" in text
        assert "(Reuters) -" in text and "HEADLINE" not in text
        await press(pilot, "right_square_bracket")
        assert "v2 UPDATE 1 · received" in screen_text(app)
        await press(pilot, "q")
        assert column(app, "#versions", 1)[0] == "v1"


async def test_export_as_writes_to_the_folder_chosen_and_says_why_it_cannot(
    archive: Archive, tmp_path: Path
) -> None:
    chosen = tmp_path / "desk"
    chosen.mkdir()
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("")
    app = editor_app(archive, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        key = f"wirediff-{archive.story('biden').key}"
        said = []
        for folder in (chosen, tmp_path / "gone", not_a_folder):
            await press(pilot, "x", "shift+tab", "ctrl+u", *str(folder), "enter", "enter")
            said += notices(app)
    assert [path.name for path in chosen.iterdir()] == [f"{key}-v1-v2.md"]
    assert any(f"The folder {tmp_path / 'gone'} does not exist" in m for m in said), said
    assert any(f"{not_a_folder} is a file, not a folder" in m for m in said), said
    assert not any("Errno" in m for m in said)


# Section 3: what people who live in Textual apps expect


async def test_o_folds_unchanged_paragraphs_and_the_next_diff_remembers(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_seed_diff(pilot, 2, 3)
        whole = screen_text(app)
        await press(pilot, "o")
        folded = screen_text(app)
        assert "changes only (o)" in folded
        assert "⋯ The election of Trump" in folded  # ¶5, two away from a change: one line
        assert "⋯" not in whole
        assert "Dnipro" in folded
        await press(pilot, "q", "enter")  # another pair opens folded too
        assert "changes only (o)" in shown(app, "#summary")


async def test_y_copies_the_sentence_shift_y_old_and_new_a_the_advisory(archive: Archive) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_seed_diff(pilot, 5, 6)
        await press(pilot, "y")
        assert any("Pick a change first" in m for m in notices(app))
        await press(pilot, "n", "y")
        assert app.clipboard.startswith("(Reporting by Mike Stone")  # the trailer comes first
        await press(pilot, "Y")
        assert app.clipboard.startswith("Old: ") and "\nNew: " in app.clipboard
        await press(pilot, "a")
        assert app.clipboard.startswith("(Updates attribution in paragraph 8")


async def test_keys_remapped_in_the_config_file_drive_the_screen_and_show(
    archive: Archive,
) -> None:
    app = editor_app(archive, keys={"diff.next": "space", "stories.search": "ctrl+f"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "ctrl+f")
        assert "Search the archive" in screen_text(app)
        await press(pilot, "escape")
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "space")
        assert shown(app, "#diff-status").startswith(" change 1 of ")
        assert "space Next change" in screen_text(app)


async def test_the_theme_chosen_is_remembered(archive: Archive) -> None:
    remembered: list[str] = []
    app = WirediffApp(
        archive,
        now=lambda: NOW,
        watch=False,
        settings=Settings(theme="textual-light"),
        remember_theme=remembered.append,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"
        await press(pilot, "ctrl+t")
        assert remembered == ["textual-dark"]


async def test_the_palette_lists_every_action_of_the_screen_with_its_key(
    archive: Archive,
) -> None:
    app = editor_app(archive)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "ctrl+p", *"copy old")
        await pilot.pause(0.5)
        text = screen_text(app)
        assert "Copy old and new" in text and "key: Y" in text
