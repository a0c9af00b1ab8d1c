"""Pick one change kind or tag to show; every other change reads as plain text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from versions.model import ChangeKind, ChangeLog, Tag

EVERY = "every"


class FilterScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f", "cancel", "Cancel")]

    def __init__(self, changelog: ChangeLog, only: str | None) -> None:
        super().__init__()
        self.changelog = changelog
        self.only = only

    def compose(self) -> ComposeResult:
        summary = self.changelog.summary
        tags = self.changelog.tag_counts()
        options = [Option(Text(f"Every change ({len(self.changelog.changes)})"), id=EVERY)]
        options += [Option(f"{kind} ({summary[str(kind)]})", id=str(kind)) for kind in ChangeKind]
        options += [Option(f"{tag} ({tags[str(tag)]})", id=str(tag)) for tag in Tag]
        with Vertical(id="filter-box"):
            yield Static("Show only", id="filter-title")
            yield OptionList(*options, id="filter-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.only or EVERY)
        self.set_focus(options)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice in (None, EVERY) else choice)

    def action_cancel(self) -> None:
        self.dismiss(self.only)
