"""The reads and writes of ingest, in SQLAlchemy Core, inside one locked transaction.

The service decides where an item goes (`versions.placement`); an `IngestWriter`
reads what the rules need and writes what they decided: rows go in by bulk inserts,
never one statement per sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from versions import story_match
from versions.labels import label_text
from versions.lineage import Removed, TakeLineage
from versions.model import Document, ItemMeta, ParagraphKind, Section, Sentence
from versions.normalise import sentence_hash
from versions.placement import Candidate, StoredVersion
from versions.records import StoryState
from versions.store import lineage as stored_lineage
from versions.store.backend import Backend
from versions.store.lineage import LastTake, LineageMemory
from versions.store.schema import band_table, sentence_table, story_table, version_table

CANDIDATE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A version to store: the parsed document and what ingest worked out about it."""

    story_id: int
    number: int
    document: Document
    raw: bytes
    item_index: int
    source: str
    received_at: datetime
    created_at: datetime
    content_hash: str
    headline: str
    headline_key: str
    summary: str
    signature: tuple[int, ...]
    band_keys: Sequence[int]
    counts: dict[str, Any] | None


_STORY_COLUMNS = (
    story_table.c.id,
    story_table.c.key,
    story_table.c.guid,
    story_table.c.title,
    story_table.c.first_seen,
    story_table.c.last_update,
    story_table.c.status,
    story_table.c.version_count,
)
_STORED_COLUMNS = (
    version_table.c.id,
    version_table.c.number,
    version_table.c.label,
    version_table.c.guid,
    version_table.c.agency_version,
    version_table.c.format,
    version_table.c.created_at,
    version_table.c.summary,
)


class WouldWait(Exception):
    """A lock another writer holds, asked for while this transaction holds a story's lock:
    waiting could deadlock, so the caller commits what it has and asks again in a new
    transaction (which waits)."""


@contextmanager
def ingest_transaction(
    engine: Engine, backend: Backend, memory: LineageMemory
) -> Iterator[IngestWriter]:
    """One ingest transaction, committed when the block ends without an exception.

    SQLite takes its one write lock at BEGIN IMMEDIATE, waiting up to its busy timeout;
    on PostgreSQL the writer takes a lock per story as it goes (`IngestWriter.lock_story`).
    The lineage `memory` learns the transaction's last takes once it has committed.
    """
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin="IMMEDIATE")
        with connection.begin():
            writer = IngestWriter(connection, backend, memory)
            yield writer
        memory.keep(writer.last_takes)


# Built once: building a statement costs more than running it on a small archive.
_STORY_BY_KEY = select(*_STORY_COLUMNS).where(story_table.c.key == bindparam("value"))
_STORY_BY_GUID = select(*_STORY_COLUMNS).where(story_table.c.guid == bindparam("value"))
_STORY_BY_ID = select(*_STORY_COLUMNS).where(story_table.c.id == bindparam("value"))
_BANDS_SHARED = select(band_table.c.version_id).where(
    band_table.c.key.in_(bindparam("keys", expanding=True))
)
_SAME_HEADLINE = (
    select(version_table.c.id)
    .where(version_table.c.headline_key == bindparam("key"))
    .order_by(version_table.c.id.desc())
    .limit(CANDIDATE_LIMIT)
)
_CANDIDATES = (
    select(
        version_table.c.story_id,
        version_table.c.minhash,
        version_table.c.headline_key,
        story_table.c.guid,
    )
    .join(story_table, story_table.c.id == version_table.c.story_id)
    .where(version_table.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(version_table.c.id.desc())  # ties go to the newest, as they always have
)
_STORED = (
    select(*_STORED_COLUMNS)
    .where(version_table.c.story_id == bindparam("story_id"))
    .order_by(version_table.c.number)
)
_SAME_CONTENT = select(*_STORED_COLUMNS).where(
    version_table.c.story_id == bindparam("story_id"),
    version_table.c.content_hash == bindparam("content_hash"),
    version_table.c.label == bindparam("label"),
)
_SAME_CONTENT_UNLABELLED = select(*_STORED_COLUMNS).where(
    version_table.c.story_id == bindparam("story_id"),
    version_table.c.content_hash == bindparam("content_hash"),
    version_table.c.label.is_(None),
)
_INSERT_VERSION = insert(version_table)
_UPDATE_STORY = update(story_table).where(story_table.c.id == bindparam("row_id"))
_UPDATE_VERSION = update(version_table).where(version_table.c.id == bindparam("row_id"))
_SENTENCE_COLUMNS = ("version_id", "position", "paragraph", "section", "kind", "text", "hash")
_BAND_COLUMNS = ("key", "version_id", "story_id")


class IngestWriter:
    """One ingest transaction's reads and writes, and the locks it holds until it ends.

    Writers of different stories go on side by side; the stories a transaction writes to
    are locked first (`lock_story`), and new stories are decided by one writer at a time
    (`lock_threading`). A transaction waits for a lock only while it holds no story's
    lock, so two writers never wait for each other (`WouldWait`).
    """

    def __init__(self, connection: Connection, backend: Backend, memory: LineageMemory) -> None:
        self._connection = connection
        self._backend = backend
        self._memory = memory
        # this transaction's stories' last takes (None: read them back), for `memory`
        self.last_takes: dict[int, LastTake | None] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # sentences of versions inserted here
        self._stories: set[int] = set()
        self._threading = False

    def lock_threading(self) -> bool:
        """Hold the decision of new stories and stories' guids until the transaction ends.

        True when this took the lock: what threading read before it may have changed.
        """
        if self._backend.one_writer or self._threading:
            return False
        if not self._backend.lock_threading(self._connection, wait=not self._stories):
            raise WouldWait
        self._threading = True
        return True

    def lock_story(self, story_id: int) -> bool:
        """Hold `story_id`'s versions, numbers and lineage until the transaction ends.

        True when this took the lock: the story may have changed since it was read.
        """
        if self._backend.one_writer or story_id in self._stories:
            return False
        if not self._backend.lock_story(self._connection, story_id, wait=not self._stories):
            raise WouldWait
        self._stories.add(story_id)
        return True

    def story_by_key(self, key: str) -> StoryState | None:
        return self._story(_STORY_BY_KEY, key)

    def story_by_guid(self, guid: str) -> StoryState | None:
        return self._story(_STORY_BY_GUID, guid)

    def story_by_id(self, story_id: int) -> StoryState:
        story = self._story(_STORY_BY_ID, story_id)
        assert story is not None
        return story

    def _story(self, query: Any, value: Any) -> StoryState | None:
        row = self._connection.execute(query, {"value": value}).first()
        return StoryState(*row) if row else None

    def thread_candidates(self, band_keys: Sequence[int], headline_key: str) -> list[Candidate]:
        """Stored versions sharing a band or the headline key, newest first.

        Two index lookups, one query each: as `id IN (bands) OR headline_key = …` under
        `ORDER BY id DESC LIMIT`, PostgreSQL walks the whole version table backwards.
        """
        ids: set[int] = set()
        if band_keys:
            ids.update(self._connection.scalars(_BANDS_SHARED, {"keys": list(band_keys)}))
        if headline_key:
            ids.update(self._connection.scalars(_SAME_HEADLINE, {"key": headline_key}))
        if not ids:
            return []
        newest = sorted(ids, reverse=True)[:CANDIDATE_LIMIT]
        return [
            Candidate(story_id, story_match.unpack(minhash), key, guid)
            for story_id, minhash, key, guid in self._connection.execute(
                _CANDIDATES, {"ids": newest}
            )
        ]

    def stored_versions(self, story_id: int) -> list[StoredVersion]:
        rows = self._connection.execute(_STORED, {"story_id": story_id})
        return [StoredVersion(*row) for row in rows]

    def version_texts(self, version_ids: Sequence[int]) -> dict[int, str]:
        if not version_ids:
            return {}
        query = select(version_table.c.id, version_table.c.text).where(
            version_table.c.id.in_(version_ids)
        )
        return {version_id: text for version_id, text in self._connection.execute(query)}

    def same_content(
        self, story_id: int, content_hash: str, label: str | None
    ) -> list[StoredVersion]:
        """The stored versions with this text and this label, in order (a revert makes two)."""
        query = _SAME_CONTENT_UNLABELLED if label is None else _SAME_CONTENT
        values = {"story_id": story_id, "content_hash": content_hash, "label": label}
        rows = self._connection.execute(query, values)
        return sorted((StoredVersion(*row) for row in rows), key=lambda version: version.number)

    def new_story(
        self, key: str, guid: str | None, first_seen: datetime, last_update: datetime
    ) -> StoryState:
        """A story with no version yet, under `key` or, when taken, `key-2`, `key-3`…"""
        taken = {
            taken
            for taken in self._connection.scalars(
                select(story_table.c.key).where(self._backend.key_starts(key))
            )
            if taken == key or taken.startswith(f"{key}-")
        }
        unique = key
        suffix = 2
        while unique in taken:
            unique = f"{key}-{suffix}"
            suffix += 1
        values = {
            "key": unique,
            "guid": guid,
            "title": "",
            "first_seen": first_seen,
            "last_update": last_update,
            "status": "active",
            "version_count": 0,
        }
        result = self._connection.execute(insert(story_table), values)
        (story_id,) = result.inserted_primary_key or (None,)
        assert story_id is not None
        return StoryState(story_id, unique, guid, "", first_seen, last_update, "active", 0)

    def update_story(self, story_id: int, **values: Any) -> None:
        # the SET clause comes from the values' names: compiled once per set of names
        self._connection.execute(_UPDATE_STORY, {"row_id": story_id, **values})

    def update_version(self, version_id: int, **values: Any) -> None:
        self._connection.execute(_UPDATE_VERSION, {"row_id": version_id, **values})

    def make_room(self, story_id: int, number: int) -> None:
        """Renumber versions `number`.. one up, in two steps so the unique index holds."""
        self.last_takes[story_id] = None
        later = (version_table.c.story_id == story_id) & (version_table.c.number >= number)
        self._connection.execute(
            update(version_table).where(later).values(number=-version_table.c.number - 1)
        )
        flipped = (version_table.c.story_id == story_id) & (version_table.c.number < 0)
        self._connection.execute(
            update(version_table).where(flipped).values(number=-version_table.c.number)
        )

    def insert_version(self, new: NewVersion) -> int:
        """The version, its sentences and its bands; returns the version's id."""
        document, meta = new.document, new.document.meta
        result = self._connection.execute(
            _INSERT_VERSION,
            {
                "story_id": new.story_id,
                "number": new.number,
                "label": label_text(meta.label),
                "guid": meta.guid,
                "agency_version": meta.version,
                "withdrawn": meta.withdrawn,
                "correction": meta.correction,
                "received_at": new.received_at,
                "created_at": new.created_at,
                "source": new.source,
                "format": meta.format,
                "raw": new.raw,
                "item_index": new.item_index,
                "encoding": meta.encoding,
                "text": document.text,
                "content_hash": new.content_hash,
                "headline": new.headline,
                "headline_key": new.headline_key,
                "summary": new.summary,
                "byline": document.byline,
                "dateline": document.dateline,
                "advisory": meta.advisory,
                "ednote": meta.ednote,
                "minhash": story_match.pack(new.signature),
                "counts": new.counts,
            },
        )
        (version_id,) = result.inserted_primary_key or (None,)
        assert version_id is not None
        # at the driver: no per-row statement work, every value a plain int or str
        self._backend.insert_rows(
            self._connection,
            "sentence",
            _SENTENCE_COLUMNS,
            (
                (
                    version_id,
                    s.index,
                    s.paragraph,
                    str(s.section),
                    str(s.kind),
                    s.text,
                    sentence_hash(s.text),
                )
                for s in document.sentences
            ),
        )
        self._backend.insert_rows(
            self._connection,
            "band",
            _BAND_COLUMNS,
            [(key, version_id, new.story_id) for key in set(new.band_keys)],
        )
        self._backend.version_added(self._connection, version_id, document.text)
        if len(document.sentences) <= LineageMemory.MAX_SENTENCES:
            self._texts[version_id] = tuple(s.text for s in document.sentences)
        return int(version_id)

    # lineage (versions.store.lineage)

    def _last_take(self, story_id: int) -> LastTake | None:
        if story_id in self.last_takes:
            return self.last_takes[story_id]
        return self._memory.get(story_id)

    def take_lineage(self, story_id: int, version_id: int, number: int) -> TakeLineage | None:
        """The lineage of the story's last take, from memory when it is the one kept."""
        last = self._last_take(story_id)
        if last is not None and (last.version_id, last.number) == (version_id, number):
            return last.take
        return stored_lineage.takes_lineage(self._connection, [(version_id, number)]).get(number)

    def story_lineage(self, versions: Sequence[tuple[int, int]]) -> dict[int, TakeLineage]:
        return stored_lineage.takes_lineage(self._connection, versions)

    def removed_before(self, story_id: int, number: int) -> list[Removed]:
        last = self._last_take(story_id)
        if last is not None and last.number == number - 1:
            return list(last.pool)
        return stored_lineage.removed_before(self._connection, story_id, number)

    def add_lineage(
        self, story_id: int, version_id: int, take: TakeLineage, previous_id: int | None
    ) -> None:
        """Store a new last take's lineage, and keep it for tracing the story's next take."""
        stored_lineage.add_take(
            self._connection, self._backend, story_id, version_id, take, previous_id
        )
        texts = self._texts.pop(version_id, None)
        last = self._last_take(story_id)
        if texts is None:
            self.last_takes[story_id] = None
        elif previous_id is None:
            self.last_takes[story_id] = LastTake(version_id, take.number, take, texts, ())
        elif last is not None and (last.version_id, last.number) == (previous_id, take.number - 1):
            self.last_takes[story_id] = last.after(version_id, take, texts)
        else:  # the story was not in memory: read what its next take may restore, once
            pool = stored_lineage.removed_before(self._connection, story_id, take.number + 1)
            self.last_takes[story_id] = LastTake(version_id, take.number, take, texts, tuple(pool))

    def replace_lineage(
        self, story_id: int, version_ids: Sequence[int], takes: Sequence[TakeLineage]
    ) -> None:
        self.last_takes[story_id] = None
        stored_lineage.replace_story(self._connection, story_id, version_ids, takes)

    def document(self, version_id: int) -> Document:
        """The stored sentences of a version, as the document ingest compares (no meta)."""
        query = (
            select(
                sentence_table.c.text,
                sentence_table.c.section,
                sentence_table.c.paragraph,
                sentence_table.c.position,
                sentence_table.c.kind,
            )
            .where(sentence_table.c.version_id == version_id)
            .order_by(sentence_table.c.position)
        )
        sentences = [
            Sentence(text, Section(section), paragraph, position, ParagraphKind(kind))
            for text, section, paragraph, position, kind in self._connection.execute(query)
        ]
        return Document.from_sentences(sentences, ItemMeta())
