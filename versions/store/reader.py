"""Every query the reading side runs, answered in the core's values, never ORM rows.

A `Reader` lives for one session (`Store.reading`); what differs between engines
comes from its `Backend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Integer, column, func, or_, select
from sqlalchemy.orm import Session, defer

from versions.lineage import Lineage, TakeLineage
from versions.model import Document, ItemMeta, ParagraphKind, Section, Sentence, Status
from versions.records import ChangeCounts, StoryRow, StoryState, VersionRow
from versions.store import lineage as stored_lineage
from versions.store.backend import Backend, like_escape
from versions.store.schema import FollowRow, SentenceRow, Story, Version


class Reader:
    def __init__(self, session: Session, backend: Backend) -> None:
        self._session = session
        self._backend = backend

    def story_by_key(self, key: str) -> StoryState | None:
        story = self._session.scalar(select(Story).where(Story.key == key))
        return _story_state(story) if story is not None else None

    def stories_by_key_prefix(self, prefix: str, limit: int = 2) -> list[StoryState]:
        """Stories whose key starts with `prefix`, exactly (keys are identifiers: case counts)."""
        query = (
            select(Story).where(self._backend.key_starts(prefix)).order_by(Story.key).limit(limit)
        )
        return [_story_state(story) for story in self._session.scalars(query)]

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
            (Story.last_update.desc(), Story.id.desc())
            if order == "updated"
            else (Story.title, Story.id)
        )
        page = select(Story.id).order_by(*ordering).limit(limit).offset(offset)
        condition = self._match(match)
        if condition is not None:
            page = page.where(condition)
        if followed_by is not None:
            follows = select(FollowRow.story_id).where(FollowRow.editor == followed_by)
            page = page.where(Story.id.in_(follows))
        chosen = page.subquery()
        query = (
            select(Story, Version.counts)
            .join(chosen, chosen.c.id == Story.id)
            .join(Version, (Version.story_id == Story.id) & (Version.number == Story.version_count))
            .order_by(*ordering)
        )
        return [
            _story_row(_story_state(story), ChangeCounts.from_dict(counts) if counts else None)
            for story, counts in self._session.execute(query)
        ]

    def story_count(self, match: str | None) -> int:
        query = select(func.count()).select_from(Story)
        condition = self._match(match)
        if condition is not None:
            query = query.where(condition)
        return self._session.scalar(query) or 0

    def _match(self, match: str | None) -> Any:
        """Title or key holds `match`, case aside; an index narrows the stories first
        where the engine has one the LIKE cannot use itself."""
        if not match:
            return None
        needle = match.lower()
        escaped = like_escape(needle)
        condition = or_(
            func.lower(Story.title).like(f"%{escaped}%", escape="\\"),
            Story.key.like(f"%{escaped}%", escape="\\"),
        )
        candidates = self._backend.title_candidates(needle)
        return condition if candidates is None else candidates & condition

    def versions(self, story: StoryState) -> list[VersionRow]:
        query = select(Version).where(Version.story_id == story.id).order_by(Version.number)
        return [_version_row(v, story.key) for v in self._session.scalars(query)]

    def versions_between(self, story: StoryState, first: int, last: int) -> list[VersionRow]:
        query = (
            select(Version)
            .where(Version.story_id == story.id, Version.number.between(first, last))
            .order_by(Version.number)
        )
        return [_version_row(v, story.key) for v in self._session.scalars(query)]

    def version(self, story: StoryState, number: int) -> VersionRow | None:
        query = select(Version).where(Version.story_id == story.id, Version.number == number)
        version = self._session.scalar(query)
        return _version_row(version, story.key) if version is not None else None

    def raw(self, version_id: int) -> bytes:
        return self._session.scalar(select(Version.raw).where(Version.id == version_id)) or b""

    def documents(self, version_ids: Sequence[int]) -> list[Document]:
        """The stored documents, their sentences read in one query (a history reads many)."""
        versions = {
            version.id: version
            for version in self._session.scalars(select(Version).where(Version.id.in_(version_ids)))
        }
        query = (
            select(SentenceRow)
            .where(SentenceRow.version_id.in_(version_ids))
            .order_by(SentenceRow.version_id, SentenceRow.position)
        )
        rows: dict[int, list[SentenceRow]] = {}
        for row in self._session.scalars(query):
            rows.setdefault(row.version_id, []).append(row)
        return [_document(versions[i], rows.get(i, [])) for i in version_ids]

    def versions_after(self, version_id: int) -> list[VersionRow]:
        query = (
            select(Version, Story.key)
            .join(Story, Story.id == Version.story_id)
            .where(Version.id > version_id)
            .order_by(Version.id)
        )
        return [_version_row(version, key) for version, key in self._session.execute(query)]

    def recent_versions(self, limit: int) -> list[VersionRow]:
        """The latest arrivals across every story, newest first."""
        query = (
            select(Version, Story.key)
            .join(Story, Story.id == Version.story_id)
            .options(defer(Version.text), defer(Version.minhash))
            .order_by(Version.id.desc())
            .limit(limit)
        )
        return [_version_row(version, key) for version, key in self._session.execute(query)]

    def latest_version_id(self) -> int:
        return self._session.scalar(select(func.max(Version.id))) or 0

    def search(
        self, words: list[str], limit: int, phrases: Sequence[str] = ()
    ) -> list[tuple[str, str, datetime, int, list[tuple[int, str]]]]:
        """Stories whose text holds all `words` and every phrase, newest first: key, title,
        last update, version count, and each matching version's number and text, in order."""
        ids = self._backend.text_matches(words, phrases).columns(column("id", Integer))
        hit = select(Version.story_id).where(Version.id.in_(ids)).distinct().subquery()
        stories = self._session.execute(
            select(Story.id, Story.key, Story.title, Story.last_update, Story.version_count)
            .join(hit, hit.c.story_id == Story.id)
            .order_by(Story.last_update.desc(), Story.id.desc())
            .limit(limit)
        ).all()
        found: dict[int, list[tuple[int, str]]] = {story.id: [] for story in stories}
        if found:
            versions = self._session.execute(
                select(Version.story_id, Version.number, Version.text)
                .where(Version.id.in_(ids), Version.story_id.in_(list(found)))
                .order_by(Version.story_id, Version.number)
            )
            for story_id, number, version_text in versions:
                found[story_id].append((number, version_text))
        return [
            (story.key, story.title, story.last_update, story.version_count, found[story.id])
            for story in stories
        ]

    # lineage (versions.store.lineage)

    def takes(self, story_id: int) -> list[Any]:
        return stored_lineage.takes_of(self._session.connection(), story_id)

    def sentences_with_lineage(self, version_id: int) -> list[tuple[Sentence, Lineage]]:
        return stored_lineage.sentences_with_lineage(self._session.connection(), version_id)

    def removed_by(self, previous_id: int, number: int) -> list[tuple[Sentence, Lineage]]:
        return stored_lineage.removed_by(self._session.connection(), previous_id, number)

    def takes_lineage(self, versions: Sequence[tuple[int, int]]) -> dict[int, TakeLineage]:
        return stored_lineage.takes_lineage(self._session.connection(), versions)


def _story_state(story: Story) -> StoryState:
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
