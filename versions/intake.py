"""A delivery's bytes → its items, parsed, segmented, hashed and signed, ready to place.

Everything here needs no database, so a directory ingest runs it in worker
processes while one writer stores the items in input order.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing import forkserver, get_context
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any, Generic, TypeVar

from versions import story_match
from versions.errors import RejectedInput
from versions.model import Document, ItemMeta, Paragraph, ParagraphKind
from versions.normalise import sentence_hash
from versions.readers import InputFormat, read

STDIN = "-"
# A directory ingest smaller than this is prepared in-process: starting workers costs more.
POOL_MIN_FILES = 64
FILES_PER_TASK = 8
WORKERS = 2
# tasks the worker processes hold at once: one each, and one more to go on with at once
GIVEN = WORKERS + 1
# files read ahead of the writer, at most
LOOK_AHEAD = 12 * FILES_PER_TASK


@dataclass(frozen=True, slots=True)
class PreparedItem:
    """One item of a delivery and what placing and storing it needs, computed once
    (by a worker process, in a directory ingest)."""

    document: Document  # sentences numbered as they are stored
    index: int  # which item of the delivery
    content_hash: str
    headline: str
    headline_key: str
    summary: str  # the bullets under the headline, one a line
    byline: str
    dateline: str
    signature: tuple[int, ...]
    band_keys: tuple[int, ...]
    # each sentence's `normalise.sentence_hash` when a worker sent the item; else the
    # writer hashes them as it stores them, a few thousand at a time
    sentence_hashes: tuple[str, ...] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Sent by a worker as plain values, with its sentences' hashes, which the writer
        would otherwise compute: the document as its paragraphs, whose sentences are
        rebuilt on arrival (unpickling a dataclass per sentence costs more)."""
        document = self.document
        hashes = self.sentence_hashes
        if hashes is None:
            hashes = tuple(sentence_hash(sentence.text) for sentence in document.sentences)
        return _prepared, (
            tuple((p.kind.value, p.sentences) for p in document.paragraphs),
            document.meta,
            self.index,
            self.content_hash,
            self.headline,
            self.headline_key,
            self.summary,
            self.byline,
            self.dateline,
            self.signature,
            self.band_keys,
            hashes,
        )


_KINDS = {kind.value: kind for kind in ParagraphKind}


def _prepared(
    paragraphs: tuple[tuple[str, tuple[str, ...]], ...], meta: ItemMeta, *values: Any
) -> PreparedItem:
    document = Document(tuple(Paragraph(_KINDS[kind], texts) for kind, texts in paragraphs), meta)
    return PreparedItem(document, *values)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A file's (or stdin's) bytes and items; `reason` says why none can be read.

    An item that cannot be stored (no text, or odd input that broke the engine) is
    the reason it is rejected, and the others go on.
    """

    source: str
    data: bytes
    items: tuple[PreparedItem | str, ...] = ()
    reason: str | None = None


def input_files(paths: Iterable[str | Path]) -> list[str]:
    """Files named and files under directories (recursive, name order); "-" is stdin.

    A dangling or looping symlink, a FIFO or a device under a directory is listed too, so
    that reading it reports it rejected instead of passing over it in silence; directory
    symlinks are not followed, so a loop cannot recurse.
    """
    result: list[str] = []
    for path in paths:
        if str(path) == STDIN:
            result.append(STDIN)
            continue
        path = Path(path)
        if path.is_dir():
            result.extend(
                str(p) for p in sorted(path.rglob("*")) if not p.is_dir() and not _hidden(p, path)
            )
        else:
            result.append(str(path))
    return result


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def headline_of(document: Document) -> str:
    """The headline, or the first paragraph's start when the parser found none."""
    if document.headline:
        return document.headline
    first = next((p.text for p in document.paragraphs if p.text), "")
    return first[:120]


def prepare(document: Document, index: int) -> PreparedItem:
    if not all(paragraph.sentences for paragraph in document.paragraphs):
        # as it will be stored and read back: a paragraph without sentences is dropped
        document = Document.from_sentences(document.sentences, document.meta)
    headline = headline_of(document)
    signature = story_match.signature(document)
    return PreparedItem(
        document=document,
        index=index,
        content_hash=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        headline=headline,
        headline_key=story_match.headline_key(headline),
        summary="\n".join(p.text for p in document.paragraphs if p.kind is ParagraphKind.BULLET),
        byline=document.byline,
        dateline=document.dateline,
        signature=signature,
        band_keys=tuple(story_match.band_keys(signature)),
    )


def deliver(data: bytes, source: str, limit: int, input_format: InputFormat = "auto") -> Delivery:
    if len(data) > limit:
        return Delivery(source, b"", reason=too_large(limit))
    try:
        documents = read(data, source, input_format)
    except RejectedInput as exc:
        return Delivery(source, data, reason=exc.reason)
    except Exception as exc:  # a reader's bug met by odd input: that input's fault alone
        return Delivery(source, data, reason=f"cannot be read: {failure_text(exc)}")
    return Delivery(
        source,
        data,
        tuple(_item(document, i, len(documents)) for i, document in enumerate(documents)),
    )


def _item(document: Document, index: int, count: int) -> PreparedItem | str:
    if not document.text.strip():
        return "no text in the item"
    try:
        return prepare(document, index)
    except Exception as exc:
        return f"{item_name(index, count)} cannot be stored: {failure_text(exc)}"


def item_name(index: int, count: int) -> str:
    return f"item {index + 1}" if count > 1 else "the item"


# A stored version's format, as `read` is told to read its delivery again.
_READ_AS: dict[str, InputFormat] = {"ninjs": "ninjs", "newsml": "newsml", "rss": "feed"}


def items_in(data: bytes, stored_format: str) -> int:
    """How many items a stored delivery holds, read again as ingest read it (the store
    keeps which item a version is, not how many there were); 1 if it no longer reads."""
    if stored_format not in _READ_AS:  # wire text is one item
        return 1
    try:
        return len(read(data, input_format=_READ_AS[stored_format]))
    except RejectedInput:
        return 1


def failure_text(error: BaseException) -> str:
    """An unexpected error in one line: the innermost cause, named by its type."""
    cause = getattr(error, "orig", None) or error.__cause__ or error
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0]}" if text else type(cause).__name__


def deliver_path(path: str, limit: int, input_format: InputFormat = "auto") -> Delivery:
    try:
        data = read_input(path, limit)
    except RejectedInput as exc:
        return Delivery(path, b"", reason=exc.reason)
    return deliver(data, path, limit, input_format)


def read_input(path: str, limit: int) -> bytes:
    """The bytes of one named input; `RejectedInput` for what is not a file or too large.

    A FIFO, socket or device is refused before it is opened: reading one could wait forever.
    """
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode):
                raise RejectedInput(path, f"not a regular file ({_file_kind(status.st_mode)})")
            if status.st_size > limit:  # refused unread: memory stays flat
                raise RejectedInput(path, too_large(limit))
            with open(path, "rb") as file:
                data = file.read(limit + 1)
        except OSError as exc:
            raise RejectedInput(path, exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise RejectedInput(path, too_large(limit))
    return data


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return kind
    return "a special file"


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def too_large(limit: int) -> str:
    return (
        f"larger than the {size_text(limit)} limit for one take "
        "(--max-take-size or WIREDIFF_MAX_TAKE_SIZE raises it)"
    )


def _deliver_paths(paths: list[str], limit: int, input_format: InputFormat) -> list[Delivery]:
    return [deliver_path(path, limit, input_format) for path in paths]


T = TypeVar("T")


class Task(Generic[T]):
    """A call handed to the worker processes, and its result once done."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...]) -> None:
        self.function = function
        self.args = args
        self.outcome: Future[T] = Future()
        self.queue: deque[Task[Any]] | None = None  # where it waits for a process

    def done(self) -> bool:
        return self.outcome.done()

    def result(self) -> T:
        return self.outcome.result()

    def run(self) -> None:
        """The call, here."""
        if self.outcome.set_running_or_notify_cancel():
            try:
                self.outcome.set_result(self.function(*self.args))
            except BaseException as exc:
                self.outcome.set_exception(exc)


def run_here(function: Callable[..., T], *args: Any) -> Task[T]:
    """A task done at once, for an ingest without worker processes."""
    task = Task(function, args)
    task.run()
    return task


class Workers:
    """The worker processes of a directory ingest, and the order they take tasks in.

    A transaction waits for its takes' comparisons at its commit, while files are read
    well ahead of the writer: so comparisons go first. Tasks wait here, comparisons in a
    queue of their own, and a feeding thread hands them to the processes as these finish
    (`GIVEN` at a time): a comparison never waits behind files handed out before it.
    The processes start in that thread too; meanwhile, and whenever the processes are
    busy comparing, the writer reads the files it needs next itself (`result`).
    """

    def __init__(self, executor: Executor) -> None:
        self._executor = executor
        self._changed = threading.Condition()
        self._urgent: deque[Task[Any]] = deque()
        self._later: deque[Task[Any]] = deque()
        self._given = 0
        self._closed = False
        self._feeder = threading.Thread(target=self._feed, name="ingest-feeder", daemon=True)
        self._feeder.start()

    def submit(self, function: Callable[..., T], *args: Any, urgent: bool = False) -> Task[T]:
        """`function(*args)` in a worker process; before the tasks not `urgent`."""
        task = Task(function, args)
        with self._changed:
            task.queue = self._urgent if urgent else self._later
            task.queue.append(task)
            self._changed.notify()
        return task

    def result(self, task: Task[T]) -> T:
        """The task's result; done here if no process has taken it yet."""
        with self._changed:
            queue, task.queue = task.queue, None
            if queue is not None:
                queue.remove(task)
        if queue is not None:
            task.run()
        return task.result()

    def close(self) -> None:
        """No more tasks handed out: the ones not taken are dropped."""
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._feeder.join()

    def _feed(self) -> None:
        with suppress(BrokenProcessPool):  # then each task's submission fails with it
            for _ in range(WORKERS):  # each submission starts a process, while none is idle
                self._executor.submit(os.getpid)
        while True:
            with self._changed:
                while not self._closed and (
                    self._given >= GIVEN or not (self._urgent or self._later)
                ):
                    self._changed.wait()
                if self._closed:
                    return
                task = (self._urgent or self._later).popleft()
                task.queue = None
                self._given += 1
            if not task.outcome.set_running_or_notify_cancel():
                continue
            try:
                given = self._executor.submit(task.function, *task.args)
            except BaseException as exc:  # the pool is broken
                given = Future()
                given.set_exception(exc)
            given.add_done_callback(functools.partial(self._returned, task))

    def _returned(self, task: Task[Any], given: Future[Any]) -> None:
        with self._changed:
            self._given -= 1
            self._changed.notify()
        error = given.exception()
        if error is not None:
            task.outcome.set_exception(error)
        else:
            task.outcome.set_result(given.result())


def _pooled(paths: list[str]) -> bool:
    return len(paths) >= POOL_MIN_FILES and STDIN not in paths


def _context() -> ForkServerContext:
    # forkserver: workers never inherit the parent's open database connections or threads
    context = get_context("forkserver")
    # imported once in the server, not once per worker (numpy: the signatures)
    context.set_forkserver_preload(["versions.intake", "versions.take_chain", "numpy"])
    return context


def start_workers(paths: list[str]) -> None:
    """Start the server the worker processes for `paths` will be forked from (`workers`),
    without waiting for it: it imports what they need while the writer starts too."""
    if _pooled(paths):
        _context()
        forkserver.ensure_running()


@contextmanager
def workers(paths: list[str]) -> Iterator[Workers | None]:
    """Worker processes for a directory ingest of `paths`, else None (a short list, or
    stdin): they prepare the files (`deliveries`) and compare the takes placed
    (`versions.take_chain`) while one writer stores them."""
    if not _pooled(paths):
        yield None
        return
    context = _context()
    parent_end, parent_alive = context.Pipe(duplex=False)
    try:
        with ProcessPoolExecutor(
            WORKERS, mp_context=context, initializer=_leave_with_parent, initargs=(parent_end,)
        ) as executor:
            pool = Workers(executor)
            try:
                yield pool
            finally:
                pool.close()
    finally:
        parent_alive.close()


def _leave_with_parent(parent_end: Connection) -> None:
    """In each worker: end when the ingest that started it is gone.

    A worker waiting for its next task never notices its parent killed outright (kill -9):
    it holds its task queue's other end itself, and the fork server waits for its
    workers. Only the parent holds the sending end of `parent_end`; when the parent
    dies the pipe reads end-of-file and the worker leaves, and with it the fork server.
    """

    def wait() -> None:
        with suppress(EOFError):
            parent_end.recv()
        os._exit(1)

    threading.Thread(target=wait, name="parent-watch", daemon=True).start()


def deliveries(
    paths: list[str], limit: int, input_format: InputFormat = "auto", pool: Workers | None = None
) -> Iterator[Delivery]:
    """Each path's delivery, in order; prepared by the `pool`'s workers when given.

    At most `LOOK_AHEAD` files are read ahead, so a backfill of a million files holds
    a bounded number of deliveries in memory, whatever the writer's pace.
    """
    if pool is None:
        yield from (deliver_path(path, limit, input_format) for path in paths)
        return
    tasks = (
        pool.submit(_deliver_paths, paths[start : start + FILES_PER_TASK], limit, input_format)
        for start in range(0, len(paths), FILES_PER_TASK)
    )
    pending: deque[Task[list[Delivery]]] = deque()
    for task in tasks:
        pending.append(task)
        if len(pending) * FILES_PER_TASK >= LOOK_AHEAD:
            yield from pool.result(pending.popleft())
    while pending:
        yield from pool.result(pending.popleft())
