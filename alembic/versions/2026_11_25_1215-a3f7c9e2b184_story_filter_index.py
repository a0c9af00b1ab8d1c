"""story filter index: substring and prefix lookups on titles and keys without a scan

Revision ID: a3f7c9e2b184
Revises: ee97140b5a4c
Create Date: 2026-11-25 12:15:00

`wirediff stories --match` and the TUI's filter-as-you-type look for a substring of
the title or key; at 100,000 stories that was a scan of the story table (about 70 ms
a keystroke, twice: the rows and their count). SQLite: an FTS5 trigram index over
title and key, kept in step with the story table by triggers (titles change with
every new version). PostgreSQL: pg_trgm GIN indexes on lower(title) and key, which
the existing LIKE '%…%' uses as it is, and a pattern index on key for prefix lookups
(`wirediff log PREFIX`) under a non-C collation.

The downgrade drops the index structures; pg_trgm stays installed, as other objects
in the database may use it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a3f7c9e2b184"
down_revision: str | None = "ee97140b5a4c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE story_fts USING fts5("
    "title, key, content='story', content_rowid='id', tokenize='trigram')",
    "INSERT INTO story_fts(story_fts) VALUES ('rebuild')",
    "CREATE TRIGGER story_fts_insert AFTER INSERT ON story BEGIN"
    " INSERT INTO story_fts(rowid, title, key) VALUES (new.id, new.title, new.key); END",
    "CREATE TRIGGER story_fts_delete AFTER DELETE ON story BEGIN"
    " INSERT INTO story_fts(story_fts, rowid, title, key)"
    " VALUES ('delete', old.id, old.title, old.key); END",
    "CREATE TRIGGER story_fts_update AFTER UPDATE OF title, key ON story BEGIN"
    " INSERT INTO story_fts(story_fts, rowid, title, key)"
    " VALUES ('delete', old.id, old.title, old.key);"
    " INSERT INTO story_fts(rowid, title, key) VALUES (new.id, new.title, new.key); END",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER story_fts_update",
    "DROP TRIGGER story_fts_delete",
    "DROP TRIGGER story_fts_insert",
    "DROP TABLE story_fts",
]
POSTGRES_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_story_title_trgm ON story USING gin (lower(title) gin_trgm_ops)",
    "CREATE INDEX ix_story_key_trgm ON story USING gin (key gin_trgm_ops)",
    "CREATE INDEX ix_story_key_pattern ON story (key varchar_pattern_ops)",
]
POSTGRES_DOWNGRADE = [
    "DROP INDEX ix_story_key_pattern",
    "DROP INDEX ix_story_key_trgm",
    "DROP INDEX ix_story_title_trgm",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UPGRADE if sqlite else POSTGRES_UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWNGRADE if sqlite else POSTGRES_DOWNGRADE:
        op.execute(statement)
