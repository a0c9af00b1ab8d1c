"""The database as the reading side talks to it: a DB-API connection and what differs
between engines, one object per engine.

Reads run plain SQL on the driver (stdlib `sqlite3`, psycopg 3), as sqlite-utils and
llm do: importing SQLAlchemy was over half of every read command's start-up (issue 11).
Queries are written once with `?` parameters; `sql` gives the driver's form. Stored
values come back as SQLAlchemy's types gave them: datetimes aware in UTC, JSON as
Python values, booleans as `bool`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

from versions.errors import WirediffError

SQLITE_BUSY_TIMEOUT_MS = 10_000
TRIGRAM = 3  # the shortest text the trigram indexes can look up
# SQLite's version_piece rowids: a text kept whole has its version's id; piece n (1, 2, …)
# of a cut text has n * FIRST_PIECE + the version's id (ids stay below 2**43)
FIRST_PIECE = 1 << 43
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# SQLAlchemy's URL grammar (sqlalchemy.engine.url), so a URL means here what it means to
# the engine that ingest and migrations open.
_URL = re.compile(
    r"""
    (?P<driver>[\w+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.VERBOSE,
)
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*):(.*)@([^@]*)$", re.DOTALL)


class Connection(Protocol):
    """The DB-API 2 connection methods wirediff uses (sqlite3's, psycopg's, or SQLAlchemy's
    pooled proxy of either)."""

    def cursor(self) -> Any: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


def mask_password(url: str) -> str:
    """`url` with its password as `***`, even when it does not parse (an unescaped @)."""
    match = _PASSWORD.match(url.strip())
    if match is None:
        return url
    return f"{match[1]}:***@{match[3]}"


@dataclass(frozen=True)
class DatabaseURL:
    """A database URL's parts, as SQLAlchemy's `make_url` reads them."""

    driver: str  # "sqlite", "postgresql+psycopg"
    username: str | None = None
    password: str | None = None
    host: str | None = None
    port: int | None = None
    database: str | None = None
    query: dict[str, str] = field(default_factory=dict)

    @property
    def backend(self) -> str:
        return self.driver.split("+", 1)[0]


def parse_url(url: str) -> DatabaseURL:
    """The parts of `url`; bare `postgresql://` means psycopg 3 (psycopg2 is not a dependency)."""
    match = _URL.match(url)
    try:
        if match is None:
            raise ValueError(url)
        port = int(match["port"]) if match["port"] else None
    except ValueError as exc:
        raise WirediffError(f"not a database URL: {mask_password(url)!r}") from exc
    driver = match["driver"]
    if driver in ("postgresql", "postgres"):
        driver = "postgresql+psycopg"
    if driver == "postgresql+psycopg2":
        raise WirediffError(
            f"{mask_password(url)}: wirediff talks to PostgreSQL through psycopg 3:"
            " use postgresql+psycopg:// and `pip install 'psycopg[binary]'`"
        )
    return DatabaseURL(
        driver,
        unquote(match["username"]) if match["username"] is not None else None,
        unquote(match["password"]) if match["password"] is not None else None,
        match["ipv6host"] or match["ipv4host"],
        port,
        unquote(match["database"]) if match["database"] is not None else None,
        dict(parse_qsl(match["query"] or "")),
    )


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names; None for other engines and in-memory databases."""
    parsed = parse_url(url)
    if parsed.backend != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def marks(count: int) -> str:
    """`?, ?, ?`: the parameters of an IN list of `count` values."""
    return ", ".join("?" * count)


Condition = tuple[str, list[Any]]  # an SQL condition with its parameters, in order


def starts_with(column: str, prefix: str, *, by_range: bool) -> Condition:
    """`column` starts with `prefix`, exactly, in a form its index serves: a range where
    LIKE ignores case and so cannot use the index (SQLite), else LIKE."""
    if by_range and prefix and ord(prefix[-1]) < sys.maxunicode:
        return f"{column} >= ? AND {column} < ?", [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)]
    return f"{column} LIKE ? ESCAPE '\\'", [f"{like_escape(prefix)}%"]


class Dialect:
    """The PostgreSQL way (psycopg 3), which SQLite overrides where it differs."""

    name = "postgresql"
    path: Path | None = None  # the SQLite file

    def __init__(self, url: str) -> None:
        self.url = url
        self._sql: dict[str, str] = {}

    # connecting

    def connect(self, *, autocommit: bool = False) -> Connection:
        try:
            import psycopg
        except ModuleNotFoundError as exc:
            raise WirediffError(
                f"{mask_password(self.url)}: PostgreSQL needs psycopg 3:"
                " `pip install 'wirediff[postgres]'` (or 'psycopg[binary]')"
            ) from exc
        parsed = parse_url(self.url)
        arguments: dict[str, Any] = {
            name: value
            for name, value in (
                ("user", parsed.username),
                ("password", parsed.password),
                ("host", parsed.host),
                ("port", parsed.port),
                ("dbname", parsed.database),
            )
            if value
        }
        conninfo = psycopg.conninfo.make_conninfo("", **arguments, **parsed.query)
        connection: Connection = psycopg.connect(conninfo, autocommit=autocommit)
        return connection

    def begin(self, connection: Connection, *, write: bool = False) -> None:
        """Start a transaction (psycopg starts one with the first statement by itself)."""

    def watching(self) -> Connection:
        """A connection kept open to notice other connections' commits (`changes`): one
        that LISTENs on the `wirediff` channel, which ingest NOTIFYs."""
        connection = self.connect(autocommit=True)
        connection.cursor().execute("LISTEN wirediff")
        return connection

    def changes(self, connection: Any, token: int) -> int:
        """`token` moved on by the commits of new versions since it was taken.

        A round trip first: the server sends the notifications of transactions that
        committed before it, so a commit that returned is always seen here.
        """
        connection.cursor().execute("SELECT 1")
        return token + sum(1 for _ in connection.notifies(timeout=0))

    def sql(self, query: str) -> str:
        """`query` with the driver's parameter marks (`?` is written; psycopg takes `%s`)."""
        converted = self._sql.get(query)
        if converted is None:
            converted = self._sql[query] = query.replace("?", "%s")
        return converted

    # values

    def moment(self, value: Any) -> datetime:
        """A stored datetime, aware, in UTC."""
        moment: datetime = value
        return moment.astimezone(UTC)

    def stored_moment(self, value: datetime) -> Any:
        """A datetime as it is stored (in UTC)."""
        return value.astimezone(UTC)

    def document(self, value: Any) -> Any:
        """A stored JSON value (psycopg decodes json columns itself)."""
        return value

    # the schema

    def table_names(self, connection: Connection) -> set[str]:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        return {name for (name,) in cursor.fetchall()}

    # search: what the engine's indexes can do

    def key_starts(self, prefix: str) -> Condition:
        """An index-backed "key starts with `prefix`" on `s` (story): LIKE is exact here
        and uses the key's pattern index."""
        return starts_with("s.key", prefix, by_range=False)

    def title_candidates(self, needle: str) -> Condition | None:
        """Stories (`s`) the filter may match, narrowed by an index; None when the LIKE
        decides alone (the pg_trgm indexes serve the LIKE itself)."""
        return None

    def text_matches(self, words: Sequence[str], phrases: Sequence[str] = ()) -> Condition:
        """A query for the ids (`id`, each once) of versions whose text holds all `words`
        and every phrase, as the engine's tokenizer reads them (stemmed, stop words
        dropped: callers check phrases as written).

        A text kept whole (piece 0) must hold them all, phrases as phrases, the index's
        own AND. A text cut in pieces (`versions.store.pieces`) must hold each word, and
        each word of each phrase, in some piece: one lookup per word, whichever pieces
        answer, so a cut never hides a text. Both have their own GIN index.
        """
        parts = ["phraseto_tsquery('english', ?)"] * len(phrases)
        parameters: list[Any] = list(phrases)
        if words:
            parts.insert(0, "plainto_tsquery('english', ?)")
            parameters.insert(0, " ".join(words))
        each = _each_word(words, phrases)
        query = (
            "SELECT version_id AS id FROM version_piece"
            f" WHERE number = 0 AND terms @@ ({' && '.join(parts)})"
            " UNION ALL SELECT p.version_id"
            " FROM unnest(?::text[]) WITH ORDINALITY AS w(word, n) JOIN LATERAL"
            " (SELECT version_id FROM version_piece"
            "  WHERE number > 0 AND terms @@ plainto_tsquery('english', w.word)) AS p ON true"
            " GROUP BY p.version_id HAVING count(DISTINCT w.n) ="
            " (SELECT count(*) FROM unnest(?::text[]) AS w(word)"
            "  WHERE numnode(plainto_tsquery('english', w.word)) > 0)"
        )
        return query, [*parameters, each, each]


class SqliteDialect(Dialect):
    """The standard library's sqlite3, set up as the ingest engine sets up its connections."""

    name = "sqlite"

    def __init__(self, url: str, path: Path | None) -> None:
        super().__init__(url)
        self.path = path

    def connect(self, *, autocommit: bool = False) -> Connection:
        """A connection on the file; read-only where we may not write it, so the read
        commands still work. A WAL database needs its -shm file: in a folder we cannot
        write, SQLite reads it only as immutable (nobody can be writing it there through
        us either). Transactions are begun by `begin`, never by the driver."""
        import sqlite3

        path = self.path
        if path is None:
            target, uri = ":memory:", False
        elif path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            target = f"{path.absolute().as_uri()}?mode=ro"
            if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
                target += "&immutable=1"
            uri = True
        else:
            target, uri = str(path), False
        connection = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def begin(self, connection: Connection, *, write: bool = False) -> None:
        """A read sees one state of the file; a write takes the write lock first (a
        deferred transaction that reads and then writes fails at once in WAL mode when
        another writer got in between)."""
        connection.cursor().execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def sql(self, query: str) -> str:
        return query

    def watching(self) -> Connection:
        return self.connect()

    def changes(self, connection: Connection, token: int) -> int:
        """`PRAGMA data_version`: it moves when any other connection commits."""
        cursor = connection.cursor()
        cursor.execute("PRAGMA data_version")
        return int(cursor.fetchone()[0])

    def moment(self, value: Any) -> datetime:
        """Stored as text without a zone, in UTC (SQLAlchemy's format, or sqlite3's)."""
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def stored_moment(self, value: datetime) -> Any:
        """SQLAlchemy's text form, so stored times sort and read alike whoever wrote them."""
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def document(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def table_names(self, connection: Connection) -> set[str]:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
        )
        return {name for (name,) in cursor.fetchall()}

    def key_starts(self, prefix: str) -> Condition:
        """SQLite's LIKE ignores case and so cannot use the key index; a range can."""
        return starts_with("s.key", prefix, by_range=True)

    def title_candidates(self, needle: str) -> Condition | None:
        """The FTS5 trigram index over titles and keys (it needs three characters)."""
        if len(needle) < TRIGRAM:
            return None
        phrase = '"' + needle.replace('"', '""') + '"'
        return "s.id IN (SELECT rowid FROM story_fts WHERE story_fts MATCH ?)", [phrase]

    def text_matches(self, words: Sequence[str], phrases: Sequence[str] = ()) -> Condition:
        """FTS5 has no stop words; otherwise as PostgreSQL's. A text kept whole has its
        version's id as rowid; the pieces of a cut one lie above `FIRST_PIECE`, so each
        word's lookup reads only those."""
        # an FTS5 string is its tokens in a row: one word, or a phrase
        expression = " ".join(_fts5_string(term) for term in [*words, *phrases])
        whole = "SELECT rowid AS id FROM version_piece WHERE version_piece MATCH ? AND rowid < ?"
        parameters: list[Any] = [expression, FIRST_PIECE]
        each = _each_word(words, phrases)
        if not each:  # no term FTS5 can look up: nothing matches, as with the whole text
            return whole, parameters
        lookups = " INTERSECT ".join(
            f"SELECT rowid & {FIRST_PIECE - 1} FROM version_piece"
            " WHERE version_piece MATCH ? AND rowid >= ?"
            for _ in each
        )
        for word in each:
            parameters += [_fts5_string(word), FIRST_PIECE]
        return f"{whole} UNION ALL SELECT * FROM ({lookups})", parameters


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _each_word(words: Sequence[str], phrases: Sequence[str]) -> list[str]:
    """The words a cut text must hold, each in some piece: `words`, and each word of each
    phrase as written (its punctuation kept, so "U.S." stays one term); a word without a
    letter or digit has no term to look up."""
    every = [*words, *(word for phrase in phrases for word in phrase.split())]
    return [word for word in every if _LETTER_OR_DIGIT.search(word)]


def dialect_for(url: str) -> Dialect:
    """The dialect of `url`, checked as a URL first."""
    parsed = parse_url(url)
    if parsed.backend == "sqlite":
        return SqliteDialect(url, sqlite_path(url))
    if parsed.backend == "postgresql":
        return Dialect(url)
    raise WirediffError(f"unsupported database {parsed.driver!r}: use sqlite or postgresql")


def driver_error(error: BaseException) -> BaseException | None:
    """The database driver's own error behind `error` (as SQLAlchemy wraps it, or as
    raised); None when `error` is not one: it is then no failure of the archive."""
    wrapper = sys.modules.get("sqlalchemy.exc")
    if wrapper is not None and isinstance(error, wrapper.DBAPIError):
        orig: BaseException | None = error.orig
        return orig or error
    drivers = [sys.modules.get(name) for name in ("sqlite3", "psycopg")]
    if any(driver is not None and isinstance(error, driver.Error) for driver in drivers):
        return error
    return None
