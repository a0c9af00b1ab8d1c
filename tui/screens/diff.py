"""Two versions of a story compared: inline or side by side, whole or changes only."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from tui.export import FORMAT_NAMES, SCOPE_NAMES, Scope, write_new, written_words
from tui.screens.base import WirediffScreen
from tui.screens.export import ExportChoice, ExportScreen, choices
from tui.screens.filter import FilterScreen
from tui.text import plain
from tui.widgets.diff_view import DiffView
from tui.widgets.summary_bar import SummaryBar
from tui.workspace import Workspace
from versions.advisory import advisory
from versions.comparison import Comparison
from versions.editorial import plural
from versions.export import Format
from versions.model import ChangeKind

Pair = tuple[int, int]


class DiffScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next change", id="diff.next"),
        Binding("p", "step(-1)", "Prev change", show=False, id="diff.previous"),
        Binding("t,s", "toggle_mode", "Inline/side", id="diff.side_by_side"),
        Binding("o", "toggle_changes_only", "Changes only", id="diff.changes_only"),
        Binding("right_square_bracket", "pair(1)", "Next pair", id="diff.next_pair"),
        Binding("left_square_bracket", "pair(-1)", "Prev pair", show=False, id="diff.prev_pair"),
        Binding("c", "toggle_cosmetic", "Cosmetic", show=False, id="diff.cosmetic"),
        Binding("f", "filter", "Filter", id="diff.filter"),
        Binding("slash", "find", "Find", id="diff.find"),
        Binding("y", "copy('new')", "Copy sentence", show=False, id="diff.copy"),
        Binding("Y", "copy('both')", "Copy old and new", show=False, id="diff.copy_both"),
        Binding("a", "copy('advisory')", "Copy advisory", show=False, id="diff.copy_advisory"),
        Binding("e", "export('pair')", "Export", id="diff.export"),
        Binding("E", "export('history')", "Export history", show=False, id="diff.export_history"),
        Binding("x", "export_as", "Export as…", show=False, id="diff.export_as"),
        Binding("j", "scroll(1)", "Down", show=False, id="diff.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="diff.up"),
        Binding("question_mark", "app.help", "Help", id="diff.help"),
        Binding("q,escape", "back", "Back", id="diff.back"),
    ]

    def __init__(
        self, workspace: Workspace, story_key: str, old: int | None, new: int, *, search: str = ""
    ) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.old = old
        self.new = new
        self.search = search
        self.numbers: list[int] = []  # the story's version numbers, once read
        # The pairs compared so far: a pair switch reads no database when the neighbours
        # were fetched in the background after the last one.
        self.comparisons: dict[Pair, Comparison] = {}
        self.reverts: dict[int, int] = {}  # versions returning to an earlier one's text

    def compose(self) -> ComposeResult:
        yield Header()
        yield SummaryBar(id="summary")
        yield DiffView(id="diff")
        yield Static(id="diff-status")
        yield Input(placeholder="Find in this story (enter: next match, esc: close)", id="find")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        view = self.query_one(DiffView)
        choices = self.workspace.diff
        view.side_by_side = choices.side_by_side
        view.changes_only = choices.changes_only
        view.show_cosmetic = choices.show_cosmetic
        self.set_focus(view)
        self.load()

    @property
    def pair(self) -> Pair:
        """The versions compared; version 1 alone is compared with itself."""
        return (self.old if self.old is not None else self.new, self.new)

    def load(self) -> None:
        """Show the pair at once when it was fetched before, else read it in a worker."""
        if self.pair in self.comparisons and self.numbers:
            self._show()
            return
        self.query_one(DiffView).loading = True
        self._read(self.pair)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pair", name="Comparing")
    def _read(self, pair: Pair) -> None:
        archive = self.workspace.archive
        numbers = [row.number for row in archive.versions(self.story_key)]
        reverts = archive.reverts(self.story_key)
        compared = archive.comparison(self.story_key, *pair)
        key, user = compared.changelog.story_key or self.story_key, self.workspace.user
        if key in archive.followed(user):  # the editor has now read up to this version
            archive.mark_seen(user, key, pair[1])
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._arrived, numbers, reverts, pair, compared)

    def _arrived(
        self, numbers: list[int], reverts: dict[int, int], pair: Pair, compared: Comparison
    ) -> None:
        self.numbers = numbers
        self.reverts = reverts
        self._keep({pair: compared})
        if pair == self.pair:
            self._show()

    def _show(self) -> None:
        old, new = self.pair
        view = self.query_one(DiffView)
        view.loading = False
        view.show(self.comparisons[old, new])
        self.title = view.changelog.story_title or self.story_key
        self.sub_title = f"v{old} → v{new}" if self.old is not None else f"v{new}"
        self.draw_status(
            "first version: nothing to compare, v: full text" if self.old is None else ""
        )
        if self.search:
            self._find(self.search)
            self.search = ""
        self._prefetch()

    def _neighbours(self) -> list[Pair]:
        """The pairs `[` and `]` lead to from here, not fetched yet."""
        pairs = []
        for step in (1, -1):
            new = self.new + step
            old = (self.old + step) if self.old is not None else new - 1
            if {old, new} <= set(self.numbers) and (old, new) not in self.comparisons:
                pairs.append((old, new))
        return pairs

    def _prefetch(self) -> None:
        pairs = self._neighbours()
        if pairs:
            self._fetch(pairs)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prefetch", name="Prefetching")
    def _fetch(self, pairs: list[Pair]) -> None:
        """The neighbouring pairs' change logs and documents, handed to the screen."""
        archive = self.workspace.archive
        compared = {pair: archive.comparison(self.story_key, *pair) for pair in pairs}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._keep, compared)

    def _keep(self, compared: dict[Pair, Comparison]) -> None:
        self.comparisons.update(compared)

    def draw_status(self, note: str = "") -> None:
        view = self.query_one(DiffView)
        self.query_one(SummaryBar).show(
            view.changelog,
            hidden_cosmetic=view.hidden_cosmetic(),
            only=view.only,
            side_by_side=view.side_by_side,
            changes_only=view.changes_only,
            reverts_to=self.reverts.get(self.new),
        )
        where, total = view.position()
        status = Text(
            f" change {where} of {total}" if where else f" {plural(total, 'change')}", "bold"
        )
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
        view.side_by_side = self.workspace.diff.side_by_side = not view.side_by_side
        view.redraw()
        view.reveal_current()
        self.draw_status()

    def action_toggle_changes_only(self) -> None:
        view = self.query_one(DiffView)
        view.changes_only = self.workspace.diff.changes_only = not view.changes_only
        view.redraw()
        view.reveal_current()
        self.draw_status()

    def action_toggle_cosmetic(self) -> None:
        view = self.query_one(DiffView)
        view.show_cosmetic = self.workspace.diff.show_cosmetic = not view.show_cosmetic
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
        """New words: the first paragraph holding them from here; the same: the next, wrapping."""
        view = self.query_one(DiffView)
        found = view.find_next() if words and words == view.search else view.find(words)
        if not words:
            self.draw_status()
        elif found is None:
            self.draw_status(f"“{words}” is not in these two versions")
        else:
            wrapped = " · wrapped to the top" if found.wrapped else ""
            self.draw_status(
                f"“{words}”: paragraph {found.position} of {found.paragraphs} holding it "
                f"({plural(found.times, 'time')}) · enter: next{wrapped}"
            )

    @on(DiffView.CurrentChanged)
    def _clicked(self) -> None:
        self.draw_status()

    # Clipboard

    def action_copy(self, what: str) -> None:
        """The current change's sentence, its old and new text, or the pair's advisory line."""
        view = self.query_one(DiffView)
        if what == "advisory":
            line = advisory(view.comparison)
            if not line:
                self.notify("Nothing changed: no advisory line to copy.", title="Clipboard")
                return
            self.app.copy_to_clipboard(line)
            self.notify("Copied the advisory line.", title="Clipboard")
            return
        if view.current is None:
            self.notify("Pick a change first: n moves to the next one.", title="Clipboard")
            return
        change = view.changelog.changes[view.current]
        old, new = " ".join(change.old), " ".join(change.new)
        if what == "both":
            text = f"Old: {old}\nNew: {new}"
        else:
            text = old if change.kind is ChangeKind.REMOVED else new
        self.app.copy_to_clipboard(text)
        said = "old and new text" if what == "both" else "sentence"
        self.notify(f"Copied the {said} of change {view.position()[0]}.", title="Clipboard")

    # Export

    def action_export(
        self, scope: Scope, fmt: Format = "markdown", folder: Path | None = None
    ) -> None:
        """Write this pair or the whole history to a new file, in a thread."""
        if len(self.numbers) < 2:
            self.notify("One version only: nothing to export.", title="Export")
            return
        if scope == "pair" and self.old is None:
            self.notify("Version 1 alone: pick a pair to export, or E for the history.")
            return
        pair = (self.old, self.new) if scope == "pair" and self.old is not None else None
        self._export(scope, fmt, pair, folder or self.workspace.export_dir)

    @work(thread=True, exit_on_error=False, group="export", name="Export")
    def _export(self, scope: Scope, fmt: Format, pair: Pair | None, folder: Path) -> None:
        exported = self.workspace.archive.export(self.story_key, fmt, pair=pair)
        try:
            path = write_new(folder, exported.filename, exported.text)
        except OSError as error:
            self.app.call_from_thread(
                self.notify,
                written_words(error, folder),
                title="Export failed",
                severity="error",
                markup=False,
                timeout=10,
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
        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.action_export(choice.scope, choice.format, choice.folder)

        self.app.push_screen(ExportScreen(self.workspace.export_dir), chosen)

    def commands(self) -> Iterable[SystemCommand]:
        """ "Export pair as HTML"… to the export folder, for the command palette."""
        for title, (scope, fmt) in choices():
            yield SystemCommand(
                title,
                f"Write it to {self.workspace.export_dir}",
                partial(self.action_export, scope, fmt),
            )

    def action_back(self) -> None:
        """Close the find box if it is open, else go back to the story."""
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
            self.set_focus(self.query_one(DiffView))
            return
        self.app.pop_screen()
