"""Each desk editor's state: the stories they follow and the version of each they last saw.

Short transactions of their own, apart from ingest's lock: following a story or reading
it never waits for a long ingest on PostgreSQL, and waits only SQLite's write lock there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, select

from versions.records import StoryState
from versions.store.backend import Backend
from versions.store.schema import Base, FollowRow, SeenRow, Story, Version

_FOLLOW = Base.metadata.tables["follow"]
_SEEN = Base.metadata.tables["seen"]


@contextmanager
def editor_transaction(engine: Engine, backend: Backend) -> Iterator[EditorState]:
    with engine.begin() as connection:
        yield EditorState(connection, backend)


class EditorState:
    """One editor-state transaction's reads and writes; `editor` names whose state it is."""

    def __init__(self, connection: Connection, backend: Backend) -> None:
        self._connection = connection
        self._backend = backend

    def follow(self, editor: str, story: StoryState, now: datetime) -> bool:
        """Follow `story`; False when already followed.

        A first follow counts the story as read up to its latest version: what is new to
        the editor is what arrives from now on.
        """
        added = self._backend.insert_new(
            self._connection,
            _FOLLOW,
            {"editor": editor, "story_id": story.id, "since": now},
            keys=("editor", "story_id"),
        )
        if added and self.last_seen(editor, story) is None and story.version_count:
            self.mark_seen(editor, story, story.version_count, now)
        return added

    def unfollow(self, editor: str, story: StoryState) -> bool:
        """Stop following `story`; False when it was not followed. What was seen stays."""
        result = self._connection.execute(
            delete(FollowRow).where(FollowRow.editor == editor, FollowRow.story_id == story.id)
        )
        return bool(result.rowcount)

    def followed(self, editor: str) -> frozenset[str]:
        query = (
            select(Story.key)
            .join(FollowRow, FollowRow.story_id == Story.id)
            .where(FollowRow.editor == editor)
        )
        return frozenset(self._connection.scalars(query))

    def last_seen(self, editor: str, story: StoryState) -> int | None:
        query = (
            select(Version.number)
            .join(SeenRow, SeenRow.version_id == Version.id)
            .where(SeenRow.editor == editor, SeenRow.story_id == story.id)
        )
        return self._connection.scalar(query)

    def mark_seen(self, editor: str, story: StoryState, number: int, now: datetime) -> bool:
        """Record that `editor` has read `story` up to version `number`.

        Never backwards: looking at an older pair of versions does not make newer ones
        unread again. False when nothing changed.
        """
        seen = self.last_seen(editor, story)
        if seen is not None and seen >= number:
            return False
        version_id = self._connection.scalar(
            select(Version.id).where(Version.story_id == story.id, Version.number == number)
        )
        if version_id is None:
            return False
        self._backend.upsert(
            self._connection,
            _SEEN,
            {"editor": editor, "story_id": story.id, "version_id": version_id, "seen_at": now},
            keys=("editor", "story_id"),
        )
        return True

    def unread(self, editor: str) -> dict[str, int]:
        """Followed stories with versions newer than the last one seen: key → how many."""
        seen_number = func.coalesce(Version.number, 0)
        newer = Story.version_count - seen_number
        query = (
            select(Story.key, newer)
            .join(FollowRow, FollowRow.story_id == Story.id)
            .outerjoin(SeenRow, (SeenRow.story_id == Story.id) & (SeenRow.editor == editor))
            .outerjoin(Version, Version.id == SeenRow.version_id)
            .where(FollowRow.editor == editor, newer > 0)
        )
        return {key: int(count) for key, count in self._connection.execute(query)}
