"""Notice versions stored by other processes, without reloading anything.

Runs in a thread worker: every `interval` seconds it asks the archive for its
change token (SQLite `PRAGMA data_version`, PostgreSQL LISTEN/NOTIFY); only when
the token moves does it fetch the versions added since the last one it reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from versions.service import Archive, VersionRow


def watch_archive(
    archive: Archive,
    on_versions: Callable[[list[VersionRow]], object],
    *,
    interval: float,
    sleep: Callable[[float], bool],
) -> None:
    """Poll until `sleep(interval)` returns False (the worker was cancelled)."""
    token = archive.change_token()
    last_id = archive.latest_version_id()
    while sleep(interval):
        now = archive.change_token()
        if now == token:
            continue
        token = now
        added = archive.versions_since(last_id)
        if added:
            last_id = max(row.id for row in added)
            on_versions(added)
