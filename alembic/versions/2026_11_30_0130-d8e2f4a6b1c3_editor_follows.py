"""editor follows: the stories each desk editor follows and the version each last saw

Revision ID: d8e2f4a6b1c3
Revises: c5d1e7a94b32
Create Date: 2026-11-30 01:30:00

`follow`, one row per editor and followed story, with when they began following it;
`seen`, one row per editor and story, naming the latest version they looked at (by id,
so that a renumbering keeps it). Kept in the archive so an editor's desk is the same in
the UI, the CLI and on every machine sharing a PostgreSQL archive. The downgrade drops
both tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d8e2f4a6b1c3"
down_revision: str | None = "c5d1e7a94b32"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow",
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_follow_story_id_story"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("editor", "story_id", name=op.f("pk_follow")),
    )
    op.create_index(op.f("ix_follow_story_id"), "follow", ["story_id"])
    op.create_table(
        "seen",
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_seen_story_id_story"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["version.id"],
            name=op.f("fk_seen_version_id_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("editor", "story_id", name=op.f("pk_seen")),
    )
    op.create_index(op.f("ix_seen_version_id"), "seen", ["version_id"])


def downgrade() -> None:
    op.drop_table("seen")
    op.drop_table("follow")
