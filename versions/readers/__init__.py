"""Readers: bytes as delivered → `Document`s, whatever the format.

The format is detected from the content, never from the file name. One input may
hold several items (an RSS file, a NewsML-G2 newsMessage); each is one version.
"""

from __future__ import annotations

from versions.errors import RejectedInput
from versions.model import Document
from versions.readers.decode import decode
from versions.readers.wire import parse_wire


def read(data: bytes, source: str = "<input>") -> list[Document]:
    """Every item in `data`; raises `RejectedInput` naming `source` and the reason."""
    text, encoding = decode(data, source)
    return [parse_wire(text, encoding=encoding, source=source)]


def parse(text_or_bytes: str | bytes) -> Document:
    """The one story in a text or a file's bytes (the first item when there are several)."""
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return read(data)[0]
