"""What the CLI and the TUI call: an `Archive` of wire stories and their versions.

Everything here speaks in model values and the small row dataclasses below;
SQL stays in `versions.store`.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from versions import intake, placement, story_match
from versions.compare import compare as compare_documents
from versions.errors import (
    AmbiguousStory,
    UnknownStory,
    UnknownVersion,
    WirediffError,
)
from versions.export import Format, advisory_line, render, safe_filename
from versions.intake import STDIN
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
from versions.store import db, repository
from versions.store.backend import backend_for
from versions.store.schema import SentenceRow, Story, Version
from versions.store.writer import IngestWriter, NewVersion, StoryState, ingest_transaction

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


SNIPPET_CONTEXT = 60
# deliveries written in one transaction (each item in its own savepoint): fewer commits
STORE_BATCH = 32
# committed documents kept for the next takes of their stories to compare against
REMEMBER_VERSIONS = 2048
REMEMBER_MAX_SENTENCES = 2000
_SLUG_WORDS = re.compile(r"[a-z0-9]+")


def input_files(paths: Iterable[str | Path]) -> list[str]:
    """Files named and files under directories (recursive, name order); "-" is stdin.

    A dangling or looping symlink under a directory is listed too, so that reading it
    reports it rejected instead of passing over it in silence; directory symlinks are
    not followed, so a loop cannot recurse.
    """
    result: list[str] = []
    for path in paths:
        if str(path) == STDIN:
            result.append(STDIN)
            continue
        path = Path(path)
        if path.is_dir():
            result.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if (p.is_file() or _dangling(p)) and not _hidden(p, path)
            )
        else:
            result.append(str(path))
    return result


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def database_url(url: str | None = None) -> str:
    """The URL `Archive.open(url)` would open, password hidden."""
    return db.safe_url(db.resolve_url(url))


def upgrade_database(url: str | None = None) -> None:
    """Migrate the database to this wirediff's schema (creating it when empty)."""
    db.upgrade(db.resolve_url(url))


def slugify(text: str, max_length: int = 60) -> str:
    words = _SLUG_WORDS.findall(story_match.headline_key(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "story"


def _counts(old: Document, new: Document) -> ChangeCounts:
    return ChangeCounts.of(compare_documents(old, new))


def _now() -> datetime:
    return datetime.now(UTC)


class _ItemFailed(Exception):
    """Item `at` of a group failed with `error`: the group's transaction is undone."""

    def __init__(self, at: int, error: Exception) -> None:
        super().__init__(at, error)
        self.at = at
        self.error = error


def _batches(deliveries: Iterable[intake.Delivery], size: int) -> Iterator[list[intake.Delivery]]:
    batch: list[intake.Delivery] = []
    for delivery in deliveries:
        batch.append(delivery)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Archive:
    """The stored stories; open with `Archive.open`, use as a context manager."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.url = url
        self._engine = engine
        self._sessions: sessionmaker[Session] = db.make_sessionmaker(engine)
        self._watch = db.ChangeWatch(engine)
        self._backend = backend_for(engine.dialect.name)
        self._recent: OrderedDict[int, Document] = OrderedDict()

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True) -> Archive:
        """Open `url` (else `WIREDIFF_DB`, else the user's SQLite file).

        A new empty database is brought to the current schema; an older one raises
        `NeedsUpgrade` until `wirediff db upgrade` is run on it.
        """
        resolved = db.resolve_url(url)
        engine = db.open_engine(resolved, create=create)
        return cls(engine, resolved)

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
        reported "unchanged".
        """
        return list(self._store([intake.deliver(data, source)], story, received_at))

    def ingest_paths(
        self, paths: Iterable[str | Path], *, story: str | None = None
    ) -> Iterator[IngestResult]:
        """Each file's results, in input order; a long list is parsed by worker processes."""
        yield from self._store(intake.deliveries(input_files(paths)), story, None)

    def _store(
        self,
        deliveries: Iterable[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> Iterator[IngestResult]:
        """Results after their commit, several deliveries to a transaction (fewer commits).

        Nothing is reported before its commit, so a crash loses only unreported items.
        When an item fails, the transaction is undone, the items before it are stored
        again in one of their own and reported, then the failure is raised: a failing
        item never undoes another.
        """
        for group in _batches(deliveries, STORE_BATCH):
            try:
                results = self._store_group(group, story_key, received_at)
            except _ItemFailed as failed:
                yield from self._store_group(group[: failed.at], story_key, received_at)
                raise failed.error from None
            yield from results

    def _store_group(
        self,
        group: list[intake.Delivery],
        story_key: str | None,
        received_at: datetime | None,
    ) -> list[IngestResult]:
        if all(delivery.reason is not None for delivery in group):
            return [_rejected(d.source, d.reason or "") for d in group]
        results: list[IngestResult] = []
        stored: dict[int, Document] = {}
        with ingest_transaction(self._engine, self._backend) as writer:
            for at, delivery in enumerate(group):
                try:
                    results += self._store_delivery(
                        writer, delivery, story_key, received_at or _now(), stored
                    )
                except Exception as exc:
                    raise _ItemFailed(at, exc) from exc
        self._remember(stored)
        return results

    def _store_delivery(
        self,
        writer: IngestWriter,
        delivery: intake.Delivery,
        story_key: str | None,
        received: datetime,
        stored: dict[int, Document],
    ) -> list[IngestResult]:
        if delivery.reason is not None:
            return [_rejected(delivery.source, delivery.reason)]
        return [
            self._place(writer, item, delivery, story_key, received, stored)
            if item is not None
            else _rejected(delivery.source, "no text in the item")
            for item in delivery.items
        ]

    def _place(
        self,
        writer: IngestWriter,
        item: intake.PreparedItem,
        delivery: intake.Delivery,
        story_key: str | None,
        received: datetime,
        stored: dict[int, Document],
    ) -> IngestResult:
        """Decide the item's story and number by the placement rules, then write it."""
        document, meta = item.document, item.document.meta
        source = delivery.source
        created = meta.created or received
        story = self._story_for(writer, item, story_key)
        if story is not None:
            existing = writer.stored_versions(story.id)
            texts = writer.version_texts(placement.texts_to_compare(existing, document))
            same = placement.same_item(existing, document, texts) or writer.same_content(
                story.id, item.content_hash, meta.label
            )
            if same is not None:
                learned = placement.learned_identity(same, meta)
                if learned:
                    writer.update_version(same.id, **learned)
                return IngestResult(source, "unchanged", story.key, same.number, None, None)
        else:
            key = story_key or slugify(item.headline)
            story = writer.new_story(key, meta.guid, received, created)
            existing = []
        number = placement.position(existing, meta, created)
        if number <= len(existing):
            writer.make_room(story.id, number)
        previous = existing[number - 2] if number > 1 else None
        following = existing[number - 1] if number <= len(existing) else None
        counts = (
            _counts(self._stored_document(writer, previous.id, stored), document)
            if previous
            else None
        )
        version_id = writer.insert_version(
            NewVersion(
                story_id=story.id,
                number=number,
                document=document,
                raw=delivery.data,
                item_index=item.index,
                source=source,
                received_at=received,
                created_at=created,
                content_hash=item.content_hash,
                headline=item.headline,
                headline_key=item.headline_key,
                summary=item.summary,
                signature=item.signature,
                band_keys=item.band_keys,
                counts=counts.to_dict() if counts else None,
            )
        )
        stored[version_id] = document
        if following is not None:
            following_document = self._stored_document(writer, following.id, stored)
            writer.update_version(
                following.id, counts=_counts(document, following_document).to_dict()
            )
        count = len(existing) + 1
        changes: dict[str, Any] = {
            "version_count": count,
            "first_seen": min(story.first_seen, received),
            "last_update": max(story.last_update, created),
            "title": item.headline if number == count else story.title,
            "status": str(Status.WITHDRAWN) if meta.withdrawn else story.status,
        }
        # only what changed: rewriting an unchanged title would reindex it for search
        changes = {name: value for name, value in changes.items() if getattr(story, name) != value}
        writer.update_story(story.id, **changes)
        return IngestResult(source, "added", story.key, number, None, counts)

    def _story_for(
        self, writer: IngestWriter, item: intake.PreparedItem, story_key: str | None
    ) -> StoryState | None:
        """`--story`, else the item's guid, else the most similar stored story above threshold."""
        if story_key is not None:
            return writer.story_by_key(story_key)
        guid = item.document.meta.guid
        if guid:
            story = writer.story_by_guid(guid)
            if story is not None:
                return story
        candidates = writer.thread_candidates(item.band_keys, item.headline_key)
        story_id = placement.choose_story(candidates, item.signature, item.headline_key, guid)
        if story_id is None:
            return None
        if guid:
            writer.update_story(story_id, guid=guid)
        return writer.story_by_id(story_id)

    def _stored_document(
        self, writer: IngestWriter, version_id: int, stored: dict[int, Document]
    ) -> Document:
        """A stored version's sentences: from this run's memory when it has them."""
        document = stored.get(version_id) or self._recent.get(version_id)
        return document if document is not None else writer.document(version_id)

    def _remember(self, stored: dict[int, Document]) -> None:
        """Keep committed documents for the next takes to compare against (never a
        rolled-back one: its id may be given again)."""
        for version_id, document in stored.items():
            if len(document.sentences) <= REMEMBER_MAX_SENTENCES:
                self._recent[version_id] = document
                self._recent.move_to_end(version_id)
        while len(self._recent) > REMEMBER_VERSIONS:
            self._recent.popitem(last=False)

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
