"""Every story, newest update first, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.worker import get_current_worker

from tui.messages import ArchiveChanged, OpenDesk, OpenSearch, OpenStory
from tui.screens.base import WirediffScreen
from tui.text import FOLLOWED, badge, counts_text, plain, relative_time, styled, tag_words
from tui.widgets.row_table import RowTable
from tui.workspace import Workspace
from versions.editorial import plural
from versions.model import Status
from versions.service import StoryRow

PAGE = 100
KEY_COLUMNS = 140  # the story key gets a column from this width; narrower, the headline has it

Order = Literal["updated", "title"]


def follow_mark(followed: bool, unread: int) -> Text:
    """★ before a followed story's headline; ★3 when three versions are new to the editor."""
    if not followed:
        return Text()
    if unread:
        return styled(f"{FOLLOWED}{unread} ", "bold yellow")
    return styled(f"{FOLLOWED} ", "yellow")


def story_cells(
    row: StoryRow, updated: str, *, followed: bool = False, unread: int = 0
) -> tuple[Text, Text, str, Text, Text]:
    """The cells of one story: withdrawn stories struck through behind a red badge, followed
    ones marked with their unread count."""
    title = follow_mark(followed, unread)
    if row.status == Status.WITHDRAWN:
        title.append_text(badge("WITHDRAWN", "bold white on red"))
        title.append(" ")
        title.append_text(plain(row.title, "strike dim"))
    else:
        title.append_text(plain(row.title, "bold" if unread else ""))
    latest = Text()
    if row.latest is not None:
        latest = counts_text(row.latest)
        latest.append_text(tag_words(row.latest.tags))
    return title, Text(str(row.versions), justify="right"), updated, latest, plain(row.key, "dim")


def column_widths(width: int) -> list[tuple[str, str, int]]:
    """(label, key, width) per column; the headline takes what the others leave."""
    latest = 18 if width < 100 else 26
    columns = [
        ("Vers", "versions", 4),
        ("Updated", "updated", 10),
        ("Latest change", "latest", latest),
    ]
    if width >= KEY_COLUMNS:
        columns.append(("Key", "key", 34))
    # each cell has one column of padding either side; the scrollbar takes two
    fixed = sum(w for _, _, w in columns) + 2 * (len(columns) + 1) + 2
    return [("Headline", "title", max(20, width - fixed)), *columns]


@dataclass(frozen=True)
class Page:
    """Stories read in a worker, for the screen to show."""

    rows: list[StoryRow]
    total: int | None  # None: a further page of the same list
    keep: str | None = None
    followed: frozenset[str] = frozenset()
    unread: dict[str, int] = field(default_factory=dict)


class StoryTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="stories.open"),
    ]


class StoriesScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="stories.filter"),
        Binding("o", "toggle_order", "Sort", id="stories.sort"),
        Binding("s", "search", "Search archive", id="stories.search"),
        Binding("f", "follow", "Follow", id="stories.follow"),
        Binding("d", "desk", "Desk", id="stories.desk"),
        Binding("question_mark", "app.help", "Help", id="stories.help"),
        Binding("q", "app.quit", "Quit", id="stories.quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="stories.clear_filter"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.order: Order = "updated"
        self.match: str | None = None
        self.rows: list[StoryRow] = []
        self.total = 0
        self.followed: frozenset[str] = frozenset()
        self.unread: dict[str, int] = {}
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter stories by headline or key (/)", id="filter")
        yield StoryTable(id="stories")
        yield Static(id="stories-hint")
        yield Static(id="stories-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "wirediff"
        table = self.query_one("#stories", DataTable)
        for label, key, width in column_widths(self.app.size.width):
            table.add_column(label, key=key, width=width)
        self.query_one("#stories-hint").display = False
        self.set_focus(table)  # before it shows it is loading: a loading widget takes no focus
        self.load()

    # Loading

    def load(self, keep: str | None = None) -> None:
        """(Re)load from the top, enough rows to keep the reader's place, plus a page.

        Only an empty list shows it is loading: a reload keeps the rows on screen, and the
        keys working on them, until the new ones arrive."""
        table = self.query_one("#stories", DataTable)
        if table.row_count == 0:
            table.loading = True
        wanted = max(PAGE, len(self.rows) + (PAGE if keep else 0))
        self._read(self.order, self.match, wanted, keep)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stories", name="Listing stories")
    def _read(self, order: Order, match: str | None, wanted: int, keep: str | None) -> Page:
        archive = self.workspace.archive
        user = self.workspace.user
        rows = archive.stories(order=order, match=match, limit=wanted)
        total = archive.story_count(match)
        page = Page(rows, total, keep, archive.followed(user), archive.unread(user))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, page)
        return page

    def _show(self, page: Page) -> None:
        table = self.query_one("#stories", DataTable)
        table.loading = False
        old_row = table.cursor_row
        old_scroll = table.scroll_y
        self.rows = page.rows
        self.total = page.total or 0
        self.followed, self.unread = page.followed, page.unread
        table.clear()
        self._add_rows(self.rows)
        if page.keep is not None:
            keys = [row.key for row in self.rows]
            if page.keep in keys:
                new_row = keys.index(page.keep)
                table.move_cursor(row=new_row, animate=False, scroll=False)
                table.scroll_to(y=max(0, old_scroll + new_row - old_row), animate=False)
        self._show_status()

    def _add_rows(self, rows: list[StoryRow]) -> None:
        table = self.query_one("#stories", DataTable)
        now = self.workspace.now()
        for row in rows:
            cells = story_cells(
                row,
                relative_time(row.last_update, now),
                followed=row.key in self.followed,
                unread=self.unread.get(row.key, 0),
            )
            table.add_row(*cells[: len(table.columns)], key=row.key)

    def _load_more(self) -> None:
        if len(self.rows) < self.total:
            self._read_more(self.order, self.match, len(self.rows))

    @work(thread=True, exclusive=True, exit_on_error=False, group="more", name="Listing stories")
    def _read_more(self, order: Order, match: str | None, offset: int) -> None:
        more = self.workspace.archive.stories(order=order, match=match, limit=PAGE, offset=offset)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_more, offset, more)

    def _show_more(self, offset: int, more: list[StoryRow]) -> None:
        if offset != len(self.rows):  # the list was reloaded meanwhile
            return
        self.rows.extend(more)
        self._add_rows(more)
        self._show_status()

    def _show_status(self) -> None:
        order = "last update" if self.order == "updated" else "title"
        shown = f"{len(self.rows):,} of {self.total:,}" if self.total > len(self.rows) else ""
        filtered = f" matching “{self.match}”" if self.match else ""
        status = Text(f" {plural(self.total, 'story')}{filtered} · sorted by {order}")
        if shown:
            status.append(f" · {shown} loaded", "dim")
        if self.followed:
            news = sum(1 for key in self.followed if self.unread.get(key))
            status.append(f" · {FOLLOWED} {len(self.followed)} followed")
            if news:
                status.append(f", {news} with news", "bold")
        self.query_one("#stories-status", Static).update(status)
        hint = self.query_one("#stories-hint", Static)
        hint.display = self.total == 0
        if self.total == 0 and self.match:
            hint.update(Text("No story matches. Esc clears the filter.", "italic"))
        elif self.total == 0:
            text = Text("The archive is empty. Load wire stories from a shell:\n\n", "bold")
            text.append("  wirediff ingest PATH", "bold cyan")
            text.append("   files or folders of wire copy, ninjs, NewsML-G2, RSS\n")
            text.append("  wirediff demo", "bold cyan")
            text.append("          the bundled sample stories, in a fresh database\n")
            text.append("  wirediff watch DIR", "bold cyan")
            text.append("     follow a hot folder; new versions show here as they land")
            hint.update(text)

    @on(DataTable.RowHighlighted, "#stories")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - 20:
            self._load_more()

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """Reload in place after another process added versions."""
        self.load(keep=self._highlighted())

    def on_screen_resume(self) -> None:
        """Back from a story: what the editor read there is no longer counted new."""
        if self.rows:
            self.load(keep=self._highlighted())

    def _highlighted(self) -> str | None:
        table = self.query_one("#stories", DataTable)
        return self.rows[min(table.cursor_row, len(self.rows) - 1)].key if self.rows else None

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
        if self._debounce is not None:
            self._debounce.stop()
        self.set_focus(self.query_one("#stories", DataTable))
        self._apply_filter()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        self.set_focus(self.query_one("#stories", DataTable))
        if filter_input.value:
            filter_input.value = ""
            self._apply_filter()

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
        """A followed story with news opens on what changed since the editor last looked."""
        if not self.rows:
            return
        row = self.rows[event.cursor_row]
        unread = self.unread.get(row.key, 0)
        news = (max(row.versions - unread, 1), row.versions) if unread else None
        self.post_message(OpenStory(row.key, news=news))

    def action_search(self) -> None:
        self.post_message(OpenSearch())

    def action_desk(self) -> None:
        self.post_message(OpenDesk())

    def action_follow(self) -> None:
        key = self._highlighted()
        if key is not None:
            self.toggle_follow(key, key not in self.followed)

    def follow_changed(self, key: str, follow: bool) -> None:
        super().follow_changed(key, follow)
        self.load(keep=key)
