"""Every query the reading side runs, in plain SQL on the driver, answered in the core's values.

A `Reader` lives for one connection's transaction (`Store.reading`); what differs
between engines comes from its `Dialect`. The CLI and the TUI read through it alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from versions.labels import WireLabel
from versions.model import Document, ItemMeta, ParagraphKind, Section, Sentence, Status
from versions.records import ChangeCounts, StoryRow, StoryState, VersionRow
from versions.store.dialect import Condition, Connection, Dialect, like_escape, marks

if TYPE_CHECKING:  # blame's queries load the engine's lineage, which listings never need
    from versions.lineage import Lineage, TakeLineage


class _Story(NamedTuple):
    """A story row as read (`s`), in the order of its columns."""

    id: int
    key: str
    guid: str | None
    title: str
    first_seen: Any
    last_update: Any
    status: str
    version_count: int


class _Version(NamedTuple):
    """A version row as listings and documents read it (`v`): not the delivery's bytes,
    the signature or the whole text (a document is rebuilt from its sentences)."""

    id: int
    number: int
    label: str | None
    received_at: Any
    created_at: Any
    headline: str
    advisory: str | None
    counts: Any
    format: str
    item_index: int | None
    withdrawn: Any
    correction: Any
    guid: str | None
    agency_version: int | None
    ednote: str | None
    encoding: str


class StoredTake(NamedTuple):
    """A version of a story as blame and the grid number and name it."""

    id: int
    number: int
    label: str | None
    created_at: datetime
    content_hash: str


_STORY = ", ".join(f"s.{name}" for name in _Story._fields)
_VERSION = ", ".join(f"v.{name}" for name in _Version._fields)
_SENTENCE = "t.text, t.section, t.paragraph, t.kind"
_LINEAGE = (
    "l.position, l.origin, l.parents, l.began, l.edits, l.moves,"
    " l.restored_in, l.restored_removed_in, l.restored_take, l.restored_index"
)
_SENTENCES_WITH_LINEAGE = (
    f"SELECT {_SENTENCE}, {_LINEAGE} FROM sentence t"
    " JOIN lineage l ON l.version_id = t.version_id AND l.position = t.position"
    " WHERE t.version_id = ?"
)
_ORDER = {"updated": "s.last_update DESC, s.id DESC", "title": "s.title, s.id"}


class Reader:
    def __init__(self, connection: Connection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    def _rows(self, query: str, parameters: Sequence[Any] = ()) -> list[Any]:
        cursor = self._connection.cursor()
        cursor.execute(self._dialect.sql(query), tuple(parameters))
        rows: list[Any] = cursor.fetchall()
        return rows

    def _value(self, query: str, parameters: Sequence[Any] = ()) -> Any:
        rows = self._rows(query, parameters)
        return rows[0][0] if rows else None

    def story_by_key(self, key: str) -> StoryState | None:
        rows = self._rows(f"SELECT {_STORY} FROM story s WHERE s.key = ?", [key])
        return self._story_state(rows[0]) if rows else None

    def stories_by_key_prefix(self, prefix: str, limit: int = 2) -> list[StoryState]:
        """Stories whose key starts with `prefix`, exactly (keys are identifiers: case counts)."""
        condition, parameters = self._dialect.key_starts(prefix)
        query = f"SELECT {_STORY} FROM story s WHERE {condition} ORDER BY s.key LIMIT ?"
        return [self._story_state(row) for row in self._rows(query, [*parameters, limit])]

    def story_row(self, story: StoryState) -> StoryRow:
        """The story with the change counts of its latest version."""
        latest = self.version(story, story.version_count)
        return _story_row(story, latest.counts if latest else None)

    def stories(
        self,
        *,
        order: Literal["updated", "title"],
        match: str | None,
        limit: int,
        offset: int,
        followed_by: str | None = None,
    ) -> list[StoryRow]:
        """Stories with the change summary of their latest version.

        The page of stories is picked first and only its latest versions are read: a
        filter matching thousands of stories must not fetch thousands of versions.
        """
        conditions = [self._match(match)] if match else []
        if followed_by is not None:
            conditions.append(
                ("s.id IN (SELECT story_id FROM follow WHERE editor = ?)", [followed_by])
            )
        where, parameters = _where(conditions)
        ordering = _ORDER[order]
        query = (
            f"SELECT {_STORY}, v.counts FROM story s"
            f" JOIN (SELECT s.id FROM story s{where} ORDER BY {ordering} LIMIT ? OFFSET ?)"
            " AS chosen ON chosen.id = s.id"
            " JOIN version v ON v.story_id = s.id AND v.number = s.version_count"
            f" ORDER BY {ordering}"
        )
        rows = self._rows(query, [*parameters, limit, offset])
        return [_story_row(self._story_state(row[:-1]), self._counts(row[-1])) for row in rows]

    def story_count(self, match: str | None) -> int:
        where, parameters = _where([self._match(match)] if match else [])
        return int(self._value(f"SELECT count(*) FROM story s{where}", parameters) or 0)

    def _match(self, match: str) -> Condition:
        """Title or key holds `match`, case aside; an index narrows the stories first
        where the engine has one the LIKE cannot use itself."""
        needle = match.lower()
        pattern = f"%{like_escape(needle)}%"
        condition: Condition = (
            "(lower(s.title) LIKE ? ESCAPE '\\' OR s.key LIKE ? ESCAPE '\\')",
            [pattern, pattern],
        )
        candidates = self._dialect.title_candidates(needle)
        return condition if candidates is None else _where([candidates, condition], "")

    def versions(self, story: StoryState) -> list[VersionRow]:
        query = f"SELECT {_VERSION} FROM version v WHERE v.story_id = ? ORDER BY v.number"
        return [self._version_row(row, story.key) for row in self._rows(query, [story.id])]

    def versions_between(self, story: StoryState, first: int, last: int) -> list[VersionRow]:
        query = (
            f"SELECT {_VERSION} FROM version v"
            " WHERE v.story_id = ? AND v.number BETWEEN ? AND ? ORDER BY v.number"
        )
        rows = self._rows(query, [story.id, first, last])
        return [self._version_row(row, story.key) for row in rows]

    def version(self, story: StoryState, number: int) -> VersionRow | None:
        query = f"SELECT {_VERSION} FROM version v WHERE v.story_id = ? AND v.number = ?"
        rows = self._rows(query, [story.id, number])
        return self._version_row(rows[0], story.key) if rows else None

    def raw(self, version_id: int) -> bytes:
        value = self._value("SELECT raw FROM version WHERE id = ?", [version_id])
        return bytes(value) if value is not None else b""

    def documents(self, version_ids: Sequence[int]) -> list[Document]:
        """The stored documents, their sentences read in one query (a history reads many)."""
        ids = list(version_ids)
        query = f"SELECT {_VERSION} FROM version v WHERE v.id IN ({marks(len(ids))})"
        versions = {row[0]: _Version._make(row) for row in self._rows(query, ids)}
        query = (
            "SELECT version_id, text, section, paragraph, position, kind FROM sentence"
            f" WHERE version_id IN ({marks(len(ids))}) ORDER BY version_id, position"
        )
        sentences: dict[int, list[Sentence]] = {}
        for version_id, text, section, paragraph, position, kind in self._rows(query, ids):
            sentences.setdefault(version_id, []).append(
                Sentence(text, Section(section), paragraph, position, ParagraphKind(kind))
            )
        return [self._document(versions[i], sentences.get(i, [])) for i in ids]

    def versions_after(self, version_id: int) -> list[VersionRow]:
        query = (
            f"SELECT {_VERSION}, s.key FROM version v JOIN story s ON s.id = v.story_id"
            " WHERE v.id > ? ORDER BY v.id"
        )
        return [self._version_row(row[:-1], row[-1]) for row in self._rows(query, [version_id])]

    def recent_versions(self, limit: int) -> list[VersionRow]:
        """The latest arrivals across every story, newest first."""
        query = (
            f"SELECT {_VERSION}, s.key FROM version v JOIN story s ON s.id = v.story_id"
            " ORDER BY v.id DESC LIMIT ?"
        )
        return [self._version_row(row[:-1], row[-1]) for row in self._rows(query, [limit])]

    def latest_version_id(self) -> int:
        return int(self._value("SELECT max(id) FROM version") or 0)

    def search(
        self, words: list[str], limit: int, phrases: Sequence[str] = ()
    ) -> list[tuple[str, str, datetime, int, list[tuple[int, str]]]]:
        """Stories whose text holds all `words` and every phrase, newest first: key, title,
        last update, version count, and each matching version's number and text, in order."""
        # joined, not `id IN`: a common word's thousands of ids then join as a set
        matches, parameters = self._dialect.text_matches(words, phrases)
        stories = self._rows(
            "SELECT s.id, s.key, s.title, s.last_update, s.version_count FROM story s"
            " JOIN (SELECT DISTINCT v.story_id FROM version v"
            f" JOIN ({matches}) AS m ON m.id = v.id) AS hit"
            " ON hit.story_id = s.id ORDER BY s.last_update DESC, s.id DESC LIMIT ?",
            [*parameters, limit],
        )
        found: dict[int, list[tuple[int, str]]] = {story[0]: [] for story in stories}
        if found:
            versions = self._rows(
                f"SELECT v.story_id, v.number, v.text FROM version v JOIN ({matches}) AS m"
                f" ON m.id = v.id WHERE v.story_id IN ({marks(len(found))})"
                " ORDER BY v.story_id, v.number",
                [*parameters, *found],
            )
            for story_id, number, version_text in versions:
                found[story_id].append((number, version_text))
        return [
            (key, title, self._dialect.moment(last_update), count, found[story_id])
            for story_id, key, title, last_update, count in stories
        ]

    # lineage, stored at ingest (`versions.store.lineage` writes it)

    def takes(self, story_id: int) -> list[StoredTake]:
        """Each version of a story, in order."""
        query = (
            "SELECT id, number, label, created_at, content_hash FROM version"
            " WHERE story_id = ? ORDER BY number"
        )
        return [
            StoredTake(version_id, number, label, self._dialect.moment(created_at), content_hash)
            for version_id, number, label, created_at, content_hash in self._rows(query, [story_id])
        ]

    def sentences_with_lineage(self, version_id: int) -> list[tuple[Sentence, Lineage]]:
        """A version's sentences in order, each with its lineage: blame's one read."""
        query = f"{_SENTENCES_WITH_LINEAGE} ORDER BY t.position"
        return _with_lineage(self._rows(query, [version_id]))

    def removed_by(self, previous_id: int, number: int) -> list[tuple[Sentence, Lineage]]:
        """Sentences of the version `previous_id` that take `number` removed."""
        query = (
            f"{_SENTENCES_WITH_LINEAGE} AND t.position IN"
            " (SELECT position FROM removal WHERE version_id = ? AND removed_in = ?)"
            " ORDER BY t.position"
        )
        return _with_lineage(self._rows(query, [previous_id, previous_id, number]))

    def takes_lineage(self, versions: Sequence[tuple[int, int]]) -> dict[int, TakeLineage]:
        """Stored lineage of versions given as (id, number) of one story, by number; a take's
        `removed` is read when the version before it is among them."""
        from versions.lineage import TakeLineage, lineage_of

        ids = [version_id for version_id, _ in versions]
        sentences: dict[int, list[Lineage]] = {version_id: [] for version_id in ids}
        query = (
            f"SELECT l.version_id, {_LINEAGE} FROM lineage l"
            f" WHERE l.version_id IN ({marks(len(ids))}) ORDER BY l.version_id, l.position"
        )
        for row in self._rows(query, ids):
            sentences[row[0]].append(lineage_of(*row[2:]))
        removed: dict[int, list[int]] = {}
        query = (
            "SELECT removed_in, position FROM removal"
            f" WHERE version_id IN ({marks(len(ids))}) ORDER BY position"
        )
        for removed_in, position in self._rows(query, ids):
            removed.setdefault(removed_in, []).append(position)
        return {
            number: TakeLineage(
                number, tuple(sentences[version_id]), tuple(removed.get(number, ()))
            )
            for version_id, number in versions
            if sentences[version_id]
        }

    # rows to values

    def _story_state(self, row: Sequence[Any]) -> StoryState:
        story = _Story._make(row)
        return StoryState(
            story.id,
            story.key,
            story.guid,
            story.title,
            self._dialect.moment(story.first_seen),
            self._dialect.moment(story.last_update),
            story.status,
            story.version_count,
        )

    def _counts(self, stored: Any) -> ChangeCounts | None:
        counts = self._dialect.document(stored) if stored is not None else None
        return ChangeCounts.from_dict(counts) if counts else None

    def _version_row(self, row: Sequence[Any], story_key: str) -> VersionRow:
        version = _Version._make(row)
        return VersionRow(
            story_key=story_key,
            number=version.number,
            label=WireLabel.parse(version.label) if version.label else None,
            received_at=self._dialect.moment(version.received_at),
            created_at=self._dialect.moment(version.created_at),
            headline=version.headline,
            advisory=version.advisory,
            counts=self._counts(version.counts),
            id=version.id,
            format=version.format,
            item_index=version.item_index,
            withdrawn=bool(version.withdrawn),
            correction=bool(version.correction),
        )

    def _document(self, version: _Version, sentences: list[Sentence]) -> Document:
        meta = ItemMeta(
            label=WireLabel.parse(version.label) if version.label else None,
            advisory=version.advisory,
            guid=version.guid,
            version=version.agency_version,
            created=self._dialect.moment(version.created_at),
            withdrawn=bool(version.withdrawn),
            correction=bool(version.correction),
            ednote=version.ednote,
            format=version.format,
            encoding=version.encoding,
        )
        return Document.from_sentences(sentences, meta)


def _where(conditions: Iterable[Condition], keyword: str = " WHERE ") -> Condition:
    """Conditions joined by AND, their parameters in order (`keyword` before them)."""
    chosen = list(conditions)
    if not chosen:
        return "", []
    text = " AND ".join(condition for condition, _ in chosen)
    return keyword + text, [value for _, values in chosen for value in values]


def _with_lineage(rows: Iterable[Sequence[Any]]) -> list[tuple[Sentence, Lineage]]:
    """Rows of `_SENTENCES_WITH_LINEAGE`: a sentence's columns, then its lineage's."""
    from versions.lineage import lineage_of

    pairs = []
    for text, section, paragraph, kind, position, *lineage in rows:
        sentence = Sentence(text, Section(section), paragraph, position, ParagraphKind(kind))
        pairs.append((sentence, lineage_of(*lineage)))
    return pairs


def _story_row(story: StoryState, latest: ChangeCounts | None) -> StoryRow:
    return StoryRow(
        key=story.key,
        title=story.title,
        versions=story.version_count,
        first_seen=story.first_seen,
        last_update=story.last_update,
        status=Status(story.status),
        latest=latest,
    )
