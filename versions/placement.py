"""Where a delivered item goes: which story, whether it is stored already, at which number.

Pure rules over small values the store reads (`StoredVersion`, `Candidate`); the
service asks the store for them and writes what the rules decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from versions import story_match
from versions.labels import label_text
from versions.model import Document, ItemMeta, ParagraphKind


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """What the rules read of a stored version: never its text, which may be large."""

    id: int
    number: int
    label: str | None
    guid: str | None
    agency_version: int | None
    format: str
    created_at: datetime
    summary: str  # the bullets under the headline, one a line


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored version sharing a MinHash band or the headline with the new item."""

    story_id: int
    signature: tuple[int, ...]
    headline_key: str
    story_guid: str | None


def choose_story(
    candidates: Iterable[Candidate],
    signature: tuple[int, ...],
    headline_key: str,
    guid: str | None,
) -> int | None:
    """The story whose best version scores highest, at or above `story_match.THRESHOLD`.

    An item whose guid is new may join a story that has no guid yet (the same story
    delivered as plain text first), never one under another guid.
    """
    best: dict[int, float] = {}
    for candidate in candidates:
        if guid and candidate.story_guid is not None:
            continue
        score = story_match.score(
            signature, headline_key, candidate.signature, candidate.headline_key
        )
        best[candidate.story_id] = max(best.get(candidate.story_id, 0.0), score)
    if not best:
        return None
    story_id, score = max(best.items(), key=lambda item: item[1])
    return story_id if score >= story_match.THRESHOLD else None


def bullets(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.kind is ParagraphKind.BULLET]


def texts_to_compare(existing: Sequence[StoredVersion], document: Document) -> list[int]:
    """The stored versions whose text `same_item` compares: same label, bullets on one side."""
    has_bullets = bool(bullets(document))
    return [
        version.id
        for version in existing
        if version.label == label_text(document.meta.label) and bool(version.summary) != has_bullets
    ]


def same_item(
    existing: Sequence[StoredVersion], document: Document, texts: Mapping[int, str]
) -> StoredVersion | None:
    """The stored version this item is another delivery of (another format, a feed), if any.

    With the same guid: the same agency version number when both carry one; else, in another
    format, the same creation time and label (a feed item edited in place keeps its time and
    its format: that is an update). Failing that, the same label and the same text apart from
    the summary bullets, when only one of the two has bullets (feeds drop them): `texts` holds
    the stored text of each version `texts_to_compare` named.
    """
    meta = document.meta
    for version in existing:
        if not meta.guid or version.guid != meta.guid:
            continue
        if meta.version is not None and version.agency_version is not None:
            same = version.agency_version == meta.version
        else:
            same = (
                version.format != meta.format
                and version.created_at == meta.created
                and version.label == label_text(meta.label)
            )
        if same:
            return version
    wanted = set(texts_to_compare(existing, document))
    if not wanted:
        return None
    text = _without_lines(document.text, bullets(document))
    for version in existing:
        if version.id not in wanted:
            continue
        if _without_lines(texts[version.id], version.summary.splitlines()) == text:
            return version
    return None


def repeat_of(
    existing: Sequence[StoredVersion],
    matches: Sequence[StoredVersion],
    meta: ItemMeta,
    created: datetime,
) -> StoredVersion | None:
    """Of the stored versions with this item's label and text (`matches`), the one the item
    is another delivery of, if any.

    The same text next to itself is one version delivered twice. The same text after a
    different take is a revert, a new version, when the item and the version it matches
    both carry what tells deliveries apart and it differs: the agency's version number, or
    under one guid the creation time. Without that on both sides (plain text, or a take
    stored as plain text and delivered again as ninjs) it is the same text delivered again,
    and ingest stays idempotent.
    """
    number = position(existing, meta, created)
    for version in matches:
        if version.number in (number - 1, number) or _same_delivery(version, meta):
            return version
    return None


def _same_delivery(version: StoredVersion, meta: ItemMeta) -> bool:
    if meta.version is not None and version.agency_version is not None:
        return meta.version == version.agency_version
    if meta.guid is not None and meta.guid == version.guid and meta.created is not None:
        return meta.created == version.created_at
    return True


def _without_lines(text: str, lines: list[str]) -> str:
    drop = set(lines)
    return "\n".join(line for line in text.splitlines() if line not in drop)


def learned_identity(version: StoredVersion, meta: ItemMeta) -> dict[str, Any]:
    """What a stored version delivered again with its guid and number (plain text first) keeps."""
    learned: dict[str, Any] = {}
    if version.guid is None and meta.guid is not None:
        learned["guid"] = meta.guid
    if version.agency_version is None and meta.version is not None:
        learned["agency_version"] = meta.version
    return learned


def position(existing: Sequence[StoredVersion], meta: ItemMeta, created: datetime) -> int:
    """The new version's number: before the first stored version it should follow.

    Items that carry the agency's version number or a creation time are put in
    their true order; plain text received now goes last.
    """
    for version in existing:
        if meta.version is not None and version.agency_version is not None:
            if version.agency_version > meta.version:
                return version.number
        elif meta.created is not None and version.created_at > created:
            return version.number
    return len(existing) + 1
