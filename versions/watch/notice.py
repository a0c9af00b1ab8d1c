"""What an editor is told about a new version: the event log line and the `--exec` payload."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from versions import editorial
from versions.advisory import advisory as advisory_of
from versions.config import Notify
from versions.labels import label_text
from versions.model import Status
from versions.service import IngestResult
from versions.watch.events import EventLog
from versions.watch.hooks import HookRunner, ring_bell


def describe(
    result: IngestResult, *, advisory: bool = False, followed: bool = False
) -> dict[str, Any]:
    """The fields of an "ingested" event, from what the ingest returned (nothing read again).

    `advisory` adds the advisory line an editor would write for the version
    (from the comparison with its predecessor, so only when someone is listening).
    `significance` and `reasons` say how much the arrival matters (docs/significance.md);
    `followed`, whether the editor follows the story.
    """
    row, story = result.stored, result.story_state
    assert row is not None and story is not None
    counts = result.counts
    fields: dict[str, Any] = {
        "story": story.key,
        "title": story.title,
        "status": story.status,
        "withdrawn": story.status == str(Status.WITHDRAWN),
        "version": row.number,
        "label": label_text(row.label),
        "headline": row.headline,
        "versions": {
            "old": row.number - 1 if row.number > 1 else None,
            "new": row.number,
            "total": story.version_count,
        },
        "out_of_order": row.number < story.version_count,
        "counts": counts.by_kind if counts else None,
        "tags": {tag: n for tag, n in counts.tags.items() if n} if counts else {},
        "summary": counts.short() if counts else editorial.FIRST_VERSION,
        "substantive": counts is None or counts.substantive,  # a first version is news
        "significance": result.significance.score if result.significance else None,
        "reasons": list(result.significance.reasons) if result.significance else [],
        "followed": followed,
    }
    if advisory:
        line = advisory_of(result.comparison) if result.comparison else ""
        fields["advisory"] = line or None
    return fields


FOLLOWS_FRESH_S = 1.0


class Reporter:
    """Turns each ingest result into its log line and, for a new version worth it
    (`Notify.announces`), the notifications: the hook and the bell.

    `followed` answers which stories the editor follows; another process (the TUI,
    `wirediff follow`) may change them, so the answer is kept for `FOLLOWS_FRESH_S` only:
    a burst of takes costs one query a second, a new follow counts within a second.
    """

    def __init__(
        self,
        log: EventLog,
        *,
        hooks: HookRunner | None = None,
        bell: bool = False,
        advisory: bool = False,
        notify: Notify | None = None,
        followed: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        self._log = log
        self._hooks = hooks
        self._bell = bell
        self._advisory = advisory or hooks is not None
        self._notify = notify or Notify()
        self._followed = followed
        self._follows: tuple[float, frozenset[str]] | None = None

    def __call__(self, result: IngestResult) -> None:
        if result.status != "added":
            self._log.result(result)
            return
        followed = result.story in self._follows_now()
        fields = describe(result, advisory=self._advisory, followed=followed)
        record = self._log.emit("ingested", source=result.source, **fields)
        score = result.significance.score if result.significance else 1
        if not self._notify.announces(score, followed=followed):
            return
        if self._hooks is not None:
            self._hooks.submit(record)
        if self._bell:
            ring_bell()

    def _follows_now(self) -> frozenset[str]:
        if self._followed is None:
            return frozenset()
        now = time.monotonic()
        if self._follows is None or now - self._follows[0] >= FOLLOWS_FRESH_S:
            self._follows = (now, self._followed())
        return self._follows[1]
