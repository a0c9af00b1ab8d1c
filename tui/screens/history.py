"""One sentence's history: every take that did something to its line, each form marked
against the one before, the take that removed it and the one that restored it.

Enter (or d) opens the diff of the highlighted take, where the change is read in context.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.messages import ArchiveChanged, OpenDiff
from tui.screens.base import WirediffScreen
from tui.text import (
    DELETED,
    EVENT_BADGE,
    age_style,
    aware,
    badge,
    plain,
    tag_badges,
    word_marks,
)
from tui.workspace import Workspace
from versions.blame import SentenceHistory, Take
from versions.lineage import Event, Step

TAKE_WIDTH = 22  # "v12 REFILE-UPDATE 3", the badge under it
SEARCH_WORDS = 8  # the opening words the diff is opened at


def take_cell(take: Take, latest: int) -> Text:
    text = Text(take.name, age_style(take.number, latest))
    if take.label:
        text.append(" ")
        text.append_text(plain(take.label[: TAKE_WIDTH - len(take.name) - 1], "bold"))
    text.append(f"\n{aware(take.created_at):%d %b %H:%M} UTC", "dim")
    return text


def step_text(step: Step) -> Text:
    """The form the line took in this take, its words marked against the form before."""
    if step.event is Event.REMOVED:
        return plain(step.text, DELETED)
    if step.inline:
        return word_marks(step.inline)
    return plain(step.text)


def step_row(step: Step, history: SentenceHistory) -> Table:
    """One take of the history: the take, what it did to the line, the line's form there."""
    latest = max(history.takes)
    table = Table.grid(padding=(0, 1, 0, 0), expand=True)
    table.add_column(width=TAKE_WIDTH, no_wrap=True)
    table.add_column(ratio=1)
    label, style = EVENT_BADGE[step.event]
    what = badge(label, style)
    if step.moved:
        moved_label, moved_style = EVENT_BADGE[Event.MOVED]
        what.append(" ")
        what.append_text(badge(moved_label, moved_style))
    if step.tags:
        what.append(" ")
        what.append_text(tag_badges(step.tags))
    what.append("\n")
    what.append_text(step_text(step))
    table.add_row(take_cell(history.takes[step.take], latest), what)
    return table


def history_head(history: SentenceHistory) -> Text:
    """The sentence as it stood in the take it was picked in, and its life in one line."""
    steps = history.steps
    picked = next(
        (s for s in reversed(steps) if s.take <= history.number and s.event is not Event.REMOVED),
        steps[0],
    )
    head = Text()
    head.append(f"In v{history.number}: ", "bold")
    head.append_text(plain(picked.text, "bold"))
    head.append("\n")
    began = steps[0].take
    parts = [f"came in with v{began}"]
    changes = [s.take for s in steps if s.event not in (Event.BEGAN, Event.REMOVED)]
    if changes:
        parts.append("then " + ", ".join(f"v{n}" for n in changes))
    removed_in = history.removed_in
    latest = max(history.takes)
    parts.append(f"removed in v{removed_in}" if removed_in else f"still in v{latest}, the latest")
    head.append(" · ".join(parts), "dim")
    head.append(" · enter: the diff of that take", "dim")
    return head


class SentenceHistoryScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "open_diff", "Diff of this take", id="history.diff"),
        Binding("question_mark", "app.help", "Help", id="history.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="history.back"),
    ]

    def __init__(self, workspace: Workspace, story_key: str, number: int, index: int) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.number = number
        self.index = index
        self.history: SentenceHistory | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-head")
        yield OptionList(id="history-steps", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = f"v{self.number} · a sentence's history"
        steps = self.query_one("#history-steps", OptionList)
        self.set_focus(steps)
        steps.loading = True
        self._read()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="history",
        name="Reading the sentence's history",
    )
    def _read(self) -> None:
        history = self.workspace.archive.sentence_history(self.story_key, self.number, self.index)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, history)

    def _show(self, history: SentenceHistory) -> None:
        """The cursor starts on the last take that changed the line (the one read most)."""
        first = self.history is None
        self.history = history
        self.title = history.story_title or self.story_key
        steps = self.query_one("#history-steps", OptionList)
        steps.loading = False
        keep = steps.highlighted
        steps.clear_options()
        for number, step in enumerate(history.steps):
            if number:
                steps.add_option(None)
            steps.add_option(Option(step_row(step, history), id=str(number)))
        self.query_one("#history-head", Static).update(history_head(history))
        changed = [
            number
            for number, step in enumerate(history.steps)
            if step.event is not Event.REMOVED and step.take <= self.number
        ]
        start = changed[-1] if changed else 0
        steps.highlighted = steps.get_option_index(str(start)) if first else keep

    def highlighted_step(self) -> Step | None:
        steps = self.query_one("#history-steps", OptionList)
        option = steps.highlighted_option
        if self.history is None or option is None or option.id is None:
            return None
        return self.history.steps[int(option.id)]

    @on(OptionList.OptionSelected, "#history-steps")
    def _selected(self) -> None:
        self.action_open_diff()

    def action_open_diff(self) -> None:
        """The diff of the highlighted take against the one before, at this line."""
        step = self.highlighted_step()
        if step is None:
            return
        words = " ".join(step.text.split()[:SEARCH_WORDS])
        old = step.take - 1 if step.take > 1 else None
        self.post_message(OpenDiff(self.story_key, old, step.take, search=words))

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """A later take may change or remove the line: read its history again."""
        if self.story_key in message.story_keys:
            self._read()
