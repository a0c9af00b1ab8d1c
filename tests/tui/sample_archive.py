"""The bundled samples in a real archive, at fixed times: shared by the TUI tests.

A module of its own rather than conftest.py: every test folder has a conftest, and
`from conftest import …` would take whichever one was imported first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from versions.service import Archive

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RECEIVED = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)
NOW = datetime(2024, 11, 21, 18, 0, tzinfo=UTC)


def load_samples(archive: Archive) -> None:
    """Every sample version, story by story, received 20 minutes apart."""
    files = sorted(p for story in SAMPLES.iterdir() if story.is_dir() for p in story.glob("*.txt"))
    for number, path in enumerate(files):
        archive.ingest(
            path.read_bytes(),
            source=str(path),
            received_at=RECEIVED + timedelta(minutes=20 * number),
        )


def seed_key(archive: Archive) -> str:
    """The Biden / Ukraine missiles story (the seed), found by its headline."""
    return next(row.key for row in archive.stories(match="Ukraine") if row.versions >= 4)
