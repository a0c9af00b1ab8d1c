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


def printable(text: str) -> str:
    """`text` safe on one terminal line: as is, or quoted with escapes as git quotes paths.

    A name holding a newline, an escape sequence or bytes that are not UTF-8 (kept by
    Python as surrogates) would split a line of output or drive the terminal.
    """
    if text.isprintable() and '"' not in text[:1]:
        return text
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
            out.append(f"\\x{code - 0xDC00:02x}")
        elif not char.isprintable() and char != " ":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}
