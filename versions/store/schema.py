"""The tables: stories, their versions, each version's sentences, and the LSH bands
that let ingest find the story a new version belongs to without scanning versions.

Plain SQLAlchemy Core `Table`s, no ORM classes: nothing in wirediff loads rows as
objects, and importing `sqlalchemy.orm` and configuring its mappers cost every read
command about a fifth of its start-up (issue 11). Alembic compares the migrations
against `metadata`. Datetimes are stored in UTC and come back timezone-aware on both
engines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Search structures the migrations create per engine and the tables here do not describe
# (FTS5 tables on SQLite; on PostgreSQL the pieces' tsvectors, GIN and pattern indexes);
# autogenerate skips them. `version_piece` is the versions' texts in pieces
# (`versions.store.pieces`), each engine's own kind of table.
SEARCH_TABLES = ("version_piece", "story_fts")
SEARCH_INDEXES = frozenset({"ix_story_title_trgm", "ix_story_key_trgm", "ix_story_key_pattern"})


def is_modelled(name: str | None, type_: str) -> bool:
    """Alembic `include_object`/`include_name` filter: everything but the search structures."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(SEARCH_TABLES)
    return name not in SEARCH_INDEXES


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _required(name: str, type_: Any, *args: Any, **kwargs: Any) -> Column[Any]:
    return Column(name, type_, *args, nullable=False, **kwargs)


def _optional(name: str, type_: Any, *args: Any, **kwargs: Any) -> Column[Any]:
    return Column(name, type_, *args, nullable=True, **kwargs)


story_table = Table(
    "story",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("key", String(200), unique=True),
    _optional("guid", String(500), unique=True),
    _required("title", Text),
    _required("first_seen", UTCDateTime),
    _required("last_update", UTCDateTime),
    _required("status", String(16), default="active"),
    _required("version_count", Integer, default=0),
    # the stories list: newest first, paged
    Index(None, "last_update", "id"),
    # ordered by title, filter-as-you-type on a title prefix
    Index(None, "title"),
)

version_table = Table(
    "version",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("story_id", Integer, ForeignKey("story.id", ondelete="CASCADE")),
    _required("number", Integer),
    _optional("label", String(100)),
    _optional("guid", String(500)),
    _optional("agency_version", Integer),
    _required("withdrawn", Boolean, default=False),
    _required("correction", Boolean, default=False),
    _required("received_at", UTCDateTime),
    _required("created_at", UTCDateTime),
    _required("source", Text),
    _required("format", String(16)),
    # the whole delivery, as received (a feed's, for each of its items): read only on demand
    _required("raw", LargeBinary),
    # which item of the delivery this version is (an RSS file, a newsMessage holds several);
    # null for versions stored before it was recorded
    _optional("item_index", Integer),
    _required("encoding", String(40)),
    _required("text", Text),
    _required("content_hash", String(64)),
    _required("headline", Text),
    _required("headline_key", String(200)),
    _required("summary", Text),  # the bullets under the headline, one a line
    _required("byline", Text),
    _required("dateline", Text),
    _optional("advisory", Text),
    _optional("ednote", Text),
    _required("minhash", LargeBinary),
    # change summary against the previous version, kept so listings never diff
    _optional("counts", JSON),
    # versions of a story, in order; also the latest version of each story
    UniqueConstraint("story_id", "number"),
    # idempotent ingest: the same text under the same label is stored once
    # (a REFILE repeats the text under a new label: that is a new version)
    Index(None, "story_id", "content_hash"),
    # threading by headline (REFILE / CORRECTED / WITHDRAWN repeat the headline)
    Index(None, "headline_key"),
    Index(None, "guid"),
)

sentence_table = Table(
    "sentence",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    _required("paragraph", Integer),
    _required("section", String(16)),
    _required("kind", String(16)),
    _required("text", Text),
    _required("hash", String(64)),
)

# One LSH band of a version's MinHash signature (see `versions.story_match`).
band_table = Table(
    "band",
    metadata,
    Column("key", BigInteger, primary_key=True),
    Column("version_id", Integer, ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
    _required("story_id", Integer, ForeignKey("story.id", ondelete="CASCADE")),
    Index(None, "version_id"),
)

# Where one stored sentence came from (`versions.lineage.Lineage`), kept at ingest.
# Take numbers are version numbers of the same story; a renumbering (a version arriving
# out of order) rewrites the story's rows.
lineage_table = Table(
    "lineage",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    _required("origin", String(16)),
    _required("parents", String(200)),  # indices, comma-separated
    _required("began", Integer),
    _required("edits", Text),  # take numbers, comma-separated
    _required("moves", Text),
    _optional("restored_in", Integer),
    _optional("restored_removed_in", Integer),
    _optional("restored_take", Integer),
    _optional("restored_index", Integer),
)

# A stored sentence the next version removed: what a later version may restore. Few and
# found by story, so ingest looks up earlier removals without reading every sentence of
# the story.
removal_table = Table(
    "removal",
    metadata,
    Column("version_id", Integer, ForeignKey("version.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    _required("story_id", Integer, ForeignKey("story.id", ondelete="CASCADE")),
    _required("removed_in", Integer),
    Index(None, "story_id"),
)

# A story an editor follows (`Archive.follow`); `editor` names the desk editor.
follow_table = Table(
    "follow",
    metadata,
    Column("editor", String(100), primary_key=True),
    Column("story_id", Integer, ForeignKey("story.id", ondelete="CASCADE"), primary_key=True),
    _required("since", UTCDateTime),
    Index(None, "story_id"),
)

# The latest version of a story an editor has looked at. Kept as the version's id, not
# its number: a version arriving out of order renumbers the ones after it, and what the
# editor read must stay what they read.
seen_table = Table(
    "seen",
    metadata,
    Column("editor", String(100), primary_key=True),
    Column("story_id", Integer, ForeignKey("story.id", ondelete="CASCADE"), primary_key=True),
    _required("version_id", Integer, ForeignKey("version.id", ondelete="CASCADE")),
    _required("seen_at", UTCDateTime),
    Index(None, "version_id"),
)
