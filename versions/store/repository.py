"""Every query wirediff runs; the service layer above never writes SQL."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Integer, Row, column, func, or_, select, text, union, update
from sqlalchemy.orm import Session

from versions.store.schema import Band, SentenceRow, Story, Version

CANDIDATE_LIMIT = 500
TRIGRAM = 3  # the shortest text the trigram indexes can look up
# pg_advisory_xact_lock key held by every ingest transaction ("wirediff" in ASCII)
INGEST_LOCK = 0x7769726564696666


def lock_for_ingest(session: Session) -> None:
    """Make this ingest transaction the only writer until it ends; call before any read.

    Threading reads the stored stories to decide where a version goes, then writes:
    two writers deciding at once would both start the same new story, or take the same
    version number. SQLite takes its write lock at BEGIN IMMEDIATE; PostgreSQL has no
    such mode, so a transaction-scoped advisory lock does the same and is released at
    commit or rollback. Both wait (SQLite up to its busy timeout) rather than fail.
    """
    connection = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK})


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def story_by_key(session: Session, key: str) -> Story | None:
    return session.scalar(select(Story).where(Story.key == key))


def stories_by_key_prefix(session: Session, prefix: str, limit: int = 2) -> list[Story]:
    """Stories whose key starts with `prefix`, exactly (keys are identifiers: case counts)."""
    query = select(Story).where(_key_starts(session, prefix)).order_by(Story.key).limit(limit)
    return list(session.scalars(query))


def _key_starts(session: Session, prefix: str) -> Any:
    """An index-backed "key starts with `prefix`".

    SQLite's LIKE ignores case and so cannot use the key index; a range on the key
    can. PostgreSQL's LIKE is exact and uses the key's pattern index.
    """
    if dialect(session) == "sqlite" and prefix and ord(prefix[-1]) < sys.maxunicode:
        following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return (Story.key >= prefix) & (Story.key < following)
    return Story.key.like(f"{_like_escape(prefix)}%", escape="\\")


def story_by_guid(session: Session, guid: str) -> Story | None:
    return session.scalar(select(Story).where(Story.guid == guid))


def story_keys_like(session: Session, base: str) -> set[str]:
    """Taken keys equal to `base` or `base-<n>`, to pick a free one."""
    keys = session.scalars(select(Story.key).where(_key_starts(session, base)))
    return {key for key in keys if key == base or key.startswith(f"{base}-")}


def thread_candidates(
    session: Session, band_keys: Sequence[int], headline_key: str
) -> Sequence[Row[int, bytes, str, str | None]]:
    """(story_id, minhash, headline_key, story guid) of versions sharing a band or headline key.

    A union of two index lookups: as `id IN (bands) OR headline_key = …` under
    `ORDER BY id DESC LIMIT`, PostgreSQL walks the whole version table backwards.
    """
    lookups: list[Any] = []
    if band_keys:
        lookups.append(select(Band.version_id.label("id")).where(Band.key.in_(band_keys)))
    if headline_key:
        lookups.append(select(Version.id).where(Version.headline_key == headline_key))
    if not lookups:
        return []
    matched = union(*lookups).subquery()
    query = (
        select(Version.story_id, Version.minhash, Version.headline_key, Story.guid)
        .join(matched, matched.c.id == Version.id)
        .join(Story, Story.id == Version.story_id)
        .order_by(Version.id.desc())
        .limit(CANDIDATE_LIMIT)
    )
    return session.execute(query).all()


def story_by_id(session: Session, story_id: int) -> Story:
    story = session.get(Story, story_id)
    assert story is not None
    return story


def versions_of(session: Session, story_id: int) -> list[Version]:
    query = select(Version).where(Version.story_id == story_id).order_by(Version.number)
    return list(session.scalars(query))


def same_version(
    session: Session, story_id: int, content_hash: str, label: str | None
) -> Version | None:
    """The stored version with this text and this label, if any."""
    query = select(Version).where(
        Version.story_id == story_id,
        Version.content_hash == content_hash,
        Version.label.is_(None) if label is None else Version.label == label,
    )
    return session.scalars(query).first()


def versions_between(session: Session, story_id: int, first: int, last: int) -> list[Version]:
    query = (
        select(Version)
        .where(Version.story_id == story_id, Version.number.between(first, last))
        .order_by(Version.number)
    )
    return list(session.scalars(query))


def version_by_number(session: Session, story_id: int, number: int) -> Version | None:
    query = select(Version).where(Version.story_id == story_id, Version.number == number)
    return session.scalar(query)


def make_room(session: Session, story_id: int, number: int) -> None:
    """Renumber versions `number`.. one up, in two steps so the unique index holds throughout."""
    later = (Version.story_id == story_id) & (Version.number >= number)
    session.execute(update(Version).where(later).values(number=-Version.number - 1))
    flipped = (Version.story_id == story_id) & (Version.number < 0)
    session.execute(update(Version).where(flipped).values(number=-Version.number))
    session.expire_all()


def add_version(
    session: Session, version: Version, sentences: list[SentenceRow], band_keys: Sequence[int]
) -> None:
    session.add(version)
    session.flush()
    for sentence in sentences:
        sentence.version_id = version.id
    session.add_all(sentences)
    session.add_all(
        Band(key=key, version_id=version.id, story_id=version.story_id) for key in set(band_keys)
    )
    if dialect(session) == "sqlite":
        session.execute(
            text("INSERT INTO version_fts(rowid, text) VALUES (:id, :text)"),
            {"id": version.id, "text": version.text},
        )
    else:
        session.execute(text("SELECT pg_notify('wirediff', :id)"), {"id": str(version.id)})
    session.flush()


def sentences_of(session: Session, version_ids: Sequence[int]) -> dict[int, list[SentenceRow]]:
    """Each version's sentences in order, by version id."""
    query = (
        select(SentenceRow)
        .where(SentenceRow.version_id.in_(version_ids))
        .order_by(SentenceRow.version_id, SentenceRow.position)
    )
    result: dict[int, list[SentenceRow]] = {}
    for row in session.scalars(query):
        result.setdefault(row.version_id, []).append(row)
    return result


def _match(session: Session, match: str | None) -> Any:
    """Title or key holds `match`, case aside.

    On SQLite the FTS5 trigram index over titles and keys narrows the stories first
    (it needs three characters); the LIKE then decides, as on PostgreSQL, where the
    pg_trgm indexes serve the LIKE itself.
    """
    if not match:
        return None
    needle = match.lower()
    escaped = _like_escape(needle)
    condition = or_(
        func.lower(Story.title).like(f"%{escaped}%", escape="\\"),
        Story.key.like(f"%{escaped}%", escape="\\"),
    )
    if dialect(session) == "sqlite" and len(needle) >= TRIGRAM:
        indexed = text("SELECT rowid FROM story_fts WHERE story_fts MATCH :phrase").bindparams(
            phrase='"' + needle.replace('"', '""') + '"'
        )
        condition = Story.id.in_(indexed.columns(column("rowid", Integer))) & condition
    return condition


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_stories(
    session: Session,
    *,
    order: Literal["updated", "title"],
    match: str | None,
    limit: int,
    offset: int,
) -> Sequence[Row[Story, dict[str, Any] | None]]:
    """Stories with the change summary of their latest version.

    The page of stories is picked first and only its latest versions are read: a
    filter matching thousands of stories must not fetch thousands of versions.
    """
    ordering: tuple[Any, ...] = (
        (Story.last_update.desc(), Story.id.desc())
        if order == "updated"
        else (Story.title, Story.id)
    )
    page = select(Story.id).order_by(*ordering).limit(limit).offset(offset)
    condition = _match(session, match)
    if condition is not None:
        page = page.where(condition)
    chosen = page.subquery()
    query = (
        select(Story, Version.counts)
        .join(chosen, chosen.c.id == Story.id)
        .join(Version, (Version.story_id == Story.id) & (Version.number == Story.version_count))
        .order_by(*ordering)
    )
    return session.execute(query).all()


def count_stories(session: Session, match: str | None) -> int:
    query = select(func.count()).select_from(Story)
    condition = _match(session, match)
    if condition is not None:
        query = query.where(condition)
    return session.scalar(query) or 0


def versions_after(session: Session, version_id: int) -> list[tuple[Version, str]]:
    query = (
        select(Version, Story.key)
        .join(Story, Story.id == Version.story_id)
        .where(Version.id > version_id)
        .order_by(Version.id)
    )
    return [(version, key) for version, key in session.execute(query)]


def latest_version_id(session: Session) -> int:
    return session.scalar(select(func.max(Version.id))) or 0


def search(
    session: Session, words: list[str], limit: int
) -> Sequence[Row[str, str, int, str, datetime]]:
    """Stories whose text holds all `words`, newest first, each with its first such version."""
    if dialect(session) == "sqlite":
        expression = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        matching = text(
            "SELECT rowid AS id FROM version_fts WHERE version_fts MATCH :q"
        ).bindparams(q=expression)
    else:
        matching = text(
            "SELECT id FROM version"
            " WHERE to_tsvector('english', text) @@ plainto_tsquery('english', :q)"
        ).bindparams(q=" ".join(words))
    first = (
        select(Version.story_id, func.min(Version.number).label("number"))
        .where(Version.id.in_(matching.columns(column("id", Integer))))
        .group_by(Version.story_id)
        .subquery()
    )
    query = (
        select(Story.key, Story.title, Version.number, Version.text, Story.last_update)
        .join(first, first.c.story_id == Story.id)
        .join(Version, (Version.story_id == Story.id) & (Version.number == first.c.number))
        .order_by(Story.last_update.desc(), Story.id.desc())
        .limit(limit)
    )
    return session.execute(query).all()
