"""Messages the live-update worker posts to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from versions.service import VersionRow


class ArchiveChanged(Message):
    """Another process stored these versions (oldest first)."""

    def __init__(self, versions: list[VersionRow]) -> None:
        super().__init__()
        self.versions = versions
