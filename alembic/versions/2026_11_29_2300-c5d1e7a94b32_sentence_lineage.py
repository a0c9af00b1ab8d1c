"""lineage: where each stored sentence came from, for blame without diffing again

Revision ID: c5d1e7a94b32
Revises: a3f7c9e2b184
Create Date: 2026-11-29 23:00:00

`lineage`, one row per sentence (`versions.lineage.Lineage`): its ancestors in the
previous version, the version its line began in, the versions that edited or moved it,
its latest restoration. `removal`, one row per sentence the next version removed, found
by story: what a later version may restore. The upgrade fills it for every stored story
by aligning each version with the one before, as ingest now does, and reports progress on
stderr when that takes a while; the downgrade drops both tables.
"""

import sys
import time
from collections.abc import Sequence
from itertools import groupby
import sqlalchemy as sa
from alembic import op

revision: str = "c5d1e7a94b32"
down_revision: str | None = "a3f7c9e2b184"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STORIES_PER_BATCH = 200
PROGRESS_EVERY_SECONDS = 2.0


def upgrade() -> None:
    op.create_table(
        "lineage",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("parents", sa.String(length=200), nullable=False),
        sa.Column("began", sa.Integer(), nullable=False),
        sa.Column("edits", sa.Text(), nullable=False),
        sa.Column("moves", sa.Text(), nullable=False),
        sa.Column("restored_in", sa.Integer(), nullable=True),
        sa.Column("restored_removed_in", sa.Integer(), nullable=True),
        sa.Column("restored_take", sa.Integer(), nullable=True),
        sa.Column("restored_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["version.id"],
            name=op.f("fk_lineage_version_id_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "position", name=op.f("pk_lineage")),
    )
    op.create_table(
        "removal",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("removed_in", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["story.id"], name=op.f("fk_removal_story_id_story"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["version.id"],
            name=op.f("fk_removal_version_id_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "position", name=op.f("pk_removal")),
    )
    op.create_index(op.f("ix_removal_story_id"), "removal", ["story_id"])
    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_table("removal")
    op.drop_table("lineage")


def _fill(connection: sa.Connection) -> None:
    # The engine of this wirediff decides lineage, as it does at ingest.
    from versions.lineage import trace
    from versions.model import Document, ParagraphKind, Section, Sentence
    from versions.store.lineage import replace_story

    version = sa.table(
        "version", sa.column("id"), sa.column("story_id"), sa.column("number")
    )
    sentence = sa.table(
        "sentence",
        sa.column("version_id"),
        sa.column("position"),
        sa.column("paragraph"),
        sa.column("section"),
        sa.column("kind"),
        sa.column("text"),
    )
    story_ids = list(connection.scalars(sa.select(version.c.story_id).distinct()))
    total = len(story_ids)
    started = shown = time.monotonic()
    for start in range(0, total, STORIES_PER_BATCH):
        batch = story_ids[start : start + STORIES_PER_BATCH]
        rows = connection.execute(
            sa.select(
                version.c.story_id,
                version.c.id,
                sentence.c.position,
                sentence.c.paragraph,
                sentence.c.section,
                sentence.c.kind,
                sentence.c.text,
            )
            .select_from(version.outerjoin(sentence, sentence.c.version_id == version.c.id))
            .where(version.c.story_id.in_(batch))
            .order_by(version.c.story_id, version.c.number, sentence.c.position)
        )
        for story_id, story_rows in groupby(rows, key=lambda row: row.story_id):
            version_ids: list[int] = []
            documents: list[Document] = []
            for version_id, version_rows in groupby(story_rows, key=lambda row: row.id):
                sentences = [
                    Sentence(
                        row.text,
                        Section(row.section),
                        row.paragraph,
                        row.position,
                        ParagraphKind(row.kind),
                    )
                    for row in version_rows
                    if row.position is not None
                ]
                version_ids.append(version_id)
                documents.append(Document.from_sentences(sentences))
            replace_story(connection, story_id, version_ids, trace(documents))
        now = time.monotonic()
        done = min(start + STORIES_PER_BATCH, total)
        if now - shown >= PROGRESS_EVERY_SECONDS or (done == total and now - started >= 1):
            print(f"lineage: {done:,} of {total:,} stories", file=sys.stderr, flush=True)
            shown = now

