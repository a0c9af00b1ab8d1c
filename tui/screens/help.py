"""The keys of the screen underneath (as remapped in the config file), and what the marks
in a diff mean."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.keys import key_actions
from tui.text import DELETED, INSERTED, KIND_BADGE, TAG_BADGE, badge


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
        Binding("escape,q,question_mark,f1", "app.pop_screen", "Close", id="help.close")
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under
        self.actions = key_actions(under)  # now: once this screen is up, its keys are active

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for action in self.actions:
            table.add_row(action.keys, action.description)
        table.add_row("^p", "Command palette: every action with its key, and the theme")
        title = self.under.title or "this screen"
        with VerticalScroll(id="help-box"):
            yield Static(Text.assemble(("Keys on ", "bold"), (str(title), "bold italic")))
            yield Static(table)
            yield Static(legend())
