"""The keys of the screen underneath, and what the marks in a diff mean."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.text import DELETED, INSERTED, KIND_BADGE, TAG_BADGE, badge

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "enter": "Enter",
    "escape": "Esc",
}


def key_label(keys: str) -> str:
    return " ".join(KEY_NAMES.get(key, key) for key in keys.split(","))


def legend() -> Text:
    text = Text("\nMarks in a diff\n", "bold")
    for label, style in KIND_BADGE.values():
        text.append_text(badge(label, style))
        text.append(" ")
    text.append("\n")
    for label, style in TAG_BADGE.values():
        text.append_text(badge(label, style))
        text.append(" ")
    text.append("\nwords ")
    text.append("inserted", INSERTED)
    text.append(" and ")
    text.append("deleted", DELETED)
    text.append(" inside a changed sentence; ¶N is the paragraph number.\n")
    text.append("Cosmetic changes (punctuation, case, spacing) are hidden until you press c.\n")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "app.pop_screen", "Close")
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.under.BINDINGS:
            if isinstance(binding, Binding):
                table.add_row(key_label(binding.key), binding.description)
        table.add_row("ctrl+p", "Command palette: every action, and the theme")
        table.add_row("ctrl+t", "Dark / light theme")
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys on this screen", "bold"))
            yield Static(table)
            yield Static(legend())
