"""The database as the service sees it: a reading connection, an editors' transaction, or
an ingest transaction.

Connections, transactions and the engine's differences stay here (simonw/llm's
`LogStore` idea): the service asks for values and hands over decisions. Reads and the
editors' state go through the driver's own connection (`versions.store.dialect`);
SQLAlchemy's engine is made by the first ingest, and from then on hands its pooled
connections to the reads too (`Engine.raw_connection`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from versions.store import db
from versions.store.dialect import Connection, Dialect, driver_error
from versions.store.editors import EditorState
from versions.store.reader import Reader

# Loaded by the first write: the read commands never need them (issue 11: start-up).
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from versions.store.backend import Backend
    from versions.store.lineage import LineageMemory
    from versions.store.writer import IngestWriter


class Store:
    IDLE_CONNECTIONS = 4  # kept open between reads (the TUI reads from several threads)

    def __init__(self, url: str, dialect: Dialect) -> None:
        self._url = url
        self._dialect = dialect
        self._watch = db.ChangeWatch(dialect)
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._engine: Engine | None = None  # made by the first ingest
        self._backend: Backend | None = None
        self._lineage: LineageMemory | None = None
        self._closed = False

    @classmethod
    def open(cls, url: str, *, create: bool) -> Store:
        """The store on `url`, whose schema is this wirediff's (`db.open_database`)."""
        return cls(url, db.open_database(url, create=create))

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read transaction: what it reads is one consistent state of the archive."""
        with self._transaction(write=False) as connection:
            yield Reader(connection, self._dialect)

    @contextmanager
    def editors(self, *, write: bool = True) -> Iterator[EditorState]:
        """A short transaction over the editors' follows and last-seen versions (only
        reading them, without `write`: that works on a read-only archive too)."""
        with self._transaction(write=write) as connection:
            yield EditorState(connection, self._dialect)

    @contextmanager
    def ingesting(self) -> Iterator[IngestWriter]:
        """One ingest transaction and the locks it takes, all released at its end."""
        from versions.store.writer import ingest_transaction

        engine = self.engine()
        assert self._backend is not None and self._lineage is not None
        with ingest_transaction(engine, self._backend, self._lineage) as writer:
            yield writer

    def engine(self) -> Engine:
        """SQLAlchemy's engine, which ingest writes through: made on first use, and from
        then on the source of the reads' connections too."""
        from versions.store.backend import backend_for
        from versions.store.lineage import LineageMemory

        if self._engine is None:
            engine = db.make_engine(self._url)
            self._backend = backend_for(engine.dialect.name)
            self._lineage = LineageMemory()
            with self._lock:
                self._engine = engine
                idle, self._idle = self._idle, []
            for connection in idle:
                connection.close()
        return self._engine

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        """A connection in a transaction: committed if `write` and all went well, else
        rolled back; a connection that failed is closed, not kept."""
        connection = self._checkout()
        try:
            self._dialect.begin(connection, write=write)
            yield connection
            if write:
                connection.commit()
            else:
                connection.rollback()
        except BaseException as exc:
            healthy = driver_error(exc) is None
            try:
                connection.rollback()
            except Exception:
                healthy = False
            if healthy:
                self._checkin(connection)
            else:
                connection.close()
            raise
        self._checkin(connection)

    def _checkout(self) -> Connection:
        with self._lock:
            if self._engine is not None:
                return self._engine.raw_connection()
            if self._idle:
                return self._idle.pop()
        return self._dialect.connect()

    def _checkin(self, connection: Connection) -> None:
        """Keep a connection of our own for the next read; hand the engine's back to it."""
        with self._lock:
            if (
                not self._closed
                and self._engine is None
                and len(self._idle) < self.IDLE_CONNECTIONS
            ):
                self._idle.append(connection)
                return
        connection.close()

    def change_token(self) -> int:
        return self._watch.token()

    def close(self) -> None:
        self._watch.close()
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            engine, self._engine = self._engine, None
        for connection in idle:
            connection.close()
        if engine is not None:
            engine.dispose()
