"""The desk: arrivals across every story as they land, newest or most significant first.

The rows come first, from one query; each arrival's significance and advisory line need a
comparison, so they are worked out afterwards in a worker and filled in as they come,
newest first (kept in the workspace by version id: an arrival is scored once a session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from tui.messages import ArchiveChanged, OpenDiff
from tui.screens.base import WirediffScreen
from tui.text import (
    FOLLOWED,
    aware,
    badge,
    counts_text,
    generated_advisory,
    plain,
    styled,
    tag_words,
)
from tui.widgets.row_table import RowTable
from tui.workspace import Workspace
from versions.editorial import plural, shown_label
from versions.service import Assessment, VersionRow

ARRIVALS = 300  # the newest arrivals the desk holds
SIGNIFICANT = 40  # "significant only": a changed headline or figure in the lead, and up
FILL_EVERY = 8  # scored arrivals shown together: fewer redraws
WIDE = 110  # columns from which the take's label is shown whole

Order = Literal["newest", "significance"]
Show = Literal["all", "followed", "significant"]
SHOW_WORDS: dict[Show, str] = {
    "all": "all stories",
    "followed": "stories you follow",
    "significant": f"significance {SIGNIFICANT} and up",
}


@dataclass(frozen=True)
class Arrivals:
    """What a worker read for the desk to show."""

    rows: list[VersionRow]
    followed: frozenset[str]
    unread: dict[str, int]


def score_text(assessment: Assessment | None) -> Text:
    """The score, coloured by what it calls for: withdrawn and corrected stand out."""
    if assessment is None:
        return Text("·", "dim", justify="right")
    score = assessment.significance.score
    style = (
        "bold white on red"
        if score >= 100
        else "bold red"
        if score >= 80
        else "bold yellow"
        if score >= SIGNIFICANT
        else ""
        if score
        else "dim"
    )
    return Text(str(score), style, justify="right")


def take_text(row: VersionRow) -> Text:
    """The wire's label over the version number (a correction shows in the score, and
    "; CORRECTED" would push the number out of the cell)."""
    shown = shown_label(row.label, withdrawn=row.withdrawn, correction=False)
    label = shown or ("NEW" if row.number == 1 else "")
    text = badge(label, "bold white on red") if row.withdrawn else plain(label, "bold")
    text.append(f"\nv{row.number}", "dim")
    return text


def changes_text(row: VersionRow) -> Text:
    """The counts over the flags."""
    if row.number == 1:
        return Text("new story", "italic")
    if row.counts is None:
        return Text()
    text = counts_text(row.counts) or Text("no change", "dim")
    flags = tag_words(row.counts.tags)
    if flags:
        text.append("\n")
        text.append_text(flags[1:])  # tag_words begins with a space
    return text


def story_text(row: VersionRow, assessment: Assessment | None, new: bool) -> Text:
    """The headline over the advisory line: the wire's, else wirediff's, marked "auto:"."""
    text = plain(row.headline, "bold" if new else "")
    text.append("\n")
    if row.advisory:
        text.append_text(plain(row.advisory, "italic"))
    elif assessment is not None and assessment.advisory:
        text.append_text(generated_advisory(assessment.advisory))
    text.no_wrap, text.overflow = True, "ellipsis"  # one line each, cut with …
    return text


class ArrivalTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Diff", id="desk.open"),
    ]


class DeskScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_order", "Newest/significant", id="desk.sort"),
        Binding("1", "show('all')", "All", id="desk.all"),
        Binding("2", "show('followed')", "Followed", id="desk.followed"),
        Binding("3", "show('significant')", "Significant", id="desk.significant"),
        Binding("f", "follow", "Follow", id="desk.follow"),
        Binding("question_mark", "app.help", "Help", id="desk.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="desk.back"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.order: Order = "newest"
        self.show: Show = "all"
        self.arrivals: list[VersionRow] = []  # newest first, as read
        self.shown: list[VersionRow] = []  # as listed: filtered, in the chosen order
        self.followed: frozenset[str] = frozenset()
        self.unread: dict[str, int] = {}
        self.assessed = workspace.assessed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="desk-head")
        yield ArrivalTable(id="arrivals")
        yield Static(id="arrival-detail")
        yield Static(id="desk-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Desk"
        self.sub_title = self.workspace.user
        table = self.query_one("#arrivals", DataTable)
        width = self.app.size.width
        columns = [
            ("", "followed", 1),
            ("Sig", "significance", 3),
            ("Time", "time", 6),
            ("Story · advisory", "story", 0),
            ("Take", "take", 18 if width >= WIDE else 12),  # "CORRECTED-UPDATE 1"
            ("Changes", "changes", 16 if width >= WIDE else 14),
        ]
        # each cell has one column of padding either side; the scrollbar takes two
        fixed = sum(w for _, _, w in columns) + 2 * len(columns) + 2
        columns[3] = ("Story · advisory", "story", max(20, width - fixed))
        for label, key, column_width in columns:
            table.add_column(label, key=key, width=column_width)
        self.set_focus(table)
        table.loading = True
        self._draw_head()
        self._read()

    # Reading

    @work(thread=True, exclusive=True, exit_on_error=False, group="desk", name="Reading arrivals")
    def _read(self) -> None:
        archive = self.workspace.archive
        user = self.workspace.user
        arrivals = Arrivals(
            archive.arrivals(ARRIVALS), archive.followed(user), archive.unread(user)
        )
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._arrived, arrivals)

    def _arrived(self, arrivals: Arrivals) -> None:
        self.query_one("#arrivals", DataTable).loading = False
        self.arrivals = arrivals.rows
        self.followed, self.unread = arrivals.followed, arrivals.unread
        self.draw()
        waiting = [row for row in self.arrivals if row.id not in self.assessed]
        if waiting:
            self._assess(waiting)

    @work(thread=True, exclusive=True, exit_on_error=False, group="assess", name="Scoring arrivals")
    def _assess(self, rows: list[VersionRow]) -> None:
        """Newest first, shown a few at a time: the top of the desk fills in first."""
        worker = get_current_worker()
        batch: dict[int, Assessment] = {}
        for row, assessment in self.workspace.archive.assess(rows):
            if worker.is_cancelled:
                return
            batch[row.id] = assessment
            if len(batch) >= FILL_EVERY:
                self.app.call_from_thread(self._scored, batch)
                batch = {}
        if batch and not worker.is_cancelled:
            self.app.call_from_thread(self._scored, batch)

    def _scored(self, batch: dict[int, Assessment]) -> None:
        self.assessed.update(batch)
        if self.order == "significance" or self.show == "significant":
            self.draw()  # the order or the filter depends on the scores
            return
        table = self.query_one("#arrivals", DataTable)
        for row in self.shown:
            if row.id in batch:
                key = str(row.id)
                table.update_cell(key, "significance", score_text(batch[row.id]))
                table.update_cell(key, "story", story_text(row, batch[row.id], self._is_new(row)))
        self._show_detail()
        self._draw_status()

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """Takes landed: read the desk again (new rows scored, the others kept)."""
        self._read()

    def on_screen_resume(self) -> None:
        """Back from a diff: what was read there is no longer new."""
        if self.arrivals:
            self._read()

    # Drawing

    def _listed(self) -> list[VersionRow]:
        rows = self.arrivals
        if self.show == "followed":
            rows = [row for row in rows if row.story_key in self.followed]
        elif self.show == "significant":
            rows = [row for row in rows if self._score(row) >= SIGNIFICANT]
        if self.order == "significance":
            # stable: equal scores stay newest first; arrivals not scored yet go last
            rows = sorted(rows, key=lambda row: -self._score(row))
        return rows

    def _score(self, row: VersionRow) -> int:
        assessment = self.assessed.get(row.id)
        return assessment.significance.score if assessment is not None else -1

    def _is_new(self, row: VersionRow) -> bool:
        """A take of a followed story the editor has not read yet."""
        unread = self.unread.get(row.story_key, 0)
        if not unread:
            return False
        latest = max(r.number for r in self.arrivals if r.story_key == row.story_key)
        return row.number > latest - unread

    def draw(self, *, top: bool = False) -> None:
        """Redraw, keeping the highlighted arrival; `top`: from the first row instead."""
        table = self.query_one("#arrivals", DataTable)
        keep = None if top else self.highlighted()
        self.shown = self._listed()
        table.clear()
        today = aware(self.workspace.now()).date()
        for row in self.shown:
            table.add_row(*self._cells(row, today), key=str(row.id), height=2)
        ids = [row.id for row in self.shown]
        if keep is not None and keep.id in ids:
            table.move_cursor(row=ids.index(keep.id), animate=False)
        self._draw_head()
        self._draw_status()
        self._show_detail()

    def _cells(self, row: VersionRow, today: date) -> tuple[Text, ...]:
        assessment = self.assessed.get(row.id)
        followed = row.story_key in self.followed
        new = self._is_new(row)
        mark = styled(FOLLOWED, "bold yellow" if new else "yellow") if followed else Text()
        received = aware(row.received_at).astimezone()
        when = (
            received.strftime("%H:%M") if received.date() == today else received.strftime("%d %b")
        )
        return (
            mark,
            score_text(assessment),
            Text(when),
            story_text(row, assessment, new),
            take_text(row),
            changes_text(row),
        )

    def _draw_head(self) -> None:
        order = "most significant first" if self.order == "significance" else "newest first"
        head = Text()
        head.append("Arrivals", "bold")
        head.append(f" · {SHOW_WORDS[self.show]} · {order}")
        head.append(
            "\n1 all · 2 followed · 3 significant · s sort · f follow · ⏎ the take's diff",
            "dim",
        )
        self.query_one("#desk-head", Static).update(head)

    def _draw_status(self) -> None:
        status = Text(f" {plural(len(self.shown), 'arrival')}")
        if len(self.shown) != len(self.arrivals):
            status.append(f" of {len(self.arrivals)}", "dim")
        if self.followed:
            news = sum(1 for key in self.followed if self.unread.get(key))
            status.append(f" · {FOLLOWED} {len(self.followed)} followed")
            if news:
                status.append(f", {news} with news", "bold")
        waiting = sum(1 for row in self.arrivals if row.id not in self.assessed)
        if waiting:
            status.append(f" · scoring {waiting} more…", "dim")
        self.query_one("#desk-status", Static).update(status)

    def highlighted(self) -> VersionRow | None:
        table = self.query_one("#arrivals", DataTable)
        if not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    @on(DataTable.RowHighlighted, "#arrivals")
    def _show_detail(self) -> None:
        row = self.highlighted()
        detail = Text()
        if row is None:
            if self.arrivals:
                detail.append("Nothing here with this filter: 1 shows every arrival.", "italic")
            else:
                detail.append("No arrivals yet: takes show here as they land.", "italic")
            self.query_one("#arrival-detail", Static).update(detail)
            return
        assessment = self.assessed.get(row.id)
        detail.append_text(plain(row.headline, "bold"))
        detail.append(f"\n{row.story_key} v{row.number}", "dim")
        if assessment is not None and assessment.significance.reasons:
            detail.append(" · why: ", "dim")
            detail.append(", ".join(assessment.significance.reasons))
        advisory = row.advisory or (assessment.advisory if assessment is not None else "")
        if advisory:
            detail.append("\n")
            detail.append_text(plain(advisory, "italic"))
        self.query_one("#arrival-detail", Static).update(detail)

    # Keys

    def action_toggle_order(self) -> None:
        self.order = "newest" if self.order == "significance" else "significance"
        self.draw(top=True)

    def action_show(self, show: Show) -> None:
        self.show = show
        self.draw(top=True)

    @on(DataTable.RowSelected, "#arrivals")
    def _selected(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.post_message(
                OpenDiff(row.story_key, row.number - 1 if row.number > 1 else None, row.number)
            )

    def action_follow(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.toggle_follow(row.story_key, row.story_key not in self.followed)

    def follow_changed(self, key: str, follow: bool) -> None:
        super().follow_changed(key, follow)
        self._read()
