"""Ingest's statements at the DB-API driver: SQL text built once, run as it is.

SQLAlchemy's work per statement (an execution context, parameter processing, a result
object) cost more than most of ingest's statements themselves. The SQL here is plain
text for the engine's driver, values are converted by the columns' own SQLAlchemy type
processors (so rows are stored exactly as SQLAlchemy stores them), and errors come out
as SQLAlchemy's (`DBAPIError` and its kinds, `StatementError`), so callers tell a failure
of the archive from a bad item the same way as for any other statement.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Dialect
from sqlalchemy.exc import DBAPIError

ROWS_PER_CALL = 5000  # a 5 MB take's sentences are never all in memory as rows

Processor = Callable[[Any], Any]


class Driver:
    """One transaction's DB-API cursor, on the connection SQLAlchemy's transaction holds."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._dialect = connection.dialect
        self.dbapi_connection: Any = connection.connection.dbapi_connection
        assert self.dbapi_connection is not None
        self._cursor = self.dbapi_connection.cursor()

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return list(self._cursor.execute(sql, parameters).fetchall())
        except Exception as exc:
            raise self._failure(exc, sql, parameters) from exc

    def first(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        """The first row, or None; every row is fetched, so the statement ends (SQLite
        keeps one left running open, and runs the statements after it as nested ones)."""
        rows = self.rows(sql, parameters)
        return rows[0] if rows else None

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        try:
            self._cursor.execute(sql, parameters)
        except Exception as exc:
            raise self._failure(exc, sql, parameters) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Rows of plain values, a few thousand to a call."""
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, ROWS_PER_CALL)):
            try:
                self._cursor.executemany(sql, chunk)
            except Exception as exc:
                raise self._failure(exc, sql, chunk, many=True) from exc

    def copy(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Rows of plain values streamed by `sql`, a `COPY … FROM STDIN` (psycopg); no
        statement for no rows, as executemany."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        try:
            with self._cursor.copy(sql) as copy:
                copy.write_row(first)
                for row in rows:
                    copy.write_row(row)
        except Exception as exc:
            raise self._failure(exc, sql, (), many=True) from exc

    def _failure(
        self, error: Exception, sql: str, parameters: Any, *, many: bool = False
    ) -> BaseException:
        """The error as SQLAlchemy raises it; a lost connection is invalidated, as it does."""
        dbapi_error = self._dialect.loaded_dbapi.Error
        lost = isinstance(error, dbapi_error) and self._dialect.is_disconnect(
            error, self.dbapi_connection, self._cursor
        )
        if lost:
            self._connection.invalidate(error)
        return DBAPIError.instance(
            sql,
            parameters,
            error,
            dbapi_error,
            connection_invalidated=lost,
            dialect=self._dialect,
            ismulti=many,
        )


class Converter:
    """How SQLAlchemy converts some columns' values for this engine's driver (or back):
    only the columns whose type converts are touched."""

    def __init__(self, processors: Sequence[Processor | None]) -> None:
        self._steps = [(n, process) for n, process in enumerate(processors) if process]

    def __call__(self, values: Sequence[Any]) -> list[Any]:
        converted = list(values)
        for n, process in self._steps:
            converted[n] = process(converted[n])
        return converted


def bind_converter(dialect: Dialect, columns: Iterable[Column[Any]]) -> Converter:
    """Values to store, as SQLAlchemy would send them."""
    return Converter(
        [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    )


def result_converter(dialect: Dialect, columns: Iterable[Column[Any]]) -> Converter:
    """Values read, as SQLAlchemy would return them."""
    return Converter(
        [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
    )
