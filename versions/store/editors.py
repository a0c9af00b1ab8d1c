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
from versions.store.schema import follow_table, seen_table, story_table, version_table


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
            follow_table,
            {"editor": editor, "story_id": story.id, "since": now},
            keys=("editor", "story_id"),
        )
        if added and self.last_seen(editor, story) is None and story.version_count:
            self.mark_seen(editor, story, story.version_count, now)
        return added

    def unfollow(self, editor: str, story: StoryState) -> bool:
        """Stop following `story`; False when it was not followed. What was seen stays."""
        result = self._connection.execute(
            delete(follow_table).where(
                follow_table.c.editor == editor, follow_table.c.story_id == story.id
            )
        )
        return bool(result.rowcount)

    def followed(self, editor: str) -> frozenset[str]:
        query = (
            select(story_table.c.key)
            .join(follow_table, follow_table.c.story_id == story_table.c.id)
            .where(follow_table.c.editor == editor)
        )
        return frozenset(self._connection.scalars(query))

    def last_seen(self, editor: str, story: StoryState) -> int | None:
        query = (
            select(version_table.c.number)
            .join(seen_table, seen_table.c.version_id == version_table.c.id)
            .where(seen_table.c.editor == editor, seen_table.c.story_id == story.id)
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
            select(version_table.c.id).where(
                version_table.c.story_id == story.id, version_table.c.number == number
            )
        )
        if version_id is None:
            return False
        self._backend.upsert(
            self._connection,
            seen_table,
            {"editor": editor, "story_id": story.id, "version_id": version_id, "seen_at": now},
            keys=("editor", "story_id"),
        )
        return True

    def unread(self, editor: str) -> dict[str, int]:
        """Followed stories with versions newer than the last one seen: key → how many."""
        seen_number = func.coalesce(version_table.c.number, 0)
        newer = story_table.c.version_count - seen_number
        query = (
            select(story_table.c.key, newer)
            .join(follow_table, follow_table.c.story_id == story_table.c.id)
            .outerjoin(
                seen_table,
                (seen_table.c.story_id == story_table.c.id) & (seen_table.c.editor == editor),
            )
            .outerjoin(version_table, version_table.c.id == seen_table.c.version_id)
            .where(follow_table.c.editor == editor, newer > 0)
        )
        return {key: int(count) for key, count in self._connection.execute(query)}
