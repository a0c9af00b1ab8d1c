"""initial schema: stories, versions, sentences, LSH bands

Revision ID: bedd2414e2ce
Revises:
Create Date: 2026-11-25 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "bedd2414e2ce"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("guid", sa.String(length=500), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen", UTC_DATETIME, nullable=False),
        sa.Column("last_update", UTC_DATETIME, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
        sa.UniqueConstraint("guid", name=op.f("uq_story_guid")),
        sa.UniqueConstraint("key", name=op.f("uq_story_key")),
    )
    op.create_index(op.f("ix_story_last_update_id"), "story", ["last_update", "id"])
    op.create_index(op.f("ix_story_title"), "story", ["title"])

    op.create_table(
        "version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("guid", sa.String(length=500), nullable=True),
        sa.Column("agency_version", sa.Integer(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("correction", sa.Boolean(), nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("encoding", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("headline_key", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("byline", sa.Text(), nullable=False),
        sa.Column("dateline", sa.Text(), nullable=False),
        sa.Column("advisory", sa.Text(), nullable=True),
        sa.Column("ednote", sa.Text(), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_version_story_id_story"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version")),
        sa.UniqueConstraint("story_id", "number", name=op.f("uq_version_story_id_number")),
    )
    op.create_index(
        op.f("ix_version_story_id_content_hash"), "version", ["story_id", "content_hash"]
    )
    op.create_index(op.f("ix_version_guid"), "version", ["guid"])
    op.create_index(op.f("ix_version_headline_key"), "version", ["headline_key"])

    op.create_table(
        "band",
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_band_story_id_story"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["version.id"],
            name=op.f("fk_band_version_id_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "version_id", name=op.f("pk_band")),
    )
    op.create_index(op.f("ix_band_version_id"), "band", ["version_id"])

    op.create_table(
        "sentence",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["version.id"],
            name=op.f("fk_sentence_version_id_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "position", name=op.f("pk_sentence")),
    )


def downgrade() -> None:
    op.drop_table("sentence")
    op.drop_index(op.f("ix_band_version_id"), table_name="band")
    op.drop_table("band")
    op.drop_index(op.f("ix_version_headline_key"), table_name="version")
    op.drop_index(op.f("ix_version_guid"), table_name="version")
    op.drop_index(op.f("ix_version_story_id_content_hash"), table_name="version")
    op.drop_table("version")
    op.drop_index(op.f("ix_story_title"), table_name="story")
    op.drop_index(op.f("ix_story_last_update_id"), table_name="story")
    op.drop_table("story")
