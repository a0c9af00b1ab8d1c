"""Shared fixtures: a real database on each engine, never a mock of one.

`db_url` runs a test on a fresh SQLite file and on a fresh database on the local
PostgreSQL server (created through the `test` database and dropped afterwards);
the PostgreSQL run is skipped, saying why, when no server answers.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
POSTGRES_ADMIN = os.environ.get(
    "WIREDIFF_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def _postgres_unavailable() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        psycopg.connect(POSTGRES_ADMIN, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {POSTGRES_ADMIN}: {str(exc).strip().splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    return POSTGRES_ADMIN


@pytest.fixture
def postgres_url(postgres_admin: str) -> Iterator[str]:
    import psycopg

    name = f"wirediff_test_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_admin, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base = postgres_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_admin, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wirediff.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A URL to a new, empty database on each engine."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def samples() -> Path:
    if not (SAMPLES / "README.md").exists() and not any(SAMPLES.glob("*/*.txt")):
        pytest.skip("samples/ has no stories yet")
    return SAMPLES
