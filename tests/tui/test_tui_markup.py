"""Wire text is data: markup and escape sequences in a story show literally and do nothing."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.tui.drive import column, notices, press, screen_text, settle
from tests.tui.sample_archive import NOW
from tui.app import WirediffApp
from tui.messages import VersionsArrived
from tui.text import plain
from versions.service import Archive

pytestmark = pytest.mark.anyio

HEADLINE = "Minister [bold red]quits[/] [@click=app.quit]now[/] [link=https://evil.example]x[/link]"
FIRST = f"""{HEADLINE}

LONDON, Nov 21 (Reuters) - The finance minister said on Thursday that taxes will rise.

Officials declined to comment.
"""
SECOND = f"""{HEADLINE}

LONDON, Nov 21 (Reuters) - The finance minister said on Thursday that taxes will rise.

He added [@click=app.quit]click me[/] and [b]bold[/b] on Friday.

Officials declined to comment.
"""


def test_control_characters_are_shown_not_obeyed() -> None:
    text = plain("red \x1b[31malert\x07")
    assert "\x1b" not in text.plain and "\x07" not in text.plain
    assert "␛[31malert" in text.plain


async def test_markup_in_headlines_and_sentences_is_shown_literally(archive: Archive) -> None:
    [first] = archive.ingest(FIRST.encode(), source="one.txt")
    assert first.story is not None
    archive.ingest(SECOND.encode(), source="two.txt", story=first.story)
    app = WirediffApp(archive, now=lambda: NOW, watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "o")  # by title: the "Minister …" story is not first by time
        row = column(app, "#stories", 0).index(HEADLINE)
        cell = app.screen.query_one("#stories", DataTable).get_row_at(row)[0]
        assert cell.plain == HEADLINE
        assert not any(span.style for span in cell.spans), "no style came from the headline"
        assert "[@click=app.quit]now[/]" in screen_text(app)

        await pilot.click("#stories", offset=(5, row + 1))  # clicking the headline does nothing
        await pilot.pause()
        assert app.is_running

        await press(pilot, "home", *["down"] * row, "enter", "enter")  # the story, v1 → v2
        shown = " ".join(screen_text(app).split())
        assert "He added [@click=app.quit]click me[/] and [b]bold[/b] on Friday." in shown
        await pilot.click("DiffView", offset=(20, 4))
        await pilot.pause()
        assert app.is_running

        app.post_message(VersionsArrived(archive.versions(first.story)[-1:]))
        await settle(pilot)
        assert any(message.startswith(f"UPDATE — {HEADLINE}: v2") for message in notices(app))
        assert app.is_running
