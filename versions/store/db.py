"""Engines, connections and the schema's migration state, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from versions import config, resources
from versions.errors import NeedsUpgrade, WirediffError

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "WIREDIFF_DB"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Any 64-bit number, the same in every wirediff: PostgreSQL's advisory lock that
# serialises schema creation and upgrades between processes.
_SCHEMA_LOCK = 0x77697265_64696666 & 0x7FFF_FFFF_FFFF_FFFF
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_REVISION_ID = re.compile(r"[\"']([0-9A-Za-z_]+)[\"']")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):(.*)@([^@]*)$", re.DOTALL)


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


def mask_password(url: str) -> str:
    """`url` with its password as `***`, even when it does not parse (an unescaped @)."""
    match = _PASSWORD.match(url.strip())
    if match is None:
        return url
    return f"{match[1]}:***@{match[3]}"


def normalise_url(url: str) -> URL:
    """Bare `postgresql://` means psycopg 3 here: psycopg2 is not a dependency."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise WirediffError(f"not a database URL: {mask_password(url)!r}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "postgresql+psycopg2":
        raise WirediffError(
            f"{safe_url(url)}: wirediff talks to PostgreSQL through psycopg 3:"
            " use postgresql+psycopg:// and `pip install 'psycopg[binary]'`"
        )
    return parsed


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names; None for other engines and in-memory databases."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


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


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
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


def current_revision(connection: Connection | Engine) -> str | None:
    """The schema revision stored in the database; None when it has none."""
    if isinstance(connection, Engine):
        with connection.connect() as opened:
            return current_revision(opened)
    if not inspect(connection).has_table("alembic_version"):
        return None
    value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return str(value) if value is not None else None


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate under the schema lock, so two processes never migrate at once."""
    engine = make_engine(url)
    try:
        use_wal(engine)
        with _schema_lock(engine, url) as connection:
            _migrate(connection, revision)
    except DBAPIError as exc:
        raise WirediffError(f"cannot open {safe_url(url)}: {describe(exc)}") from exc
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def _migrate(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection=connection), revision)


def open_engine(url: str, *, create: bool) -> Engine:
    """An engine on `url` with this wirediff's schema (see `check_schema`).

    Without `create`, a missing SQLite file is reported, not made; a file made by a
    first open that failed is removed, so the next run starts clean.
    """
    path = sqlite_path(url)
    existed = path is None or _exists(path, url)
    if not existed and not create:
        raise WirediffError(_no_database(url))
    engine = make_engine(url)
    try:
        check_schema(engine, url, create=create)
    except BaseException:
        engine.dispose()
        if not existed and path is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return engine


def check_schema(engine: Engine, url: str, *, create: bool) -> None:
    """Upgrade a new empty database to head; refuse an older one with `NeedsUpgrade`.

    Upgrading silently would change a file other tools (or an older wirediff) may
    still use, so an existing database is only migrated on `wirediff db upgrade`.
    The plain check runs first; only a database without the schema takes the lock,
    checks again (another process may have just created it), and creates it.
    """
    head = head_revision()
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        raise WirediffError(f"cannot open {safe_url(url)}: {describe(exc)}") from exc
    if current == head:
        return
    if current is None:
        if _has_tables(engine, url):
            raise WirediffError(_half_created(url))
        if not create:
            raise WirediffError(_no_database(url))
        try:
            use_wal(engine)
            with _schema_lock(engine, url) as connection:
                current = current_revision(connection)
                if current is None:
                    if inspect(connection).get_table_names():
                        raise WirediffError(_half_created(url))
                    _migrate(connection)
                    return
        except DBAPIError as exc:
            raise WirediffError(f"cannot create {safe_url(url)}: {describe(exc)}") from exc
        if current == head:
            return
    raise NeedsUpgrade(
        f"the database {safe_url(url)} is at schema {current}, this wirediff needs {head}:"
        " run `wirediff db upgrade`"
    )


def _has_tables(engine: Engine, url: str) -> bool:
    try:
        with engine.connect() as connection:
            return bool(inspect(connection).get_table_names())
    except DBAPIError as exc:
        raise WirediffError(f"cannot open {safe_url(url)}: {describe(exc)}") from exc


@contextmanager
def _schema_lock(engine: Engine, url: str) -> Iterator[Connection]:
    """A transaction that holds the database's write lock (SQLite) or advisory lock.

    Schema changes are transactional on both engines: the others wait, then see
    all of it or none of it.
    """
    try:
        connection = engine.connect().execution_options(sqlite_begin="IMMEDIATE")
    except DBAPIError as exc:
        raise WirediffError(f"cannot open {safe_url(url)}: {describe(exc)}") from exc
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


def describe(exc: DBAPIError) -> str:
    """The driver's first line, without SQLAlchemy's SQL echo and help links."""
    lines = str(exc.orig).strip().splitlines() if exc.orig else str(exc).splitlines()
    return (lines[0] if lines else "") or type(exc.orig).__name__


def failure(exc: DBAPIError, url: str) -> str:
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
        # A round trip first: the server sends the notifications of transactions that
        # committed before it, so a commit that returned is always seen here.
        self._connection.execute("SELECT 1")
        self._seen += sum(1 for _ in self._connection.notifies(timeout=0))
        return self._seen

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
