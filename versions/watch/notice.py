"""What an editor is told about a new version: the event log line and the `--exec` payload."""

from __future__ import annotations

from typing import Any

from versions.errors import WirediffError
from versions.model import Status, Tag
from versions.service import Archive, ChangeCounts, IngestResult
from versions.watch.events import EventLog
from versions.watch.hooks import HookRunner, ring_bell


def substantive(counts: ChangeCounts | None) -> bool:
    """False when the version changed nothing but cosmetics (or nothing at all).

    A first version is news by definition. A change with several tags counts as
    cosmetic only when the classifier tagged it so: a cosmetic change is one whose
    wording is otherwise the same.
    """
    if counts is None:
        return True
    return counts.total > counts.tags.get(str(Tag.COSMETIC), 0)


def describe(archive: Archive, result: IngestResult, *, advisory: bool = False) -> dict[str, Any]:
    """The fields of an "ingested" event, read back from the archive after the commit.

    `advisory` adds the advisory line an editor would write for the version
    (a diff against its predecessor, so only when someone is listening).
    """
    assert result.story is not None and result.version is not None
    story = archive.story(result.story)
    rows = archive.versions(story.key)
    row = next(r for r in rows if r.number == result.version)
    counts = result.counts
    fields: dict[str, Any] = {
        "story": story.key,
        "title": story.title,
        "status": str(story.status),
        "withdrawn": story.status is Status.WITHDRAWN,
        "version": row.number,
        "label": row.label,
        "headline": row.headline,
        "versions": {
            "old": row.number - 1 if row.number > 1 else None,
            "new": row.number,
            "total": len(rows),
        },
        "out_of_order": row.number < len(rows),
        "counts": counts.by_kind if counts else None,
        "tags": {tag: n for tag, n in counts.tags.items() if n} if counts else {},
        "summary": counts.short() if counts else "first version",
        "substantive": substantive(counts),
    }
    if advisory:
        line = archive.advisory(story.key, row.number) if row.number > 1 else ""
        fields["advisory"] = line or None
    return fields


class Reporter:
    """Turns each ingest result into its log line and, for a new version, the notifications."""

    def __init__(
        self,
        archive: Archive,
        log: EventLog,
        *,
        hooks: HookRunner | None = None,
        bell: bool = False,
    ) -> None:
        self._archive = archive
        self._log = log
        self._hooks = hooks
        self._bell = bell

    def __call__(self, result: IngestResult) -> None:
        if result.status != "added":
            self._log.result(result)
            return
        try:
            fields = describe(self._archive, result, advisory=self._hooks is not None)
        except WirediffError as exc:  # renumbered or renamed by another writer meanwhile
            fields = {"story": result.story, "version": result.version, "note": str(exc)}
        record = self._log.emit("ingested", source=result.source, **fields)
        if self._hooks is not None:
            self._hooks.submit(record)
        if self._bell:
            ring_bell()
