"""Each desk editor's state: the stories they follow and the version of each they last saw.

Short transactions of their own, apart from ingest's lock: following a story or reading
it never waits for a long ingest on PostgreSQL, and waits only SQLite's write lock there.
Plain SQL on the driver, as the reads are: `follow` and `catchup` load no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from versions.records import StoryState
from versions.store.dialect import Connection, Dialect


class EditorState:
    """One editor-state transaction's reads and writes; `editor` names whose state it is."""

    def __init__(self, connection: Connection, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    def _execute(self, query: str, parameters: Sequence[Any]) -> Any:
        cursor = self._connection.cursor()
        cursor.execute(self._dialect.sql(query), tuple(parameters))
        return cursor

    def follow(self, editor: str, story: StoryState, now: datetime) -> bool:
        """Follow `story`; False when already followed.

        A first follow counts the story as read up to its latest version: what is new to
        the editor is what arrives from now on.
        """
        added = self._execute(
            "INSERT INTO follow (editor, story_id, since) VALUES (?, ?, ?)"
            " ON CONFLICT (editor, story_id) DO NOTHING RETURNING editor",
            [editor, story.id, self._dialect.stored_moment(now)],
        ).fetchall()
        if added and self.last_seen(editor, story) is None and story.version_count:
            self.mark_seen(editor, story, story.version_count, now)
        return bool(added)

    def unfollow(self, editor: str, story: StoryState) -> bool:
        """Stop following `story`; False when it was not followed. What was seen stays."""
        cursor = self._execute(
            "DELETE FROM follow WHERE editor = ? AND story_id = ?", [editor, story.id]
        )
        return bool(cursor.rowcount)

    def followed(self, editor: str) -> frozenset[str]:
        cursor = self._execute(
            "SELECT s.key FROM story s JOIN follow f ON f.story_id = s.id WHERE f.editor = ?",
            [editor],
        )
        return frozenset(key for (key,) in cursor.fetchall())

    def last_seen(self, editor: str, story: StoryState) -> int | None:
        row = self._execute(
            "SELECT v.number FROM version v JOIN seen ON seen.version_id = v.id"
            " WHERE seen.editor = ? AND seen.story_id = ?",
            [editor, story.id],
        ).fetchone()
        return int(row[0]) if row is not None else None

    def mark_seen(self, editor: str, story: StoryState, number: int, now: datetime) -> bool:
        """Record that `editor` has read `story` up to version `number`.

        Never backwards: looking at an older pair of versions does not make newer ones
        unread again. False when nothing changed.
        """
        seen = self.last_seen(editor, story)
        if seen is not None and seen >= number:
            return False
        row = self._execute(
            "SELECT id FROM version WHERE story_id = ? AND number = ?", [story.id, number]
        ).fetchone()
        if row is None:
            return False
        self._execute(
            "INSERT INTO seen (editor, story_id, version_id, seen_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (editor, story_id)"
            " DO UPDATE SET version_id = excluded.version_id, seen_at = excluded.seen_at",
            [editor, story.id, row[0], self._dialect.stored_moment(now)],
        )
        return True

    def unread(self, editor: str) -> dict[str, int]:
        """Followed stories with versions newer than the last one seen: key → how many."""
        cursor = self._execute(
            "SELECT s.key, s.version_count - coalesce(v.number, 0) FROM story s"
            " JOIN follow f ON f.story_id = s.id"
            " LEFT OUTER JOIN seen ON seen.story_id = s.id AND seen.editor = ?"
            " LEFT OUTER JOIN version v ON v.id = seen.version_id"
            " WHERE f.editor = ? AND s.version_count - coalesce(v.number, 0) > 0",
            [editor, editor],
        )
        return {key: int(count) for key, count in cursor.fetchall()}
