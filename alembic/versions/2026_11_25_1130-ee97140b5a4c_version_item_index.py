"""version.item_index: which item of a multi-item delivery a version is

Revision ID: ee97140b5a4c
Revises: 5c1e0f3a9d27
Create Date: 2026-11-25 11:30:00

An RSS file or a NewsML-G2 newsMessage holds several items; each version keeps the
whole delivery in `raw` and now says which item it is. Versions stored before keep
null: which item they were is not known.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ee97140b5a4c"
down_revision: str | None = "5c1e0f3a9d27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("version", sa.Column("item_index", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: rebuilding `version` on SQLite would cascade-delete its sentences.
    op.drop_column("version", "item_index")
