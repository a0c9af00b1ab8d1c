"""A story take by take: a takes × paragraphs grid coloured by what happened to each paragraph,
the story's length as a sparkline, each take's label and time along the side.

Arrow keys move over the grid; Enter opens that take's diff at that paragraph.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Sparkline, Static
from textual.worker import get_current_worker

from tui.messages import OpenDiff
from tui.screens.base import WirediffScreen
from tui.text import plain
from tui.workspace import Workspace
from versions.lineage import CellState
from versions.service import GridRow

CELL_STYLES: dict[CellState, str] = {
    CellState.ADDED: "#4caf50",
    CellState.CHANGED: "#ffb300",
    CellState.MOVED: "#42a5f5",
    CellState.RESTORED: "#ab47bc",
    CellState.REMOVED: "#e53935",
    CellState.UNTOUCHED: "#616161",
}
LABEL_WIDTH = 18
SEARCH_WORDS = 8  # the opening words of a paragraph the diff is opened at


def grid_text(rows: list[GridRow], take: int, column: int) -> Text:
    """The grid, a take a line, with its length; the cell under the cursor marked ◆."""
    text = Text(no_wrap=True, overflow="crop")
    for number, row in enumerate(rows):
        name = f"{row.take.name:<4} "
        label = (row.take.label or "")[:LABEL_WIDTH]
        text.append(name, "bold reverse" if number == take else "bold")
        text.append_text(plain(f"{label:<{LABEL_WIDTH}} ", "dim"))
        text.append(f"{row.take.created_at:%H:%M} {row.words:>6,} words  ", "dim")
        for position, cell in enumerate(row.cells):
            style = CELL_STYLES[cell.state]
            if number == take and position == column:
                text.append("◆", f"bold white on {style}")
            else:
                text.append("▌" if cell.state is CellState.REMOVED else "█", style)
        text.append("\n")
    text.append("\n")
    for state, style in CELL_STYLES.items():
        text.append("█", style)
        text.append(f" {state}  ", "dim")
    return text


class GridScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1, 0)", "Earlier take", show=False, id="grid.up"),
        Binding("down,j", "move(1, 0)", "Later take", show=False, id="grid.down"),
        Binding("left,h", "move(0, -1)", "Paragraph before", show=False, id="grid.left"),
        Binding("right,l", "move(0, 1)", "Paragraph after", show=False, id="grid.right"),
        Binding("enter", "open_diff", "Diff at paragraph", id="grid.diff"),
        Binding("question_mark", "app.help", "Help", id="grid.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="grid.back"),
    ]

    def __init__(self, workspace: Workspace, story_key: str) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.rows: list[GridRow] = []
        self.take = 0
        self.column = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="grid-top"):
            yield Static(id="grid-head")
            yield Sparkline([], id="grid-length")
        with VerticalScroll(id="grid-scroll"):
            yield Static(id="grid")
        yield Static(id="grid-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self.story_key
        self.query_one("#grid", Static).loading = True
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="grid", name="Reading the grid")
    def _read(self) -> None:
        rows = self.workspace.archive.story_grid(self.story_key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[GridRow]) -> None:
        self.rows = rows
        self.take = len(rows) - 1
        self.column = 0
        self.query_one("#grid", Static).loading = False
        sparkline = self.query_one("#grid-length", Sparkline)
        sparkline.data = [row.words for row in rows]
        sparkline.styles.width = max(2 * len(rows), 2)
        head = Text("Length, take by take", "dim")
        if rows:
            head.append(f": {rows[0].words:,} → {rows[-1].words:,} words", "dim")
        self.query_one("#grid-head", Static).update(head)
        self._draw()

    def _draw(self) -> None:
        self.query_one("#grid", Static).update(grid_text(self.rows, self.take, self.column))
        detail = Text()
        if self.rows:
            row = self.rows[self.take]
            cell = row.cells[self.column]
            before = self.rows[self.take - 1] if self.take else None
            where = (
                f"paragraph {cell.paragraph}"
                if cell.paragraph is not None
                else f"paragraph {cell.old_paragraph} of the take before"
            )
            detail.append(f"{row.take.name} ", "bold")
            if row.take.label:
                detail.append_text(plain(row.take.label, "bold"))
                detail.append(" ")
            detail.append(f"· {where}: {cell.state}\n", CELL_STYLES[cell.state])
            detail.append_text(plain(row.text_of(cell, before)))
        self.query_one("#grid-detail", Static).update(detail)

    def action_move(self, takes: int, paragraphs: int) -> None:
        if not self.rows:
            return
        self.take = min(max(self.take + takes, 0), len(self.rows) - 1)
        cells = len(self.rows[self.take].cells)
        self.column = min(max(self.column + paragraphs, 0), cells - 1)
        self._draw()

    def action_open_diff(self) -> None:
        if not self.rows:
            return
        row = self.rows[self.take]
        cell = row.cells[self.column]
        before = self.rows[self.take - 1] if self.take else None
        words = " ".join(row.text_of(cell, before).split()[:SEARCH_WORDS])
        number = row.take.number
        self.post_message(
            OpenDiff(self.story_key, number - 1 if number > 1 else None, number, search=words)
        )
