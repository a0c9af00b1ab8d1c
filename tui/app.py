"""wirediff's terminal UI: stories → story timeline → diff, kept live as versions arrive.

The app is the only module that knows every screen: screens post navigation messages
(`tui.messages`) and the app opens the screen asked for.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from typing import ClassVar

from rich.console import Console
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from tui.keys import binding_ids, key_actions
from tui.messages import (
    ArchiveChanged,
    OpenDesk,
    OpenDiff,
    OpenGrid,
    OpenSearch,
    OpenSearchHit,
    OpenSentenceHistory,
    OpenStory,
    OpenVersionText,
    VersionsArrived,
)
from tui.screens.base import WirediffScreen, WorkFailed
from tui.screens.desk import DeskScreen
from tui.screens.diff import DiffScreen
from tui.screens.grid import GridScreen
from tui.screens.help import HelpScreen
from tui.screens.history import SentenceHistoryScreen
from tui.screens.search import SearchScreen
from tui.screens.stories import StoriesScreen
from tui.screens.story import StoryScreen
from tui.screens.version_text import VersionTextScreen
from tui.watcher import watch_archive
from tui.workspace import Settings, Workspace
from versions import config
from versions.editorial import COUNT_ORDER, FLAGGED, plural, shown_label
from versions.errors import WirediffError
from versions.intake import failure_text
from versions.service import Archive, VersionRow
from versions.significance import CORRECTED_FLOOR


def update_message(row: VersionRow) -> str:
    """ "UPDATE 2 — <headline>: v4, 1 added, 2 attribution changes"."""
    label = shown_label(row.label, withdrawn=row.withdrawn, correction=row.correction)
    prefix = label or ("NEW" if row.number == 1 else "UPDATE")
    parts = [f"v{row.number}"]
    counts = row.counts
    if counts is not None:
        parts += [f"{count} {kind}" for kind in COUNT_ORDER if (count := getattr(counts, kind))]
        parts += [
            plural(count, f"{tag} change") for tag in FLAGGED if (count := counts.tags.get(tag))
        ]
    return f"{prefix} — {row.headline}: {', '.join(parts)}"


class WirediffApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "wirediff"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", show=False, id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Dark/light", show=False, id="app.toggle_theme"),
    ]

    def __init__(
        self,
        archive: Archive,
        *,
        settings: Settings | None = None,
        remember_theme: Callable[[str], object] | None = None,
        now: Callable[[], datetime] | None = None,
        poll_interval: float = 0.5,
        watch: bool = True,
        user: str | None = None,
        desk: bool = False,
    ) -> None:
        """`user`: the desk editor (default: `versions.config.editor`); `desk`: start on
        the desk screen, the story list underneath."""
        super().__init__()
        self.workspace = Workspace(
            archive,
            now or (lambda: datetime.now(UTC)),
            settings or Settings(),
            user=config.editor(user),
        )
        self.start_on_desk = desk
        self.remember_theme = remember_theme
        self.poll_interval = poll_interval
        # not `self.watch`: that would hide Textual's `DOMNode.watch` method
        self.watching = watch
        self._stop = threading.Event()
        self.crash: Exception | None = None

    @property
    def archive(self) -> Archive:
        return self.workspace.archive

    def on_mount(self) -> None:
        settings = self.workspace.settings
        if settings.keys:
            self.set_keymap(dict(settings.keys))
            unknown = sorted(set(settings.keys) - binding_ids(WirediffApp, Screen, Widget))
            if unknown:
                self.notify(
                    f"[keys] in the config file names no action wirediff has: "
                    f"{', '.join(unknown)}; those keys are left as they were",
                    severity="warning",
                    timeout=20,
                    markup=False,
                )
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self._theme = self.theme  # the one the config file holds
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(StoriesScreen(self.workspace))
        if self.start_on_desk:
            self.push_screen(DeskScreen(self.workspace))
        if self.watching:
            self.run_worker(self._watch, thread=True, group="watch", name="archive watcher")

    def on_unmount(self) -> None:
        self._stop.set()

    def _handle_exception(self, error: Exception) -> None:
        """Remember the first crash (later ones follow from it) for `run` to name.

        Textual has no public way to learn what ended `App.run`: its `return_code` says
        only that something did. This hook is wirediff's one reach into Textual's
        private side; should a release drop it, `run` still ends in one line and exit
        status 1, without the cause.
        """
        self.crash = self.crash or error
        super()._handle_exception(error)

    def _theme_changed(self, theme: Theme) -> None:
        if self.remember_theme is not None and theme.name != self._theme:
            self._theme = theme.name
            try:
                self.remember_theme(theme.name)
            except WirediffError as exc:
                self.notify(f"The theme is not remembered: {exc}", severity="warning", markup=False)

    def _watch(self) -> None:
        watch_archive(
            self.archive,
            self._arrived,
            interval=self.poll_interval,
            sleep=lambda seconds: not self._stop.wait(seconds),
        )

    def _arrived(self, rows: list[VersionRow]) -> None:
        """On the watcher's thread: the editor's follows and each arrival's significance are
        read here, never on the UI thread."""
        followed = self.archive.followed(self.workspace.user)
        self.post_message(VersionsArrived(rows, followed, self.archive.significance(rows)))

    # Live updates and failures

    def on_versions_arrived(self, message: VersionsArrived) -> None:
        """Say what arrived and is worth a notice (`Notify.announces`: a followed story, or
        significant enough), with its significance and why; every open screen refreshes
        what it shows, in place."""
        notify = self.workspace.settings.notify
        for row in message.versions:
            followed = row.story_key in message.followed
            scored = message.significance.get(row.id)
            if scored is not None and not notify.announces(scored.score, followed=followed):
                continue
            text = update_message(row)
            if scored is not None:
                text += f"\nsignificance {scored}"
            self.notify(
                text,
                title="★ Followed story" if followed else "Wire",
                markup=False,
                severity="warning" if scored and scored.score >= CORRECTED_FLOOR else "information",
                timeout=12 if followed else 8,
            )
        for screen in self.screen_stack:
            screen.post_message(ArchiveChanged(message.versions))

    def on_work_failed(self, message: WorkFailed) -> None:
        """The one place a failure in background work reaches the reader: a notice."""
        self.notify(
            f"{message.what} failed: {message.error}",
            title="Error",
            severity="error",
            markup=False,
            timeout=10,
        )

    # Navigation

    def on_open_story(self, message: OpenStory) -> None:
        self.push_screen(StoryScreen(self.workspace, message.story_key, select=message.select))
        if message.news is not None:
            seen, latest = message.news
            self.push_screen(DiffScreen(self.workspace, message.story_key, seen, latest))
            self.notify(
                f"{plural(latest - seen, 'new version')} since you last looked: "
                f"v{seen} → v{latest}",
                title="★ Followed story",
                markup=False,
            )

    def on_open_desk(self, message: OpenDesk) -> None:
        if not isinstance(self.screen, DeskScreen):
            self.push_screen(DeskScreen(self.workspace))

    def on_open_diff(self, message: OpenDiff) -> None:
        self.push_screen(
            DiffScreen(
                self.workspace, message.story_key, message.old, message.new, search=message.search
            )
        )

    def on_open_grid(self, message: OpenGrid) -> None:
        self.push_screen(GridScreen(self.workspace, message.story_key))

    def on_open_search(self, message: OpenSearch) -> None:
        self.push_screen(SearchScreen(self.workspace))

    def on_open_search_hit(self, message: OpenSearchHit) -> None:
        """The timeline underneath, so Back leads to the rest of the story."""
        old = message.version - 1 if message.version > 1 else None
        self.push_screen(StoryScreen(self.workspace, message.story_key, select=message.version))
        self.push_screen(
            DiffScreen(
                self.workspace, message.story_key, old, message.version, search=message.words
            )
        )

    def on_open_version_text(self, message: OpenVersionText) -> None:
        self.push_screen(
            VersionTextScreen(
                self.workspace, message.story_key, message.number, provenance=message.provenance
            )
        )

    def on_open_sentence_history(self, message: OpenSentenceHistory) -> None:
        self.push_screen(
            SentenceHistoryScreen(self.workspace, message.story_key, message.number, message.index)
        )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands, then every action of the screen with its key."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, WirediffScreen):
            yield from screen.commands()
        for action in key_actions(screen):
            yield SystemCommand(
                action.description,
                f"key: {action.keys}",
                partial(self.run_action, action.action, action.namespace),
            )


def configured(
    archive: Archive, chosen: config.Settings, *, user: str | None = None, desk: bool = False
) -> WirediffApp:
    """The UI as the user's config file has it (theme, export folder, notices, key
    bindings); a theme the reader picks is written back to the file. `user` names the desk
    editor (default: the config's), `desk` starts on the desk screen."""
    settings = Settings(
        theme=chosen.theme, export_dir=chosen.export_dir, notify=chosen.notify, keys=chosen.keys
    )
    return WirediffApp(
        archive,
        settings=settings,
        remember_theme=config.save_theme,
        user=config.editor(user, chosen),
        desk=desk,
    )


def run(url: str | None = None, *, user: str | None = None, desk: bool = False) -> None:
    """Open the archive at `url` (default: the user's database) and run the UI as the
    user's config file has it (`configured`)."""
    chosen = config.load()
    with Archive.open(url, watch_terms=chosen.watch_terms) as archive:
        app = configured(archive, chosen, user=user, desk=desk)
        if "debug" not in app.features:  # `TEXTUAL=debug` keeps the traceback for debugging
            # where Textual prints a crash's traceback: the line below says it instead
            app.error_console = Console(file=io.StringIO())
        app.run()
    if app.return_code:
        cause = f": {failure_text(app.crash)}" if app.crash is not None else ""
        raise WirediffError(f"the terminal UI stopped on an error{cause}")
