"""Every binding, pressed as an editor would on the sample archive; each test reads the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.drive import (
    column,
    open_seed_diff,
    open_story,
    press,
    screen_text,
    settle,
    shown,
)
from tui.app import WirediffApp

pytestmark = pytest.mark.anyio

SEED = "Biden lets Ukraine strike deep into Russia with U.S. missiles"


async def test_stories_newest_first_and_o_sorts_by_title(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        by_update = column(app, "#stories", 0)
        assert "sorted by last update" in shown(app, "#stories-status")
        await press(pilot, "o")
        titles = [t.removeprefix(" WITHDRAWN  ") for t in column(app, "#stories", 0)]
        assert titles == sorted(titles, key=str.casefold) != by_update
        assert "sorted by title" in shown(app, "#stories-status")
        await press(pilot, "o")
        assert column(app, "#stories", 0) == by_update


async def test_slash_filters_as_you_type_and_escape_clears(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        everything = column(app, "#stories", 0)
        await press(pilot, "slash", *"peru")
        await pilot.pause(0.3)
        await settle(pilot)
        titles = column(app, "#stories", 0)
        assert titles and all("Peru" in t for t in titles) and len(titles) < len(everything)
        assert shown(app, "#stories-status").startswith(" 1 story matching “peru”")
        await press(pilot, "escape")
        await pilot.pause(0.3)
        await settle(pilot)
        assert column(app, "#stories", 0) == everything


async def test_the_story_list_footer_shows_enter(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("⏎ Open / Filter"), footer


async def test_enter_opens_the_timeline_with_latest_against_previous_marked(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_story(pilot, "missiles")
        assert column(app, "#versions", 1) == [f"v{n}" for n in range(1, 7)]
        assert column(app, "#versions", 0) == ["", "", "", "", "A", "B"]
        assert shown(app, "#story-hint").startswith(" A=v5 B=v6")
        await press(pilot, "q")
        assert column(app, "#stories", 0)[0] != "v1"


async def test_a_b_d_compare_first_with_latest(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 6)
        assert app.screen.sub_title == "v1 → v6"
        assert shown(app, "#summary").startswith("v1 → v6 UPDATE 4")


async def test_enter_on_a_version_diffs_it_against_the_one_before(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_story(pilot, "missiles")
        await press(pilot, "home", "down", "enter")
        assert app.screen.sub_title == "v1 → v2"
        await press(pilot, "escape")
        assert column(app, "#versions", 1)[0] == "v1"


async def test_n_and_p_walk_the_changes_in_reading_order(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "n")
        assert shown(app, "#diff-status").startswith(" change 1 of ")
        await press(pilot, "n", "n")
        assert shown(app, "#diff-status").startswith(" change 3 of ")
        await press(pilot, "p")
        assert shown(app, "#diff-status").startswith(" change 2 of ")


async def test_t_and_s_flip_between_inline_and_side_by_side_and_it_is_remembered(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        assert " inline " in shown(app, "#summary")
        await press(pilot, "t")
        assert " side by side " in shown(app, "#summary")
        await press(pilot, "q", "enter")  # another diff opens side by side too
        assert " side by side " in shown(app, "#summary")
        await press(pilot, "s")
        assert " inline " in shown(app, "#summary")


async def test_brackets_move_to_the_next_and_previous_version_pair(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 2, 3)
        await press(pilot, "right_square_bracket")
        assert app.screen.sub_title == "v3 → v4"
        assert shown(app, "#summary").startswith("v3 UPDATE 2 → v4 UPDATE 3")
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert app.screen.sub_title == "v1 → v2"
        await press(pilot, "left_square_bracket")
        assert app.screen.sub_title == "v1 → v2"
        assert "no further version pair that way" in shown(app, "#diff-status")


async def test_c_shows_and_hides_cosmetic_changes(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 3, 4)
        assert "cosmetic hidden (c)" in shown(app, "#summary")
        await press(pilot, "c")
        assert "cosmetic shown (c)" in shown(app, "#summary")
        await press(pilot, "c")
        assert "cosmetic hidden (c)" in shown(app, "#summary")


async def test_f_keeps_only_one_kind_of_change(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        everything = shown(app, "#diff-status")
        await press(pilot, "f", "down", "enter")  # the first kind after "every change": added
        assert "only: added (f)" in shown(app, "#summary")
        await press(pilot, "n")
        assert " · added · " in shown(app, "#diff-status")
        await press(pilot, "f", "home", "enter")
        assert "only:" not in shown(app, "#summary")
        assert shown(app, "#diff-status") == everything


async def test_j_k_scroll_the_diff(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        top = screen_text(app)
        await press(pilot, "j", "j", "j")
        assert screen_text(app) != top
        await press(pilot, "k", "k", "k")
        assert screen_text(app) == top


async def test_e_exports_markdown_to_a_new_file_in_the_export_folder(
    archive: object, tmp_path: Path
) -> None:
    from tests.tui.sample_archive import NOW
    from tui.workspace import Settings
    from versions.service import Archive

    assert isinstance(archive, Archive)
    app = WirediffApp(archive, now=lambda: NOW, watch=False, settings=Settings(export_dir=tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "e", "e")
    written = sorted(path.name for path in tmp_path.glob("*.md"))
    assert len(written) == 2, "the second export must not overwrite the first"
    first = tmp_path / min(written, key=len)
    assert first.name.endswith("-v1-v2.md")
    assert "Ukraine" in first.read_text(encoding="utf-8")


async def test_question_mark_and_f1_show_the_keys_of_the_screen(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        text = screen_text(app)
        assert "Keys on wirediff" in text and "Search archive" in text
        await press(pilot, "escape")
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "f1")
        text = screen_text(app)
        assert "Changes only" in text and "Copy old and new" in text
        assert "Search archive" not in text
        await press(pilot, "f1")
        assert "Keys on" not in screen_text(app)


async def test_q_goes_back_everywhere_then_quits(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "q")
        assert str(app.screen.sub_title).startswith("biden")
        await press(pilot, "v")  # the full text
        assert "as filed" in str(app.screen.sub_title)
        await press(pilot, "q", "q")
        await press(pilot, "s", *"Dnipro", "enter")
        assert "contain" in shown(app, "#search-status")
        await press(pilot, "q")  # the hits table has the focus: q goes back
        assert "sorted by" in shown(app, "#stories-status")
        await press(pilot, "q")
    assert app.return_code == 0


async def test_ctrl_t_switches_between_dark_and_light(app: WirediffApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        dark = app.current_theme.dark
        await press(pilot, "ctrl+t")
        assert app.current_theme.dark is not dark


async def test_s_searches_the_archive_and_opens_where_words_first_appeared(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "s", *"Dnipro", "enter")
        assert shown(app, "#search-status").startswith(" 1 story contains “Dnipro”")
        assert column(app, "#hits", 1) == ["v3"]
        await press(pilot, "enter")
        assert app.screen.sub_title == "v2 → v3"
        assert "“Dnipro”: paragraph 1 of " in shown(app, "#diff-status")
        await press(pilot, "q")
        assert column(app, "#versions", 1)[2] == "v3"
