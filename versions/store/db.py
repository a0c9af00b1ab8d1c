"""Engines, sessions and the schema's migration state, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from alembic import command
from versions.errors import NeedsUpgrade, WirediffError

ENV_VAR = "WIREDIFF_DB"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def default_url() -> str:
    return f"sqlite:///{Path(platformdirs.user_data_dir('wirediff')) / 'wirediff.db'}"


def resolve_url(url: str | None = None) -> str:
    """`--db`, else `WIREDIFF_DB`, else a SQLite file in the user data directory."""
    return url or os.environ.get(ENV_VAR) or default_url()


def normalise_url(url: str) -> URL:
    """Bare `postgresql://` means psycopg 3 here: psycopg2 is not a dependency."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise WirediffError(f"not a database URL: {url!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see `_on_sqlite_begin`).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # Writers take the write lock up front: a deferred transaction that reads and
    # then writes fails at once in WAL mode when another writer got in between.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise WirediffError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Config:
    """The project's alembic.ini, pointed at `url` (env.py reads it from here)."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    if url is not None:
        config.attributes["wirediff_url"] = url
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def check_schema(engine: Engine, url: str, *, create: bool) -> None:
    """Upgrade a new empty database to head; refuse an older one with `NeedsUpgrade`.

    Upgrading silently would change a file other tools (or an older wirediff) may
    still use, so an existing database is only migrated on `wirediff db upgrade`.
    """
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise WirediffError(f"cannot open {safe_url(url)}: {reason}") from exc
    head = head_revision()
    if current == head:
        return
    if current is None:
        if inspect(engine).get_table_names():
            raise WirediffError(f"{safe_url(url)} holds tables but no wirediff schema")
        if not create:
            raise WirediffError(f"no wirediff database at {safe_url(url)}")
        upgrade(url)
        return
    raise NeedsUpgrade(
        f"the database {safe_url(url)} is at schema {current}, this wirediff needs {head}:"
        " run `wirediff db upgrade`"
    )


def safe_url(url: str) -> str:
    return normalise_url(url).render_as_string(hide_password=True)


class ChangeWatch:
    """A cheap token that changes when another connection commits new versions.

    SQLite: `PRAGMA data_version` on a connection kept open for the purpose (it
    moves when any other connection commits). PostgreSQL: a LISTEN connection on
    the `wirediff` channel that ingest NOTIFYs, drained without blocking; the
    token counts the notifications seen.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._seen = 0

    def token(self) -> int:
        if self._engine.dialect.name == "sqlite":
            if self._connection is None:
                self._connection = self._engine.connect()
            value = self._connection.exec_driver_sql("PRAGMA data_version").scalar()
            self._connection.rollback()
            return int(value)
        if self._connection is None:
            import psycopg

            url = self._engine.url.set(drivername="postgresql")
            self._connection = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True
            )
            self._connection.execute("LISTEN wirediff")
        self._seen += sum(1 for _ in self._connection.notifies(timeout=0))
        return self._seen

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
