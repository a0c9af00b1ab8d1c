"""Readers: bytes as delivered → `Document`s, whatever the format.

The format is detected from the content, never from the file name. One input may
hold several items (an RSS file, a NewsML-G2 newsMessage); each is one version.
"""

from __future__ import annotations

import json

from versions.errors import RejectedInput
from versions.model import Document
from versions.readers.decode import decode
from versions.readers.wire import parse_wire

FEED_ROOTS = frozenset({"rss", "feed", "rdf"})


def read(data: bytes, source: str = "<input>") -> list[Document]:
    """Every item in `data`; raises `RejectedInput` naming `source` and the reason.

    A JSON object or array is ninjs; XML is NewsML-G2 or RSS/Atom by its root
    element; anything else is plain wire text.
    """
    text, encoding = decode(data, source)  # normalised: no BOM, tab or CR left
    start = text.lstrip(" \n")[:1]
    if start not in ("{", "[", "<"):
        return [parse_wire(text, encoding=encoding, source=source)]
    try:
        return _read_structured(data, text, start, source, encoding)
    except RecursionError:
        raise RejectedInput(source, "nested too deeply to be a news item") from None


def _read_structured(
    data: bytes, text: str, start: str, source: str, encoding: str
) -> list[Document]:
    # Loaded by the inputs that need them: feedparser and defusedxml cost more to
    # import than a command that never reads a file takes to run.
    from versions.readers.feed import read_feed
    from versions.readers.html import local_name
    from versions.readers.newsml import G2, read_newsml
    from versions.readers.ninjs import read_ninjs
    from versions.readers.xmltree import parse_xml

    if start in ("{", "["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise RejectedInput(source, f"malformed JSON: {error}") from None
        return read_ninjs(value, source, encoding)
    root = parse_xml(data, source)
    if root.tag in (f"{G2}newsItem", f"{G2}newsMessage"):
        return read_newsml(root, source, encoding)
    if local_name(root.tag) in FEED_ROOTS:
        return read_feed(data, source, encoding)
    raise RejectedInput(
        source, f"XML with root <{local_name(root.tag)}> is not NewsML-G2, RSS or Atom"
    )


def parse(text_or_bytes: str | bytes) -> Document:
    """The one story in a text or a file's bytes (the first item when there are several)."""
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return read(data)[0]
