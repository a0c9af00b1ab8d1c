"""wirediff's terminal UI: stories → story timeline → diff, kept live as versions arrive."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.messages import ArchiveChanged
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.stories import StoriesScreen
from tui.screens.story import StoryScreen
from tui.watcher import watch_archive
from versions.export.layout import FLAGGED
from versions.service import Archive, VersionRow


def update_message(row: VersionRow) -> str:
    """ "UPDATE 2 — <headline>: v4, +1 added, 2 attribution changes"."""
    prefix = row.label or ("NEW" if row.number == 1 else "UPDATE")
    parts = [f"v{row.number}"]
    counts = row.counts
    if counts is not None:
        for count, words in [
            (counts.added, f"+{counts.added} added"),
            (counts.changed, f"{counts.changed} changed"),
            (counts.removed, f"{counts.removed} removed"),
            (counts.moved, f"{counts.moved} moved"),
        ]:
            if count:
                parts.append(words)
        for tag in FLAGGED:
            count = counts.tags.get(tag, 0)
            if count:
                parts.append(f"{count} {tag} change{'s' if count > 1 else ''}")
    return f"{prefix} — {row.headline}: {', '.join(parts)}"


class WirediffApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "wirediff"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_theme", "Dark/light", show=False),
    ]

    def __init__(
        self,
        archive: Archive,
        *,
        now: Callable[[], datetime] | None = None,
        poll_interval: float = 1.0,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.archive = archive
        self.now = now or (lambda: datetime.now(UTC))
        self.poll_interval = poll_interval
        # not `self.watch`: that would hide Textual's `DOMNode.watch` method
        self.watching = watch
        self._stop = threading.Event()

    def on_mount(self) -> None:
        self.push_screen(StoriesScreen())
        if self.watching:
            self.run_worker(self._watch, thread=True, group="watch", name="archive watcher")

    def on_unmount(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        watch_archive(
            self.archive,
            lambda rows: self.post_message(ArchiveChanged(rows)),
            interval=self.poll_interval,
            sleep=lambda seconds: not self._stop.wait(seconds),
        )

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """Refresh what is open in place and say what arrived."""
        for row in message.versions:
            self.notify(update_message(row), title="Wire", markup=False, timeout=8)
        keys = {row.story_key for row in message.versions}
        for screen in self.screen_stack:
            if isinstance(screen, StoriesScreen):
                screen.refresh_rows()
            elif isinstance(screen, StoryScreen) and screen.story_key in keys:
                screen.refresh_versions()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists the screen's own actions as well as Textual's."""
        yield from super().get_system_commands(screen)
        yield SystemCommand("Dark / light", "Switch theme (ctrl+t)", self.action_toggle_theme)
        if isinstance(screen, DiffScreen):
            for title, export in screen.export_commands():
                yield SystemCommand(title, "Write it to the working directory", export)
        seen: set[str] = set()
        for binding in getattr(screen, "BINDINGS", []):
            if not isinstance(binding, Binding) or binding.description in seen:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"key: {binding.key}",
                partial(screen.run_action, binding.action),
            )


def run(url: str | None = None) -> None:
    """Open the archive at `url` (default: the user's database) and run the UI."""
    with Archive.open(url) as archive:
        WirediffApp(archive).run()
