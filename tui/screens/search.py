"""Search every version of every story; open the version where the words first appeared."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from tui.messages import OpenSearchHit
from tui.screens.base import WirediffScreen
from tui.text import plain, relative_time
from tui.widgets.row_table import RowTable
from tui.workspace import Workspace
from versions.editorial import plural
from versions.service import SearchHit


def column_widths(width: int) -> list[tuple[str, str, int]]:
    """Story and Where share what the version and time columns leave, Where a little more."""
    fixed = 8 + 10 + 2 * 5 + 2
    room = max(40, width - fixed)
    story = room * 2 // 5
    return [
        ("Story", "title", story),
        ("First in", "version", 8),
        ("Updated", "updated", 10),
        ("Where", "snippet", room - story),
    ]


class HitTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="search.open"),
    ]


class SearchScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_input", "New search", id="search.new"),
        Binding("question_mark", "app.help", "Help", id="search.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="search.back"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.hits: list[SearchHit] = []
        self.words = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Words to find in any version of any story, then Enter", id="words")
        yield HitTable(id="hits")
        yield Static(id="search-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Search the archive"
        table = self.query_one("#hits", DataTable)
        for label, key, width in column_widths(self.app.size.width):
            table.add_column(label, key=key, width=width)
        self.set_focus(self.query_one("#words", Input))

    @on(Input.Submitted, "#words")
    def _submitted(self, event: Input.Submitted) -> None:
        self.words = event.value.strip()
        if self.words:
            self.query_one("#hits", DataTable).loading = True
            self._search(self.words)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", name="Searching")
    def _search(self, words: str) -> None:
        hits = self.workspace.archive.search(words)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, words, hits)

    def _show(self, words: str, hits: list[SearchHit]) -> None:
        self.hits = hits
        table = self.query_one("#hits", DataTable)
        table.loading = False
        table.clear()
        now = self.workspace.now()
        for number, hit in enumerate(self.hits):
            table.add_row(
                plain(hit.title),
                Text(f"v{hit.version}", "bold"),
                relative_time(hit.last_update, now),
                plain(hit.snippet, "dim"),
                key=str(number),
            )
        status = Text(
            f" {plural(len(hits), 'story')} {'contains' if len(hits) == 1 else 'contain'} “"
        )
        status.append_text(plain(words, "bold"))
        status.append("” · Enter opens the version where they first appeared")
        self.query_one("#search-status", Static).update(status)
        if self.hits:
            self.set_focus(table)

    def action_focus_input(self) -> None:
        self.set_focus(self.query_one("#words", Input))

    @on(DataTable.RowSelected, "#hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[event.cursor_row]
        self.post_message(OpenSearchHit(hit.story_key, hit.version, self.words))
