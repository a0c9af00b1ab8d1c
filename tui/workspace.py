"""What every screen works with: the archive, the clock, the reader's settings and what the
reader chose earlier in this session.  Handed to each screen by the app, so no screen
imports the app."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from versions.config import Notify
from versions.service import Archive, Assessment


@dataclass(frozen=True)
class Settings:
    """What the UI takes from the user's config file (`versions.config`)."""

    theme: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)  # binding id → keys, "diff.next" → "n,j"
    export_dir: Path | None = None  # None: the working directory
    notify: Notify = field(default_factory=Notify)  # which arrivals pop up a notice


@dataclass
class DiffChoices:
    """How the reader last looked at a diff; the next diff opens the same way."""

    side_by_side: bool = False
    changes_only: bool = False
    show_cosmetic: bool = False


@dataclass
class Workspace:
    archive: Archive
    now: Callable[[], datetime]
    settings: Settings = field(default_factory=Settings)
    diff: DiffChoices = field(default_factory=DiffChoices)
    user: str = ""  # the desk editor whose follows and reading the screens use
    # arrivals scored for the desk, by version id: each costs a comparison, so once a session
    assessed: dict[int, Assessment] = field(default_factory=dict)

    @property
    def export_dir(self) -> Path:
        return self.settings.export_dir or Path.cwd()
