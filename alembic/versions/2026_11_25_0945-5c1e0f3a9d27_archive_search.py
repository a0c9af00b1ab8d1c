"""archive search: FTS5 on SQLite, a tsvector GIN index on PostgreSQL

Revision ID: 5c1e0f3a9d27
Revises: bedd2414e2ce
Create Date: 2026-11-25 09:45:00

Ingest writes version_fts rows itself (external content, no triggers); the
upgrade indexes the versions already stored.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5c1e0f3a9d27"
down_revision: str | None = "bedd2414e2ce"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE version_fts USING fts5("
            "text, content='version', content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute("INSERT INTO version_fts(version_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "CREATE INDEX ix_version_text_tsv ON version USING gin (to_tsvector('english', text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE version_fts")
    else:
        op.execute("DROP INDEX ix_version_text_tsv")
