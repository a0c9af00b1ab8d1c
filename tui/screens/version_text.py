"""One version's full text as filed: parsed into its parts, or the bytes as received; in
provenance mode, each sentence beside the take that brought it in (`Archive.blame`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.messages import OpenSentenceHistory
from tui.screens.base import WirediffScreen
from tui.text import age_style, aware, plain
from tui.workspace import Workspace
from versions.blame import Blame, BlameLine
from versions.editorial import Numbering, shown_label
from versions.intake import items_in
from versions.lineage import CELL_SIGNS, CellState
from versions.model import Document, ParagraphKind
from versions.service import VersionRow

GUTTER = 9  # "DATELINE", "¶12"
TAKE_WIDTH = 4  # "v12"
MARKS_WIDTH = 8  # "~v12 ↺"


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


def gutter_line(line: BlameLine, latest: int, first_in_paragraph: bool) -> Table:
    """One sentence in provenance mode: the take it came in with (coloured by age), the
    take that last changed it, a restored mark, its paragraph, then its words."""
    lineage = line.lineage
    table = Table.grid(padding=(0, 1, 0, 0), expand=True)
    table.add_column(width=TAKE_WIDTH, no_wrap=True)
    table.add_column(width=MARKS_WIDTH, no_wrap=True, style="dim")
    table.add_column(width=GUTTER - 1, no_wrap=True, style="dim")
    table.add_column(ratio=1)
    marks = Text()
    if lineage.last_edit is not None:
        marks.append(f"~v{lineage.last_edit}")
    if lineage.restored is not None:
        marks.append(f" {CELL_SIGNS[CellState.RESTORED]}", "bold magenta")
    table.add_row(
        Text(f"v{lineage.began}", age_style(lineage.began, latest)),
        marks,
        Text(line.place if first_in_paragraph else ""),
        plain(line.sentence.text),
    )
    return table


def age_legend(latest: int) -> Text:
    text = Text("older ", "dim")
    for number in range(1, latest + 1):
        text.append("■", age_style(number, latest))
    text.append(" newer", "dim")
    return text


def raw_text(raw: bytes, encoding: str) -> Text:
    """The bytes as received, decoded as the reader detected them; undecodable bytes show
    as �, control characters as their pictures."""
    try:
        decoded = raw.decode(encoding, errors="replace")
    except LookupError:
        decoded = raw.decode("utf-8", errors="replace")
    return plain(decoded.replace("\r\n", "\n").expandtabs(4))


def version_head(row: VersionRow) -> Text:
    """ "v5 UPDATE 3; WITHDRAWN": the number, and the label as the editor reads it (a
    withdrawn take in red)."""
    head = Text()
    head.append(f"v{row.number}", "bold")
    label = shown_label(row.label, withdrawn=row.withdrawn, correction=row.correction)
    if label:
        head.append(" ")
        head.append_text(plain(label, "bold white on red" if row.withdrawn else "bold"))
    return head


class VersionTextScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "toggle_raw", "Parsed/raw", id="text.raw"),
        Binding("p", "toggle_provenance", "Provenance", id="text.provenance"),
        Binding("right_square_bracket", "step(1)", "Next version", id="text.next"),
        Binding("left_square_bracket", "step(-1)", "Prev version", show=False, id="text.prev"),
        Binding("y", "copy", "Copy text", show=False, id="text.copy"),
        Binding("j", "scroll(1)", "Down", show=False, id="text.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="text.up"),
        Binding("question_mark", "app.help", "Help", id="text.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="text.back"),
    ]

    def __init__(
        self, workspace: Workspace, story_key: str, number: int, *, provenance: bool = False
    ) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.number = number
        self.raw = False
        self.provenance = provenance
        self.filed: Filed | None = None
        self.blame: Blame | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="text-head")
        with VerticalScroll(id="text-scroll"):
            yield Static(id="text-body")
        yield OptionList(id="provenance", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        self._place()
        self.query_one("#provenance" if self.provenance else "#text-scroll").loading = True
        self._read(self.number, provenance=self.provenance)

    def _place(self) -> None:
        """The plain text, or the sentences with their gutter; focus on the one shown."""
        scroll = self.query_one("#text-scroll")
        sentences = self.query_one("#provenance", OptionList)
        scroll.display = not self.provenance
        sentences.display = self.provenance
        self.set_focus(sentences if self.provenance else scroll)

    @work(thread=True, exclusive=True, exit_on_error=False, group="text", name="Reading the text")
    def _read(self, number: int, *, provenance: bool) -> None:
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
        blame = archive.blame(self.story_key, number) if provenance else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, filed, blame)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="provenance",
        name="Reading provenance",
    )
    def _read_blame(self, number: int) -> None:
        blame = self.workspace.archive.blame(self.story_key, number)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_blame, blame)

    def _show(self, filed: Filed, blame: Blame | None) -> None:
        self.filed = filed
        self.query_one("#text-scroll").loading = False
        if blame is not None:
            self._show_blame(blame)
        self.draw()

    def _show_blame(self, blame: Blame) -> None:
        same_take = self.blame is not None and self.blame.take == blame.take
        self.blame = blame
        sentences = self.query_one("#provenance", OptionList)
        sentences.loading = False
        keep = sentences.highlighted if same_take else 0
        sentences.clear_options()
        latest = max(blame.takes)
        paragraph = None
        for line in blame.lines:
            first = line.sentence.paragraph != paragraph
            if first and paragraph is not None:
                sentences.add_option(None)
            paragraph = line.sentence.paragraph
            option = Option(gutter_line(line, latest, first), id=str(line.sentence.index))
            sentences.add_option(option)
        if sentences.option_count:
            sentences.highlighted = min(keep or 0, sentences.option_count - 1)
        self.draw()

    def draw(self) -> None:
        filed = self.filed
        if filed is None:
            return
        row = filed.row
        self.title = row.headline or self.story_key
        mode = " · raw" if self.raw else " · provenance" if self.provenance else ""
        self.sub_title = f"v{row.number} as filed{mode}"
        if self.provenance:
            self.query_one("#text-head", Static).update(self._provenance_head(row))
            return
        head = version_head(row)
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

    def _provenance_head(self, row: VersionRow) -> Text:
        head = version_head(row)
        head.append(" · where each sentence came from\n", "dim")
        blame = self.blame
        if blame is not None:
            head.append("gutter: the take that brought it in, ")
            head.append_text(age_legend(max(blame.takes)))
            head.append(" · ~vN: last changed · ↺: restored · ", "dim")
            head.append("enter: its history", "bold")
            if blame.revert is not None:
                head.append("\n")
                head.append(blame.revert, "bold magenta")
        return head

    @on(OptionList.OptionSelected, "#provenance")
    def _history(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.post_message(
                OpenSentenceHistory(self.story_key, self.number, int(event.option.id))
            )

    def action_toggle_provenance(self) -> None:
        self.provenance = not self.provenance
        self.raw = False
        self._place()
        if self.provenance and (self.blame is None or self.blame.take.number != self.number):
            self.query_one("#provenance").loading = True
            self._read_blame(self.number)
        self.draw()

    def action_toggle_raw(self) -> None:
        if self.provenance:
            self.provenance = False
            self._place()
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
        if self.provenance:
            sentences = self.query_one("#provenance", OptionList)
            if direction > 0:
                sentences.action_cursor_down()
            else:
                sentences.action_cursor_up()
            return
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
