"""A real SQLite archive loaded with the bundled samples, at fixed times."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.sample_archive import NOW, load_samples
from tui.app import WirediffApp
from versions.service import Archive


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
