"""The tables: stories, their versions, each version's sentences, and the LSH bands
that let ingest find the story a new version belongs to without scanning versions.

Datetimes are stored in UTC and come back timezone-aware on both engines.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Search structures the migrations create per engine and the models do not describe
# (FTS5 tables on SQLite, GIN and pattern indexes on PostgreSQL); autogenerate skips them.
SEARCH_TABLES = ("version_fts", "story_fts")
SEARCH_INDEXES = frozenset(
    {"ix_version_text_tsv", "ix_story_title_trgm", "ix_story_key_trgm", "ix_story_key_pattern"}
)


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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Story(Base):
    __tablename__ = "story"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    guid: Mapped[str | None] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_update: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="active")
    version_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        # the stories list: newest first, paged
        Index(None, "last_update", "id"),
        # ordered by title, filter-as-you-type on a title prefix
        Index(None, "title"),
    )


class Version(Base):
    __tablename__ = "version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(100))
    guid: Mapped[str | None] = mapped_column(String(500))
    agency_version: Mapped[int | None] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    correction: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    # the whole delivery, as received (a feed's, for each of its items): read only on demand
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # which item of the delivery this version is (an RSS file, a newsMessage holds several);
    # null for versions stored before it was recorded
    item_index: Mapped[int | None] = mapped_column(Integer)
    encoding: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    headline: Mapped[str] = mapped_column(Text)
    headline_key: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)  # the bullets under the headline, one a line
    byline: Mapped[str] = mapped_column(Text)
    dateline: Mapped[str] = mapped_column(Text)
    advisory: Mapped[str | None] = mapped_column(Text)
    ednote: Mapped[str | None] = mapped_column(Text)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    # change summary against the previous version, kept so listings never diff
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (
        # versions of a story, in order; also the latest version of each story
        UniqueConstraint("story_id", "number"),
        # idempotent ingest: the same text under the same label is stored once
        # (a REFILE repeats the text under a new label: that is a new version)
        Index(None, "story_id", "content_hash"),
        # threading by headline (REFILE / CORRECTED / WITHDRAWN repeat the headline)
        Index(None, "headline_key"),
        Index(None, "guid"),
    )


class SentenceRow(Base):
    __tablename__ = "sentence"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    paragraph: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))


class Band(Base):
    """One LSH band of a version's MinHash signature (see `versions.story_match`)."""

    __tablename__ = "band"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"))

    __table_args__ = (Index(None, "version_id"),)


class LineageRow(Base):
    """Where one stored sentence came from (`versions.lineage.Lineage`), kept at ingest.

    Take numbers are version numbers of the same story; a renumbering (a version arriving
    out of order) rewrites the story's rows.
    """

    __tablename__ = "lineage"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(String(16))
    parents: Mapped[str] = mapped_column(String(200))  # indices, comma-separated
    began: Mapped[int] = mapped_column(Integer)
    edits: Mapped[str] = mapped_column(Text)  # take numbers, comma-separated
    moves: Mapped[str] = mapped_column(Text)
    restored_in: Mapped[int | None] = mapped_column(Integer)
    restored_removed_in: Mapped[int | None] = mapped_column(Integer)
    restored_take: Mapped[int | None] = mapped_column(Integer)
    restored_index: Mapped[int | None] = mapped_column(Integer)


class RemovalRow(Base):
    """A stored sentence the next version removed: what a later version may restore.

    Few and found by story, so ingest looks up earlier removals without reading every
    sentence of the story.
    """

    __tablename__ = "removal"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id", ondelete="CASCADE"))
    removed_in: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index(None, "story_id"),)


class FollowRow(Base):
    """A story an editor follows (`Archive.follow`); `editor` names the desk editor."""

    __tablename__ = "follow"

    editor: Mapped[str] = mapped_column(String(100), primary_key=True)
    story_id: Mapped[int] = mapped_column(
        ForeignKey("story.id", ondelete="CASCADE"), primary_key=True
    )
    since: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index(None, "story_id"),)


class SeenRow(Base):
    """The latest version of a story an editor has looked at.

    Kept as the version's id, not its number: a version arriving out of order renumbers
    the ones after it, and what the editor read must stay what they read.
    """

    __tablename__ = "seen"

    editor: Mapped[str] = mapped_column(String(100), primary_key=True)
    story_id: Mapped[int] = mapped_column(
        ForeignKey("story.id", ondelete="CASCADE"), primary_key=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index(None, "version_id"),)
