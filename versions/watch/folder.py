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
writer) the file is put back and retried with a per-file backoff.

A claim's name says who holds it: `<name>.<host>~<pid>~<token>~<n>~<unix time>`.
Each watcher holds an exclusive `flock` on `.processing/.<host>~<pid>~<token>.lock`
for its whole life; the kernel drops the lock when the process dies, however it
dies (kill -9 included), and a reused pid cannot fake it. At start, and every
`RESCAN_S` after, a watcher takes again (by the same atomic rename) every claim
whose holder on this host no longer holds its lock, and every claim made on
another host (a shared folder: its lock cannot be trusted over the network) that is
older than `claim_timeout`. Ingest is idempotent (an item already stored comes
back "unchanged"), so a crash between commit and filing costs nothing but a retry;
a claim that was already linked into `.done/` or `.rejected/` when its watcher died
is only unlinked.

Change notification is watchfiles (inotify, FSEvents…) when it works, else
polling; both only say "look again": every look is a full scan of the folder,
so a missed event delays a file, never loses it. The shape — one watcher
interface, a native and a polling implementation behind a factory — follows
Textualize/toolong's watcher.py / poll_watcher.py.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from versions.intake import too_large
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
CLAIM_TIMEOUT_S = 600.0  # a claim made on another host is taken back after this long


def host_tag() -> str:
    """This host's name as it can stand in a claim's name: no dot, no `~`."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def takeable(name: str) -> bool:
    return not name.startswith(".") and not name.endswith(WORK_IN_PROGRESS)


@dataclass(frozen=True)
class Abandoned:
    """A claim left in `.processing/` by a watcher that is gone."""

    claim: Path
    name: str
    holder: str
    why: str


class HotFolder:
    """One delivery directory and its `.processing/`, `.done/` and `.rejected/` beside the input.

    Holds this watcher's lock in `.processing/` until `close`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        claim_timeout: float = CLAIM_TIMEOUT_S,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.processing = self.path / PROCESSING
        self.done = self.path / DONE
        self.rejected = self.path / REJECTED
        for directory in (self.processing, self.done, self.rejected):
            directory.mkdir(parents=True, exist_ok=True)
        self.claim_timeout = claim_timeout
        self._wall_clock = wall_clock
        self._host = host_tag()
        self.holder = f"{self._host}~{os.getpid()}~{secrets.token_hex(4)}"
        self._claims = itertools.count(1)
        self._lock = self._hold_lock()

    def _hold_lock(self) -> int:
        """Locked under a temporary name, then renamed: nobody sees it unlocked."""
        lock = self.processing / f".{self.holder}.lock"
        fresh = lock.with_name(lock.name + ".new")
        fd = os.open(fresh, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(fresh, lock)
        return fd

    def close(self) -> None:
        (self.processing / f".{self.holder}.lock").unlink(missing_ok=True)
        os.close(self._lock)

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
        return self._take(self.path / name, name)

    def _take(self, source: Path, name: str) -> Path | None:
        claim = self.processing / (
            f"{name}.{self.holder}~{next(self._claims)}~{int(self._wall_clock())}"
        )
        try:
            os.rename(source, claim)
        except FileNotFoundError:
            return None
        return claim

    def abandoned(self) -> list[Abandoned]:
        """Claims in `.processing/` whose watcher is gone, oldest first."""
        found = []
        now = self._wall_clock()
        gone: dict[str, bool] = {}
        with os.scandir(self.processing) as entries:
            names = sorted(entry.name for entry in entries)
        for lock in [n for n in names if n.startswith(".")]:
            holder = lock[1:].removesuffix(".new").removesuffix(".lock")
            if holder.startswith(f"{self._host}~") and holder != self.holder:
                gone[holder] = self._holder_gone(holder)
        for claim_name in [n for n in names if not n.startswith(".")]:
            name, _, tag = claim_name.rpartition(".")
            parts = tag.split("~")
            if len(parts) == 5 and name and parts[4].isdigit():
                holder, claimed_at = "~".join(parts[:3]), float(parts[4])
            else:  # a claim of an older wirediff: only its age can tell
                holder = "unknown"
                try:
                    claimed_at = (self.processing / claim_name).stat().st_ctime
                except FileNotFoundError:
                    continue
                name = name or claim_name
            if holder == self.holder:
                continue
            if parts[0] == self._host and holder != "unknown":
                if holder not in gone:
                    gone[holder] = self._holder_gone(holder)
                if gone[holder]:
                    found.append(Abandoned(self.processing / claim_name, name, holder, "exited"))
            elif now - claimed_at >= self.claim_timeout:
                why = f"claimed {now - claimed_at:.0f} s ago"
                found.append(Abandoned(self.processing / claim_name, name, holder, why))
        return found

    def _holder_gone(self, holder: str) -> bool:
        """True when no process holds `holder`'s lock: it has exited, however it ended."""
        for lock in (self.processing / f".{holder}.lock", self.processing / f".{holder}.lock.new"):
            try:
                fd = os.open(lock, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            else:  # a dead watcher's lock goes; its claims go to whoever renames them first
                lock.unlink(missing_ok=True)
            finally:
                os.close(fd)
        return True

    def take_back(self, abandoned: Abandoned) -> Path | None:
        """Claim an abandoned file for this watcher; None when another watcher took it first,
        or when its holder had already filed it (linked into `.done/`, `.rejected/` or put back)
        and died before unlinking the claim.
        """
        claim = self._take(abandoned.claim, abandoned.name)
        if claim is None:
            return None
        if os.stat(claim).st_nlink > 1 and self._filed(claim):
            os.unlink(claim)
            return None
        return claim

    def _filed(self, claim: Path) -> bool:
        inode = os.stat(claim).st_ino
        for directory in (self.done, self.rejected, self.path):
            with os.scandir(directory) as entries:
                if any(e.inode() == inode and e.is_file(follow_symlinks=False) for e in entries):
                    return True
        return False

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
        claim_timeout: float = CLAIM_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.archive = archive
        self.folders = [HotFolder(path, claim_timeout=claim_timeout) for path in folders]
        self._log = log
        self._report = report
        self._settlers = {folder.path: Settler(settle) for folder in self.folders}
        self._settle = settle
        self._polling = polling
        self._clock = clock
        self._retries: dict[Path, _Retry] = {}
        self._next_recovery = 0.0

    def run(self, stop: threading.Event) -> None:
        """Files already there first, then whatever arrives; the current file is always finished."""
        try:
            self._run(stop)
        finally:
            for folder in self.folders:
                folder.close()

    def _run(self, stop: threading.Event) -> None:
        notifier = make_notifier([f.path for f in self.folders], stop, polling=self._polling)
        kind = notifier.kind
        self._log.emit("watching", folders=[str(f.path) for f in self.folders], notifier=kind)
        while not stop.is_set():
            if notifier.kind != kind:
                kind = notifier.kind
                reason = getattr(notifier, "failure", None)
                self._log.emit("watching", notifier=kind, reason=reason)
            self.recover(stop)
            for folder, name in self.scan():
                if stop.is_set():
                    return
                self.process(folder, name)
            waiting = any(settler.waiting for settler in self._settlers.values())
            notifier.wait(self._settle / 2 if waiting else RESCAN_S)

    def recover(self, stop: threading.Event) -> None:
        """Take again the claims of watchers that are gone (at start, then every `RESCAN_S`)."""
        if self._clock() < self._next_recovery:
            return
        self._next_recovery = self._clock() + RESCAN_S
        for folder in self.folders:
            try:
                abandoned = folder.abandoned()
            except OSError as exc:
                self._log.emit("folder_error", folder=str(folder.path), reason=str(exc))
                continue
            for left in abandoned:
                if stop.is_set():
                    return
                claim = folder.take_back(left)
                if claim is None:
                    continue
                self._log.emit(
                    "recovered",
                    source=str(folder.path / left.name),
                    holder=left.holder,
                    reason=left.why,
                )
                self._ingest(folder, claim, left.name)

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
        if claim is not None:
            self._ingest(folder, claim, name)

    def _ingest(self, folder: HotFolder, claim: Path, name: str) -> None:
        source = str(folder.path / name)
        limit = self.archive.max_take_size
        try:
            if os.stat(claim).st_size > limit:
                reason = too_large(limit)
                self._file(folder.reject, claim, name, reason)
                self._log.emit("rejected", source=source, reason=reason)
                return
            with open(claim, "rb") as file:  # grown past the limit: ingest rejects it unparsed
                data = file.read(limit + 1)
        except OSError as exc:
            reason = f"{source}: cannot read: {exc.strerror or exc}"
            self._file(folder.reject, claim, name, reason)
            self._log.emit("rejected", source=source, reason=reason)
            return
        try:
            results = self.archive.ingest(data, source=source)
        except Exception as exc:  # not the input's fault: try the file again later
            self._retry_later(folder, claim, name, exc)
            return
        self._retries.pop(folder.path / name, None)
        if all(result.status == "rejected" for result in results):
            reason = "\n".join(r.reason or "rejected" for r in results)
            self._file(folder.reject, claim, name, reason)
        else:
            self._file(folder.finish, claim, name)
        for result in results:
            self._report(result)

    def _file(self, move: Callable[..., Path], claim: Path, name: str, *args: str) -> None:
        """File a claim away; another watcher may have taken it back (a claim that outlived
        `claim_timeout` on a shared folder), and then it files it."""
        try:
            move(claim, name, *args)
        except FileNotFoundError:
            self._log.emit("claim_lost", source=str(claim.parent.parent / name))

    def _retry_later(self, folder: HotFolder, claim: Path, name: str, error: Exception) -> None:
        retry = self._retries.get(folder.path / name, _Retry(0, 0.0))
        delay = min(RETRY_FIRST_S * 2**retry.attempts, RETRY_MAX_S)
        try:
            put_back = folder.put_back(claim, name)
        except FileNotFoundError:
            self._log.emit("claim_lost", source=str(folder.path / name))
            return
        self._retries[put_back] = _Retry(retry.attempts + 1, self._clock() + delay)
        self._log.emit(
            "retry",
            source=str(folder.path / name),
            reason=f"{type(error).__name__}: {error}".splitlines()[0],
            attempts=retry.attempts + 1,
            retry_in_s=round(delay, 2),
        )
