"""Issue 4's "done when": an editor's walk through the seed story, keyboard only.

Each step asserts on what the screen shows: the rows of the tables, the lines of the diff,
the status and summary bars, the file the export wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from tests.tui.drive import cells, notices, press, settle
from tests.tui.sample_archive import NOW, SAMPLES
from tui.app import WirediffApp
from tui.screens.diff import DiffScreen
from tui.screens.export import ExportScreen
from tui.screens.stories import StoriesScreen
from tui.screens.story import StoryScreen
from tui.text import INSERTED
from tui.widgets.diff_view import DiffView
from tui.workspace import Settings
from versions.service import Archive

pytestmark = pytest.mark.anyio


def paragraphs(view: DiffView) -> list[str]:
    """The diff as shown, one string per paragraph block (blocks end with a blank line)."""
    text = "\n".join(line.plain.rstrip() for line in view.lines)
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def holding(view: DiffView, words: str) -> str:
    found = [p for p in paragraphs(view) if words in p]
    assert found, f"{words!r} is not on the diff screen"
    return found[0]


def status(screen: DiffScreen) -> str:
    return str(screen.query_one("#diff-status", Static).render())


def inserted_words(line: Text) -> list[str]:
    return [line.plain[s.start : s.end] for s in line.spans if str(s.style) == INSERTED]


async def test_an_editor_walks_the_seed_story_with_the_keyboard(
    archive: Archive, tmp_path: Path
) -> None:
    settings = Settings(export_dir=tmp_path)
    app = WirediffApp(archive, now=lambda: NOW, watch=False, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # find the seed story by filtering the list
        await press(pilot, "slash", *"missiles", "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        stories = app.screen
        assert isinstance(stories, StoriesScreen)
        table = stories.query_one("#stories", DataTable)
        assert table.row_count == 1
        assert cells(table, 0)[0] == "Biden lets Ukraine strike deep into Russia with U.S. missiles"
        await press(pilot, "enter")
        await pilot.pause()
        story = app.screen
        assert isinstance(story, StoryScreen)
        timeline = story.query_one("#versions", DataTable)
        assert [cells(timeline, n)[1] for n in range(timeline.row_count)] == [
            f"v{n}" for n in range(1, 7)
        ]
        assert "Adds Russian missile report in paragraph 11" in cells(timeline, 2)[5]

        # v2 → v3: the Dnipro sentence, added to paragraph 11
        await press(pilot, "home", "down", "down", "enter")
        await pilot.pause()
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        view = diff.query_one(DiffView)
        dnipro = holding(view, "Dnipro")
        assert dnipro.startswith("¶11 ")
        assert "+ added A U.S. official said on Thursday that Russia may have fired" in dnipro

        # v3 → v4: the ATACMS strike paragraph moved from 4 to 13, and a ghost where it was
        await press(pilot, "right_square_bracket")
        moved = holding(view, "first long-range strike under the new policy")
        assert moved.startswith("¶13 ↕ moved from ¶4 ")
        shown = paragraphs(view)
        assert (
            shown.index("(¶4) ↕ moved to ¶13") == shown.index(holding(view, "¶4 The election")) - 1
        )

        # v5 → v6: "A U.S. official" → "A senior U.S. official", tagged attribution
        await press(pilot, "right_square_bracket", "right_square_bracket")
        assert (diff.old, diff.new) == (5, 6)
        senior = holding(view, "senior U.S. official said on Thursday")
        assert senior.startswith("¶8 Moscow has vowed")
        assert "~ changed ATTR A senior U.S. official said on Thursday" in senior
        line = next(line for line in view.lines if "ATTR A senior" in " ".join(line.plain.split()))
        assert [w.strip() for w in inserted_words(line)] == ["senior"]

        # side by side: the old wording left, the new right, on one row
        await press(pilot, "t")
        row = next(line.plain for line in view.lines if "senior U.S. official said" in line.plain)
        old_side, new_side = row.split("~ changed")
        assert "A U.S. official said on Thursday" in old_side
        assert "A senior U.S. official said on" in new_side

        # change to change
        await press(pilot, "n", "n")
        assert status(diff).startswith(" change 2 of ")
        await press(pilot, "p")
        assert status(diff).startswith(" change 1 of ")

        # back to the timeline: v1 against the latest
        await press(pilot, "q", "home", "a", "end", "b", "d")
        await pilot.pause()
        diff = app.screen
        assert isinstance(diff, DiffScreen)
        assert diff.sub_title == "v1 → v6"
        summary = str(diff.query_one("#summary", Static).render())
        assert summary.startswith("v1 → v6 UPDATE 4")

        # and export it, as Markdown, then as HTML through the dialog
        await press(pilot, "e")
        await press(pilot, "x")
        assert isinstance(app.screen, ExportScreen)
        await press(pilot, "down", "enter")  # "Export pair as HTML"
        messages = notices(app)
    markdown = next(tmp_path.glob("wirediff-*-v1-v6.md"))
    assert any(markdown.name in message for message in messages)
    text = markdown.read_text(encoding="utf-8")
    assert "## v1 → v6 (UPDATE 4)" in text
    assert "Dnipro" in text
    html = next(tmp_path.glob("wirediff-*-v1-v6.html"))
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


async def test_the_timeline_shows_a_generated_advisory_when_the_wire_sent_none(
    app: WirediffApp, archive: Archive
) -> None:
    key = next(row.key for row in archive.stories(match="Ukraine"))
    latest = (SAMPLES / "biden-ukraine-missiles" / "06-update-4.txt").read_text(encoding="utf-8")
    advisory = (
        "(Adds senior official on Dnipro missile, updated North Korean troop estimate; recasts)"
    )
    added = "The Kremlin said on Friday that the strike would not go unanswered.\n"
    version_7 = latest.replace(advisory + "\n", "").replace(
        "(Reporting by", added + "(Reporting by"
    )
    assert advisory not in version_7 and added in version_7
    archive.ingest(version_7.encode(), source="v7.txt", story=key)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        story = app.screen
        assert isinstance(story, StoryScreen)
        timeline = story.query_one("#versions", DataTable)
        v6, v7 = cells(timeline, 5), cells(timeline, 6)
        assert v6[5].startswith("(Adds senior official on Dnipro missile")
        assert v7[5].startswith("auto: (Adds")
