"""One version's full text as filed: parsed into its parts, or the bytes as received."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from tui.screens.base import WirediffScreen
from tui.text import aware, plain
from tui.workspace import Workspace
from versions.editorial import Numbering
from versions.intake import items_in
from versions.model import Document, ParagraphKind
from versions.service import VersionRow

GUTTER = 9  # "DATELINE", "¶12"


@dataclass(frozen=True)
class Filed:
    """One version as the screen shows it, read in a worker."""

    row: VersionRow
    document: Document
    raw: bytes
    numbers: list[int]  # every version number of the story, for [ and ]
    items: int  # how many items the delivery held: a feed or a newsMessage holds several


def parsed_text(document: Document) -> Table:
    """The parts of a version, each named; body paragraphs numbered as an editor counts them."""
    numbers = Numbering.of(document, document).new_numbers or {}
    table = Table.grid(padding=(0, 1, 1, 0))
    table.add_column(width=GUTTER - 1, style="dim", no_wrap=True)
    table.add_column(ratio=1)
    for number, paragraph in enumerate(document.paragraphs, start=1):
        kind = paragraph.kind
        if kind is ParagraphKind.TEXT:
            label = f"¶{numbers[number]}" if number in numbers else ""
        elif kind is ParagraphKind.BULLET:
            label = "•"
        else:
            label = kind.upper()
        style = "bold" if kind in (ParagraphKind.HEADLINE, ParagraphKind.SUBHEAD) else ""
        table.add_row(label, plain(paragraph.text, style))
    return table


def raw_text(raw: bytes, encoding: str) -> Text:
    """The bytes as received, decoded as the reader detected them; undecodable bytes show
    as �, control characters as their pictures."""
    try:
        decoded = raw.decode(encoding, errors="replace")
    except LookupError:
        decoded = raw.decode("utf-8", errors="replace")
    return plain(decoded.replace("\r\n", "\n").expandtabs(4))


class VersionTextScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "toggle_raw", "Parsed/raw", id="text.raw"),
        Binding("right_square_bracket", "step(1)", "Next version", id="text.next"),
        Binding("left_square_bracket", "step(-1)", "Prev version", show=False, id="text.prev"),
        Binding("y", "copy", "Copy text", show=False, id="text.copy"),
        Binding("j", "scroll(1)", "Down", show=False, id="text.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="text.up"),
        Binding("question_mark", "app.help", "Help", id="text.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="text.back"),
    ]

    def __init__(self, workspace: Workspace, story_key: str, number: int) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.number = number
        self.raw = False
        self.filed: Filed | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="text-head")
        with VerticalScroll(id="text-scroll"):
            yield Static(id="text-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#text-scroll"))
        self.load()

    def load(self) -> None:
        self.query_one("#text-scroll").loading = True
        self._read(self.number)

    @work(thread=True, exclusive=True, exit_on_error=False, group="text", name="Reading the text")
    def _read(self, number: int) -> None:
        archive = self.workspace.archive
        rows = archive.versions(self.story_key)
        row = next(r for r in rows if r.number == number)
        raw = archive.raw(self.story_key, number)
        filed = Filed(
            row,
            archive.document(self.story_key, number),
            raw,
            [r.number for r in rows],
            items_in(raw, row.format),
        )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, filed)

    def _show(self, filed: Filed) -> None:
        self.filed = filed
        self.query_one("#text-scroll").loading = False
        self.draw()

    def draw(self) -> None:
        filed = self.filed
        if filed is None:
            return
        row = filed.row
        self.title = row.headline or self.story_key
        self.sub_title = f"v{row.number} as filed" + (" · raw" if self.raw else "")
        head = Text()
        head.append(f"v{row.number}", "bold")
        if row.label:
            head.append(" ")
            head.append_text(plain(row.label, "bold"))
        received = aware(row.received_at).strftime("%d %b %Y %H:%M")
        head.append(f" · received {received} UTC · {row.format}", "dim")
        if self.raw:
            size = len(filed.raw)
            head.append(f" · {size:,} bytes as received", "dim")
            if filed.items > 1 and row.item_index is not None:
                head.append(
                    f", item {row.item_index + 1} of the {filed.items} in the delivery", "dim"
                )
        head.append(" · r: " + ("parsed" if self.raw else "raw bytes"), "dim")
        self.query_one("#text-head", Static).update(head)
        body = (
            raw_text(filed.raw, filed.document.meta.encoding)
            if self.raw
            else parsed_text(filed.document)
        )
        self.query_one("#text-body", Static).update(body)

    def action_toggle_raw(self) -> None:
        self.raw = not self.raw
        self.draw()
        self.query_one("#text-scroll", VerticalScroll).scroll_home(animate=False)

    def action_step(self, direction: int) -> None:
        if self.filed is None:
            return
        number = self.number + direction
        if number not in self.filed.numbers:
            self.notify("No further version that way.")
            return
        self.number = number
        self.load()

    def action_scroll(self, direction: int) -> None:
        scroll = self.query_one("#text-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)

    def action_copy(self) -> None:
        if self.filed is None:
            return
        text = (
            raw_text(self.filed.raw, self.filed.document.meta.encoding).plain
            if self.raw
            else self.filed.document.text
        )
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the text of v{self.number}.", title="Clipboard")
