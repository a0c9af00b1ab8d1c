"""Hot folders: take each complete file once, ingest it, then file it away.

A file is complete when its size and modification time have not moved for
`settle` seconds (two looks at least that far apart): wire feeds write in place
or write a temporary name and rename it, and either way a file that has stopped
changing is whole. Dotfiles, `*.tmp` and `*.part` are somebody's work in progress
and are never taken.

Taking a file is an atomic rename into `DIR/.processing/` under a name unique to
this watcher, so of two watchers (threads or processes, on one machine or over a
shared filesystem with POSIX rename) exactly one wins; the loser's rename fails
because the file is gone. After the archive has committed its items the file
moves to `DIR/.done/`; unreadable input goes to `DIR/.rejected/` with
`<name>.reason` beside it. Nothing is ever deleted and nothing is overwritten:
a name already taken there gets a `.N` before its suffix. When ingest fails for
a reason other than the input (the database is down, a conflict with another
writer) the file is put back and retried with a per-file backoff; ingest is
idempotent (an item already stored comes back "unchanged"), so a crash between
commit and filing costs nothing but a retry.

Change notification is watchfiles (inotify, FSEvents…) when it works, else
polling; both only say "look again": every look is a full scan of the folder,
so a missed event delays a file, never loses it. The shape — one watcher
interface, a native and a polling implementation behind a factory — follows
Textualize/toolong's watcher.py / poll_watcher.py.
"""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from versions.service import Archive, IngestResult
from versions.watch.events import EventLog

SETTLE_S = 0.5
POLL_INTERVAL_S = 1.0
RESCAN_S = 5.0  # with native events: a full look now and then all the same
WAKE_S = 0.1  # how soon a stop request is noticed while waiting for events
RETRY_FIRST_S = 0.2
RETRY_MAX_S = 60.0
WORK_IN_PROGRESS = (".tmp", ".part")
PROCESSING, DONE, REJECTED = ".processing", ".done", ".rejected"


def takeable(name: str) -> bool:
    return not name.startswith(".") and not name.endswith(WORK_IN_PROGRESS)


class HotFolder:
    """One delivery directory and its `.processing/`, `.done/` and `.rejected/` beside the input."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.processing = self.path / PROCESSING
        self.done = self.path / DONE
        self.rejected = self.path / REJECTED
        for directory in (self.processing, self.done, self.rejected):
            directory.mkdir(parents=True, exist_ok=True)
        self._token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._claims = itertools.count(1)

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Takeable regular files: name → (size, mtime in ns)."""
        files: dict[str, tuple[int, int]] = {}
        with os.scandir(self.path) as entries:
            for entry in entries:
                if not takeable(entry.name):
                    continue
                try:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                files[entry.name] = (stat.st_size, stat.st_mtime_ns)
        return files

    def claim(self, name: str) -> Path | None:
        """Take `name` for this watcher; None when another watcher got there first."""
        claim = self.processing / f"{name}.{self._token}-{next(self._claims)}"
        try:
            os.rename(self.path / name, claim)
        except FileNotFoundError:
            return None
        return claim

    def finish(self, claim: Path, name: str) -> Path:
        return _move_unique(claim, self.done, name)

    def reject(self, claim: Path, name: str, reason: str) -> Path:
        target = _move_unique(claim, self.rejected, name)
        target.with_name(target.name + ".reason").write_text(reason + "\n", encoding="utf-8")
        return target

    def put_back(self, claim: Path, name: str) -> Path:
        return _move_unique(claim, self.path, name)


def _move_unique(source: Path, directory: Path, name: str) -> Path:
    """Move without overwriting: a hard link fails when the name is taken, a rename would not."""
    stem, dot, suffix = name.rpartition(".")
    if not stem:
        stem, dot, suffix = name, "", ""
    for n in itertools.count():
        target = directory / (name if n == 0 else f"{stem}.{n}{dot}{suffix}")
        try:
            os.link(source, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this filesystem
            if target.exists():
                continue
            os.rename(source, target)
            return target
        os.unlink(source)
        return target
    raise AssertionError("unreachable")


@dataclass
class _Settling:
    signature: tuple[int, int]
    since: float


@dataclass
class Settler:
    """Remembers what each file looked like, to tell when it has stopped changing."""

    settle: float = SETTLE_S
    _seen: dict[str, _Settling] = field(default_factory=dict)

    def ready(self, snapshot: dict[str, tuple[int, int]], now: float) -> list[str]:
        """Names unchanged for `settle` seconds, oldest first (delivery order)."""
        for gone in self._seen.keys() - snapshot.keys():
            del self._seen[gone]
        ready = []
        for name, signature in snapshot.items():
            seen = self._seen.get(name)
            if seen is None or seen.signature != signature:
                self._seen[name] = _Settling(signature, now)
            elif now - seen.since >= self.settle:
                ready.append(name)
        ready.sort(key=lambda name: (snapshot[name][1], name))
        return ready

    def forget(self, name: str) -> None:
        self._seen.pop(name, None)

    @property
    def waiting(self) -> bool:
        return bool(self._seen)


class Notifier:
    """Wakes the watcher when a folder may have changed; this base one never does (polling)."""

    def __init__(self, stop: threading.Event, poll_interval: float = POLL_INTERVAL_S) -> None:
        self._stop = stop
        self.poll_interval = poll_interval

    def wait(self, timeout: float) -> None:
        self._stop.wait(min(timeout, self.poll_interval))

    @property
    def kind(self) -> str:
        return "polling"


class WatchfilesNotifier(Notifier):
    """watchfiles on a thread; when it cannot watch (no inotify, watch limit…), polling."""

    def __init__(
        self, paths: list[Path], stop: threading.Event, poll_interval: float = POLL_INTERVAL_S
    ) -> None:
        super().__init__(stop, poll_interval)
        self._changed = threading.Event()
        self.failure: str | None = None
        self._thread = threading.Thread(
            target=self._run, args=(paths,), name="wirediff-watchfiles", daemon=True
        )
        self._thread.start()

    def _run(self, paths: list[Path]) -> None:
        import watchfiles

        watching = False
        try:
            for changes in watchfiles.watch(
                *paths,
                watch_filter=None,
                debounce=50,
                step=20,
                stop_event=self._stop,
                rust_timeout=int(WAKE_S * 1000),
                recursive=False,
                raise_interrupt=False,
                yield_on_timeout=True,
            ):
                # The first (empty) yield means the watch is in place: look once more for
                # files that landed between the watcher's first scan and that moment.
                if changes or not watching:
                    watching = True
                    self._changed.set()
        except Exception as exc:  # any failure to watch means: poll instead
            self.failure = f"{type(exc).__name__}: {exc}"
            self._changed.set()

    def wait(self, timeout: float) -> None:
        if self.failure is not None:
            super().wait(timeout)
            return
        deadline = time.monotonic() + min(timeout, RESCAN_S)
        while not self._stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if self._changed.wait(min(left, WAKE_S)):
                break
        self._changed.clear()

    @property
    def kind(self) -> str:
        return "polling" if self.failure is not None else "watchfiles"


def make_notifier(paths: list[Path], stop: threading.Event, *, polling: bool = False) -> Notifier:
    if polling:
        return Notifier(stop)
    return WatchfilesNotifier(paths, stop)


@dataclass
class _Retry:
    attempts: int
    at: float


class FolderWatcher:
    """Ingests every complete file that lands in the folders until `stop` is set.

    `report` is called with each ingest result, after the file has been filed away.
    """

    def __init__(
        self,
        archive: Archive,
        folders: Iterable[str | Path],
        log: EventLog,
        report: Callable[[IngestResult], None],
        *,
        settle: float = SETTLE_S,
        polling: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.archive = archive
        self.folders = [HotFolder(path) for path in folders]
        self._log = log
        self._report = report
        self._settlers = {folder.path: Settler(settle) for folder in self.folders}
        self._settle = settle
        self._polling = polling
        self._clock = clock
        self._retries: dict[Path, _Retry] = {}

    def run(self, stop: threading.Event) -> None:
        """Files already there first, then whatever arrives; the current file is always finished."""
        notifier = make_notifier([f.path for f in self.folders], stop, polling=self._polling)
        kind = notifier.kind
        self._log.emit("watching", folders=[str(f.path) for f in self.folders], notifier=kind)
        while not stop.is_set():
            if notifier.kind != kind:
                kind = notifier.kind
                reason = getattr(notifier, "failure", None)
                self._log.emit("watching", notifier=kind, reason=reason)
            for folder, name in self.scan():
                if stop.is_set():
                    return
                self.process(folder, name)
            waiting = any(settler.waiting for settler in self._settlers.values())
            notifier.wait(self._settle / 2 if waiting else RESCAN_S)

    def scan(self) -> list[tuple[HotFolder, str]]:
        """The files ready to take now, in every folder."""
        now = self._clock()
        ready = []
        for folder in self.folders:
            try:
                snapshot = folder.snapshot()
            except OSError as exc:
                self._log.emit("folder_error", folder=str(folder.path), reason=str(exc))
                continue
            for path in [p for p in self._retries if p.parent == folder.path]:
                if path.name not in snapshot:
                    del self._retries[path]
            for name in self._settlers[folder.path].ready(snapshot, now):
                retry = self._retries.get(folder.path / name)
                if retry is None or retry.at <= now:
                    ready.append((folder, name))
        return ready

    def process(self, folder: HotFolder, name: str) -> None:
        self._settlers[folder.path].forget(name)
        claim = folder.claim(name)
        if claim is None:
            return
        source = str(folder.path / name)
        try:
            data = claim.read_bytes()
        except OSError as exc:
            reason = f"{source}: cannot read: {exc.strerror or exc}"
            folder.reject(claim, name, reason)
            self._log.emit("rejected", source=source, reason=reason)
            return
        try:
            results = self.archive.ingest(data, source=source)
        except Exception as exc:  # not the input's fault: try the file again later
            self._retry_later(folder, claim, name, exc)
            return
        self._retries.pop(folder.path / name, None)
        if all(result.status == "rejected" for result in results):
            folder.reject(claim, name, "\n".join(r.reason or "rejected" for r in results))
        else:
            folder.finish(claim, name)
        for result in results:
            self._report(result)

    def _retry_later(self, folder: HotFolder, claim: Path, name: str, error: Exception) -> None:
        retry = self._retries.get(folder.path / name, _Retry(0, 0.0))
        delay = min(RETRY_FIRST_S * 2**retry.attempts, RETRY_MAX_S)
        put_back = folder.put_back(claim, name)
        self._retries[put_back] = _Retry(retry.attempts + 1, self._clock() + delay)
        self._log.emit(
            "retry",
            source=str(folder.path / name),
            reason=f"{type(error).__name__}: {error}".splitlines()[0],
            attempts=retry.attempts + 1,
            retry_in_s=round(delay, 2),
        )
