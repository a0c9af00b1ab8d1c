"""Provenance: p puts the take each sentence came in with beside it; Enter opens that
sentence's history; d (or Enter) from the history opens the diff that changed it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.drive import (
    highlighted_row,
    open_story,
    press,
    screen_text,
    settle,
    shown,
    to_sentence,
)
from tests.tui.sample_archive import NOW
from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.history import SentenceHistoryScreen
from tui.screens.version_text import VersionTextScreen
from tui.text import INSERTED
from tui.workspace import Settings
from versions.service import Archive

pytestmark = pytest.mark.anyio

DNIPRO = "Dnipro"


async def seed_history(pilot: Pilot[Any]) -> None:
    """The seed story's latest take with its gutter, the Dnipro sentence, Enter."""
    await settle(pilot)
    await open_story(pilot, "missiles")
    await press(pilot, "p")
    await to_sentence(pilot, DNIPRO)
    await press(pilot, "enter")


async def test_p_on_the_timeline_shows_each_sentence_beside_the_take_that_brought_it_in(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        await press(pilot, "p")
        assert isinstance(app.screen, VersionTextScreen)
        assert app.screen.sub_title == "v6 as filed · provenance"
        take, marks, place, words = highlighted_row(app, "#provenance")
        assert (take.plain, place.plain) == ("v1", "headline")
        await to_sentence(pilot, DNIPRO)
        take, marks, place, words = highlighted_row(app, "#provenance")
        assert take.plain == "v3" and marks.plain == "~v6"
        assert words.plain.startswith("A senior U.S. official said")
        # coloured by age: the v3 line is not coloured as a v1 line is
        text = screen_text(app)
        assert "gutter: the take that brought it in" in text
        assert "v3   ~v6" in text


async def test_p_in_the_full_text_view_toggles_the_gutter_and_older_takes_have_their_own(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        await press(pilot, "up", "up", "up", "v")  # v3, as filed
        assert "Dnipro" in screen_text(app) and "~v6" not in screen_text(app)
        await press(pilot, "p")
        await to_sentence(pilot, DNIPRO)
        take, marks, _, words = highlighted_row(app, "#provenance")
        # in v3 the line is new and its attribution not yet changed
        assert (take.plain, marks.plain) == ("v3", "")
        assert words.plain.startswith("A U.S. official said")
        await press(pilot, "right_square_bracket")  # v4: the gutter follows the version
        assert app.screen.sub_title == "v4 as filed · provenance"
        await to_sentence(pilot, DNIPRO)
        assert highlighted_row(app, "#provenance")[0].plain == "v3"
        await press(pilot, "p")
        assert app.screen.sub_title == "v4 as filed"
        assert "gutter:" not in screen_text(app)


async def test_enter_opens_the_sentence_history_with_each_form_and_its_marks(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await seed_history(pilot)
        assert isinstance(app.screen, SentenceHistoryScreen)
        text = screen_text(app)
        assert "came in with v3 · then v6 · still in v6, the latest" in text
        assert "v3 UPDATE 2" in text and "+ came in" in text
        assert "A U.S. official said on Thursday" in text
        assert "v6 UPDATE 4" in text and "~ changed" in text and "ATTR" in text
        # the cursor is on the take that changed it, "senior" marked as inserted
        _, what = highlighted_row(app, "#history-steps")
        inserted = [what.plain[s.start : s.end] for s in what.spans if s.style == INSERTED]
        assert inserted == ["senior "]


async def test_d_in_the_history_opens_the_diff_that_changed_the_sentence(
    app: WirediffApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await seed_history(pilot)
        await press(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.old, app.screen.new) == (5, 6)
        assert "A senior U.S. official said on Thursday" in screen_text(app)
        await press(pilot, "q")
        assert isinstance(app.screen, SentenceHistoryScreen)
        await press(pilot, "up", "enter")  # the take it came in with: the v2 → v3 diff
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.old, app.screen.new) == (2, 3)


async def test_the_new_keys_show_in_help_and_footer_and_follow_the_keymap(
    archive: Archive,
) -> None:
    keys = {"text.provenance": "w", "history.diff": "x"}
    app = WirediffApp(archive, now=lambda: NOW, watch=False, settings=Settings(keys=keys))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_story(pilot, "missiles")
        assert "p: provenance" in screen_text(app)
        await press(pilot, "f1")
        assert re.search(r"│ p +Provenance", screen_text(app))
        await press(pilot, "escape", "v")
        assert "w Provenance" in screen_text(app).splitlines()[-1]
        await press(pilot, "w")
        assert isinstance(app.screen, VersionTextScreen) and app.screen.provenance
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        assert re.search(r"│ w +Provenance", screen_text(app))
        await press(pilot, "escape")
        await to_sentence(pilot, DNIPRO)
        await press(pilot, "enter")
        assert "x Diff of this take" in screen_text(app).splitlines()[-1]
        await press(pilot, "x")
        assert isinstance(app.screen, DiffScreen)


START = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)
KURSK = "Russia has sent 8,000 North Korean troops to Kursk, officials said."
PENTAGON = "The Pentagon declined to comment on the new policy on Thursday."
TALKS = "Talks between the two governments stalled last month in Geneva."
MISSILE = "A U.S. official said Russia fired a ballistic missile at Dnipro."


def _ninjs(version: int, paragraphs: list[str], label: str = "") -> bytes:
    return json.dumps(
        {
            "uri": "urn:x:kursk",
            "version": str(version),
            "versioncreated": (START + timedelta(hours=version)).isoformat(),
            "pubstatus": "usable",
            "headline": f"{label}North Korean troops reach Kursk front",
            "body_text": "\n\n".join(paragraphs),
        }
    ).encode()


async def test_a_removed_and_restored_sentence_shows_both_and_the_removal_opens_its_diff(
    tmp_path: Path,
) -> None:
    takes = [  # v3 removes the Pentagon line, v5 brings it back
        [KURSK],
        [KURSK, PENTAGON, TALKS],
        [KURSK, TALKS],
        [KURSK, TALKS, MISSILE],
        [KURSK, PENTAGON, TALKS, MISSILE],
    ]
    with Archive.open(f"sqlite:///{tmp_path / 'kursk.db'}") as archive:
        for number, paragraphs in enumerate(takes, start=1):
            archive.ingest(_ninjs(number, paragraphs), source=f"take {number}")
        app = WirediffApp(archive, now=lambda: NOW, watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await open_story(pilot, "kursk")
            await press(pilot, "p")
            await to_sentence(pilot, "Pentagon")
            assert "↺" in highlighted_row(app, "#provenance")[1].plain
            await press(pilot, "enter")
            text = screen_text(app)
            assert "came in with v2 · then v5 · still in v5, the latest" in text
            for mark in ("+ came in", "− removed", "↺ restored"):
                assert mark in text
            await press(pilot, "up", "d")  # the removal
            assert isinstance(app.screen, DiffScreen)
            assert (app.screen.old, app.screen.new) == (2, 3)


async def test_the_diff_of_a_take_returning_to_an_earlier_text_says_it_is_a_revert(
    tmp_path: Path,
) -> None:
    takes = [
        ([KURSK], ""),
        ([KURSK, PENTAGON], "UPDATE 1-"),
        ([KURSK, PENTAGON, TALKS], "UPDATE 2-"),
    ]
    takes.append(takes[1])  # v4: v2's text again, under v2's label
    with Archive.open(f"sqlite:///{tmp_path / 'revert.db'}") as archive:
        for number, (paragraphs, label) in enumerate(takes, start=1):
            archive.ingest(_ninjs(number, paragraphs, label), source=f"take {number}")
        app = WirediffApp(archive, now=lambda: NOW, watch=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await open_story(pilot, "kursk")
            await press(pilot, "enter")  # v4 against v3
            assert "↺ v4 returns to the text of v2: a revert" in shown(app, "#summary")
            await press(pilot, "left_square_bracket")  # v2 → v3: no revert
            assert "revert" not in shown(app, "#summary")
