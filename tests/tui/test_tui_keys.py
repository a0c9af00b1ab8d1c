"""Every binding, driven with Pilot on the sample archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_archive import seed_key
from textual.widgets import DataTable, Input

from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.filter import FilterScreen
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.screens.stories import StoriesScreen
from tui.screens.story import StoryScreen
from tui.widgets.diff_view import DiffView
from versions.model import ChangeKind
from versions.service import Archive

pytestmark = pytest.mark.anyio


def story_titles(app: WirediffApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, StoriesScreen)
    return [row.title for row in screen.rows]


async def open_seed_story(app: WirediffApp, pilot) -> StoryScreen:  # type: ignore[no-untyped-def]
    key = seed_key(app.archive)
    screen = app.screen
    assert isinstance(screen, StoriesScreen)
    row = [r.key for r in screen.rows].index(key)
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, StoryScreen)
    return app.screen


async def test_stories_newest_first_and_o_sorts_by_title(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        by_update = [row.last_update for row in app.screen.rows]  # type: ignore[attr-defined]
        assert by_update == sorted(by_update, reverse=True)
        await pilot.press("o")
        titles = story_titles(app)
        assert titles == sorted(titles, key=str.casefold)
        await pilot.press("o")
        assert [r.last_update for r in app.screen.rows] == by_update  # type: ignore[attr-defined]


async def test_slash_filters_as_you_type_and_escape_clears(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        everything = len(story_titles(app))
        await pilot.press("slash", *"peru")
        await pilot.pause(0.3)
        assert story_titles(app) and all("Peru" in t for t in story_titles(app))
        assert len(story_titles(app)) < everything
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert len(story_titles(app)) == everything
        assert isinstance(app.screen.focused, DataTable)


async def test_enter_opens_the_story_timeline_with_latest_vs_previous_marked(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        story = await open_seed_story(app, pilot)
        numbers = [v.number for v in story.versions]
        assert numbers == list(range(1, len(numbers) + 1))
        assert (story.mark_a, story.mark_b) == (numbers[-2], numbers[-1])
        await pilot.press("q")
        assert isinstance(app.screen, StoriesScreen)


async def test_a_b_d_compare_first_with_latest(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        story = await open_seed_story(app, pilot)
        await pilot.press("home", "a", "end", "b", "d")
        await pilot.pause()
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert (diff.old, diff.new) == (1, story.versions[-1].number)
        view = diff.query_one(DiffView)
        assert view.changelog.old.version == 1
        assert view.changelog.new.version == story.versions[-1].number


async def test_enter_on_a_version_diffs_it_against_the_one_before(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_story(app, pilot)
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.old, app.screen.new) == (1, 2)
        await pilot.press("escape")
        assert isinstance(app.screen, StoryScreen)


async def diff_of(app: WirediffApp, pilot, old: int, new: int) -> DiffScreen:  # type: ignore[no-untyped-def]
    story = await open_seed_story(app, pilot)
    numbers = [v.number for v in story.versions]
    app.push_screen(DiffScreen(story.story_key, old, new, numbers))
    await pilot.pause()
    assert isinstance(app.screen, DiffScreen)
    return app.screen


async def test_n_and_p_walk_the_changes_in_reading_order(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        view = diff.query_one(DiffView)
        order = view.visible_order()
        assert len(order) >= 3
        await pilot.press("n")
        assert view.current == order[0]
        await pilot.press("n", "n")
        assert view.current == order[2]
        await pilot.press("p")
        assert view.current == order[1]
        assert "change 2 of" in str(diff.query_one("#diff-status").render())


async def test_t_and_s_flip_between_inline_and_side_by_side(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        view = diff.query_one(DiffView)
        assert not view.side_by_side
        await pilot.press("t")
        assert view.side_by_side
        await pilot.press("s")
        assert not view.side_by_side


async def test_brackets_move_to_the_next_and_previous_version_pair(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 2, 3)
        await pilot.press("right_square_bracket")
        assert (diff.old, diff.new) == (3, 4)
        assert diff.query_one(DiffView).changelog.new.version == 4
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert (diff.old, diff.new) == (1, 2)
        await pilot.press("left_square_bracket")
        assert (diff.old, diff.new) == (1, 2)


async def test_c_shows_and_hides_cosmetic_changes(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        view = diff.query_one(DiffView)
        assert not view.show_cosmetic
        await pilot.press("c")
        assert view.show_cosmetic and view.hidden_cosmetic() == 0
        await pilot.press("c")
        assert not view.show_cosmetic


async def test_f_keeps_only_one_kind_of_change(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        view = diff.query_one(DiffView)
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        await pilot.press("down", "enter")  # the first kind after "every change": added
        await pilot.pause()
        assert view.only == ChangeKind.ADDED
        kinds = {view.changelog.changes[n].kind for n in view.visible_order()}
        assert kinds == {ChangeKind.ADDED}
        await pilot.press("f", "home", "enter")
        await pilot.pause()
        assert view.only is None


async def test_slash_finds_words_in_the_story(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        await pilot.press("slash", *"Kursk", "enter")
        await pilot.pause()
        view = diff.query_one(DiffView)
        assert view.search == "Kursk"
        assert "found" in str(diff.query_one("#diff-status").render())
        await pilot.press("escape")
        assert not diff.query_one("#find", Input).display
        assert isinstance(app.screen, DiffScreen)


async def test_j_k_scroll_the_diff(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        diff = await diff_of(app, pilot, 1, 2)
        view = diff.query_one(DiffView)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("k", "k", "k")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_e_exports_markdown_to_a_new_file(
    app: WirediffApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await diff_of(app, pilot, 1, 2)
        await pilot.press("e", "e")
        await pilot.pause()
    written = sorted(path.name for path in tmp_path.glob("*.md"))
    assert len(written) == 2, "the second export must not overwrite the first"
    first = tmp_path / min(written, key=len)
    assert first.name.endswith("-v1-v2.md")
    assert "Ukraine" in first.read_text(encoding="utf-8")


async def test_question_mark_shows_the_keys_of_the_screen(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen.under, StoriesScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StoriesScreen)
        await diff_of(app, pilot, 1, 2)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen.under, DiffScreen)


async def test_q_goes_back_then_quits(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await diff_of(app, pilot, 1, 2)
        await pilot.press("q")
        assert isinstance(app.screen, StoryScreen)
        await pilot.press("q")
        assert isinstance(app.screen, StoriesScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_t_switches_between_dark_and_light(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark


async def test_command_palette_lists_the_screen_actions(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await diff_of(app, pilot, 1, 2)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Next change", "Inline/side", "Export", "Filter", "Next pair"} <= titles


async def test_s_searches_the_archive_and_opens_where_words_first_appeared(
    app: WirediffApp, archive: Archive
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Dnipro", "enter")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert search.hits, "the seed story mentions Dnipro"
        hit = search.hits[0]
        await pilot.press("enter")
        await pilot.pause()
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert diff.new == hit.version
        assert "Dnipro" not in archive.document(hit.story_key, hit.version - 1).text
        assert "Dnipro" in archive.document(hit.story_key, hit.version).text
        assert diff.query_one(DiffView).search == "Dnipro"
        await pilot.press("q")
        assert isinstance(app.screen, StoryScreen)
