"""The scrolling body of the diff screen: inline or side by side, one widget a paragraph."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.diff_layout import Block, DiffLayout, Segment, layout
from tui.text import (
    ADDED,
    REMOVED,
    change_marker,
    inline_spans,
    plain,
    styled,
)
from versions.model import Change, ChangeKind, ChangeLog, Document, Section, Tag

SEARCH_HIT = "black on yellow"
GUTTER = 6  # paragraph number: "¶123"
TOP_GUTTER = 10  # section name of a top-matter change: "HEADLINE"


class DiffBody(Static):
    """The whole diff as one pre-wrapped text: one widget keeps pair switching fast."""


class DiffView(VerticalScroll):
    """Shows one ChangeLog; `n`/`p` move `current` through the changes left visible.

    Blocks (the top matter, then one per paragraph) are wrapped here, so the line
    where each starts is known and moving to a change is a plain scroll.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.changelog = ChangeLog(())
        self.old_doc = Document(())
        self.new_doc = Document(())
        self.placement = DiffLayout([], [])
        self.side_by_side = False
        self.show_cosmetic = False
        self.only: str | None = None  # a ChangeKind or Tag value, or None for every change
        self.search = ""
        self.current: int | None = None  # index into ChangeLog.changes
        self._block_of: dict[int, int] = {}
        self._offsets: list[int] = []  # first line of each block; -1 when it has no lines

    def compose(self) -> ComposeResult:
        yield DiffBody()

    def show(self, changelog: ChangeLog, old_doc: Document, new_doc: Document) -> None:
        self.changelog, self.old_doc, self.new_doc = changelog, old_doc, new_doc
        self.placement = layout(changelog, old_doc, new_doc)
        self.current = None
        self._block_of = {
            change: number
            for number, block in enumerate(self.placement.blocks, start=1)
            for change in block.changes
        }
        self._block_of.update({change: 0 for change in self.placement.top})
        self.redraw()
        self.scroll_home(animate=False)

    # What is shown as a change

    def is_cosmetic(self, change: Change) -> bool:
        return Tag.COSMETIC in change.tags

    def is_visible(self, number: int) -> bool:
        change = self.changelog.changes[number]
        if self.is_cosmetic(change) and not self.show_cosmetic:
            return False
        return self.only is None or self.only == change.kind or self.only in change.tags

    def hidden_cosmetic(self) -> int:
        return 0 if self.show_cosmetic else sum(map(self.is_cosmetic, self.changelog.changes))

    def visible_order(self) -> list[int]:
        return [n for n in self.placement.order() if self.is_visible(n)]

    # Drawing

    def redraw(self) -> None:
        current = self._block_of.get(self.current) if self.current is not None else None
        blocks = [self._render_top(), *(self._render_block(b) for b in self.placement.blocks)]
        lines: list[Text] = []
        self._offsets = []
        for number, block in enumerate(blocks):
            if not block:
                self._offsets.append(-1)
                continue
            self._offsets.append(len(lines))
            bar = Text("▌", "bold yellow") if number == current else Text(" ")
            lines.extend(Text.assemble(bar, line) for line in block)
            if number == 0:
                lines.append(Text("─" * self._width(), "dim"))
            lines.append(Text())
        self.query_one(DiffBody).update(Text("\n").join(lines))

    def _finish(self, text: Text) -> Text:
        if self.search:
            text.highlight_words([self.search], SEARCH_HIT, case_sensitive=False)
        return text

    def _old_paragraph(self, change: Change) -> int | None:
        if change.old_paragraphs:
            return change.old_paragraphs[0]
        sentences = self.old_doc.sentences
        if change.old_index and change.old_index[0] < len(sentences):
            return sentences[change.old_index[0]].paragraph
        return None

    def _marker(self, number: int) -> Text:
        change = self.changelog.changes[number]
        marker = change_marker(change, self._old_paragraph(change))
        if number == self.current:
            marker = Text.assemble(("▶", "bold reverse"), " ", marker)
        return marker

    def _inline(self, segment: Segment) -> Text:
        """A segment as it reads in the new version, with its marks."""
        if segment.change is None:
            return self._finish(plain(segment.text_new))
        change = self.changelog.changes[segment.change]
        if not self.is_visible(segment.change):
            return self._finish(plain(segment.text_new))
        text = self._marker(segment.change)
        if change.kind is ChangeKind.ADDED:
            text.append_text(plain(segment.text_new, ADDED))
        elif change.kind is ChangeKind.REMOVED:
            text.append_text(plain(segment.text_old, REMOVED))
        else:
            text.append_text(inline_spans(change))
        return self._finish(text)

    def _sides(self, segment: Segment) -> tuple[Text, Text]:
        if segment.change is None or not self.is_visible(segment.change):
            return self._finish(plain(segment.text_old)), self._finish(plain(segment.text_new))
        change = self.changelog.changes[segment.change]
        if change.kind is ChangeKind.ADDED:
            old = Text()
            new = plain(segment.text_new, ADDED)
        elif change.kind is ChangeKind.REMOVED:
            old = plain(segment.text_old, REMOVED)
            new = Text()
        elif change.kind is ChangeKind.MOVED:
            old = styled(f"(was in ¶{self._old_paragraph(change)})", "dim italic")
            new = inline_spans(change, side="new")
        else:
            old = inline_spans(change, side="old")
            new = inline_spans(change, side="new")
        return self._finish(old), self._finish(Text.assemble(self._marker(segment.change), new))

    def _gutter(self, block: Block) -> Text:
        """The paragraph number; a removed paragraph shows its old number in brackets."""
        if block.paragraph is not None:
            label = f"¶{block.paragraph}"
        else:
            label = f"(¶{block.old_paragraph})"
        current = self.current is not None and self.current in block.changes
        return styled(label, "bold" if current else "dim")

    def _width(self) -> int:
        """Columns for a block's lines, less the one where the current-change bar goes."""
        return max(30, (self.scrollable_content_region.width or self.app.size.width - 4) - 1)

    def _wrap(self, text: Text, width: int) -> list[Text]:
        return list(text.wrap(self.app.console, max(10, width))) or [Text()]

    def _columns(
        self, gutter: Text, cells: list[Text], widths: list[int], gutter_width: int = GUTTER
    ) -> list[Text]:
        """Wrap each cell to its width and lay them side by side, gutter first.

        Done by hand rather than with a Rich Table: tables are measured again on
        every layout pass, which made moving between version pairs slow.
        """
        wrapped = [self._wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
        rows: list[Text] = []
        for number in range(max(map(len, wrapped))):
            line = (gutter if number == 0 else Text()).copy()
            line.align("left", gutter_width)
            for column, width in zip(wrapped, widths, strict=True):
                cell = column[number].copy() if number < len(column) else Text()
                cell.rstrip()
                cell.align("left", width)
                line.append_text(cell)
                line.append(" ")
            line.rstrip()
            rows.append(line)
        return rows

    def _render_block(self, block: Block) -> list[Text]:
        width = self._width() - GUTTER
        if self.side_by_side:
            half = (width - 2) // 2
            lines: list[Text] = []
            for row, segment in enumerate(block.segments):
                gutter = self._gutter(block) if row == 0 else Text()
                lines.extend(self._columns(gutter, list(self._sides(segment)), [half, half]))
            return lines
        text = Text(" ").join(self._inline(s) for s in block.segments)
        return self._columns(self._gutter(block), [text], [width - 1])

    def _render_top(self) -> list[Text]:
        width = self._width() - TOP_GUTTER
        lines: list[Text] = []
        for number in self.placement.top:
            change = self.changelog.changes[number]
            section = styled(Section(change.section).value.upper(), "bold")
            segment = Segment(" ".join(change.old), " ".join(change.new), number)
            if self.side_by_side:
                half = (width - 2) // 2
                cells = list(self._sides(segment))
                lines.extend(self._columns(section, cells, [half, half], TOP_GUTTER))
            else:
                cells = [self._inline(segment)]
                lines.extend(self._columns(section, cells, [width - 1], TOP_GUTTER))
        return lines

    def on_resize(self) -> None:
        if self.changelog.changes or self.new_doc.paragraphs:
            self.redraw()

    # Moving about

    def step(self, direction: int) -> Change | None:
        """Make the next (+1) or previous (−1) visible change current and bring it into view."""
        order = self.visible_order()
        if not order:
            return None
        if self.current in order:
            position = order.index(self.current) + direction
        else:
            position = 0 if direction > 0 else len(order) - 1
        position = max(0, min(position, len(order) - 1))
        self.current = order[position]
        self.redraw()
        self.reveal_current()
        return self.changelog.changes[self.current]

    def reveal_current(self) -> None:
        """Scroll so the current change's paragraph starts a third of the way down."""
        block = self._block_of.get(self.current) if self.current is not None else None
        if block is None or self._offsets[block] < 0:
            return
        y = max(0, self._offsets[block] - self.size.height // 3)
        self.call_after_refresh(self.scroll_to, y=y, animate=False)

    def position(self) -> tuple[int, int]:
        """(1-based position of the current change among visible ones or 0, how many)."""
        order = self.visible_order()
        where = order.index(self.current) + 1 if self.current in order else 0
        return where, len(order)

    def find(self, words: str, direction: int = 1) -> bool:
        """Highlight `words` and scroll to the next paragraph holding them; False if none."""
        self.search = words
        self.redraw()
        if not words:
            return False
        needle = words.casefold()
        blocks = [self.placement.top, *self.placement.blocks]
        holding = [
            number
            for number, block in enumerate(blocks)
            if needle in self._block_text(block).casefold()
        ]
        if not holding:
            return False
        starts = [self._offsets[n] for n in holding if self._offsets[n] >= 0]
        if not starts:
            return False
        after = [y for y in starts if y > self.scroll_offset.y + 1]
        target = after[0] if after and direction > 0 else starts[0]
        self.call_after_refresh(self.scroll_to, y=target, animate=False)
        return True

    def _block_text(self, block: Block | list[int]) -> str:
        if isinstance(block, Block):
            return " ".join(f"{s.text_old} {s.text_new}" for s in block.segments)
        changes = self.changelog.changes
        return " ".join(" ".join(changes[n].old + changes[n].new) for n in block)
