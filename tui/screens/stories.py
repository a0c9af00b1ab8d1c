"""Every story, newest update first, one page at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from tui.screens.base import WirediffScreen
from tui.text import badge, counts_text, plain, relative_time, tag_words
from tui.widgets.row_table import RowTable
from versions.model import Status

if TYPE_CHECKING:
    from versions.service import StoryRow

PAGE = 100


def story_cells(row: StoryRow, updated: str) -> tuple[Text, Text, str, Text, Text]:
    """The cells of one story: withdrawn stories struck through behind a red badge."""
    if row.status == Status.WITHDRAWN:
        title = badge("WITHDRAWN", "bold white on red")
        title.append(" ")
        title.append_text(plain(row.title, "strike dim"))
    else:
        title = plain(row.title)
    latest = Text()
    if row.latest is not None:
        latest = counts_text(row.latest)
        latest.append_text(tag_words(row.latest.tags))
    return title, Text(str(row.versions), justify="right"), updated, latest, plain(row.key, "dim")


class StoriesScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_story", "Open", show=True),
        Binding("slash", "filter", "Filter"),
        Binding("o", "toggle_order", "Sort"),
        Binding("s", "search", "Search archive"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order: Literal["updated", "title"] = "updated"
        self.match: str | None = None
        self.rows: list[StoryRow] = []
        self.total = 0
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter stories by headline or key (/)", id="filter")
        yield RowTable(id="stories")
        yield Static(id="stories-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "wirediff"
        table = self.query_one("#stories", DataTable)
        width = self.app.size.width
        show_key = width >= 120
        fixed = 4 + 10 + 26 + (40 if show_key else 0) + 2 * (4 + show_key) + 2
        table.add_column("Headline", key="title", width=max(24, width - fixed))
        table.add_column("Vers", key="versions", width=4)
        table.add_column("Updated", key="updated", width=10)
        table.add_column("Latest change", key="latest", width=26)
        if show_key:
            table.add_column("Key", key="key", width=40)
        self.load()
        self.set_focus(table)

    # Loading

    def load(self, keep: str | None = None) -> None:
        """(Re)load from the top, enough rows to keep the reader's place, plus a page."""
        archive = self.wirediff.archive
        table = self.query_one("#stories", DataTable)
        old_row = table.cursor_row
        old_scroll = table.scroll_y
        wanted = max(PAGE, len(self.rows) + (PAGE if keep else 0))
        self.rows = archive.stories(order=self.order, match=self.match, limit=wanted)
        self.total = archive.story_count(self.match)
        table.clear()
        self._add_rows(self.rows)
        if keep is not None:
            keys = [row.key for row in self.rows]
            if keep in keys:
                new_row = keys.index(keep)
                table.move_cursor(row=new_row, animate=False, scroll=False)
                table.scroll_to(y=max(0, old_scroll + new_row - old_row), animate=False)
        self._show_status()

    def _add_rows(self, rows: list[StoryRow]) -> None:
        table = self.query_one("#stories", DataTable)
        now = self.wirediff.now()
        for row in rows:
            cells = story_cells(row, relative_time(row.last_update, now))
            table.add_row(*cells[: len(table.columns)], key=row.key)

    def _load_more(self) -> None:
        if len(self.rows) >= self.total:
            return
        more = self.wirediff.archive.stories(
            order=self.order, match=self.match, limit=PAGE, offset=len(self.rows)
        )
        self.rows.extend(more)
        self._add_rows(more)
        self._show_status()

    def _show_status(self) -> None:
        order = "last update" if self.order == "updated" else "title"
        shown = f"{len(self.rows):,} of {self.total:,}" if self.total > len(self.rows) else ""
        filtered = f" matching “{self.match}”" if self.match else ""
        stories = "story" if self.total == 1 else "stories"
        status = Text(f" {self.total:,} {stories}{filtered} · sorted by {order}")
        if shown:
            status.append(f" · {shown} loaded", "dim")
        self.query_one("#stories-status", Static).update(status)

    @on(DataTable.RowHighlighted, "#stories")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - 20:
            self._load_more()

    def refresh_rows(self) -> None:
        """Reload in place after another process added versions."""
        table = self.query_one("#stories", DataTable)
        keep = self.rows[table.cursor_row].key if self.rows else None
        self.load(keep=keep)

    # Filter as you type

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.15, self._apply_filter)

    def _apply_filter(self) -> None:
        value = self.query_one("#filter", Input).value.strip()
        self.match = value or None
        self.rows = []
        self.load()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._apply_filter()
        self.set_focus(self.query_one("#stories", DataTable))

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.value:
            filter_input.value = ""
            self._apply_filter()
        self.set_focus(self.query_one("#stories", DataTable))

    def action_toggle_order(self) -> None:
        self.order = "title" if self.order == "updated" else "updated"
        self.rows = []
        self.load()

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#filter", Input):
            self.set_focus(self.query_one("#stories", DataTable))
            event.stop()

    # Opening

    @on(DataTable.RowSelected, "#stories")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_story()

    def action_open_story(self) -> None:
        table = self.query_one("#stories", DataTable)
        if not self.rows:
            return
        from tui.screens.story import StoryScreen

        self.app.push_screen(StoryScreen(self.rows[table.cursor_row].key))

    def action_search(self) -> None:
        from tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())
