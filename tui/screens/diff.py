"""Two versions of a story compared: inline or side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tui.export import export_changelog
from tui.text import plain
from tui.widgets.diff_view import DiffView
from tui.widgets.summary_bar import SummaryBar

if TYPE_CHECKING:
    from tui.app import WirediffApp


class DiffScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next change"),
        Binding("p", "step(-1)", "Prev change"),
        Binding("t", "toggle_mode", "Inline/side"),
        Binding("s", "toggle_mode", "Inline/side", show=False),
        Binding("right_square_bracket", "pair(1)", "Next pair"),
        Binding("left_square_bracket", "pair(-1)", "Prev pair"),
        Binding("c", "toggle_cosmetic", "Cosmetic"),
        Binding("f", "filter", "Filter"),
        Binding("slash", "find", "Find"),
        Binding("e", "export", "Export"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(
        self,
        story_key: str,
        old: int | None,
        new: int,
        numbers: list[int],
        *,
        search: str = "",
    ) -> None:
        super().__init__()
        self.story_key = story_key
        self.old = old
        self.new = new
        self.numbers = numbers
        self.search = search

    @property
    def wirediff(self) -> WirediffApp:
        from tui.app import WirediffApp

        assert isinstance(self.app, WirediffApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield SummaryBar(id="summary")
        yield DiffView(id="diff")
        yield Static(id="diff-status")
        yield Input(placeholder="Find in this story (enter: next match, esc: close)", id="find")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        self.load()
        view = self.query_one(DiffView)
        view.focus()
        if self.search:
            self.call_after_refresh(self._find, self.search)

    def load(self) -> None:
        """Fetch and show the pair; version 1 alone is shown as it reads, with no changes."""
        archive = self.wirediff.archive
        old = self.old if self.old is not None else self.new
        changelog = archive.compare(self.story_key, old, self.new)
        old_doc = archive.document(self.story_key, old)
        new_doc = old_doc if old == self.new else archive.document(self.story_key, self.new)
        view = self.query_one(DiffView)
        view.show(changelog, old_doc, new_doc)
        self.title = changelog.story_title or self.story_key
        self.sub_title = f"v{old} → v{self.new}" if self.old is not None else f"v{self.new}"
        self.draw_status("first version: nothing to compare" if self.old is None else "")

    def draw_status(self, note: str = "") -> None:
        view = self.query_one(DiffView)
        self.query_one(SummaryBar).show(
            view.changelog,
            hidden_cosmetic=view.hidden_cosmetic(),
            only=view.only,
            side_by_side=view.side_by_side,
        )
        where, total = view.position()
        status = Text(f" change {where} of {total}" if where else f" {total} changes", "bold")
        if view.current is not None and where:
            change = view.changelog.changes[view.current]
            status.append(f" · {change.kind} · {change.section}")
            if change.tags:
                status.append(" · " + ", ".join(map(str, change.tags)))
        if note:
            status.append("  ")
            status.append_text(plain(note, "italic"))
        self.query_one("#diff-status", Static).update(status)

    # Actions

    def action_step(self, direction: int) -> None:
        view = self.query_one(DiffView)
        if view.step(direction) is None:
            self.draw_status("no changes to visit")
            return
        self.draw_status()

    def action_toggle_mode(self) -> None:
        view = self.query_one(DiffView)
        view.side_by_side = not view.side_by_side
        view.redraw()
        view.reveal_current()
        self.draw_status()

    def action_toggle_cosmetic(self) -> None:
        view = self.query_one(DiffView)
        view.show_cosmetic = not view.show_cosmetic
        view.redraw()
        self.draw_status()

    def action_pair(self, direction: int) -> None:
        """Shift both versions one step along the timeline, keeping their distance."""
        new = self.new + direction
        old = (self.old + direction) if self.old is not None else None
        if new not in self.numbers or (old is not None and old not in self.numbers):
            self.draw_status("no further version pair that way")
            return
        self.old, self.new = (old if old is not None else (new - 1 if new > 1 else None)), new
        self.load()

    def action_scroll(self, direction: int) -> None:
        view = self.query_one(DiffView)
        if direction > 0:
            view.scroll_down(animate=False)
        else:
            view.scroll_up(animate=False)

    def action_filter(self) -> None:
        from tui.screens.filter import FilterScreen

        view = self.query_one(DiffView)

        def chosen(only: str | None) -> None:
            view.only = only
            view.current = None
            view.redraw()
            self.draw_status()

        self.app.push_screen(FilterScreen(view.changelog, view.only), chosen)

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self._find(event.value.strip())

    def _find(self, words: str) -> None:
        view = self.query_one(DiffView)
        found = view.find(words)
        if words and not found:
            self.draw_status(f"“{words}” is not in these two versions")
        else:
            self.draw_status(f"found “{words}”" if words else "")

    def action_export(self) -> None:
        view = self.query_one(DiffView)
        path = export_changelog(view.changelog, Path.cwd())
        self.notify(f"Exported to {path}", title="Export", markup=False)

    def action_back(self) -> None:
        """Close the find box if it is open, else go back to the story."""
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
            self.query_one(DiffView).focus()
            return
        self.app.pop_screen()
