"""Every query the reading side runs, in SQLAlchemy Core, answered in the core's values.

A `Reader` lives for one connection's transaction (`Store.reading`); what differs
between engines comes from its `Backend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Integer, Row, column, func, or_, select

from versions.labels import WireLabel
from versions.model import Document, ItemMeta, ParagraphKind, Section, Sentence, Status
from versions.records import ChangeCounts, StoryRow, StoryState, VersionRow
from versions.store.backend import Backend, like_escape
from versions.store.schema import follow_table, sentence_table, story_table, version_table

if TYPE_CHECKING:  # blame's queries load the engine's lineage, which listings never need
    from versions.lineage import Lineage, TakeLineage

# A version as listings and documents read it: not the delivery's bytes, the signature
# or the whole text (a document is rebuilt from its sentences).
_VERSIONS = select(*(c for c in version_table.c if c.name not in ("raw", "minhash", "text")))
_STORY = select(story_table)


class Reader:
    def __init__(self, connection: Connection, backend: Backend) -> None:
        self._connection = connection
        self._backend = backend

    def story_by_key(self, key: str) -> StoryState | None:
        story = self._connection.execute(_STORY.where(story_table.c.key == key)).first()
        return _story_state(story) if story is not None else None

    def stories_by_key_prefix(self, prefix: str, limit: int = 2) -> list[StoryState]:
        """Stories whose key starts with `prefix`, exactly (keys are identifiers: case counts)."""
        query = (
            _STORY.where(self._backend.key_starts(prefix)).order_by(story_table.c.key).limit(limit)
        )
        return [_story_state(story) for story in self._connection.execute(query)]

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
        ordering: tuple[Any, ...] = (
            (story_table.c.last_update.desc(), story_table.c.id.desc())
            if order == "updated"
            else (story_table.c.title, story_table.c.id)
        )
        page = select(story_table.c.id).order_by(*ordering).limit(limit).offset(offset)
        condition = self._match(match)
        if condition is not None:
            page = page.where(condition)
        if followed_by is not None:
            follows = select(follow_table.c.story_id).where(follow_table.c.editor == followed_by)
            page = page.where(story_table.c.id.in_(follows))
        chosen = page.subquery()
        query = (
            select(story_table, version_table.c.counts)
            .join(chosen, chosen.c.id == story_table.c.id)
            .join(
                version_table,
                (version_table.c.story_id == story_table.c.id)
                & (version_table.c.number == story_table.c.version_count),
            )
            .order_by(*ordering)
        )
        return [
            _story_row(
                _story_state(row), ChangeCounts.from_dict(row.counts) if row.counts else None
            )
            for row in self._connection.execute(query)
        ]

    def story_count(self, match: str | None) -> int:
        query = select(func.count()).select_from(story_table)
        condition = self._match(match)
        if condition is not None:
            query = query.where(condition)
        return self._connection.scalar(query) or 0

    def _match(self, match: str | None) -> Any:
        """Title or key holds `match`, case aside; an index narrows the stories first
        where the engine has one the LIKE cannot use itself."""
        if not match:
            return None
        needle = match.lower()
        escaped = like_escape(needle)
        condition = or_(
            func.lower(story_table.c.title).like(f"%{escaped}%", escape="\\"),
            story_table.c.key.like(f"%{escaped}%", escape="\\"),
        )
        candidates = self._backend.title_candidates(needle)
        return condition if candidates is None else candidates & condition

    def versions(self, story: StoryState) -> list[VersionRow]:
        query = _VERSIONS.where(version_table.c.story_id == story.id).order_by(
            version_table.c.number
        )
        return [_version_row(v, story.key) for v in self._connection.execute(query)]

    def versions_between(self, story: StoryState, first: int, last: int) -> list[VersionRow]:
        query = _VERSIONS.where(
            version_table.c.story_id == story.id, version_table.c.number.between(first, last)
        ).order_by(version_table.c.number)
        return [_version_row(v, story.key) for v in self._connection.execute(query)]

    def version(self, story: StoryState, number: int) -> VersionRow | None:
        query = _VERSIONS.where(
            version_table.c.story_id == story.id, version_table.c.number == number
        )
        version = self._connection.execute(query).first()
        return _version_row(version, story.key) if version is not None else None

    def raw(self, version_id: int) -> bytes:
        query = select(version_table.c.raw).where(version_table.c.id == version_id)
        return self._connection.scalar(query) or b""

    def documents(self, version_ids: Sequence[int]) -> list[Document]:
        """The stored documents, their sentences read in one query (a history reads many)."""
        versions = {
            version.id: version
            for version in self._connection.execute(
                _VERSIONS.where(version_table.c.id.in_(version_ids))
            )
        }
        query = (
            select(sentence_table)
            .where(sentence_table.c.version_id.in_(version_ids))
            .order_by(sentence_table.c.version_id, sentence_table.c.position)
        )
        rows: dict[int, list[Row[Any]]] = {}
        for row in self._connection.execute(query):
            rows.setdefault(row.version_id, []).append(row)
        return [_document(versions[i], rows.get(i, [])) for i in version_ids]

    def versions_after(self, version_id: int) -> list[VersionRow]:
        query = (
            _VERSIONS.add_columns(story_table.c.key.label("story_key"))
            .join(story_table, story_table.c.id == version_table.c.story_id)
            .where(version_table.c.id > version_id)
            .order_by(version_table.c.id)
        )
        return [_version_row(row, row.story_key) for row in self._connection.execute(query)]

    def recent_versions(self, limit: int) -> list[VersionRow]:
        """The latest arrivals across every story, newest first."""
        query = (
            _VERSIONS.add_columns(story_table.c.key.label("story_key"))
            .join(story_table, story_table.c.id == version_table.c.story_id)
            .order_by(version_table.c.id.desc())
            .limit(limit)
        )
        return [_version_row(row, row.story_key) for row in self._connection.execute(query)]

    def latest_version_id(self) -> int:
        return self._connection.scalar(select(func.max(version_table.c.id))) or 0

    def search(
        self, words: list[str], limit: int, phrases: Sequence[str] = ()
    ) -> list[tuple[str, str, datetime, int, list[tuple[int, str]]]]:
        """Stories whose text holds all `words` and every phrase, newest first: key, title,
        last update, version count, and each matching version's number and text, in order."""
        ids = self._backend.text_matches(words, phrases).columns(column("id", Integer))
        hit = (
            select(version_table.c.story_id)
            .where(version_table.c.id.in_(ids))
            .distinct()
            .subquery()
        )
        stories = self._connection.execute(
            select(
                story_table.c.id,
                story_table.c.key,
                story_table.c.title,
                story_table.c.last_update,
                story_table.c.version_count,
            )
            .join(hit, hit.c.story_id == story_table.c.id)
            .order_by(story_table.c.last_update.desc(), story_table.c.id.desc())
            .limit(limit)
        ).all()
        found: dict[int, list[tuple[int, str]]] = {story.id: [] for story in stories}
        if found:
            versions = self._connection.execute(
                select(version_table.c.story_id, version_table.c.number, version_table.c.text)
                .where(version_table.c.id.in_(ids), version_table.c.story_id.in_(list(found)))
                .order_by(version_table.c.story_id, version_table.c.number)
            )
            for story_id, number, version_text in versions:
                found[story_id].append((number, version_text))
        return [
            (story.key, story.title, story.last_update, story.version_count, found[story.id])
            for story in stories
        ]

    # lineage (versions.store.lineage)

    def takes(self, story_id: int) -> list[Any]:
        from versions.store import lineage as stored_lineage

        return stored_lineage.takes_of(self._connection, story_id)

    def sentences_with_lineage(self, version_id: int) -> list[tuple[Sentence, Lineage]]:
        from versions.store import lineage as stored_lineage

        return stored_lineage.sentences_with_lineage(self._connection, version_id)

    def removed_by(self, previous_id: int, number: int) -> list[tuple[Sentence, Lineage]]:
        from versions.store import lineage as stored_lineage

        return stored_lineage.removed_by(self._connection, previous_id, number)

    def takes_lineage(self, versions: Sequence[tuple[int, int]]) -> dict[int, TakeLineage]:
        from versions.store import lineage as stored_lineage

        return stored_lineage.takes_lineage(self._connection, versions)


def _story_state(story: Row[Any]) -> StoryState:
    return StoryState(
        story.id,
        story.key,
        story.guid,
        story.title,
        story.first_seen,
        story.last_update,
        story.status,
        story.version_count,
    )


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


def _version_row(version: Row[Any], story_key: str) -> VersionRow:
    return VersionRow(
        story_key=story_key,
        number=version.number,
        label=WireLabel.parse(version.label) if version.label else None,
        received_at=version.received_at,
        created_at=version.created_at,
        headline=version.headline,
        advisory=version.advisory,
        counts=ChangeCounts.from_dict(version.counts) if version.counts else None,
        id=version.id,
        format=version.format,
        item_index=version.item_index,
        withdrawn=version.withdrawn,
        correction=version.correction,
    )


def _document(version: Row[Any], rows: list[Row[Any]]) -> Document:
    sentences = [
        Sentence(
            row.text, Section(row.section), row.paragraph, row.position, ParagraphKind(row.kind)
        )
        for row in rows
    ]
    meta = ItemMeta(
        label=WireLabel.parse(version.label) if version.label else None,
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
