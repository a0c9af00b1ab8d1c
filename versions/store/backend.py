"""What differs between SQLite and PostgreSQL, one object per engine.

Everything else in `versions.store` is written once for both; it asks the backend
for the ingest locks, the search structures and the index-friendly key prefix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from versions.store.dialect import FIRST_PIECE, starts_with
from versions.store.driver import Driver
from versions.store.pieces import numbered_pieces

# pg_advisory_xact_lock keys: one for deciding new stories ("wirediff" in ASCII), and a
# space of one lock per story id ("wire"); PostgreSQL keeps one- and two-key locks apart
THREADING_LOCK = 0x7769726564696666
STORY_LOCKS = 0x77697265


class Backend:
    """The PostgreSQL way, which SQLite overrides where it differs."""

    name = "postgresql"
    placeholder = "%s"  # the driver's positional parameter
    # one writer at a time from BEGIN on (SQLite); else ingest takes locks as it goes
    one_writer = False

    def sql(self, statement: str) -> str:
        """Ingest's SQL, written with `?` for each value, in the driver's parameter style."""
        return statement.replace("?", self.placeholder)

    def in_values(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """ "`column` is one of `values`", and its parameters: one array here, so the
        statement's text is the same for any number of values (prepared once)."""
        return f"{column} = ANY(?)", [list(values)]

    def keys_from(self, prefix: str) -> tuple[str, list[Any]]:
        """ "The story key starts with `prefix`" as SQL text and its parameters, for a new
        story's key: LIKE is exact here and uses the key's pattern index."""
        return starts_with("key", prefix, by_range=False)

    def rows_insert(self, table: str, columns: Sequence[str]) -> str:
        """The statement `insert_rows` runs to add rows of `columns` to `table`: here a COPY,
        so a take's rows of a table are one statement (executemany runs one per row, and
        the server's work per statement was most of theirs; COPY cost both sides less CPU
        than one INSERT of unnested arrays)."""
        return f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def insert_rows(self, driver: Driver, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        """Add `rows` (tuples in the order of `rows_insert`'s columns) by its `statement`."""
        driver.copy(statement, rows)

    def lock_threading(self, driver: Driver, *, wait: bool) -> bool:
        """Make this transaction the one deciding new stories and stories' guids until it
        ends (False: another holds it, and `wait` was not asked).

        Threading reads the stored stories, then writes: two writers deciding at once would
        both start the same new story. A transaction-scoped advisory lock, released at
        commit or rollback, since PostgreSQL has no BEGIN IMMEDIATE.
        """
        function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        (taken,) = driver.first(f"SELECT {function}(%s)", (THREADING_LOCK,))
        return wait or bool(taken)

    def lock_story(self, driver: Driver, story_id: int, *, wait: bool) -> bool:
        """Make this transaction the one writing to `story_id` until it ends (False: another
        holds it, and `wait` was not asked): versions of other stories go in meanwhile."""
        function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
        (taken,) = driver.first(f"SELECT {function}(%s, %s)", (STORY_LOCKS, story_id))
        return wait or bool(taken)

    def index_text(self, driver: Driver, version_id: int, version_text: str) -> None:
        """Index a new version's text for search: each piece's tsvector, computed once here
        and not stored with the version, so updating a version's counts re-indexes nothing."""
        numbers, pieces = zip(*numbered_pieces(version_text), strict=True)
        driver.execute(
            "INSERT INTO version_piece (version_id, number, terms)"
            " SELECT %s, number, to_tsvector('english', piece)"
            " FROM unnest(%s::int[], %s::text[]) AS p(number, piece)",
            (version_id, list(numbers), list(pieces)),
        )

    def announce(self, driver: Driver, version_id: int) -> None:
        """Tell listeners (`ChangeWatch`) that this transaction adds versions: once is enough,
        they count notifications, and it is delivered at commit."""
        driver.execute("SELECT pg_notify('wirediff', %s)", (str(version_id),))


class SqliteBackend(Backend):
    """The ingest connection begins with BEGIN IMMEDIATE: SQLite's one write lock, taken
    (waiting up to the busy timeout) before any read, so ingest needs no other lock."""

    name = "sqlite"
    placeholder = "?"
    one_writer = True

    def sql(self, statement: str) -> str:
        return statement

    def in_values(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """SQLite has no arrays: a mark per value (its statement cache keeps each count's)."""
        return f"{column} IN ({', '.join(['?'] * len(values))})", list(values)

    def keys_from(self, prefix: str) -> tuple[str, list[Any]]:
        """SQLite's LIKE ignores case and so cannot use the key index; a range can."""
        return starts_with("key", prefix, by_range=True)

    def rows_insert(self, table: str, columns: Sequence[str]) -> str:
        """A row's INSERT, for executemany: SQLite runs it in-process, cheaply, per row."""
        marks = ", ".join(["?"] * len(columns))
        return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    def insert_rows(self, driver: Driver, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        driver.executemany(statement, rows)

    def index_text(self, driver: Driver, version_id: int, version_text: str) -> None:
        """The FTS5 table is contentless (the text stays in `version` alone); a piece's rowid
        tells its version (`FIRST_PIECE`)."""
        driver.executemany(
            "INSERT INTO version_piece (rowid, text) VALUES (?, ?)",
            [
                (number * FIRST_PIECE + version_id, piece)
                for number, piece in numbered_pieces(version_text)
            ],
        )

    def announce(self, driver: Driver, version_id: int) -> None:
        """`PRAGMA data_version` tells listeners by itself."""


def backend_for(dialect_name: str) -> Backend:
    return SqliteBackend() if dialect_name == "sqlite" else Backend()
