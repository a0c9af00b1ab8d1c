"""Choose what to export (this pair or the whole history, in which format) and where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.export import FORMAT_NAMES, SCOPE_NAMES, Scope
from versions.export import Format


@dataclass(frozen=True)
class ExportChoice:
    scope: Scope
    format: Format
    folder: Path


def choices() -> list[tuple[str, tuple[Scope, Format]]]:
    """ "Export pair as HTML"… for every scope and format, Markdown first."""
    return [
        (f"Export {SCOPE_NAMES[scope]} as {name}", (scope, fmt))
        for scope in SCOPE_NAMES
        for fmt, name in FORMAT_NAMES.items()
    ]


class ExportScreen(ModalScreen[ExportChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self._choices = choices()

    def compose(self) -> ComposeResult:
        options = [Option(title, id=str(n)) for n, (title, _) in enumerate(self._choices)]
        with Vertical(id="export-box"):
            yield Static("Export to the folder", id="export-title")
            yield Input(str(self.folder), id="export-folder")
            yield OptionList(*options, id="export-options")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    @on(Input.Submitted, "#export-folder")
    def _folder_done(self) -> None:
        self.set_focus(self.query_one(OptionList))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        scope, fmt = self._choices[event.option_index][1]
        typed = self.query_one("#export-folder", Input).value.strip()
        folder = Path(typed).expanduser() if typed else self.folder
        self.dismiss(ExportChoice(scope, fmt, folder))

    def action_cancel(self) -> None:
        self.dismiss(None)
