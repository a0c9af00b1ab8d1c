"""Driving the app as a person does: keys in, then what the screen shows.

Work runs in Textual workers, so after a key that reads the archive a test waits for
the workers (`settle`) before it looks.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from tui.app import WirediffApp


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen catch up (the archive watcher must be off)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys one by one, letting the work each starts finish before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def cells(table: DataTable[object], row: int) -> list[str]:
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(row)]


def column(app: WirediffApp, table_id: str, index: int) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [cells(table, row)[index] for row in range(table.row_count)]


def shown(app: WirediffApp, widget_id: str) -> str:
    """What a one-line widget (status, summary, hint) reads."""
    rendered = app.screen.query_one(widget_id, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


def screen_text(app: WirediffApp) -> str:
    """Every character on the terminal, line by line, as a person reads it (what
    `App.export_screenshot` draws, as text)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, record=True
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def notices(app: WirediffApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def open_story(pilot: Pilot[Any], words: str) -> None:
    """Filter the story list by `words`, open the first story."""
    await press(pilot, "slash", *words, "enter")
    await pilot.pause(0.3)
    await settle(pilot)
    await press(pilot, "enter")


async def open_seed_diff(pilot: Pilot[Any], old: int, new: int) -> None:
    """The seed story's timeline, A on `old`, B on `new`, then d."""
    await open_story(pilot, "missiles")
    await press(pilot, "home", *["down"] * (old - 1), "a", "home", *["down"] * (new - 1), "b", "d")


def highlighted_row(app: WirediffApp, list_id: str) -> list[Text]:
    """The cells of the highlighted option's grid (provenance gutter, history): gutter
    columns, then the words."""
    option = app.screen.query_one(list_id, OptionList).highlighted_option
    assert option is not None and isinstance(option.prompt, Table)
    cells = [column._cells[0] for column in option.prompt.columns]
    assert all(isinstance(cell, Text) for cell in cells)
    return cells  # type: ignore[return-value]


async def to_sentence(pilot: Pilot[Any], words: str) -> None:
    """Down the provenance gutter to the sentence holding `words`."""
    app = pilot.app
    assert isinstance(app, WirediffApp)
    for _ in range(80):
        if words in highlighted_row(app, "#provenance")[-1].plain:
            return
        await press(pilot, "down")
    raise AssertionError(f"no sentence with {words!r}")
