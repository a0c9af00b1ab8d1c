"""Wire text is data: markup and escape sequences in a story show literally and do nothing."""

from __future__ import annotations

import html
import re

import pytest
from tests.tui.sample_archive import NOW

from tui.app import WirediffApp
from tui.messages import ArchiveChanged
from tui.screens.diff import DiffScreen
from tui.screens.stories import StoriesScreen
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


def screen_text(app: WirediffApp) -> str:
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg.replace("</text>", "\n"))
    return html.unescape(text).replace("\xa0", " ")


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
        await pilot.press("o")  # by title: the "Minister …" story is not first by time
        stories = app.screen
        assert isinstance(stories, StoriesScreen)
        row = [r.key for r in stories.rows].index(first.story)
        table = stories.query_one("#stories")
        cell = table.get_row_at(row)[0]
        assert cell.plain == HEADLINE
        assert not any(span.style for span in cell.spans), "no style came from the headline"
        assert "[@click=app.quit]now[/]" in screen_text(app)

        await pilot.click("#stories", offset=(5, row + 1))  # clicking the headline does nothing
        await pilot.pause()
        assert app.is_running

        app.push_screen(DiffScreen(first.story, 1, 2, [1, 2]))
        await pilot.pause()
        shown = screen_text(app)
        assert "He added [@click=app.quit]click me[/] and [b]bold[/b] on Friday." in shown
        await pilot.click("DiffView", offset=(20, 4))
        await pilot.pause()
        assert app.is_running

        app.post_message(ArchiveChanged(archive.versions(first.story)[-1:]))
        await pilot.pause()
        [message] = [n.message for n in app._notifications]
        assert HEADLINE in message
        assert app.is_running
