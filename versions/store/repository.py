"""Every query wirediff runs; the service layer above never writes SQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Integer, Row, column, func, or_, select, text, update
from sqlalchemy.orm import Session

from versions.store.schema import Band, SentenceRow, Story, Version

CANDIDATE_LIMIT = 500


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def story_by_key(session: Session, key: str) -> Story | None:
    return session.scalar(select(Story).where(Story.key == key))


def stories_by_key_prefix(session: Session, prefix: str, limit: int = 2) -> list[Story]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(Story)
        .where(Story.key.like(f"{escaped}%", escape="\\"))
        .order_by(Story.key)
        .limit(limit)
    )
    return list(session.scalars(query))


def story_by_guid(session: Session, guid: str) -> Story | None:
    return session.scalar(select(Story).where(Story.guid == guid))


def story_keys_like(session: Session, base: str) -> set[str]:
    """Taken keys equal to `base` or `base-<n>`, to pick a free one."""
    query = select(Story.key).where(or_(Story.key == base, Story.key.like(f"{base}-%")))
    return set(session.scalars(query))


def thread_candidates(
    session: Session, band_keys: Sequence[int], headline_key: str
) -> Sequence[Row[int, bytes, str, str | None]]:
    """(story_id, minhash, headline_key, story guid) of versions sharing a band or headline key."""
    by_band = select(Band.version_id).where(Band.key.in_(band_keys)) if band_keys else None
    conditions: list[Any] = []
    if by_band is not None:
        conditions.append(Version.id.in_(by_band))
    if headline_key:
        conditions.append(Version.headline_key == headline_key)
    if not conditions:
        return []
    query = (
        select(Version.story_id, Version.minhash, Version.headline_key, Story.guid)
        .join(Story, Story.id == Version.story_id)
        .where(or_(*conditions))
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


def sentences_of(session: Session, version_id: int) -> list[SentenceRow]:
    query = (
        select(SentenceRow)
        .where(SentenceRow.version_id == version_id)
        .order_by(SentenceRow.position)
    )
    return list(session.scalars(query))


def _match(match: str | None) -> Any:
    if not match:
        return None
    needle = match.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        func.lower(Story.title).like(f"%{needle}%", escape="\\"),
        Story.key.like(f"%{needle}%", escape="\\"),
    )


def list_stories(
    session: Session,
    *,
    order: Literal["updated", "title"],
    match: str | None,
    limit: int,
    offset: int,
) -> Sequence[Row[Story, dict[str, Any] | None]]:
    """Stories with the change summary of their latest version, one indexed join."""
    query = select(Story, Version.counts).join(
        Version, (Version.story_id == Story.id) & (Version.number == Story.version_count)
    )
    condition = _match(match)
    if condition is not None:
        query = query.where(condition)
    if order == "updated":
        query = query.order_by(Story.last_update.desc(), Story.id.desc())
    else:
        query = query.order_by(Story.title, Story.id)
    return session.execute(query.limit(limit).offset(offset)).all()


def count_stories(session: Session, match: str | None) -> int:
    query = select(func.count()).select_from(Story)
    condition = _match(match)
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
