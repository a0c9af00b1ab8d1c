"""Two versions of a story compared: inline or side by side."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from tui.export import FORMAT_NAMES, SCOPE_NAMES, Scope, write_new
from tui.screens.base import WirediffScreen
from tui.screens.export import Choice, ExportScreen, choices
from tui.text import plain
from tui.widgets.diff_view import DiffView
from tui.widgets.summary_bar import SummaryBar
from versions.errors import WirediffError
from versions.export import Format
from versions.model import ChangeLog, Document

Pair = tuple[int, int]


class DiffScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next change"),
        Binding("p", "step(-1)", "Prev change", show=False),
        Binding("t", "toggle_mode", "Inline/side"),
        Binding("s", "toggle_mode", "Inline/side", show=False),
        Binding("right_square_bracket", "pair(1)", "Next pair"),
        Binding("left_square_bracket", "pair(-1)", "Prev pair", show=False),
        Binding("c", "toggle_cosmetic", "Cosmetic", show=False),
        Binding("f", "filter", "Filter"),
        Binding("slash", "find", "Find"),
        Binding("e", "export('pair')", "Export"),
        Binding("E", "export('history')", "Export history", show=False),
        Binding("x", "export_as", "Export as…", show=False),
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
        # The story's documents and change logs seen so far: a pair switch reads no database
        # when the neighbours were fetched in the background after the last one.
        self.documents: dict[int, Document] = {}
        self.changelogs: dict[Pair, ChangeLog] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield SummaryBar(id="summary")
        yield DiffView(id="diff")
        yield Static(id="diff-status")
        yield Input(placeholder="Find in this story (enter: next match, esc: close)", id="find")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        self.load()
        view = self.query_one(DiffView)
        self.set_focus(view)
        if self.search:
            self.call_after_refresh(self._find, self.search)

    def load(self) -> None:
        """Show the pair; version 1 alone is shown as it reads, with no changes."""
        old = self.old if self.old is not None else self.new
        changelog = self.changelogs.get((old, self.new))
        if changelog is None:
            compared = self.wirediff.archive.compare_with_documents(self.story_key, old, self.new)
            self._keep(*_by_pair({(old, self.new): compared}))
            changelog = compared[0]
        view = self.query_one(DiffView)
        view.show(changelog, self.documents[old], self.documents[self.new])
        self.title = changelog.story_title or self.story_key
        self.sub_title = f"v{old} → v{self.new}" if self.old is not None else f"v{self.new}"
        self.draw_status("first version: nothing to compare" if self.old is None else "")
        self.call_after_refresh(self._prefetch)

    def _neighbours(self) -> list[Pair]:
        """The pairs `[` and `]` lead to from here, not fetched yet."""
        pairs = []
        for step in (1, -1):
            new = self.new + step
            old = (self.old + step) if self.old is not None else new - 1
            if {old, new} <= set(self.numbers) and (old, new) not in self.changelogs:
                pairs.append((old, new))
        return pairs

    def _prefetch(self) -> None:
        pairs = self._neighbours()
        if pairs:
            self.run_worker(
                partial(self._fetch, pairs), thread=True, exclusive=True, group="prefetch"
            )

    def _fetch(self, pairs: list[Pair]) -> None:
        """In a thread: the neighbouring pairs' change logs and documents, handed to the screen."""
        archive = self.wirediff.archive
        compared = {pair: archive.compare_with_documents(self.story_key, *pair) for pair in pairs}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._keep, *_by_pair(compared))

    def _keep(self, changelogs: dict[Pair, ChangeLog], documents: dict[int, Document]) -> None:
        self.changelogs.update(changelogs)
        self.documents.update(documents)

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
        self.set_focus(find)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self._find(event.value.strip())

    def _find(self, words: str) -> None:
        view = self.query_one(DiffView)
        found = view.find(words)
        if words and not found:
            self.draw_status(f"“{words}” is not in these two versions")
        elif words:
            times = f"{found} time{'s' if found != 1 else ''}"
            self.draw_status(f"found “{words}” {times} · enter: next paragraph")
        else:
            self.draw_status()

    @on(DiffView.CurrentChanged)
    def _clicked(self) -> None:
        self.draw_status()

    # Export

    def action_export(self, scope: Scope, fmt: Format = "markdown") -> None:
        """Write this pair or the whole history to a new file here, in a thread."""
        if len(self.numbers) < 2:
            self.notify("One version only: nothing to export.", title="Export")
            return
        if scope == "pair" and self.old is None:
            self.notify("Version 1 alone: pick a pair to export, or E for the history.")
            return
        self.run_worker(partial(self._export, scope, fmt), thread=True, group="export")

    def _export(self, scope: Scope, fmt: Format) -> None:
        pair = (self.old, self.new) if scope == "pair" and self.old is not None else None
        try:
            exported = self.wirediff.archive.export(self.story_key, fmt, pair=pair)
            path = write_new(Path.cwd(), exported.filename, exported.text)
        except (WirediffError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Export failed", severity="error", markup=False
            )
            return
        what = f"{FORMAT_NAMES[fmt]}, {SCOPE_NAMES[scope]}"
        self.app.call_from_thread(
            self.notify,
            f"Wrote {path.name} ({what}) in {path.parent}",
            title="Export",
            markup=False,
            timeout=8,
        )

    def action_export_as(self) -> None:
        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.action_export(*choice)

        self.app.push_screen(ExportScreen(), chosen)

    def export_commands(self) -> Iterator[tuple[str, Callable[[], None]]]:
        """ "Export pair as HTML"… for the command palette."""
        for title, (scope, fmt) in choices():
            yield title, partial(self.action_export, scope, fmt)

    def action_back(self) -> None:
        """Close the find box if it is open, else go back to the story."""
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
            self.set_focus(self.query_one(DiffView))
            return
        self.app.pop_screen()


def _by_pair(
    compared: dict[Pair, tuple[ChangeLog, Document, Document]],
) -> tuple[dict[Pair, ChangeLog], dict[int, Document]]:
    """Change logs by pair and documents by version number, as the screen caches them."""
    changelogs = {pair: changelog for pair, (changelog, _, _) in compared.items()}
    documents = {
        number: document
        for (old, new), (_, old_document, new_document) in compared.items()
        for number, document in ((old, old_document), (new, new_document))
    }
    return changelogs, documents
