"""One story's version timeline; mark two versions A and B to compare them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from tui.messages import ArchiveChanged, OpenDiff, OpenGrid, OpenVersionText
from tui.screens.base import WirediffScreen
from tui.text import aware, badge, counts_text, generated_advisory, plain, tag_words
from tui.widgets.row_table import RowTable
from tui.workspace import Workspace
from versions.editorial import FIRST_VERSION, NO_CHANGE, plural, shown_label
from versions.model import Status
from versions.service import StoryRow, VersionRow


def advisory_cell(row: VersionRow, generated: str | None) -> Text:
    """The wire's own advisory; else the generated one."""
    if row.advisory:
        return plain(row.advisory, "italic")
    return generated_advisory(generated) if generated else Text()


def version_cells(
    row: VersionRow, mark: str, when: str, generated: str | None = None
) -> tuple[Text, ...]:
    counts = Text(FIRST_VERSION, "dim") if row.number == 1 else Text()
    if row.counts is not None:
        counts = counts_text(row.counts) or Text(NO_CHANGE, "dim")
        counts.append_text(tag_words(row.counts.tags))
    shown = shown_label(row.label, withdrawn=row.withdrawn, correction=row.correction) or ""
    label = badge(shown, "bold white on red") if row.withdrawn else plain(shown, "bold")
    return (
        Text(mark, "bold reverse" if mark else ""),
        Text(f"v{row.number}", "bold"),
        label,
        Text(when),
        counts,
        advisory_cell(row, generated),
    )


NARROW = 100  # columns below which the timeline leaves the advisory to the detail line


class VersionTable(RowTable):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Diff vs previous", id="story.diff_previous"),
    ]


class StoryScreen(WirediffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "mark('A')", "Mark A (old)", id="story.mark_a"),
        Binding("b", "mark('B')", "Mark B (new)", id="story.mark_b"),
        Binding("d", "diff_marked", "Diff A→B", id="story.diff_marked"),
        Binding("v", "full_text", "Full text", id="story.full_text"),
        Binding("p", "provenance", "Provenance", show=False, id="story.provenance"),
        Binding("g", "grid", "Take by take", id="story.grid"),
        Binding("f", "follow", "Follow", id="story.follow"),
        Binding("y", "copy_advisory", "Copy advisory", show=False, id="story.copy_advisory"),
        Binding("question_mark", "app.help", "Help", id="story.help"),
        Binding("q,escape", "app.pop_screen", "Back", id="story.back"),
    ]

    def __init__(self, workspace: Workspace, story_key: str, *, select: int | None = None) -> None:
        super().__init__(workspace)
        self.story_key = story_key
        self.story: StoryRow | None = None
        self.versions: list[VersionRow] = []
        self.mark_a: int | None = None
        self.mark_b: int | None = None
        self.select = select
        self.generated: dict[int, str] = {}  # advisory lines written by wirediff, by version
        self.followed = False
        self.seen: int | None = None  # of a followed story: the last version the editor saw

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="story-head")
        yield VersionTable(id="versions")
        yield Static(id="version-detail")
        yield Static(id="story-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#versions", DataTable)
        fixed = 1 + 3 + 16 + 5 + 28 + 2 * 6 + 2
        columns = [
            ("", "mark", 1),
            ("Ver", "number", 3),
            ("Label", "label", 16),
            ("Time", "received", 5 if self.app.size.width < NARROW else 12),
            ("Changes", "counts", 28),
        ]
        if self.app.size.width >= NARROW:  # narrower, the advisory shows under the table only
            columns.append(("Advisory", "advisory", self.app.size.width - fixed - 7))
        for label, key, width in columns:
            table.add_column(label, key=key, width=width)
        self.set_focus(table)
        table.loading = True
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="story", name="Reading the story")
    def _read(self, arrived: list[int] | None = None) -> None:
        archive = self.workspace.archive
        story = archive.story(self.story_key)
        versions = archive.versions(self.story_key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, story, versions, arrived)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="follow-state",
        name="Reading follows",
    )
    def _read_follow(self) -> None:
        """Whether the editor follows the story, and the last version of it they saw."""
        archive, user = self.workspace.archive, self.workspace.user
        followed = self.story_key in archive.followed(user)
        seen = archive.last_seen(user, self.story_key) if followed else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_follow, followed, seen)

    def _show_follow(self, followed: bool, seen: int | None) -> None:
        self.followed, self.seen = followed, seen
        self._draw_head()

    def on_screen_resume(self) -> None:
        """Back from a diff: it may have counted versions read."""
        if self.story is not None:
            self._read_follow()

    def _show(
        self,
        story: StoryRow,
        versions: list[VersionRow],
        arrived: list[int] | None,
    ) -> None:
        """The first time, mark the latest against the one before; later, keep the marks."""
        first = self.story is None
        keep = self.select if first else self.highlighted()
        self.story, self.versions = story, versions
        if first:
            self._read_follow()
        self.query_one("#versions", DataTable).loading = False
        if first and versions:
            self.mark_b = versions[-1].number
            self.mark_a = versions[-2].number if len(versions) > 1 else None
        self.draw(select=keep or (versions[-1].number if versions and first else None))
        if arrived and self.mark_b is not None:
            names = ", ".join(f"v{number}" for number in arrived)
            self.notify(
                f"{names} arrived; your marks stay A=v{self.mark_a} B=v{self.mark_b}",
                title=story.title[:60],
                markup=False,
            )
        self._generate_advisories()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="advisories",
        name="Writing advisory lines",
    )
    def _generate_advisories(self) -> None:
        """After the timeline is shown: a comparison per version, so it comes last."""
        generated = self.workspace.archive.advisories(self.story_key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_advisories, generated)

    def _show_advisories(self, generated: dict[int, str]) -> None:
        self.generated = generated
        table = self.query_one("#versions", DataTable)
        for row in self.versions:
            if row.number in generated and "advisory" in table.columns:
                table.update_cell(
                    str(row.number), "advisory", advisory_cell(row, generated[row.number])
                )
        self._show_detail()

    def draw(self, select: int | None = None) -> None:
        table = self.query_one("#versions", DataTable)
        keep = select if select is not None else self.highlighted()
        table.clear()
        today = aware(self.workspace.now()).date()
        narrow = self.app.size.width < NARROW
        for row in self.versions:
            mark = "A" if row.number == self.mark_a else "B" if row.number == self.mark_b else ""
            received = aware(row.received_at)
            same_day = received.date() == today
            when = received.strftime("%H:%M" if same_day or narrow else "%d %b %H:%M")
            cells = version_cells(row, mark, when, self.generated.get(row.number))
            table.add_row(*cells[: len(table.columns)], key=str(row.number))
        numbers = [row.number for row in self.versions]
        if keep in numbers:
            table.move_cursor(row=numbers.index(keep), animate=False)
        self._draw_head()

    def _draw_head(self) -> None:
        story = self.story
        if story is None:
            return
        self.sub_title = story.key
        head = Text()
        if story.status == Status.WITHDRAWN:
            head.append_text(badge("WITHDRAWN", "bold white on red"))
            head.append(" ")
        head.append_text(plain(story.title, "bold"))
        head.append(f"\n{story.key} · {plural(story.versions, 'version')}", "dim")
        if self.followed:
            head.append(" · ★ followed", "bold yellow")
            new = story.versions - self.seen if self.seen is not None else 0
            if new > 0:
                head.append(f" · {plural(new, 'new version')} since you last looked (v{self.seen})")
        self.query_one("#story-head", Static).update(head)
        hint = Text(" A=")
        hint.append(f"v{self.mark_a}" if self.mark_a else "–", "bold")
        hint.append(" B=")
        hint.append(f"v{self.mark_b}" if self.mark_b else "–", "bold")
        hint.append(" · a/b: mark · d: diff A→B · ⏎: vs previous · v: text · p: provenance")
        self.query_one("#story-hint", Static).update(hint)

    def highlighted(self) -> int | None:
        table = self.query_one("#versions", DataTable)
        if not self.versions:
            return None
        return self.versions[min(table.cursor_row, len(self.versions) - 1)].number

    def action_mark(self, which: str) -> None:
        number = self.highlighted()
        if which == "A":
            self.mark_a = number
        else:
            self.mark_b = number
        self.draw()

    @on(DataTable.RowHighlighted, "#versions")
    def _show_detail(self) -> None:
        number = self.highlighted()
        row = next((r for r in self.versions if r.number == number), None)
        if row is None:
            return
        detail = Text()
        detail.append(f"v{row.number} ", "bold")
        detail.append_text(plain(row.headline))
        generated = self.generated.get(row.number)
        if row.advisory:
            detail.append("\n")
            detail.append_text(plain(row.advisory, "italic"))
        if generated and generated != row.advisory:
            detail.append("\n")
            detail.append_text(generated_advisory(generated))
        self.query_one("#version-detail", Static).update(detail)

    @on(DataTable.RowSelected, "#versions")
    def _selected(self) -> None:
        self.action_diff_previous()

    def action_diff_previous(self) -> None:
        number = self.highlighted()
        if number is not None:
            self.post_message(OpenDiff(self.story_key, number - 1 if number > 1 else None, number))

    def action_diff_marked(self) -> None:
        if self.mark_a is None or self.mark_b is None:
            self.notify("Mark two versions first: a on the old one, b on the new one.")
            return
        self.post_message(OpenDiff(self.story_key, self.mark_a, self.mark_b))

    def action_full_text(self) -> None:
        number = self.highlighted()
        if number is not None:
            self.post_message(OpenVersionText(self.story_key, number))

    def action_provenance(self) -> None:
        """The highlighted version's text, each sentence beside the take that brought it in."""
        number = self.highlighted()
        if number is not None:
            self.post_message(OpenVersionText(self.story_key, number, provenance=True))

    def action_follow(self) -> None:
        if self.story is not None:
            self.toggle_follow(self.story.key, not self.followed)

    def follow_changed(self, key: str, follow: bool) -> None:
        super().follow_changed(key, follow)
        self._read_follow()

    def action_grid(self) -> None:
        self.post_message(OpenGrid(self.story_key))

    def action_copy_advisory(self) -> None:
        """The wire's advisory of the highlighted version, else the one wirediff wrote."""
        number = self.highlighted()
        row = next((r for r in self.versions if r.number == number), None)
        if row is None:
            return
        line = row.advisory or self.generated.get(row.number)
        if not line:
            self.notify("No advisory line for this version yet.")
            return
        self.app.copy_to_clipboard(line)
        self.notify(f"Copied the v{row.number} advisory line.", title="Clipboard")

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """Reload the timeline after another process added versions; keep cursor and marks."""
        if self.story_key in message.story_keys:
            arrived = [row.number for row in message.versions if row.story_key == self.story_key]
            self._read(arrived)
