"""What the CLI and the TUI call: an `Archive` of wire stories and their versions.

Everything here speaks in model values and the small row dataclasses below;
SQL stays in `versions.store`.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from versions import threading
from versions.compare import compare as compare_documents
from versions.config import DEFAULT_MAX_TAKE_SIZE
from versions.errors import (
    AmbiguousStory,
    RejectedInput,
    UnknownStory,
    UnknownVersion,
    WirediffError,
)
from versions.export import Format, advisory_line, render, safe_filename
from versions.model import (
    ChangeKind,
    ChangeLog,
    Document,
    ItemMeta,
    ParagraphKind,
    Section,
    Sentence,
    Status,
    VersionRef,
)
from versions.normalise import sentence_hash
from versions.readers import read
from versions.store import db, repository
from versions.store.failures import archive_failure
from versions.store.schema import SentenceRow, Story, Version

_SYMBOLS = {
    "added": "+",
    "changed": "~",
    "removed": "−",
    "moved": "↕",
    "split": "⋔",
    "merged": "⋈",
}


@dataclass(frozen=True)
class ChangeCounts:
    """How many changes of each kind one version brought, and how many carried each tag."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0
    split: int = 0
    merged: int = 0
    tags: dict[str, int] = field(default_factory=dict)

    def short(self) -> str:
        """Like "+2 ~3 −1 ↕1 ⋔1 ⋈1": added, changed, removed, moved, split, merged; no zeros."""
        parts = [
            f"{symbol}{getattr(self, kind)}"
            for kind, symbol in _SYMBOLS.items()
            if getattr(self, kind)
        ]
        return " ".join(parts) or "no change"

    @property
    def by_kind(self) -> dict[str, int]:
        return {kind: getattr(self, kind) for kind in _SYMBOLS}

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def to_dict(self) -> dict[str, Any]:
        return self.by_kind | {"tags": dict(self.tags)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeCounts:
        return cls(
            **{kind: int(data.get(kind, 0)) for kind in _SYMBOLS},
            tags={str(k): int(v) for k, v in data.get("tags", {}).items()},
        )

    @classmethod
    def of(cls, log: ChangeLog) -> ChangeCounts:
        summary = log.summary
        return cls(
            added=summary[ChangeKind.ADDED],
            removed=summary[ChangeKind.REMOVED],
            changed=summary[ChangeKind.CHANGED],
            moved=summary[ChangeKind.MOVED],
            split=summary[ChangeKind.SPLIT],
            merged=summary[ChangeKind.MERGED],
            tags=log.tag_counts(),
        )


@dataclass(frozen=True)
class StoryRow:
    key: str
    title: str
    versions: int
    first_seen: datetime
    last_update: datetime
    status: Status
    latest: ChangeCounts | None  # latest version against the one before it

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "versions": self.versions,
            "first_seen": self.first_seen.isoformat(),
            "last_update": self.last_update.isoformat(),
            "status": str(self.status),
        }


@dataclass(frozen=True)
class VersionRow:
    story_key: str
    number: int
    label: str | None
    received_at: datetime
    created_at: datetime
    headline: str
    advisory: str | None
    counts: ChangeCounts | None  # against the previous version; None for version 1
    id: int
    format: str = "text"
    item_index: int | None = None  # which item of the delivered file (`Archive.raw`) it is

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "received_at": self.received_at.isoformat(),
            "headline": self.headline,
            "advisory": self.advisory,
            "counts": self.counts.to_dict() if self.counts else None,
            "format": self.format,
            "item_index": self.item_index,
        }


@dataclass(frozen=True)
class IngestResult:
    source: str
    status: Literal["added", "unchanged", "rejected"]
    story: str | None
    version: int | None
    reason: str | None
    counts: ChangeCounts | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.source,
            "story": self.story,
            "version": self.version,
            "status": self.status,
            "reason": self.reason,
            "counts": self.counts.to_dict() if self.counts else None,
        }


@dataclass(frozen=True)
class SearchHit:
    story_key: str
    title: str
    version: int  # the first version in which the words appear
    snippet: str
    last_update: datetime


@dataclass(frozen=True)
class Export:
    """A rendered change log and what it covers, to write or to print."""

    story_key: str
    format: Format
    text: str
    span: tuple[int, int]  # the first old and the last new version compared
    pairs: int

    @property
    def filename(self) -> str:
        return safe_filename(self.story_key, self.format, self.span)


STDIN = "-"
SNIPPET_CONTEXT = 60
_SLUG_WORDS = re.compile(r"[a-z0-9]+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 60


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


def database_url(url: str | None = None) -> str:
    """The URL `Archive.open(url)` would open, password hidden."""
    return db.safe_url(db.resolve_url(url))


def upgrade_database(url: str | None = None) -> None:
    """Migrate the database to this wirediff's schema (creating it when empty)."""
    db.upgrade(db.resolve_url(url))


def slugify(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    words = _SLUG_WORDS.findall(threading.headline_key(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "story"


def check_story_key(key: str) -> str:
    """A story key given by hand follows the rules of generated ones: a slug, or it is refused."""
    if _SLUG.fullmatch(key) and len(key) <= SLUG_MAX_LENGTH:
        return key
    raise WirediffError(
        f"story key {key!r} is not a slug: lower-case letters and digits in words "
        f"joined by single hyphens, at most {SLUG_MAX_LENGTH} characters"
    )


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _read_input(path: str, limit: int) -> bytes:
    """The bytes of one named input; `RejectedInput` for what is not a file or too large.

    A FIFO, socket or device is refused before it is opened: reading one could wait forever.
    """
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise RejectedInput(path, f"not a regular file ({_file_kind(mode)})")
            with open(path, "rb") as file:
                data = file.read(limit + 1)
        except OSError as exc:
            raise RejectedInput(path, exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise RejectedInput(path, _too_large(limit))
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


def _too_large(limit: int) -> str:
    return (
        f"larger than the {size_text(limit)} limit for one take "
        "(--max-take-size or WIREDIFF_MAX_TAKE_SIZE raises it)"
    )


def headline_of(document: Document) -> str:
    """The headline, or the first paragraph's start when the parser found none."""
    if document.headline:
        return document.headline
    first = next((p.text for p in document.paragraphs if p.text), "")
    return first[:120]


def _counts(old: Document, new: Document) -> ChangeCounts:
    return ChangeCounts.of(compare_documents(old, new))


def _now() -> datetime:
    return datetime.now(UTC)


class Archive:
    """The stored stories; open with `Archive.open`, use as a context manager."""

    def __init__(
        self, engine: Engine, url: str, *, max_take_size: int = DEFAULT_MAX_TAKE_SIZE
    ) -> None:
        self.url = url
        self.max_take_size = max_take_size
        self._engine = engine
        self._sessions: sessionmaker[Session] = db.make_sessionmaker(engine)
        self._watch = db.ChangeWatch(engine)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        create: bool = True,
        max_take_size: int = DEFAULT_MAX_TAKE_SIZE,
    ) -> Archive:
        """Open `url` (else `WIREDIFF_DB`, else the user's SQLite file).

        A new empty database is brought to the current schema; an older one raises
        `NeedsUpgrade` until `wirediff db upgrade` is run on it. A delivery larger than
        `max_take_size` bytes is rejected unread: no wire take comes near 10 MB, and the
        engine's memory grows with the text.
        """
        resolved = db.resolve_url(url)
        engine = db.open_engine(resolved, create=create)
        return cls(engine, resolved, max_take_size=max_take_size)

    def close(self) -> None:
        self._watch.close()
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # ingest

    def ingest(
        self,
        data: bytes,
        *,
        source: str,
        story: str | None = None,
        received_at: datetime | None = None,
    ) -> list[IngestResult]:
        """Store every item in `data`, each in its own transaction.

        A rejected input stores nothing; an item already stored for its story is
        reported "unchanged". An item that cannot be read or stored is rejected with the
        reason and the others go on; only a failure of the archive itself (disk,
        connection, lock) raises, for the caller to retry.
        """
        if story is not None:
            check_story_key(story)
        if len(data) > self.max_take_size:
            return [_rejected(source, _too_large(self.max_take_size))]
        received = received_at or _now()
        try:
            documents = read(data, source)
        except RejectedInput as exc:
            return [_rejected(source, exc.reason)]
        except Exception as exc:  # a reader's bug met by odd input: that input's fault alone
            return [_rejected(source, f"cannot be read: {_failure(exc)}")]
        results = []
        for index, document in enumerate(documents):
            try:
                result = self._ingest_document(document, index, data, source, story, received)
            except Exception as exc:
                if archive_failure(exc):
                    raise
                item = f"item {index + 1}" if len(documents) > 1 else "the item"
                result = _rejected(source, f"{item} cannot be stored: {_failure(exc)}")
            results.append(result)
        return results

    def ingest_paths(
        self, paths: Iterable[str | Path], *, story: str | None = None
    ) -> Iterator[IngestResult]:
        if story is not None:
            check_story_key(story)
        for path in input_files(paths):
            try:
                data = _read_input(path, self.max_take_size)
            except RejectedInput as exc:
                yield _rejected(path, exc.reason)
                continue
            yield from self.ingest(data, source=path, story=story)

    def _ingest_document(
        self,
        document: Document,
        item_index: int,
        raw: bytes,
        source: str,
        story_key: str | None,
        received: datetime,
    ) -> IngestResult:
        if not document.text.strip():
            return _rejected(source, "no text in the item")
        meta = document.meta
        document = Document.from_sentences(document.sentences, meta)
        content_hash = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        headline = headline_of(document)
        headline_key = threading.headline_key(headline)
        signature = threading.signature(threading.shingles(document))
        band_keys = threading.band_keys(signature)
        created = meta.created or received

        with self._sessions() as session, session.begin():
            repository.lock_for_ingest(session)
            story = self._resolve_story(session, story_key, meta, signature, headline_key)
            if story is not None:
                existing = repository.versions_of(session, story.id)
                same = _same_item(existing, document) or repository.same_version(
                    session, story.id, content_hash, meta.label
                )
                if same is not None:
                    _learn_identity(same, meta)
                    return IngestResult(source, "unchanged", story.key, same.number, None, None)
            else:
                story = self._new_story(session, story_key or slugify(headline), meta, received)
                existing = []
            number = _position(existing, meta, created)
            if number <= len(existing):
                repository.make_room(session, story.id, number)
            previous = existing[number - 2] if number > 1 else None
            following = existing[number - 1] if number <= len(existing) else None
            counts = _counts(self._load_document(session, previous), document) if previous else None
            version = Version(
                story_id=story.id,
                number=number,
                label=meta.label,
                guid=meta.guid,
                agency_version=meta.version,
                withdrawn=meta.withdrawn,
                correction=meta.correction,
                received_at=received,
                created_at=created,
                source=source,
                format=meta.format,
                raw=raw,
                item_index=item_index,
                encoding=meta.encoding,
                text=document.text,
                content_hash=content_hash,
                headline=headline,
                headline_key=headline_key,
                summary="\n".join(
                    p.text for p in document.paragraphs if p.kind is ParagraphKind.BULLET
                ),
                byline=document.byline,
                dateline=document.dateline,
                advisory=meta.advisory,
                ednote=meta.ednote,
                minhash=threading.pack(signature),
                counts=counts.to_dict() if counts else None,
            )
            sentences = [
                SentenceRow(
                    position=s.index,
                    paragraph=s.paragraph,
                    section=str(s.section),
                    kind=str(s.kind),
                    text=s.text,
                    hash=sentence_hash(s.text),
                )
                for s in document.sentences
            ]
            repository.add_version(session, version, sentences, band_keys)
            if following is not None:
                following_counts = _counts(document, self._load_document(session, following))
                following.counts = following_counts.to_dict()
            story.version_count = len(existing) + 1
            if number == story.version_count:
                story.title = headline
            story.first_seen = min(story.first_seen, received)
            story.last_update = max(story.last_update, created)
            if meta.withdrawn:
                story.status = str(Status.WITHDRAWN)
            key = story.key
        return IngestResult(source, "added", key, number, None, counts)

    def _resolve_story(
        self,
        session: Session,
        story_key: str | None,
        meta: ItemMeta,
        signature: tuple[int, ...],
        headline_key: str,
    ) -> Story | None:
        """`--story`, else the item's guid, else the most similar stored story above threshold.

        An item whose guid is new may join a story that has no guid yet (the same
        story delivered as plain text first), never one under another guid.
        """
        if story_key is not None:
            return repository.story_by_key(session, story_key)
        if meta.guid:
            story = repository.story_by_guid(session, meta.guid)
            if story is not None:
                return story
        best: dict[int, float] = {}
        candidates = repository.thread_candidates(
            session, threading.band_keys(signature), headline_key
        )
        for story_id, minhash, other_key, story_guid in candidates:
            if meta.guid and story_guid is not None:
                continue
            score = threading.score(signature, headline_key, threading.unpack(minhash), other_key)
            best[story_id] = max(best.get(story_id, 0.0), score)
        if not best:
            return None
        story_id, score = max(best.items(), key=lambda item: item[1])
        if score < threading.THRESHOLD:
            return None
        story = repository.story_by_id(session, story_id)
        if meta.guid:
            story.guid = meta.guid
        return story

    def _new_story(self, session: Session, key: str, meta: ItemMeta, received: datetime) -> Story:
        taken = repository.story_keys_like(session, key)
        unique = key
        suffix = 2
        while unique in taken:
            unique = f"{key}-{suffix}"
            suffix += 1
        created = meta.created or received
        story = Story(
            key=unique,
            guid=meta.guid,
            title="",
            first_seen=received,
            last_update=created,
            status=str(Status.ACTIVE),
            version_count=0,
        )
        session.add(story)
        session.flush()
        return story

    # reading

    def stories(
        self,
        *,
        order: Literal["updated", "title"] = "updated",
        match: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[StoryRow]:
        with self._sessions() as session:
            rows = repository.list_stories(
                session, order=order, match=match, limit=limit, offset=offset
            )
            return [_story_row(story, counts) for story, counts in rows]

    def story_count(self, match: str | None = None) -> int:
        with self._sessions() as session:
            return repository.count_stories(session, match)

    def story(self, key_or_prefix: str) -> StoryRow:
        with self._sessions() as session:
            story = self._find_story(session, key_or_prefix)
            latest = repository.version_by_number(session, story.id, story.version_count)
            return _story_row(story, latest.counts if latest else None)

    def versions(self, story_key: str) -> list[VersionRow]:
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            return [_version_row(v, story.key) for v in repository.versions_of(session, story.id)]

    def document(self, story_key: str, number: int) -> Document:
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            return self._load_document(session, self._find_version(session, story, number))

    def raw(self, story_key: str, number: int) -> bytes:
        """The bytes of the delivery the version came in, exactly as received.

        A feed or a NewsML-G2 newsMessage holds several items: `VersionRow.item_index` says
        which one, in `versions.readers.read` order.
        """
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            return self._find_version(session, story, number).raw

    def compare(self, story_key: str, old: int | None = None, new: int | None = None) -> ChangeLog:
        """`old` → `new`; by default the latest version against the one before it."""
        changelog, _, _ = self.compare_with_documents(story_key, old, new)
        return changelog

    def compare_with_documents(
        self, story_key: str, old: int | None = None, new: int | None = None
    ) -> tuple[ChangeLog, Document, Document]:
        """`compare`, with the two documents it compared (renderers number paragraphs)."""
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            if new is None:
                new = story.version_count
            if old is None:
                old = max(new - 1, 1)
            return self._pair(session, story, old, new)

    def history(
        self, story_key: str, first: int | None = None, last: int | None = None
    ) -> list[ChangeLog]:
        """Each consecutive pair from version `first` (default 1) to `last` (default the latest)."""
        return [changelog for changelog, _, _ in self._history(story_key, first, last)]

    def _history(
        self, story_key: str, first: int | None, last: int | None
    ) -> list[tuple[ChangeLog, Document, Document]]:
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            first = 1 if first is None else first
            last = story.version_count if last is None else last
            if first > last:
                raise UnknownVersion(f"versions {first}..{last} of {story.key}: {first} > {last}")
            versions = repository.versions_between(session, story.id, first, last)
            stored = {version.number for version in versions}
            for number in range(first, last + 1):
                if number not in stored:
                    raise _no_version(story, number)
            documents = self._load_documents(session, versions)
            return [
                (
                    self._changelog(story, old, new, old_document, new_document),
                    old_document,
                    new_document,
                )
                for (old, old_document), (new, new_document) in itertools.pairwise(
                    zip(versions, documents, strict=True)
                )
            ]

    def advisories(self, story_key: str) -> dict[int, str]:
        """The advisory line generated for each version after the first, by version number.

        "" for a version that changed nothing. Costs a comparison per version.
        """
        return {
            changelog.new.version or 0: advisory_line(changelog, old, new)
            for changelog, old, new in self._history(story_key, None, None)
        }

    def advisory(self, story_key: str, number: int) -> str:
        """The advisory line generated for version `number` (> 1) against the one before it."""
        ((changelog, old, new),) = self._history(story_key, number - 1, number)
        return advisory_line(changelog, old, new)

    def export(
        self,
        story_key: str,
        fmt: Format,
        *,
        pair: tuple[int, int] | None = None,
        first: int | None = None,
        last: int | None = None,
    ) -> Export:
        """The change log to hand on: version A against B (`pair`), else each consecutive
        pair from `first` to `last` (default: the whole history).

        Paragraphs are numbered as editors count them (the documents go to the renderer).
        """
        if pair is not None:
            with self._sessions() as session:
                story = self._find_story(session, story_key)
                triples = [self._pair(session, story, *pair)]
        else:
            triples = self._history(story_key, first, last)
            if not triples:
                key = self.story(story_key).key
                raise WirediffError(f"{key}: one version only in that range, nothing to compare")
        changelogs = [changelog for changelog, _, _ in triples]
        text = render(changelogs, fmt, documents=[(old, new) for _, old, new in triples])
        span = (changelogs[0].old.version or 0, changelogs[-1].new.version or 0)
        return Export(changelogs[0].story_key or story_key, fmt, text, span, len(changelogs))

    def documents(self, story_key: str, numbers: Iterable[int]) -> dict[int, Document]:
        """Several versions' documents by number, read in one go (exports number paragraphs)."""
        with self._sessions() as session:
            story = self._find_story(session, story_key)
            versions = [self._find_version(session, story, n) for n in sorted(set(numbers))]
            documents = self._load_documents(session, versions)
            return {
                version.number: document
                for version, document in zip(versions, documents, strict=True)
            }

    def search(self, words: str, *, limit: int = 50) -> list[SearchHit]:
        terms = re.findall(r"\w+", words)
        if not terms:
            return []
        with self._sessions() as session:
            rows = repository.search(session, terms, limit)
            return [
                SearchHit(key, title, number, _snippet(text, terms), last_update)
                for key, title, number, text, last_update in rows
            ]

    def change_token(self) -> int:
        return self._watch.token()

    def versions_since(self, version_id: int) -> list[VersionRow]:
        with self._sessions() as session:
            return [
                _version_row(version, key)
                for version, key in repository.versions_after(session, version_id)
            ]

    def latest_version_id(self) -> int:
        with self._sessions() as session:
            return repository.latest_version_id(session)

    # helpers

    def _find_story(self, session: Session, key_or_prefix: str) -> Story:
        story = repository.story_by_key(session, key_or_prefix)
        if story is not None:
            return story
        matches = repository.stories_by_key_prefix(session, key_or_prefix, limit=6)
        if not matches and key_or_prefix != key_or_prefix.lower():
            # Keys made from headlines are lower-case slugs; "Biden" should find them.
            matches = repository.stories_by_key_prefix(session, key_or_prefix.lower(), limit=6)
        if not matches:
            raise UnknownStory(f"no story {key_or_prefix!r}")
        if len(matches) > 1:
            keys = ", ".join(s.key for s in matches[:5])
            raise AmbiguousStory(f"{key_or_prefix!r} matches several stories: {keys}")
        return matches[0]

    def _find_version(self, session: Session, story: Story, number: int) -> Version:
        version = repository.version_by_number(session, story.id, number)
        if version is None:
            raise _no_version(story, number)
        return version

    def _pair(
        self, session: Session, story: Story, old: int, new: int
    ) -> tuple[ChangeLog, Document, Document]:
        """Version `old` against version `new`, with the two documents compared."""
        old_version = self._find_version(session, story, old)
        new_version = self._find_version(session, story, new)
        old_document, new_document = self._load_documents(session, [old_version, new_version])
        changelog = self._changelog(story, old_version, new_version, old_document, new_document)
        return changelog, old_document, new_document

    def _changelog(
        self,
        story: Story,
        old: Version,
        new: Version,
        old_document: Document,
        new_document: Document,
    ) -> ChangeLog:
        return compare_documents(
            old_document,
            new_document,
            story_key=story.key,
            story_title=story.title,
            old_ref=VersionRef(old.number, old.label),
            new_ref=VersionRef(new.number, new.label),
        )

    def _load_document(self, session: Session, version: Version) -> Document:
        return self._load_documents(session, [version])[0]

    def _load_documents(self, session: Session, versions: list[Version]) -> list[Document]:
        """The stored documents, their sentences read in one query (a history reads many)."""
        rows = repository.sentences_of(session, [version.id for version in versions])
        return [_document(version, rows.get(version.id, [])) for version in versions]


def _document(version: Version, rows: list[SentenceRow]) -> Document:
    sentences = [
        Sentence(
            row.text, Section(row.section), row.paragraph, row.position, ParagraphKind(row.kind)
        )
        for row in rows
    ]
    meta = ItemMeta(
        label=version.label,
        advisory=version.advisory,
        guid=version.guid,
        version=version.agency_version,
        created=version.created_at,
        withdrawn=version.withdrawn,
        correction=version.correction,
        ednote=version.ednote,
        format=version.format,
        encoding=version.encoding,
    )
    return Document.from_sentences(sentences, meta)


def _no_version(story: Story, number: int) -> UnknownVersion:
    return UnknownVersion(f"{story.key} has no version {number} (it has 1..{story.version_count})")


def _rejected(source: str, reason: str) -> IngestResult:
    return IngestResult(source, "rejected", None, None, reason, None)


def _failure(error: BaseException) -> str:
    """An unexpected error in one line: the innermost cause, named by its type."""
    cause = getattr(error, "orig", None) or error.__cause__ or error
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0]}" if text else type(cause).__name__


def _same_item(existing: list[Version], document: Document) -> Version | None:
    """The stored version this item is another delivery of (another format, a feed), if any.

    With the same guid: the same agency version number when both carry one; else, in another
    format, the same creation time and label (a feed item edited in place keeps its time and
    its format: that is an update). Failing that, the same label and the same text apart from
    the summary bullets, when only one of the two has bullets (feeds drop them).
    """
    meta = document.meta
    for version in existing:
        if not meta.guid or version.guid != meta.guid:
            continue
        if meta.version is not None and version.agency_version is not None:
            same = version.agency_version == meta.version
        else:
            same = (
                version.format != meta.format
                and version.created_at == meta.created
                and version.label == meta.label
            )
        if same:
            return version
    bullets = [p.text for p in document.paragraphs if p.kind is ParagraphKind.BULLET]
    text = _without_lines(document.text, bullets)
    for version in existing:
        if version.label != meta.label or bool(version.summary) == bool(bullets):
            continue
        if _without_lines(version.text, version.summary.splitlines()) == text:
            return version
    return None


def _without_lines(text: str, lines: list[str]) -> str:
    drop = set(lines)
    return "\n".join(line for line in text.splitlines() if line not in drop)


def _learn_identity(version: Version, meta: ItemMeta) -> None:
    """A stored version delivered again with its guid and number (plain text first) keeps them."""
    if version.guid is None and meta.guid is not None:
        version.guid = meta.guid
    if version.agency_version is None and meta.version is not None:
        version.agency_version = meta.version


def _position(existing: list[Version], meta: ItemMeta, created: datetime) -> int:
    """The new version's number: before the first stored version it should follow.

    Items that carry the agency's version number or a creation time are put in
    their true order; plain text received now goes last.
    """
    for version in existing:
        if meta.version is not None and version.agency_version is not None:
            if version.agency_version > meta.version:
                return version.number
        elif meta.created is not None and version.created_at > created:
            return version.number
    return len(existing) + 1


def _story_row(story: Story, counts: dict[str, Any] | None) -> StoryRow:
    return StoryRow(
        key=story.key,
        title=story.title,
        versions=story.version_count,
        first_seen=story.first_seen,
        last_update=story.last_update,
        status=Status(story.status),
        latest=ChangeCounts.from_dict(counts) if counts else None,
    )


def _version_row(version: Version, story_key: str) -> VersionRow:
    return VersionRow(
        story_key=story_key,
        number=version.number,
        label=version.label,
        received_at=version.received_at,
        created_at=version.created_at,
        headline=version.headline,
        advisory=version.advisory,
        counts=ChangeCounts.from_dict(version.counts) if version.counts else None,
        id=version.id,
        format=version.format,
        item_index=version.item_index,
    )


def _snippet(text: str, terms: list[str]) -> str:
    """The text around the first of the words, on one line."""
    flat = " ".join(text.split())
    lowered = flat.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms) if p >= 0]
    at = min(positions) if positions else 0
    start = max(at - SNIPPET_CONTEXT, 0)
    end = min(at + SNIPPET_CONTEXT * 2, len(flat))
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


__all__ = [
    "Archive",
    "ChangeCounts",
    "Export",
    "IngestResult",
    "SearchHit",
    "StoryRow",
    "VersionRow",
]
