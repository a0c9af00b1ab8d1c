"""The watcher's log: one JSON object a line, so a desk's tools can follow it with `tail -f | jq`.

Every line has "time" (UTC, ISO 8601) and "event": watching (the folders and how
they are watched; again when watchfiles fails and polling takes over), ingested,
unchanged, rejected, retry (an ingest failed for a reason other than the input; the
file is put back and tried again), recovered (a file claimed by a watcher that is
gone, taken again: "holder" and "reason" say whose and why), claim_lost (a claim
held too long was taken back by another watcher, which files it), folder_error,
feed_checked, feed_error, hook_error, error (a watcher died; the others are
stopped), stopped.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any, TextIO

from versions.service import IngestResult


class EventLog:
    """Writes events to a text stream; safe to call from several threads."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def emit(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        record |= fields
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()
        return record

    def result(self, result: IngestResult) -> dict[str, Any]:
        """The line for an item that added no version: unchanged or rejected.

        A new version's line carries more, read back from the archive (`notice.describe`).
        """
        if result.status == "rejected":
            return self.emit("rejected", source=result.source, reason=result.reason)
        return self.emit(
            "unchanged", source=result.source, story=result.story, version=result.version
        )
