"""The scrolling body of the diff screen: inline or side by side.

The whole diff is wrapped into lines here and drawn a line at a time (Textual's line
API), so switching version pairs costs one wrap of the story and a screenful of strips,
and moving to a change is a plain scroll to a known line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.diff_layout import Block, DiffLayout, Segment, layout
from tui.text import (
    ADDED,
    MOVED,
    REMOVED,
    change_marker,
    inline_spans,
    plain,
    styled,
)
from versions.comparison import Comparison
from versions.editorial import Numbering
from versions.model import Change, ChangeKind, ChangeLog, Document, Section, Tag

SEARCH_HIT = "black on yellow"
GUTTER = 6  # paragraph number: "¶123"
TOP_GUTTER = 10  # section name of a top-matter change: "HEADLINE"
COLUMN_RULE = " │ "  # between the old and the new side
CONTEXT = 1  # unchanged paragraphs shown whole either side of a change, changes only


@dataclass(frozen=True)
class Found:
    """Where find stopped: the `position`th of the `paragraphs` holding the words."""

    position: int
    paragraphs: int
    times: int  # how often the words occur in what is shown
    wrapped: bool = False  # went past the last paragraph back to the first


class DiffView(ScrollView, can_focus=True):
    """Shows one ChangeLog; `n`/`p` (or a click) move `current` through the visible changes.

    Paragraph numbers are the editor's (the dateline paragraph is ¶1, subheads are not
    counted), as in the advisory lines and the exports.
    """

    class CurrentChanged(Message):
        """The reader clicked a paragraph holding a change, which is now current."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison = Comparison(ChangeLog(()))
        self.changelog = ChangeLog(())
        self.old_doc = Document(())
        self.new_doc = Document(())
        self.numbering = Numbering()
        self.placement = DiffLayout([], [])
        self.side_by_side = False
        self.show_cosmetic = False
        self.only: str | None = None  # a ChangeKind or Tag value, or None for every change
        self.changes_only = False  # unchanged paragraphs away from a change folded to a line
        self.search = ""
        self._found: list[int] = []  # blocks holding `search`, top to bottom
        self._at: int | None = None  # index into `_found` of the block find last went to
        self._times = 0  # occurrences of `search` in what is shown
        self.current: int | None = None  # index into ChangeLog.changes
        self._block_of: dict[int, int] = {}
        self._offsets: list[int] = []  # first line of each block; -1 when it has no lines
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}

    def show(self, comparison: Comparison) -> None:
        assert comparison.old is not None and comparison.new is not None
        self.comparison = comparison
        self.changelog, self.old_doc, self.new_doc = (
            comparison.changelog,
            comparison.old,
            comparison.new,
        )
        self.numbering = comparison.numbering
        self.placement = layout(self.changelog, self.old_doc, self.new_doc)
        self.current = None
        self._found, self._at = [], None
        self._block_of = {
            change: number
            for number, block in enumerate(self.placement.blocks, start=1)
            for change in block.changes
        }
        self._block_of.update({change: 0 for change in self.placement.top})
        self.scroll_to(y=0, animate=False, immediate=True)
        self.redraw()

    @property
    def lines(self) -> list[Text]:
        """The diff as wrapped for the screen, one `Text` a line, top to bottom."""
        return self._lines

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

    def _shown_whole(self) -> list[bool]:
        """Per body block: shown in full, or (changes only) folded to one line."""
        blocks = self.placement.blocks
        if not self.changes_only:
            return [True] * len(blocks)
        changed = [
            any(s.change is not None and self.is_visible(s.change) for s in block.segments)
            for block in blocks
        ]
        near = [n for n, flag in enumerate(changed) if flag]
        return [any(abs(n - m) <= CONTEXT for m in near) for n in range(len(blocks))]

    def redraw(self) -> None:
        current = self._block_of.get(self.current) if self.current is not None else None
        whole = self._shown_whole()
        blocks = [
            self._render_top(),
            *(
                self._render_block(block) if shown else self._render_folded(block)
                for block, shown in zip(self.placement.blocks, whole, strict=True)
            ),
        ]
        lines: list[Text] = []
        self._offsets = []
        for number, block in enumerate(blocks):
            if not block:
                self._offsets.append(-1)
                continue
            self._offsets.append(len(lines))
            bar = Text(" ")
            if number == current:
                bar = Text("▌", "bold yellow")
            elif self._at is not None and number == self._found[self._at]:
                bar = Text("▌", SEARCH_HIT)
            lines.extend(Text.assemble(bar, line) for line in block)
            if number == 0:
                lines.append(Text("─" * self._width(), "dim"))
            folded = number > 0 and not whole[number - 1]
            next_folded = number < len(whole) and not whole[number]
            if not (folded and next_folded):  # folded paragraphs sit line under line
                lines.append(Text())
        self._lines = lines
        self._strips = {}
        self.virtual_size = Size(self._width() + 1, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if number >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._strips.get(number)
        if strip is None:
            strip = Strip(self._lines[number].render(self.app.console))
            self._strips[number] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = {}

    def _finish(self, text: Text) -> Text:
        if self.search:
            text.highlight_words([self.search], SEARCH_HIT, case_sensitive=False)
        return text

    def _old_paragraph(self, change: Change) -> int | None:
        """The editor's number of the old paragraph a change came from."""
        return self._first_paragraph(
            change.old_paragraphs, change.old_index, self.old_doc, self.numbering.old_numbers
        )

    def _new_paragraph(self, change: Change) -> int | None:
        return self._first_paragraph(
            change.new_paragraphs, change.new_index, self.new_doc, self.numbering.new_numbers
        )

    def _first_paragraph(
        self,
        paragraphs: tuple[int, ...],
        index: tuple[int, ...],
        document: Document,
        numbers: Mapping[int, int] | None,
    ) -> int | None:
        """From the change's paragraph numbers, else from its first sentence's."""
        paragraph = paragraphs[0] if paragraphs else None
        if paragraph is None and index and index[0] < len(document.sentences):
            paragraph = document.sentences[index[0]].paragraph
        return self._numbered(paragraph, numbers)

    @staticmethod
    def _numbered(paragraph: int | None, numbers: Mapping[int, int] | None) -> int | None:
        if paragraph is None or numbers is None:
            return paragraph
        return numbers.get(paragraph)

    def _marker(self, number: int) -> Text:
        change = self.changelog.changes[number]
        marker = change_marker(change, self._old_paragraph(change))
        if number == self.current:
            marker = Text.assemble(("▶", "bold reverse"), " ", marker)
        return marker

    def _ghost(self, segment: Segment) -> Text:
        """Where a moved sentence was: a dim pointer to where it went."""
        assert segment.change is not None
        where = self._new_paragraph(self.changelog.changes[segment.change])
        return styled(f"↕ moved to ¶{where}" if where else "↕ moved", f"dim italic {MOVED}")

    def _inline(self, segment: Segment) -> Text:
        """A segment as it reads in the new version, with its marks."""
        if segment.change is None:
            return self._finish(plain(segment.text_new))
        if segment.ghost:
            return self._ghost(segment) if self.is_visible(segment.change) else Text()
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
            if segment.ghost:
                return Text(), Text()
            return self._finish(plain(segment.text_old)), self._finish(plain(segment.text_new))
        change = self.changelog.changes[segment.change]
        if segment.ghost:
            return self._finish(plain(segment.text_old, "dim")), self._ghost(segment)
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
            number = self._numbered(block.paragraph, self.numbering.new_numbers)
            label = f"¶{number}" if number is not None else ""
        else:
            number = self._numbered(block.old_paragraph, self.numbering.old_numbers)
            label = f"(¶{number})" if number is not None else ""
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
        """Wrap each cell to its width and lay them side by side, gutter first."""
        wrapped = [self._wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
        rows: list[Text] = []
        for number in range(max(map(len, wrapped))):
            line = (gutter if number == 0 else Text()).copy()
            line.align("left", gutter_width)
            for column, width in enumerate(widths):
                cell = wrapped[column][number].copy() if number < len(wrapped[column]) else Text()
                cell.rstrip()
                cell.align("left", width)
                line.append_text(cell)
                if column < len(widths) - 1:
                    line.append(COLUMN_RULE, "dim")
            line.rstrip()
            rows.append(line)
        return rows

    def _render_block(self, block: Block) -> list[Text]:
        width = self._width() - GUTTER
        if self.side_by_side:
            half = (width - len(COLUMN_RULE)) // 2
            lines: list[Text] = []
            for segment in block.segments:
                cells = list(self._sides(segment))
                if not any(cells):
                    continue
                gutter = self._gutter(block) if not lines else Text()
                lines.extend(self._columns(gutter, cells, [half, half]))
            return lines
        parts = [part for part in map(self._inline, block.segments) if part]
        if not parts:
            return []
        return self._columns(self._gutter(block), [Text(" ").join(parts)], [width - 1])

    def _render_folded(self, block: Block) -> list[Text]:
        """An unchanged paragraph away from every change: its number and opening words."""
        words = " ".join(s.text_new or s.text_old for s in block.segments if not s.ghost)
        line = self._finish(plain(words, "dim"))
        line.truncate(self._width() - GUTTER - 2, overflow="ellipsis")
        gutter = self._gutter(block)
        gutter.align("left", GUTTER)
        return [Text.assemble(gutter, ("⋯ ", "dim"), line)]

    def _render_top(self) -> list[Text]:
        width = self._width() - TOP_GUTTER
        # the old side is narrower than the body's so the column rule lines up with it
        half = (self._width() - GUTTER - len(COLUMN_RULE)) // 2
        sides = [half - (TOP_GUTTER - GUTTER), half]
        lines: list[Text] = []
        for number in self.placement.top:
            change = self.changelog.changes[number]
            section = styled(Section(change.section).value.upper(), "bold")
            segment = Segment(" ".join(change.old), " ".join(change.new), number)
            if self.side_by_side:
                cells = list(self._sides(segment))
                lines.extend(self._columns(section, cells, sides, TOP_GUTTER))
            else:
                cells = [self._inline(segment)]
                lines.extend(self._columns(section, cells, [width - 1], TOP_GUTTER))
        return lines

    def on_resize(self) -> None:
        if self.changelog.changes or self.new_doc.paragraphs:
            self.redraw()

    def on_click(self, event: events.Click) -> None:
        """A click on a paragraph makes its first visible change current."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = offset.y + self.scroll_offset.y
        starts = [(start, n) for n, start in enumerate(self._offsets) if 0 <= start <= line]
        if not starts:
            return
        block = max(starts)[1]
        changes = self.placement.top if block == 0 else self.placement.blocks[block - 1].changes
        visible = [n for n in changes if self.is_visible(n)]
        if visible:
            self.current = visible[0]
            self.redraw()
            self.post_message(self.CurrentChanged())

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
        self.scroll_to(y=y, animate=False, immediate=True)

    def position(self) -> tuple[int, int]:
        """(1-based position of the current change among visible ones or 0, how many)."""
        order = self.visible_order()
        where = order.index(self.current) + 1 if self.current in order else 0
        return where, len(order)

    def find(self, words: str) -> Found | None:
        """Highlight `words` and go to the first paragraph holding them from the top of the
        view down, wrapping to the top; None when they are not in what is shown."""
        self.search = words
        self._found, self._at = [], None
        self.redraw()
        if not words:
            return None
        needle = words.casefold()
        blocks: list[Block | list[int]] = [self.placement.top, *self.placement.blocks]
        counts = [self._block_text(block).casefold().count(needle) for block in blocks]
        self._found = [n for n, count in enumerate(counts) if count and self._offsets[n] >= 0]
        if not self._found:
            return None
        top = self.scroll_offset.y
        below = [k for k, n in enumerate(self._found) if self._offsets[n] >= top]
        self._times = sum(counts)
        return self._go(below[0] if below else 0, self._times, wrapped=not below)

    def find_next(self) -> Found | None:
        """The next paragraph holding the words; after the last, the first again."""
        if self._at is None:
            return self.find(self.search)
        at = 0 if self._at is None else self._at + 1
        wrapped = at >= len(self._found)
        return self._go(
            at % len(self._found), self._times, wrapped=wrapped and len(self._found) > 1
        )

    def _go(self, at: int, times: int, *, wrapped: bool) -> Found:
        self._at = at
        self.redraw()
        y = self._offsets[self._found[at]]
        self.scroll_to(y=max(0, y - self.size.height // 3), animate=False, immediate=True)
        return Found(at + 1, len(self._found), times, wrapped)

    def _block_text(self, block: Block | list[int]) -> str:
        """The words a reader sees in a block: the new text, the old where nothing replaced it."""
        if isinstance(block, Block):
            return " ".join(s.text_new or s.text_old for s in block.segments if not s.ghost)
        changes = self.changelog.changes
        return " ".join(" ".join(changes[n].new or changes[n].old) for n in block)
