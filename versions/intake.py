"""A delivery's bytes → its items, parsed, segmented, hashed and signed, ready to place.

Everything here needs no database, so a directory ingest runs it in worker
processes while one writer stores the items in input order.
"""

from __future__ import annotations

import hashlib
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from versions import story_match
from versions.errors import RejectedInput
from versions.model import Document, ParagraphKind
from versions.readers import read

STDIN = "-"
# A directory ingest smaller than this is prepared in-process: starting workers costs more.
POOL_MIN_FILES = 64
FILES_PER_TASK = 16


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

    An item is None when it holds no text (it is rejected on its own).
    """

    source: str
    data: bytes
    items: tuple[PreparedItem | None, ...] = ()
    reason: str | None = None


def headline_of(document: Document) -> str:
    """The headline, or the first paragraph's start when the parser found none."""
    if document.headline:
        return document.headline
    first = next((p.text for p in document.paragraphs if p.text), "")
    return first[:120]


def prepare(document: Document, index: int) -> PreparedItem | None:
    if not document.text.strip():
        return None
    document = Document.from_sentences(document.sentences, document.meta)
    headline = headline_of(document)
    signature = story_match.signature(story_match.shingles(document))
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


def deliver(data: bytes, source: str) -> Delivery:
    try:
        documents = read(data, source)
    except RejectedInput as exc:
        return Delivery(source, data, reason=exc.reason)
    return Delivery(
        source, data, tuple(prepare(document, i) for i, document in enumerate(documents))
    )


def deliver_path(path: str) -> Delivery:
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except OSError as exc:
        return Delivery(path, b"", reason=exc.strerror or str(exc))
    return deliver(data, path)


def _deliver_paths(paths: list[str]) -> list[Delivery]:
    return [deliver_path(path) for path in paths]


def deliveries(paths: list[str]) -> Iterator[Delivery]:
    """Each path's delivery, in order; prepared by worker processes for a long list.

    At most a few tasks per worker are in flight, so a backfill of a million files
    holds a bounded number of deliveries in memory, whatever the writer's pace.
    """
    if len(paths) < POOL_MIN_FILES or STDIN in paths:
        yield from map(deliver_path, paths)
        return
    # forkserver: workers never inherit the parent's open database connections or threads
    context = get_context("forkserver")
    context.set_forkserver_preload(["versions.intake"])
    workers = 2
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from _in_order(pool.submit, _deliver_paths, _chunks(paths), 3 * workers)


def _chunks(paths: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(paths), FILES_PER_TASK):
        yield paths[start : start + FILES_PER_TASK]


def _in_order(
    submit: Callable[..., Future[list[Delivery]]],
    work: Callable[[list[str]], list[Delivery]],
    tasks: Iterable[list[str]],
    window: int,
) -> Iterator[Delivery]:
    pending: deque[Future[list[Delivery]]] = deque()
    for task in tasks:
        pending.append(submit(work, task))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
