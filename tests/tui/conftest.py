"""A real SQLite archive loaded with the bundled samples, at fixed times."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.app import WirediffApp
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


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def samples_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    with Archive.open(f"sqlite:///{path}") as archive:
        load_samples(archive)
    return path


@pytest.fixture
def db_url(samples_file: Path, tmp_path: Path) -> str:
    """A private copy of the samples database, so a test may write to it."""
    path = tmp_path / "archive.db"
    shutil.copy(samples_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def archive(db_url: str) -> Iterator[Archive]:
    with Archive.open(db_url) as opened:
        yield opened


@pytest.fixture
def app(archive: Archive) -> WirediffApp:
    return WirediffApp(archive, now=lambda: NOW, watch=False)


def seed_key(archive: Archive) -> str:
    """The Biden / Ukraine missiles story (the seed), found by its headline."""
    return next(row.key for row in archive.stories(match="Ukraine") if row.versions >= 4)
