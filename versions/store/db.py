"""Opening the archive: the URL, the schema's migration state, and for ingest and
migrations the SQLAlchemy engine, for SQLite and PostgreSQL alike.

Opening for reading needs no SQLAlchemy: the stored revision is compared with the
head by a plain query (`versions.store.dialect`), and SQLAlchemy and Alembic are
loaded only to write or to migrate (issue 11: start-up).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from versions import config, resources
from versions.errors import NeedsUpgrade, WirediffError
from versions.store.dialect import (
    SQLITE_BUSY_TIMEOUT_MS,
    Connection,
    Dialect,
    dialect_for,
    driver_error,
    mask_password,
    parse_url,
    sqlite_path,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection as EngineConnection
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

ENV_VAR = "WIREDIFF_DB"
# Any 64-bit number, the same in every wirediff: PostgreSQL's advisory lock that
# serialises schema creation and upgrades between processes.
_SCHEMA_LOCK = 0x77697265_64696666 & 0x7FFF_FFFF_FFFF_FFFF
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_REVISION_ID = re.compile(r"[\"']([0-9A-Za-z_]+)[\"']")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):(.*)@([^@]*)$", re.DOTALL)

__all__ = ["mask_password", "sqlite_path"]


def default_url() -> str:
    import platformdirs

    return f"sqlite:///{Path(platformdirs.user_data_dir('wirediff')) / 'wirediff.db'}"


def resolve_url(url: str | None = None) -> str:
    """`--db`, else `WIREDIFF_DB`, else the config file's `database`, else the default.

    The default is a SQLite file in the user data directory; a plain path
    (`./wire.db`) names a SQLite file.
    """
    chosen = url or os.environ.get(ENV_VAR) or config.load().database or default_url()
    if _URL_SCHEME.match(chosen):
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().absolute()}"


def normalise_url(url: str) -> URL:
    """`url` checked (`dialect.parse_url`) and parsed for SQLAlchemy, bare `postgresql://`
    meaning psycopg 3."""
    from sqlalchemy.engine import make_url

    parsed = parse_url(url)
    try:
        return make_url(url).set(drivername=parsed.driver)
    except Exception as exc:
        raise WirediffError(f"not a database URL: {mask_password(url)!r}") from exc


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see `_on_sqlite_begin`).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
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
    """The SQLAlchemy engine ingest and migrations write through (reads need none)."""
    from sqlalchemy import create_engine, event

    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            _make_parent(path, url)
        if path is not None and _exists(path, url) and not _writable(path):
            parsed = _read_only(parsed, path)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise WirediffError(
                f"{safe_url(url)}: PostgreSQL needs psycopg 3:"
                " `pip install 'wirediff[postgres]'` (or 'psycopg[binary]')"
            ) from exc
    raise WirediffError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only(parsed: URL, path: Path) -> URL:
    """Open a file we may not write read-only, so the read commands still work.

    A WAL database needs its -shm file: in a folder we cannot write, SQLite reads it
    only as immutable (nobody can be writing it there through us either).
    """
    query = {"mode": "ro", "uri": "true"}
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        query["immutable"] = "1"
    return parsed.set(database=f"file:{path.absolute()}", query=query)


def _exists(path: Path, url: str) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # a folder on the way we may not enter
        raise WirediffError(f"cannot open {safe_url(url)}: {exc.strerror or exc}") from exc


def _make_parent(path: Path, url: str) -> None:
    blocking = next((p for p in path.parents if _exists(p, url)), None)
    if blocking is not None and not blocking.is_dir():
        raise WirediffError(f"cannot open {safe_url(url)}: {blocking} is not a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WirediffError(f"cannot open {safe_url(url)}: {exc.strerror or exc}") from exc
    if _exists(path, url) and path.is_dir():
        raise WirediffError(f"cannot open {safe_url(url)}: it is a directory")


def use_wal(engine: Engine) -> None:
    """WAL lets the UI read while an ingest writes; it stays set in the file.

    Set when wirediff makes or migrates its schema, never merely on opening, so a
    file that is not wirediff's is left exactly as it was.
    """
    if engine.dialect.name == "sqlite" and engine.url.query.get("mode") != "ro":
        connection = engine.raw_connection()  # outside any transaction, as SQLite requires
        try:
            connection.cursor().execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()


def alembic_config(url: str | None = None, connection: EngineConnection | None = None) -> Config:
    """Alembic pointed at the migrations shipped with this wirediff.

    env.py migrates `connection` when given (the caller holds the schema lock on it),
    else it opens `url`.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.migrations()))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.attributes["wirediff_url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration, read from the migration files without loading Alembic."""
    folder = resources.migrations() / "versions"
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py") if folder.is_dir() else ():
        for match in _REVISION.finditer(path.read_text(encoding="utf-8")):
            ids = set(_REVISION_ID.findall(match[2]))
            (parents if match[1] else revisions).update(ids)
    heads = revisions - parents
    if len(heads) != 1:
        found = "no migration head" if not heads else f"{len(heads)} migration heads"
        raise WirediffError(
            f"this wirediff is incomplete ({found} in {folder}): reinstall wirediff"
        )
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None when it has none."""
    connection = engine.raw_connection()
    try:
        return _stored_revision(connection, dialect_for(str(engine.url)))
    finally:
        connection.close()


def _stored_revision(connection: Connection, dialect: Dialect) -> str | None:
    """The revision in `alembic_version`; None without one. A database holding tables but
    no revision is another program's, or one a failed first run left half-made."""
    tables = dialect.table_names(connection)
    if "alembic_version" not in tables:
        if tables:
            raise WirediffError(_half_created(dialect.url))
        return None
    cursor = connection.cursor()
    cursor.execute("SELECT version_num FROM alembic_version")
    row = cursor.fetchone()
    return str(row[0]) if row is not None and row[0] is not None else None


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate under the schema lock, so two processes never migrate at once."""
    engine = make_engine(url)
    try:
        with _reported("open", url):
            use_wal(engine)
            with _schema_lock(engine, url) as connection:
                _migrate(connection, revision)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def _migrate(connection: EngineConnection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection=connection), revision)


def open_database(url: str, *, create: bool) -> Dialect:
    """The dialect to reach `url` by, its database at this wirediff's schema.

    The plain check runs first and needs no SQLAlchemy. An older schema raises
    `NeedsUpgrade`: upgrading silently would change a file other tools (or an older
    wirediff) may still use, so an existing database is only migrated on `wirediff db
    upgrade`. A new or empty database is reported, not made, without `create`; with it,
    it is brought to the head, and a file made by a first open that failed is removed
    so the next run starts clean.
    """
    dialect = dialect_for(url)
    path = dialect.path
    existed = path is None or _exists(path, url)
    if path is not None and existed and path.is_dir():
        raise WirediffError(f"cannot open {safe_url(url)}: it is a directory")
    if not existed and not create:
        raise WirediffError(_no_database(url))
    head = head_revision()
    if existed:
        current = _checked_revision(dialect, url)
        if current == head:
            return dialect
        if current is not None:
            raise _needs_upgrade(url, current, head)
        if not create:
            raise WirediffError(_no_database(url))
    try:
        _create_schema(url, head)
    except BaseException:
        if not existed and path is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                if leftover.exists():  # nothing was made under a path that cannot hold a file
                    leftover.unlink()
        raise
    return dialect


def _checked_revision(dialect: Dialect, url: str) -> str | None:
    with _reported("open", url):
        connection = dialect.connect()
        try:
            return _stored_revision(connection, dialect)
        finally:
            connection.close()


def _create_schema(url: str, head: str) -> None:
    """Create the schema under the schema lock, after checking again: another process
    may have just created it."""
    engine = make_engine(url)
    try:
        with _reported("open", url):
            use_wal(engine)  # SQLite's first connection, and the file made
        with _reported("create", url), _schema_lock(engine, url) as connection:
            current = _stored_revision(connection.connection, dialect_for(url))
            if current is None:
                _migrate(connection)
                return
    finally:
        engine.dispose()
    if current != head:
        raise _needs_upgrade(url, current, head)


def _needs_upgrade(url: str, current: str, head: str) -> NeedsUpgrade:
    return NeedsUpgrade(
        f"the database {safe_url(url)} is at schema {current}, this wirediff needs {head}:"
        " run `wirediff db upgrade`"
    )


@contextmanager
def _reported(what: str, url: str) -> Iterator[None]:
    """The database driver's errors as one line: `cannot open URL: reason`."""
    try:
        yield
    except Exception as exc:
        if driver_error(exc) is None:
            raise
        raise WirediffError(f"cannot {what} {safe_url(url)}: {describe(exc)}") from exc


@contextmanager
def _schema_lock(engine: Engine, url: str) -> Iterator[EngineConnection]:
    """A transaction that holds the database's write lock (SQLite) or advisory lock.

    Schema changes are transactional on both engines: the others wait, then see
    all of it or none of it.
    """
    connection = engine.connect().execution_options(sqlite_begin="IMMEDIATE")
    with connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
        yield connection


def _no_database(url: str) -> str:
    return (
        f"no wirediff database at {safe_url(url)}: "
        "`wirediff ingest PATH` creates it, `wirediff demo` shows one"
    )


def _half_created(url: str) -> str:
    return (
        f"{safe_url(url)} holds tables but no wirediff schema (another program's database,"
        " or one a failed first run left half-made): give --db a new file or empty database"
    )


def describe(exc: BaseException) -> str:
    """The driver's first line, without SQLAlchemy's SQL echo and help links."""
    orig = driver_error(exc) or exc
    lines = str(orig).strip().splitlines()
    return (lines[0] if lines else "") or type(orig).__name__


def failure(exc: BaseException, url: str) -> str:
    """One line for an error of the archive itself, met while a command ran."""
    reason = describe(exc)
    if "readonly database" in reason:
        return f"cannot write to {safe_url(url)}: it is read-only"
    return f"{safe_url(url)}: {reason}"


def safe_url(url: str) -> str:
    """The URL as given, its password (all of it, an unescaped @ too) as `***`."""
    return mask_password(url)


def hide_secrets(message: str, url: str | None) -> str:
    """`message` with the password of `url` masked wherever it appears."""
    match = _PASSWORD.match(url.strip()) if url else None
    if match is None or not match[2]:
        return message
    # A password with an unescaped @ reaches the driver cut in two: mask each part.
    for secret in sorted({match[2], *match[2].split("@")}, key=len, reverse=True):
        if len(secret) >= 3:
            message = message.replace(secret, "***")
    return message


class ChangeWatch:
    """A cheap token that changes when another connection commits new versions, read on a
    connection kept open for the purpose (`Dialect.changes`).

    The UI reads it from a watcher thread while another thread may close the archive:
    a driver connection closed while in use can crash the process, so both hold a lock.
    """

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._connection: Connection | None = None
        self._token = 0
        self._lock = threading.Lock()
        self._closed = False

    def token(self) -> int:
        with self._lock:
            if self._closed:
                return self._token
            if self._connection is None:
                self._connection = self._dialect.watching()
            self._token = self._dialect.changes(self._connection, self._token)
            return self._token

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
                self._connection = None
