"""Which errors are the archive's own (worth a retry) and which belong to one item."""

from __future__ import annotations

from sqlalchemy.exc import DataError, DBAPIError, StatementError


def archive_failure(error: BaseException) -> bool:
    """True for a failure of the database itself: disk, connection, a lock, a conflicting writer.

    Those pass and a retry succeeds. Anything else while storing an item — a value the
    database refuses (`DataError`), a value that cannot even be sent (`StatementError`
    wrapping, say, an `OverflowError`), a bug met by odd input — would fail again on the
    same item, so the item is rejected instead.
    """
    if isinstance(error, DBAPIError):
        return not isinstance(error, DataError)
    if isinstance(error, StatementError):
        return isinstance(error.orig, OSError)
    return isinstance(error, OSError)
