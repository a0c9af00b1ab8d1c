"""The reads and writes of ingest, at the database driver, inside one locked transaction.

The service decides where an item goes (`versions.placement`); an `IngestWriter`
reads what the rules need and writes what they decided. Its statements are SQL text
built once per engine and run at the DB-API driver (`versions.store.driver`): a
version's rows go in as the backend adds many rows (`Backend.insert_rows`), never a
call per sentence, and what the transaction has read or written already is not read again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Dialect, Engine

from versions import story_match
from versions.labels import label_text
from versions.lineage import LineageRow, Removed, TakeLineage
from versions.model import Document, ItemMeta, ParagraphKind, Section, Sentence
from versions.normalise import sentence_hash
from versions.placement import Candidate, StoredVersion
from versions.records import StoryState
from versions.store import lineage as stored_lineage
from versions.store.backend import Backend
from versions.store.driver import Converter, Driver, bind_converter, result_converter
from versions.store.lineage import LastTake, LineageMemory
from versions.store.schema import story_table, version_table

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
    byline: str
    dateline: str
    sentence_hashes: Sequence[str] | None  # the sentences', when a worker hashed them


_STORY_COLUMNS = (
    "id",
    "key",
    "guid",
    "title",
    "first_seen",
    "last_update",
    "status",
    "version_count",
)
_STORED_COLUMNS = (
    "id",
    "number",
    "label",
    "guid",
    "agency_version",
    "format",
    "created_at",
    "summary",
    "content_hash",  # for `same_content`, answered from what `stored_versions` read
)
_VERSION_COLUMNS = (
    "story_id",
    "number",
    "label",
    "guid",
    "agency_version",
    "withdrawn",
    "correction",
    "received_at",
    "created_at",
    "source",
    "format",
    "raw",
    "item_index",
    "encoding",
    "text",
    "content_hash",
    "headline",
    "headline_key",
    "summary",
    "byline",
    "dateline",
    "advisory",
    "ednote",
    "minhash",
    "counts",
)
_NEW_STORY_COLUMNS = _STORY_COLUMNS[1:]
_SENTENCE_COLUMNS = ("version_id", "position", "paragraph", "section", "kind", "text", "hash")
_BAND_COLUMNS = ("key", "version_id", "story_id")


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


def _as_read(value: Any) -> Any:
    """A value as reading it back gives it: datetimes come back in UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


def _marks(count: int) -> str:
    return ", ".join(["?"] * count)


class _Statements:
    """Ingest's SQL text for one engine, and how its values convert: built once."""

    @staticmethod
    def of(backend: Backend, dialect: Dialect) -> _Statements:
        key = (backend.name, dialect.driver)
        if key not in _BUILT:
            _BUILT[key] = _Statements(backend, dialect)
        return _BUILT[key]

    def __init__(self, backend: Backend, dialect: Dialect) -> None:
        self._backend = backend
        self._dialect = dialect
        sql = backend.sql
        stories = ", ".join(_STORY_COLUMNS)
        self.story_by = {
            name: sql(f"SELECT {stories} FROM story WHERE {name} = ?")
            for name in ("key", "guid", "id")
        }
        self.story_out = result_converter(dialect, [story_table.c[n] for n in _STORY_COLUMNS])
        self.stored = sql(
            f"SELECT {', '.join(_STORED_COLUMNS)} FROM version WHERE story_id = ? ORDER BY number"
        )
        self.stored_out = result_converter(dialect, [version_table.c[n] for n in _STORED_COLUMNS])
        self.insert_version = sql(
            f"INSERT INTO version ({', '.join(_VERSION_COLUMNS)})"
            f" VALUES ({_marks(len(_VERSION_COLUMNS))}) RETURNING id"
        )
        self.version_in = bind_converter(dialect, [version_table.c[n] for n in _VERSION_COLUMNS])
        self.insert_story = sql(
            f"INSERT INTO story ({', '.join(_NEW_STORY_COLUMNS)})"
            f" VALUES ({_marks(len(_NEW_STORY_COLUMNS))}) RETURNING id"
        )
        self.story_in = bind_converter(dialect, [story_table.c[n] for n in _NEW_STORY_COLUMNS])
        self.insert_sentences = backend.rows_insert("sentence", _SENTENCE_COLUMNS)
        self.insert_bands = backend.rows_insert("band", _BAND_COLUMNS)
        self.make_room = (
            sql("UPDATE version SET number = -number - 1 WHERE story_id = ? AND number >= ?"),
            sql("UPDATE version SET number = -number WHERE story_id = ? AND number < 0"),
        )
        self.document = sql(
            "SELECT text, section, paragraph, position, kind FROM sentence"
            " WHERE version_id = ? ORDER BY position"
        )
        self._updates: dict[tuple[str, tuple[str, ...]], tuple[str, Converter]] = {}

    def candidates(self, band_keys: Sequence[int], headline_key: str) -> tuple[str, list[Any]]:
        """Stored versions sharing a band or the headline key, newest first, with their
        story: one statement. Each kind is its own index lookup (as `id IN (bands) OR
        headline_key = …` under `ORDER BY id DESC LIMIT`, PostgreSQL walks the whole
        version table backwards)."""
        shares_band, keys = self._backend.in_values("key", list(band_keys))
        stories = ", ".join(f"s.{name}" for name in _STORY_COLUMNS)
        text = self._backend.sql(
            f"SELECT v.minhash, v.headline_key, {stories} FROM ("
            f"SELECT version_id AS id FROM band WHERE {shares_band} UNION"
            " SELECT id FROM (SELECT id FROM version WHERE headline_key = ?"
            f" ORDER BY id DESC LIMIT {CANDIDATE_LIMIT}) AS same_headline"
            ") AS shared JOIN version v ON v.id = shared.id JOIN story s ON s.id = v.story_id"
            f" ORDER BY v.id DESC LIMIT {CANDIDATE_LIMIT}"
        )
        return text, [*keys, headline_key or None]

    def update(self, table: str, names: tuple[str, ...]) -> tuple[str, Converter]:
        """`UPDATE table SET names… WHERE id = ?` and the values' conversions, by names."""
        key = (table, names)
        if key not in self._updates:
            columns = (story_table if table == "story" else version_table).c
            assignments = ", ".join(f"{name} = ?" for name in names)
            self._updates[key] = (
                self._backend.sql(f"UPDATE {table} SET {assignments} WHERE id = ?"),
                bind_converter(self._dialect, [columns[name] for name in names]),
            )
        return self._updates[key]


_BUILT: dict[tuple[str, str], _Statements] = {}


class IngestWriter:
    """One ingest transaction's reads and writes, and the locks it holds until it ends.

    Writers of different stories go on side by side; the stories a transaction writes to
    are locked first (`lock_story`), and new stories are decided by one writer at a time
    (`lock_threading`). A transaction waits for a lock only while it holds no story's
    lock, so two writers never wait for each other (`WouldWait`).

    What the transaction has read of a story or of its versions is kept until it may be
    stale: a story row read before its lock is read again when the lock is taken.
    """

    def __init__(self, connection: Connection, backend: Backend, memory: LineageMemory) -> None:
        self._connection = connection
        self._driver = Driver(connection)
        self._backend = backend
        self._sql = _Statements.of(backend, connection.dialect)
        self._memory = memory
        # this transaction's stories' last takes (None: read them back), for `memory`
        self.last_takes: dict[int, LastTake | None] = {}
        self._texts: dict[int, tuple[str, ...]] = {}  # sentences of versions inserted here
        self._stories: set[int] = set()
        self._threading = False
        self._known: dict[int, StoryState] = {}  # story rows as this transaction sees them
        # each story's versions as `stored_versions` last read them, with their text's
        # hash; dropped when the transaction changes them
        self._versions: dict[int, list[tuple[StoredVersion, str]]] = {}
        self._announced = False

    def lock_threading(self) -> bool:
        """Hold the decision of new stories and stories' guids until the transaction ends.

        True when this took the lock: what threading read before it may have changed.
        """
        if self._backend.one_writer or self._threading:
            return False
        if not self._backend.lock_threading(self._driver, wait=not self._stories):
            raise WouldWait
        self._threading = True
        return True

    def lock_story(self, story_id: int) -> bool:
        """Hold `story_id`'s versions, numbers and lineage until the transaction ends.

        True when this took the lock: the story may have changed since it was read.
        """
        if self._backend.one_writer or story_id in self._stories:
            return False
        if not self._backend.lock_story(self._driver, story_id, wait=not self._stories):
            raise WouldWait
        self._stories.add(story_id)
        self._known.pop(story_id, None)  # read before the lock: read it again
        return True

    def story_by_key(self, key: str) -> StoryState | None:
        return self._story("key", key)

    def story_by_guid(self, guid: str) -> StoryState | None:
        return self._story("guid", guid)

    def story_by_id(self, story_id: int) -> StoryState:
        story = self._known.get(story_id) or self._story("id", story_id)
        assert story is not None
        return story

    def _story(self, column: str, value: Any) -> StoryState | None:
        row = self._driver.first(self._sql.story_by[column], (value,))
        return self._keep_story(row) if row else None

    def _keep_story(self, row: Sequence[Any]) -> StoryState:
        story = StoryState(*self._sql.story_out(row))
        self._known[story.id] = story
        return story

    def thread_candidates(self, band_keys: Sequence[int], headline_key: str) -> list[Candidate]:
        """Stored versions sharing a band or the headline key, newest first."""
        if not band_keys and not headline_key:
            return []
        candidates = []
        seen: set[int] = set()
        for minhash, key, *story in self._driver.rows(
            *self._sql.candidates(band_keys, headline_key)
        ):
            story_id = story[0]
            if story_id not in seen:
                seen.add(story_id)
                self._keep_story(story)
            candidates.append(Candidate(story_id, story_match.unpack(minhash), key, story[2]))
        return candidates

    def stored_versions(self, story_id: int) -> list[StoredVersion]:
        versions = [
            (StoredVersion(*values[:-1]), values[-1])
            for values in (
                self._sql.stored_out(row)
                for row in self._driver.rows(self._sql.stored, (story_id,))
            )
        ]
        self._versions[story_id] = versions
        return [version for version, _ in versions]

    def version_texts(self, version_ids: Sequence[int]) -> dict[int, str]:
        if not version_ids:
            return {}
        condition, values = self._backend.in_values("id", list(version_ids))
        rows = self._driver.rows(
            self._backend.sql(f"SELECT id, text FROM version WHERE {condition}"), values
        )
        return {version_id: text for version_id, text in rows}

    def same_content(
        self, story_id: int, content_hash: str, label: str | None
    ) -> list[StoredVersion]:
        """The stored versions with this text and this label, in order (a revert makes two)."""
        if story_id not in self._versions:
            self.stored_versions(story_id)
        return [
            version
            for version, stored_hash in self._versions[story_id]
            if stored_hash == content_hash and version.label == label
        ]

    def new_story(
        self, key: str, guid: str | None, first_seen: datetime, last_update: datetime
    ) -> StoryState:
        """A story with no version yet, under `key` or, when taken, `key-2`, `key-3`…"""
        starts, prefix = self._backend.keys_from(key)
        taken = {
            taken
            for (taken,) in self._driver.rows(
                self._backend.sql(f"SELECT key FROM story WHERE {starts}"), prefix
            )
            if taken == key or taken.startswith(f"{key}-")
        }
        unique = key
        suffix = 2
        while unique in taken:
            unique = f"{key}-{suffix}"
            suffix += 1
        values = (unique, guid, "", first_seen, last_update, "active", 0)
        (story_id,) = self._driver.first(self._sql.insert_story, self._sql.story_in(values))
        self._known[story_id] = StoryState(
            story_id, unique, guid, "", _as_read(first_seen), _as_read(last_update), "active", 0
        )
        self._versions[story_id] = []
        return StoryState(story_id, unique, guid, "", first_seen, last_update, "active", 0)

    def update_story(self, story_id: int, **values: Any) -> None:
        if not values:
            return
        self._update("story", story_id, values)
        if story_id in self._known:
            read_back = {name: _as_read(value) for name, value in values.items()}
            self._known[story_id] = replace(self._known[story_id], **read_back)

    def update_version(self, version_id: int, **values: Any) -> None:
        if not values:
            return
        self._update("version", version_id, values)
        self._versions.clear()  # rare: a learned identity, a later take's counts

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        statement, converter = self._sql.update(table, tuple(values))
        self._driver.execute(statement, (*converter(tuple(values.values())), row_id))

    def make_room(self, story_id: int, number: int) -> None:
        """Renumber versions `number`.. one up, in two steps so the unique index holds."""
        self.last_takes[story_id] = None
        self._versions.pop(story_id, None)
        move_up, settle = self._sql.make_room
        self._driver.execute(move_up, (story_id, number))
        self._driver.execute(settle, (story_id,))

    def insert_version(self, new: NewVersion) -> int:
        """The version, its sentences and its bands; returns the version's id."""
        document, meta = new.document, new.document.meta
        text = document.text
        values = (
            new.story_id,
            new.number,
            label_text(meta.label),
            meta.guid,
            meta.version,
            meta.withdrawn,
            meta.correction,
            new.received_at,
            new.created_at,
            new.source,
            meta.format,
            new.raw,
            new.item_index,
            meta.encoding,
            text,
            new.content_hash,
            new.headline,
            new.headline_key,
            new.summary,
            new.byline,
            new.dateline,
            meta.advisory,
            meta.ednote,
            story_match.pack(new.signature),
            new.counts,
        )
        (version_id,) = self._driver.first(self._sql.insert_version, self._sql.version_in(values))
        self._versions.pop(new.story_id, None)
        sentences = document.sentences
        hashes = new.sentence_hashes or map(sentence_hash, (s.text for s in sentences))
        self._backend.insert_rows(
            self._driver,
            self._sql.insert_sentences,
            (
                (version_id, s.index, s.paragraph, s.section.value, s.kind.value, s.text, hashed)
                for s, hashed in zip(sentences, hashes, strict=True)
            ),
        )
        self._backend.insert_rows(
            self._driver,
            self._sql.insert_bands,
            [(key, version_id, new.story_id) for key in set(new.band_keys)],
        )
        self._backend.index_text(self._driver, version_id, text)
        if not self._announced:
            self._backend.announce(self._driver, version_id)
            self._announced = True
        if len(sentences) <= LineageMemory.MAX_SENTENCES:
            self._texts[version_id] = tuple(s.text for s in sentences)
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
        self,
        story_id: int,
        version_id: int,
        take: TakeLineage,
        previous_id: int | None,
        rows: Sequence[LineageRow] | None,
    ) -> None:
        """Store a new last take's lineage (`rows` when a worker built them), and keep it
        for tracing the story's next take."""
        stored_lineage.add_take(
            self._driver, self._backend, story_id, version_id, take, previous_id, rows
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
        sentences = [
            Sentence(text, Section(section), paragraph, position, ParagraphKind(kind))
            for text, section, paragraph, position, kind in self._driver.rows(
                self._sql.document, (version_id,)
            )
        ]
        return Document.from_sentences(sentences, ItemMeta())
