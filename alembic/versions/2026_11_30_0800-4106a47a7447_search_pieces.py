"""search pieces: each version's text indexed in pieces of about 64 KB

Revision ID: 4106a47a7447
Revises: d8e2f4a6b1c3
Create Date: 2026-11-30 08:00:00

A 5 MB take indexed as one row cost FTS5 70 MB of memory and could pass PostgreSQL's
1 MB tsvector limit; on PostgreSQL, the GIN index on `to_tsvector(version.text)` was
computed again by every update of a version's counts (issue 10). `version_piece` holds a
text kept whole as piece 0 and a longer one cut (`versions.store.pieces`) as pieces 1, 2,
…: on SQLite a contentless FTS5 table (the text stays in `version` alone; a piece's rowid
is `number * 2**43 + version id`), on PostgreSQL a table of each piece's tsvector with
one GIN index for whole texts and one for pieces. The upgrade indexes the stored versions;
the downgrade restores `version_fts` and `ix_version_text_tsv`, indexed anew.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4106a47a7447"
down_revision: str | None = "d8e2f4a6b1c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_PIECE = 1 << 43  # SQLite's rowid of piece 1 of version 0


def upgrade() -> None:
    # the rule ingest cuts by, so the stored pieces are those ingest would have written
    from versions.store.pieces import PIECE_SIZE, numbered_pieces

    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TABLE version_fts")
        op.execute(
            "CREATE VIRTUAL TABLE version_piece USING fts5("
            "text, content='', tokenize='porter unicode61')"
        )
        whole = "INSERT INTO version_piece (rowid, text) SELECT id, text FROM version"
        piece = "INSERT INTO version_piece (rowid, text) VALUES (:number * :first + :id, :text)"
    else:
        op.execute("DROP INDEX ix_version_text_tsv")
        op.execute(
            "CREATE TABLE version_piece ("
            " version_id integer NOT NULL, number integer NOT NULL, terms tsvector NOT NULL,"
            " CONSTRAINT pk_version_piece PRIMARY KEY (version_id, number),"
            " CONSTRAINT fk_version_piece_version_id_version FOREIGN KEY (version_id)"
            " REFERENCES version (id) ON DELETE CASCADE)"
        )
        whole = (
            "INSERT INTO version_piece (version_id, number, terms)"
            " SELECT id, 0, to_tsvector('english', text) FROM version"
        )
        piece = (
            "INSERT INTO version_piece (version_id, number, terms)"
            " VALUES (:id, :number, to_tsvector('english', :text))"
        )
    # a text of up to PIECE_SIZE characters is one piece: the database copies it over
    connection.execute(sa.text(f"{whole} WHERE length(text) <= :size"), {"size": PIECE_SIZE})
    long_ids = connection.execute(
        sa.text("SELECT id FROM version WHERE length(text) > :size ORDER BY id"),
        {"size": PIECE_SIZE},
    ).scalars()
    for version_id in list(long_ids):
        text = connection.execute(
            sa.text("SELECT text FROM version WHERE id = :id"), {"id": version_id}
        ).scalar_one()
        connection.execute(
            sa.text(piece),
            [
                {"id": version_id, "number": number, "text": part, "first": FIRST_PIECE}
                for number, part in numbered_pieces(text)
            ],
        )
    if not sqlite:
        op.execute(
            "CREATE INDEX ix_version_piece_whole ON version_piece USING gin (terms)"
            " WHERE number = 0"
        )
        op.execute(
            "CREATE INDEX ix_version_piece_cut ON version_piece USING gin (terms) WHERE number > 0"
        )


def downgrade() -> None:
    op.execute("DROP TABLE version_piece")
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
