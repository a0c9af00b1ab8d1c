"""What every full screen shares: the workspace it works in, and its workers' failures told."""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.text import FOLLOWED
from tui.workspace import Workspace


class WorkFailed(Message):
    """A screen's background work raised; the app tells the reader."""

    def __init__(self, error: BaseException, what: str) -> None:
        super().__init__()
        self.error = error
        self.what = what


class WirediffScreen(Screen[None]):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker messages do not bubble: pass failures on to the app's one handler."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            for widget in self.query("*"):
                widget.loading = False
            self.post_message(WorkFailed(event.worker.error, event.worker.name))

    def commands(self) -> Iterable[SystemCommand]:
        """Palette commands beyond the screen's key bindings."""
        return ()

    @work(thread=True, exit_on_error=False, group="follow", name="Following the story")
    def toggle_follow(self, story_key: str, follow: bool) -> None:
        """Follow or unfollow for the workspace's editor, then `follow_changed`."""
        archive = self.workspace.archive
        if follow:
            archive.follow(self.workspace.user, story_key)
        else:
            archive.unfollow(self.workspace.user, story_key)
        self.app.call_from_thread(self.follow_changed, story_key, follow)

    def follow_changed(self, story_key: str, follow: bool) -> None:
        """Say so; the screens that show follows redraw them too."""
        self.notify(
            f"{'Following' if follow else 'No longer following'} {story_key}",
            title=FOLLOWED if follow else "",
            markup=False,
        )
