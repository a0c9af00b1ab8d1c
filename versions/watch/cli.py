"""`wirediff watch`: hot folders and feeds until Ctrl-C; on stdout one readable line an event
on a terminal, one JSON event a line when piped."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click

from versions import config
from versions.config import DEFAULT_MAX_TAKE_SIZE, Notify
from versions.service import Archive
from versions.watch.events import EventLog
from versions.watch.feeds import DEFAULT_INTERVAL_S, TIMEOUT_S, FeedWatcher, check_url
from versions.watch.folder import CLAIM_TIMEOUT_S, FolderWatcher
from versions.watch.hooks import DEFAULT_TIMEOUT_S, HookRunner
from versions.watch.notice import Reporter


@click.command("watch")
@click.argument(
    "folders",
    nargs=-1,
    metavar="[DIR]...",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="RSS, Atom or ninjs feed.")
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=DEFAULT_INTERVAL_S,
    show_default=True,
    help="Seconds between checks of a feed with young stories; older ones are checked less.",
)
@click.option(
    "--feed-timeout",
    type=click.FloatRange(min=1),
    default=TIMEOUT_S,
    show_default=True,
    help="Seconds a feed has to answer in full; a slower one counts as failed and backs off.",
)
@click.option(
    "--exec",
    "command",
    metavar="CMD",
    help="Shell command run for each new version worth it (below), with its summary as "
    "JSON on stdin.",
)
@click.option(
    "--exec-timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds before a hook is killed.",
)
@click.option(
    "--bell", is_flag=True, help="Ring the terminal bell for each new version worth it (below)."
)
@click.option(
    "--min-significance",
    type=click.IntRange(0, 100),
    metavar="N",
    help="Ring and run --exec only for versions scoring N or more (0-100, see "
    "docs/significance.md), or of a story you follow (default: the config file's "
    "[notify] min_significance, else 1: any version that shows a change).",
)
@click.option(
    "--followed-only/--all-stories",
    default=None,
    help="Ring and run --exec only for the stories you follow (wirediff follow STORY); "
    "default: the config file's [notify] followed_only, else all stories.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    help="text: one readable line an arrival; json: one JSON event a line "
    "(default: text on a terminal, json when piped).",
)
@click.option("--polling", is_flag=True, help="Poll the folders (network shares without events).")
@click.option(
    "--claim-timeout",
    type=click.FloatRange(min=1),
    default=CLAIM_TIMEOUT_S,
    show_default=True,
    help="Seconds after which a file claimed by a watcher on another host (a shared folder) "
    "is taken back; a claim of a watcher on this host is taken back as soon as it exits.",
)
@click.pass_context
def watch_command(
    ctx: click.Context,
    folders: tuple[Path, ...],
    feeds: tuple[str, ...],
    interval: float,
    feed_timeout: float,
    command: str | None,
    exec_timeout: float,
    bell: bool,
    min_significance: int | None,
    followed_only: bool | None,
    output_format: str | None,
    polling: bool,
    claim_timeout: float,
) -> None:
    """Ingest files dropped into DIRs and items of feeds as they come, until Ctrl-C.

    A file is taken once it has stopped changing, then moved to DIR/.done/ (or
    DIR/.rejected/ with a .reason file); nothing is deleted. Ctrl-C finishes the
    current file and the queued hooks, then exits; a second Ctrl-C stops at once.

    Each new version is scored for significance (0-100, with the reasons), with the
    config file's watch_terms, and marked when you (--user) follow its story.
    """
    if not folders and not feeds:
        raise click.UsageError("give at least one DIR or --feed URL")
    for url in feeds:
        check_url(url)
    root = ctx.find_root().params
    db_url = root.get("db_url")
    settings = config.load()
    notify = Notify(
        settings.notify.min_significance if min_significance is None else min_significance,
        settings.notify.followed_only if followed_only is None else followed_only,
    )
    user = root.get("user")
    editor = config.editor(str(user) if user is not None else None, settings)
    text = output_format == "text" or (output_format is None and sys.stdout.isatty())
    log = EventLog(sys.stdout, text=text)
    stop = threading.Event()
    max_take_size = root.get("max_take_size", DEFAULT_MAX_TAKE_SIZE)
    with Archive.open(
        str(db_url) if db_url else None,
        max_take_size=max_take_size,
        watch_terms=settings.watch_terms,
    ) as archive:
        hooks = HookRunner(command, log, timeout=exec_timeout) if command else None
        report = Reporter(
            log,
            hooks=hooks,
            bell=bell,
            advisory=text,
            notify=notify,
            followed=lambda: archive.followed(editor),
        )
        jobs: list[Callable[[threading.Event], None]] = []
        if folders:
            watcher = FolderWatcher(
                archive, folders, log, report, polling=polling, claim_timeout=claim_timeout
            )
            jobs.append(watcher.run)
        if feeds:
            jobs.append(
                FeedWatcher(
                    archive, feeds, log, report, interval=interval, timeout=feed_timeout
                ).run
            )
        failed = threading.Event()
        threads = [
            threading.Thread(target=_guarded, args=(job, stop, failed, log), name=f"watch-{n}")
            for n, job in enumerate(jobs)
        ]
        with _stop_on_signals(stop):
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                for thread in threads:
                    thread.join(0.2)
        if hooks is not None:
            hooks.close()
    log.emit("stopped")
    if failed.is_set():
        ctx.exit(1)


def _guarded(
    job: Callable[[threading.Event], None],
    stop: threading.Event,
    failed: threading.Event,
    log: EventLog,
) -> None:
    """A watcher that dies takes the others down with it: half a watcher is worse than none."""
    try:
        job(stop)
    except Exception as exc:
        log.emit("error", reason=f"{type(exc).__name__}: {exc}")
        failed.set()
        stop.set()


class _stop_on_signals:
    """First Ctrl-C (or SIGTERM) asks the watchers to stop; a second one interrupts."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._stop.is_set():
            raise KeyboardInterrupt
        self._stop.set()

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
