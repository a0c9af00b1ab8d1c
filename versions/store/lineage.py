"""Stored lineage: one row per sentence (the `lineage` table), as `versions.lineage` values."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from versions.lineage import Lineage, LineageRow, Removed, TakeLineage, lineage_of, lineage_rows
from versions.store.backend import Backend, backend_for
from versions.store.driver import Driver
from versions.store.schema import lineage_table, removal_table, sentence_table, version_table

_COLUMNS = (
    lineage_table.c.position,
    lineage_table.c.origin,
    lineage_table.c.parents,
    lineage_table.c.began,
    lineage_table.c.edits,
    lineage_table.c.moves,
    lineage_table.c.restored_in,
    lineage_table.c.restored_removed_in,
    lineage_table.c.restored_take,
    lineage_table.c.restored_index,
)


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
    driver: Driver,
    backend: Backend,
    story_id: int,
    version_id: int,
    take: TakeLineage,
    previous_id: int | None,
    rows: Iterable[LineageRow] | None = None,
) -> None:
    """Store a new last take's lineage and what it removed from the take before; `rows`,
    the lineage's (`versions.lineage.lineage_rows`), when a worker built them."""
    if rows is None:
        rows = lineage_rows(take)
    backend.insert_rows(
        driver,
        backend.rows_insert("lineage", _LINEAGE_COLUMNS),
        ((version_id, *row) for row in rows),
    )
    if previous_id is not None and take.removed:
        backend.insert_rows(
            driver,
            backend.rows_insert("removal", _REMOVAL_COLUMNS),
            [(previous_id, position, story_id, take.number) for position in take.removed],
        )


def replace_story(
    connection: Connection, story_id: int, version_ids: Sequence[int], takes: Sequence[TakeLineage]
) -> None:
    """Rewrite the lineage of a story's versions (`version_ids[k]` is take `takes[k]`);
    ingest after a renumbering, and the migration that added lineage."""
    driver, backend = Driver(connection), backend_for(connection.dialect.name)
    of_versions, values = backend.in_values("version_id", list(version_ids))
    driver.execute(backend.sql(f"DELETE FROM lineage WHERE {of_versions}"), values)
    driver.execute(backend.sql("DELETE FROM removal WHERE story_id = ?"), (story_id,))
    for k, (version_id, take) in enumerate(zip(version_ids, takes, strict=True)):
        add_take(driver, backend, story_id, version_id, take, version_ids[k - 1] if k else None)


def removed_before(connection: Connection, story_id: int, number: int) -> list[Removed]:
    """Every sentence a take before `number` removed: what take `number` may restore."""
    query = (
        select(version_table.c.number, sentence_table.c.text, removal_table.c.removed_in, *_COLUMNS)
        .select_from(removal_table)
        .join(version_table, version_table.c.id == removal_table.c.version_id)
        .join(
            sentence_table,
            (sentence_table.c.version_id == removal_table.c.version_id)
            & (sentence_table.c.position == removal_table.c.position),
        )
        .join(
            lineage_table,
            (lineage_table.c.version_id == removal_table.c.version_id)
            & (lineage_table.c.position == removal_table.c.position),
        )
        .where(removal_table.c.story_id == story_id, removal_table.c.removed_in < number)
    )
    return [
        Removed(row.number, row.position, row.text, _lineage(row), row.removed_in)
        for row in connection.execute(query)
    ]


def _lineage(row: Any) -> Lineage:
    return lineage_of(
        row.origin,
        row.parents,
        row.began,
        row.edits,
        row.moves,
        row.restored_in,
        row.restored_removed_in,
        row.restored_take,
        row.restored_index,
    )


def takes_lineage(
    connection: Connection, versions: Sequence[tuple[int, int]]
) -> dict[int, TakeLineage]:
    """Stored lineage of versions given as (id, number) of one story, by number; a take's
    `removed` is read when the version before it is among them."""
    ids = [version_id for version_id, _ in versions]
    sentences: dict[int, list[Lineage]] = {version_id: [] for version_id in ids}
    query = (
        select(lineage_table.c.version_id, *_COLUMNS)
        .where(lineage_table.c.version_id.in_(ids))
        .order_by(lineage_table.c.version_id, lineage_table.c.position)
    )
    for row in connection.execute(query):
        sentences[row.version_id].append(_lineage(row))
    removed: dict[int, list[int]] = {}
    query_removed = (
        select(removal_table.c.removed_in, removal_table.c.position)
        .where(removal_table.c.version_id.in_(ids))
        .order_by(removal_table.c.position)
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
