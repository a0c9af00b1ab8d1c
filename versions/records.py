"""What the archive holds, as values: stories, versions and their change counts.

The store maps its rows to these; the service, the CLI and the TUI pass them on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from versions.editorial import COUNT_ORDER, short_counts, substantive
from versions.labels import WireLabel, label_text
from versions.model import ChangeKind, ChangeLog, Status

_KINDS = tuple(str(kind) for kind in COUNT_ORDER)


@dataclass(frozen=True)
class ChangeCounts:
    """How many changes of each kind one version brought, and how many carried each tag."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0
    split: int = 0
    merged: int = 0
    tags: dict[str, int] = field(default_factory=dict)

    def short(self) -> str:
        """Like "+2 ~3 −1 ↕1 ⋔1 ⋈1", as every front end writes it (`editorial.short_counts`)."""
        return short_counts(self.by_kind)

    @property
    def substantive(self) -> bool:
        """Whether the version changed more than cosmetics (`editorial.substantive`)."""
        return substantive(self.by_kind, self.tags)

    @property
    def by_kind(self) -> dict[str, int]:
        """Each kind's count, in `editorial.COUNT_ORDER` (the order of their JSON keys)."""
        return {kind: getattr(self, kind) for kind in _KINDS}

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def to_dict(self) -> dict[str, Any]:
        return self.by_kind | {"tags": dict(self.tags)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChangeCounts:
        return cls(
            **{kind: int(data.get(kind, 0)) for kind in _KINDS},
            tags={str(k): int(v) for k, v in data.get("tags", {}).items()},
        )

    @classmethod
    def of(cls, log: ChangeLog) -> ChangeCounts:
        summary = log.summary
        return cls(
            added=summary[ChangeKind.ADDED],
            removed=summary[ChangeKind.REMOVED],
            changed=summary[ChangeKind.CHANGED],
            moved=summary[ChangeKind.MOVED],
            split=summary[ChangeKind.SPLIT],
            merged=summary[ChangeKind.MERGED],
            tags=log.tag_counts(),
        )


@dataclass(frozen=True)
class StoryRow:
    key: str
    title: str
    versions: int
    first_seen: datetime
    last_update: datetime
    status: Status
    latest: ChangeCounts | None  # latest version against the one before it

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "versions": self.versions,
            "first_seen": self.first_seen.isoformat(),
            "last_update": self.last_update.isoformat(),
            "status": str(self.status),
        }


@dataclass(frozen=True)
class VersionRow:
    story_key: str
    number: int
    label: WireLabel | None
    received_at: datetime
    created_at: datetime
    headline: str
    advisory: str | None
    counts: ChangeCounts | None  # against the previous version; None for version 1
    id: int
    format: str = "text"
    item_index: int | None = None  # which item of the delivered file (`Archive.raw`) it is
    withdrawn: bool = False  # it withdrew the story (its label, its format or a KILL line said so)
    correction: bool = False  # it corrects an earlier take (label, format or advisory)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "label": label_text(self.label),
            "created_at": self.created_at.isoformat(),
            "received_at": self.received_at.isoformat(),
            "headline": self.headline,
            "advisory": self.advisory,
            "counts": self.counts.to_dict() if self.counts else None,
            "format": self.format,
            "item_index": self.item_index,
            "withdrawn": self.withdrawn,
            "correction": self.correction,
        }


@dataclass(frozen=True)
class SearchHit:
    story_key: str
    title: str
    version: int  # the first version in which the words appear
    snippet: str
    last_update: datetime
    dropped_in: int | None = None  # the version that dropped them, when the latest lacks them

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": self.story_key,
            "title": self.title,
            "version": self.version,
            "snippet": self.snippet,
            "last_update": self.last_update.isoformat(),
            "dropped_in": self.dropped_in,
        }


@dataclass(frozen=True, slots=True)
class StoryState:
    """A stored story as ingest reads and updates it."""

    id: int
    key: str
    guid: str | None
    title: str
    first_seen: datetime
    last_update: datetime
    status: str
    version_count: int
