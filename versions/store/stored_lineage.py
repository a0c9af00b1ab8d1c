"""A sentence's lineage as the `lineage` table stores it, read back as `versions.lineage` values.

Apart from `versions.store.lineage` (which writes it, through SQLAlchemy) so that
blame's reads load no SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from versions.lineage import Lineage, Origin, Restoration


def lineage_of(
    origin: str,
    parents: str,
    began: int,
    edits: str,
    moves: str,
    restored_in: int | None,
    restored_removed_in: Any,
    restored_take: Any,
    restored_index: Any,
) -> Lineage:
    """The lineage stored in one row's columns, in the table's order after `position`."""
    restored = (
        Restoration(restored_in, restored_removed_in, restored_take, restored_index)
        if restored_in is not None
        else None
    )
    return Lineage(
        Origin(origin), began, numbers(parents), numbers(edits), numbers(moves), restored
    )


def numbers(text: str) -> tuple[int, ...]:
    """Take numbers or indices as stored: comma-separated."""
    return tuple(int(value) for value in text.split(",")) if text else ()
