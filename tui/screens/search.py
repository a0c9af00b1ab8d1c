"""Search every version of every story; open the version where the words first appeared."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static

from tui.screens.base import WirediffScreen
from tui.text import plain, relative_time
from tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from versions.service import SearchHit


class SearchScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_input", "New search"),
        Binding("question_mark", "app.help", "Help"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []
        self.words = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Words to find in any version of any story, then Enter", id="words")
        yield RowTable(id="hits")
        yield Static(id="search-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Search the archive"
        table = self.query_one("#hits", DataTable)
        table.add_column("Story", key="title")
        table.add_column("First in", key="version")
        table.add_column("Updated", key="updated")
        table.add_column("Where", key="snippet")
        self.set_focus(self.query_one("#words", Input))

    @on(Input.Submitted, "#words")
    def _search(self, event: Input.Submitted) -> None:
        self.words = event.value.strip()
        self.hits = self.wirediff.archive.search(self.words) if self.words else []
        table = self.query_one("#hits", DataTable)
        table.clear()
        now = self.wirediff.now()
        for number, hit in enumerate(self.hits):
            table.add_row(
                plain(hit.title),
                Text(f"v{hit.version}", "bold"),
                relative_time(hit.last_update, now),
                plain(hit.snippet, "dim"),
                key=str(number),
            )
        status = Text(f" {len(self.hits)} stories contain “")
        status.append_text(plain(self.words, "bold"))
        status.append("” · Enter opens the version where they first appeared")
        self.query_one("#search-status", Static).update(status)
        if self.hits:
            self.set_focus(table)

    def action_focus_input(self) -> None:
        self.set_focus(self.query_one("#words", Input))

    @on(DataTable.RowSelected, "#hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        from tui.screens.diff import DiffScreen
        from tui.screens.story import StoryScreen

        hit = self.hits[event.cursor_row]
        numbers = [row.number for row in self.wirediff.archive.versions(hit.story_key)]
        old = hit.version - 1 if hit.version > 1 else None
        self.app.push_screen(StoryScreen(hit.story_key, select=hit.version))
        self.app.push_screen(
            DiffScreen(hit.story_key, old, hit.version, numbers, search=self.words)
        )
