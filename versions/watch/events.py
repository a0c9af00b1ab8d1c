"""The watcher's log: one JSON object a line, so a desk's tools can follow it with `tail -f | jq`;
on a terminal, one readable line an event instead.

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

from versions.editorial import FLAGGED, visible
from versions.service import IngestResult


class EventLog:
    """Writes events to a text stream; safe to call from several threads.

    `text` writes `text_line` instead of JSON: what a person at a terminal reads.
    """

    def __init__(self, stream: TextIO, *, text: bool = False) -> None:
        self._stream = stream
        self._text = text
        self._lock = threading.Lock()

    def emit(self, event: str, **fields: Any) -> dict[str, Any]:
        record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event}
        record |= fields
        line = (
            text_line(record) if self._text else json.dumps(record, ensure_ascii=False, default=str)
        )
        if line is None:
            return record
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


# Routine events a person at a terminal does not need to see; the JSON log keeps them.
_QUIET = frozenset({"feed_checked"})


def text_line(record: dict[str, Any]) -> str | None:
    """An event as a person reads it, story text shown, never obeyed; None for a routine one.

    An arrival: "14:05:12   79 ★ <headline> — v3 UPDATE 2 — (Adds …) ⚑ number ⚑ quote":
    time, significance, ★ when followed, the story, version and label, the advisory line
    (or the reasons when there is none), the flags.
    """
    event = record["event"]
    if event in _QUIET:
        return None
    when = datetime.fromisoformat(record["time"]).astimezone().strftime("%H:%M:%S")
    if event == "ingested":
        return f"{when}  {_arrival(record)}"
    details = {k: v for k, v in record.items() if k not in ("time", "event") and v is not None}
    if event == "unchanged":
        text = f"{_shown(details.get('source'))}: {details.get('story')} v{details.get('version')}"
        return f"{when}  unchanged  {text}"
    subject = details.pop("source", None) or details.pop("url", None) or details.pop("folder", None)
    reason = details.pop("reason", None)
    parts = [event.replace("_", " ")]
    if subject is not None:
        parts.append(_shown(subject))
    parts += [f"{key}={_shown(value)}" for key, value in details.items()]
    line = "  ".join(parts)
    return f"{when}  {line}: {_shown(reason)}" if reason is not None else f"{when}  {line}"


def _arrival(record: dict[str, Any]) -> str:
    score = record.get("significance")
    mark = "★" if record.get("followed") else " "
    version = f"v{record['version']}"
    if record.get("label"):
        version += f" {record['label']}"
    why = record.get("advisory") or ", ".join(record.get("reasons") or ()) or record["summary"]
    flags = " ".join(f"⚑ {tag}" for tag in FLAGGED if record.get("tags", {}).get(str(tag)))
    score_text = f"{score:>3}" if score is not None else "  ·"
    line = f"{score_text} {mark} {_shown(record['headline'])} — {_shown(version)} — {_shown(why)}"
    return f"{line} {flags}" if flags else line


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return visible(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
