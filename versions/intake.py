"""A delivery's bytes → its items, parsed, segmented, hashed and signed, ready to place.

Everything here needs no database, so a directory ingest runs it in worker
processes while one writer stores the items in input order.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path

from versions import story_match
from versions.errors import RejectedInput
from versions.model import Document, ParagraphKind
from versions.readers import InputFormat, read

STDIN = "-"
# A directory ingest smaller than this is prepared in-process: starting workers costs more.
POOL_MIN_FILES = 64
FILES_PER_TASK = 16
WORKERS = 2


@dataclass(frozen=True, slots=True)
class PreparedItem:
    """One item of a delivery and what placing and storing it needs, computed once."""

    document: Document  # sentences numbered as they are stored
    index: int  # which item of the delivery
    content_hash: str
    headline: str
    headline_key: str
    summary: str  # the bullets under the headline, one a line
    signature: tuple[int, ...]
    band_keys: tuple[int, ...]


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


@contextmanager
def workers(paths: list[str]) -> Iterator[Executor | None]:
    """Worker processes for a directory ingest of `paths`, else None (a short list, or
    stdin): they prepare the files (`deliveries`) and compare the takes placed
    (`versions.take_chain`) while one writer stores them."""
    if len(paths) < POOL_MIN_FILES or STDIN in paths:
        yield None
        return
    # forkserver: workers never inherit the parent's open database connections or threads
    context = get_context("forkserver")
    # imported once in the server, not once per worker (numpy: the signatures)
    context.set_forkserver_preload(["versions.intake", "versions.take_chain", "numpy"])
    parent_end, parent_alive = context.Pipe(duplex=False)
    try:
        with ProcessPoolExecutor(
            WORKERS, mp_context=context, initializer=_leave_with_parent, initargs=(parent_end,)
        ) as pool:
            yield pool
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
    paths: list[str], limit: int, input_format: InputFormat = "auto", pool: Executor | None = None
) -> Iterator[Delivery]:
    """Each path's delivery, in order; prepared by the `pool`'s workers when given.

    At most a few tasks per worker are in flight, so a backfill of a million files
    holds a bounded number of deliveries in memory, whatever the writer's pace.
    """
    if pool is None:
        yield from (deliver_path(path, limit, input_format) for path in paths)
        return
    tasks = (
        pool.submit(_deliver_paths, paths[start : start + FILES_PER_TASK], limit, input_format)
        for start in range(0, len(paths), FILES_PER_TASK)
    )
    yield from _in_order(tasks, 3 * WORKERS)


def _in_order(tasks: Iterator[Future[list[Delivery]]], window: int) -> Iterator[Delivery]:
    """The tasks' results in order, submitting the next only while fewer than `window` wait."""
    pending: deque[Future[list[Delivery]]] = deque()
    for task in tasks:
        pending.append(task)
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
