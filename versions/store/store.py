"""The database as the service sees it: a reading connection, or an ingest transaction.

Connections, transactions and the engine's differences stay here (simonw/llm's
`LogStore` idea): the service asks for values and hands over decisions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from versions.store import db
from versions.store.backend import backend_for
from versions.store.reader import Reader

# Loaded by the first write: the read commands never need them (issue 11: start-up).
if TYPE_CHECKING:
    from versions.store.editors import EditorState
    from versions.store.lineage import LineageMemory
    from versions.store.writer import IngestWriter


class Store:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._backend = backend_for(engine.dialect.name)
        self._watch = db.ChangeWatch(engine)
        self._lineage: LineageMemory | None = None  # made by the first ingest

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read transaction: what it reads is one consistent state of the archive."""
        with self._engine.connect() as connection:
            yield Reader(connection, self._backend)

    @contextmanager
    def ingesting(self) -> Iterator[IngestWriter]:
        """One ingest transaction and the locks it takes, all released at its end."""
        from versions.store.lineage import LineageMemory
        from versions.store.writer import ingest_transaction

        if self._lineage is None:
            self._lineage = LineageMemory()
        with ingest_transaction(self._engine, self._backend, self._lineage) as writer:
            yield writer

    @contextmanager
    def editors(self) -> Iterator[EditorState]:
        """A short transaction over the editors' follows and last-seen versions."""
        from versions.store.editors import editor_transaction

        with editor_transaction(self._engine, self._backend) as state:
            yield state

    def change_token(self) -> int:
        return self._watch.token()

    def close(self) -> None:
        self._watch.close()
        self._engine.dispose()
