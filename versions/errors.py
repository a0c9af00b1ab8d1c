"""Errors a user can act on; the CLI prints them as one line, never a traceback."""

from __future__ import annotations


class WirediffError(Exception):
    """Base class: the message is the whole story for the user."""


class RejectedInput(WirediffError):
    """A file that cannot be read as a wire story; nothing was stored from it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnknownStory(WirediffError):
    pass


class AmbiguousStory(WirediffError):
    pass


class UnknownVersion(WirediffError):
    pass


class NeedsUpgrade(WirediffError):
    """The database schema is older than this wirediff: run `wirediff db upgrade`."""
