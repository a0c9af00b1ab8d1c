"""Stored lineage: one row per sentence (`LineageRow`), mapped to `versions.lineage` values."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, select

from versions.lineage import Lineage, Origin, Removed, Restoration, TakeLineage
from versions.model import ParagraphKind, Section, Sentence
from versions.store.backend import Backend
from versions.store.schema import LineageRow, RemovalRow, SentenceRow, Version

_LINEAGE: Table = LineageRow.__table__  # type: ignore[assignment]
_REMOVAL: Table = RemovalRow.__table__  # type: ignore[assignment]

_COLUMNS = (
    LineageRow.position,
    LineageRow.origin,
    LineageRow.parents,
    LineageRow.began,
    LineageRow.edits,
    LineageRow.moves,
    LineageRow.restored_in,
    LineageRow.restored_removed_in,
    LineageRow.restored_take,
    LineageRow.restored_index,
)


def row_values(version_id: int, take: TakeLineage) -> list[dict[str, Any]]:
    rows = []
    for position, lineage in enumerate(take.sentences):
        restored = lineage.restored
        rows.append(
            {
                "version_id": version_id,
                "position": position,
                "origin": str(lineage.origin),
                "parents": _numbers(lineage.parents),
                "began": lineage.began,
                "edits": _numbers(lineage.edits),
                "moves": _numbers(lineage.moves),
                "restored_in": restored.restored_in if restored else None,
                "restored_removed_in": restored.removed_in if restored else None,
                "restored_take": restored.take if restored else None,
                "restored_index": restored.index if restored else None,
            }
        )
    return rows


def _removals(story_id: int, previous_id: int, take: TakeLineage) -> list[dict[str, Any]]:
    return [
        {
            "version_id": previous_id,
            "position": position,
            "story_id": story_id,
            "removed_in": take.number,
        }
        for position in take.removed
    ]


_LINEAGE_COLUMNS = (
    "version_id",
    "position",
    "origin",
    "parents",
    "began",
    "edits",
    "moves",
    "restored_in",
    "restored_removed_in",
    "restored_take",
    "restored_index",
)
_REMOVAL_COLUMNS = ("version_id", "position", "story_id", "removed_in")


def add_take(
    connection: Connection,
    backend: Backend,
    story_id: int,
    version_id: int,
    take: TakeLineage,
    previous_id: int | None,
) -> None:
    """Store a new last take's lineage and what it removed from the take before (at the
    driver: one call each, no per-row statement work)."""
    backend.insert_rows(connection, "lineage", _LINEAGE_COLUMNS, _row_tuples(version_id, take))
    if previous_id is not None and take.removed:
        backend.insert_rows(
            connection,
            "removal",
            _REMOVAL_COLUMNS,
            [(previous_id, position, story_id, take.number) for position in take.removed],
        )


def _row_tuples(version_id: int, take: TakeLineage) -> Iterable[tuple[Any, ...]]:
    for position, lineage in enumerate(take.sentences):
        restored = lineage.restored
        yield (
            version_id,
            position,
            str(lineage.origin),
            _numbers(lineage.parents),
            lineage.began,
            _numbers(lineage.edits),
            _numbers(lineage.moves),
            *(
                (restored.restored_in, restored.removed_in, restored.take, restored.index)
                if restored
                else (None, None, None, None)
            ),
        )


def replace_story(
    connection: Connection, story_id: int, version_ids: Sequence[int], takes: Sequence[TakeLineage]
) -> None:
    """Rewrite the lineage of a story's versions (`version_ids[k]` is take `takes[k]`)."""
    connection.execute(delete(_LINEAGE).where(_LINEAGE.c.version_id.in_(version_ids)))
    connection.execute(delete(_REMOVAL).where(_REMOVAL.c.story_id == story_id))
    rows: list[dict[str, Any]] = []
    removals: list[dict[str, Any]] = []
    for k, (version_id, take) in enumerate(zip(version_ids, takes, strict=True)):
        rows += row_values(version_id, take)
        if k:
            removals += _removals(story_id, version_ids[k - 1], take)
    if rows:
        connection.execute(_LINEAGE.insert(), rows)
    if removals:
        connection.execute(_REMOVAL.insert(), removals)


# Built once: blame runs these on every call, and building them cost as much as running them.
_TAKES = (
    select(Version.id, Version.number, Version.label, Version.created_at, Version.content_hash)
    .where(Version.story_id == bindparam("story_id"))
    .order_by(Version.number)
)
_SENTENCES = (
    select(
        SentenceRow.text, SentenceRow.section, SentenceRow.paragraph, SentenceRow.kind, *_COLUMNS
    )
    .join(
        LineageRow,
        (LineageRow.version_id == SentenceRow.version_id)
        & (LineageRow.position == SentenceRow.position),
    )
    .where(SentenceRow.version_id == bindparam("version_id"))
    .order_by(SentenceRow.position)
)
_REMOVED_BY = _SENTENCES.where(
    SentenceRow.position.in_(
        select(RemovalRow.position).where(
            RemovalRow.version_id == bindparam("version_id"),
            RemovalRow.removed_in == bindparam("number"),
        )
    )
)


def takes_of(connection: Connection, story_id: int) -> list[Any]:
    """(id, number, label, created_at, content_hash) of each version of a story, in order."""
    return list(connection.execute(_TAKES, {"story_id": story_id}))


def sentences_with_lineage(
    connection: Connection, version_id: int
) -> list[tuple[Sentence, Lineage]]:
    """A version's sentences in order, each with its lineage: blame's one read."""
    return _sentences(connection.execute(_SENTENCES, {"version_id": version_id}))


def removed_by(
    connection: Connection, previous_id: int, number: int
) -> list[tuple[Sentence, Lineage]]:
    """Sentences of the version `previous_id` that take `number` removed."""
    rows = connection.execute(_REMOVED_BY, {"version_id": previous_id, "number": number})
    return _sentences(rows)


def _sentences(rows: Iterable[Any]) -> list[tuple[Sentence, Lineage]]:
    return [
        (
            Sentence(
                row.text,
                Section(row.section),
                row.paragraph,
                row.position,
                ParagraphKind(row.kind),
            ),
            _lineage(row),
        )
        for row in rows
    ]


def removed_before(connection: Connection, story_id: int, number: int) -> list[Removed]:
    """Every sentence a take before `number` removed: what take `number` may restore."""
    query = (
        select(Version.number, SentenceRow.text, RemovalRow.removed_in, *_COLUMNS)
        .select_from(RemovalRow)
        .join(Version, Version.id == RemovalRow.version_id)
        .join(
            SentenceRow,
            (SentenceRow.version_id == RemovalRow.version_id)
            & (SentenceRow.position == RemovalRow.position),
        )
        .join(
            LineageRow,
            (LineageRow.version_id == RemovalRow.version_id)
            & (LineageRow.position == RemovalRow.position),
        )
        .where(RemovalRow.story_id == story_id, RemovalRow.removed_in < number)
    )
    return [
        Removed(row.number, row.position, row.text, _lineage(row), row.removed_in)
        for row in connection.execute(query)
    ]


def _lineage(row: Any) -> Lineage:
    restored = (
        Restoration(row.restored_in, row.restored_removed_in, row.restored_take, row.restored_index)
        if row.restored_in is not None
        else None
    )
    return Lineage(
        Origin(row.origin),
        row.began,
        _parse(row.parents),
        _parse(row.edits),
        _parse(row.moves),
        restored,
    )


def _numbers(values: Iterable[int]) -> str:
    return ",".join(map(str, values))


def _parse(text: str) -> tuple[int, ...]:
    return tuple(int(value) for value in text.split(",")) if text else ()


def takes_lineage(
    connection: Connection, versions: Sequence[tuple[int, int]]
) -> dict[int, TakeLineage]:
    """Stored lineage of versions given as (id, number) of one story, by number; a take's
    `removed` is read when the version before it is among them."""
    ids = [version_id for version_id, _ in versions]
    sentences: dict[int, list[Lineage]] = {version_id: [] for version_id in ids}
    query = (
        select(LineageRow.version_id, *_COLUMNS)
        .where(LineageRow.version_id.in_(ids))
        .order_by(LineageRow.version_id, LineageRow.position)
    )
    for row in connection.execute(query):
        sentences[row.version_id].append(_lineage(row))
    removed: dict[int, list[int]] = {}
    query_removed = (
        select(RemovalRow.removed_in, RemovalRow.position)
        .where(RemovalRow.version_id.in_(ids))
        .order_by(RemovalRow.position)
    )
    for removed_in, position in connection.execute(query_removed):
        removed.setdefault(removed_in, []).append(position)
    return {
        number: TakeLineage(number, tuple(sentences[version_id]), tuple(removed.get(number, ())))
        for version_id, number in versions
        if sentences[version_id]
    }


@dataclass(frozen=True, slots=True)
class LastTake:
    """A story's last take as the next take is traced from it, with what that one may restore.

    Good only while the story's last version is still `version_id` numbered `number`:
    any take stored into the story since (here or by another writer) changes that.
    """

    version_id: int
    number: int
    take: TakeLineage
    texts: tuple[str, ...]  # its sentences' text, as stored
    pool: tuple[Removed, ...]  # every sentence removed before take `number + 1`

    def after(self, version_id: int, take: TakeLineage, texts: tuple[str, ...]) -> LastTake:
        """The story's last take once `take`, traced from this one, is stored."""
        removed = tuple(
            Removed(self.number, i, self.texts[i], self.take.sentences[i], take.number)
            for i in take.removed
        )
        return LastTake(version_id, take.number, take, texts, self.pool + removed)


class LineageMemory:
    """The last take of recently ingested stories, kept across ingest transactions.

    Tracing a new last take needs the lineage of the take before it and every sentence
    removed earlier; reading those back cost a sixth of ingest. Only committed takes
    are kept (the writer hands its changes over after the commit), and an entry is
    used only while its version and number still match the story as read under the lock.
    """

    STORIES = 2048
    MAX_SENTENCES = 2000  # a longer take is read back, as its document is

    def __init__(self) -> None:
        self._stories: OrderedDict[int, LastTake] = OrderedDict()

    def get(self, story_id: int) -> LastTake | None:
        return self._stories.get(story_id)

    def keep(self, changes: dict[int, LastTake | None]) -> None:
        """A committed transaction's changes: each story's new last take, or None to forget."""
        for story_id, last in changes.items():
            if last is None or len(last.texts) > self.MAX_SENTENCES:
                self._stories.pop(story_id, None)
                continue
            self._stories[story_id] = last
            self._stories.move_to_end(story_id)
        while len(self._stories) > self.STORIES:
            self._stories.popitem(last=False)
