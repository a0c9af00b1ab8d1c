"""Choose what to export: this pair or the whole history, in which format."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.export import FORMAT_NAMES, SCOPE_NAMES, Scope
from versions.export import Format

Choice = tuple[Scope, Format]


def choices() -> list[tuple[str, Choice]]:
    """ "Export pair as HTML"… for every scope and format, Markdown first."""
    return [
        (f"Export {SCOPE_NAMES[scope]} as {name}", (scope, fmt))
        for scope in SCOPE_NAMES
        for fmt, name in FORMAT_NAMES.items()
    ]


class ExportScreen(ModalScreen[Choice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,x", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        self._choices = choices()
        options = [Option(title, id=str(n)) for n, (title, _) in enumerate(self._choices)]
        with Vertical(id="export-box"):
            yield Static("Export to the working directory", id="export-title")
            yield OptionList(*options, id="export-options")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
