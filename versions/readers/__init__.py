"""Readers: bytes as delivered → `Document`s, whatever the format.

The format is detected from the content, never from the file name. One input may
hold several items (an RSS file, a NewsML-G2 newsMessage); each is one version.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from versions.errors import RejectedInput
from versions.model import Document
from versions.readers.decode import decode
from versions.readers.wire import parse_wire

InputFormat = Literal["auto", "text", "ninjs", "newsml", "feed"]
FEED_ROOTS = frozenset({"rss", "feed", "rdf"})

# What a broken structured document still looks like, as against wire text that
# merely opens with a bracket (`[FLASH] Quake hits Chile`, `<b>Headline</b>`): a
# file that looks like one and fails to parse is rejected with its parse error.
_LOOKS_LIKE_JSON = re.compile(r'\s*(\{\s*["}]|\[\s*[\[{"\]])')
_LOOKS_LIKE_XML = re.compile(
    r"\s*<(\?xml|!DOCTYPE|!--|([\w.-]+:)?(newsItem|newsMessage|rss|feed|RDF|html)[\s/>])",
    re.IGNORECASE,
)


def read(
    data: bytes, source: str = "<input>", input_format: InputFormat = "auto"
) -> list[Document]:
    """Every item in `data`; raises `RejectedInput` naming `source` and the reason.

    Content decides unless `input_format` says: JSON that parses is ninjs, XML that
    parses is NewsML-G2 or RSS/Atom by its root element; anything else is wire text.
    """
    text, encoding = decode(data, source)  # normalised: no BOM, tab or CR left
    if input_format == "text":
        return [parse_wire(text, encoding=encoding, source=source)]
    try:
        documents = _read_structured(data, text, source, encoding, input_format)
    except RecursionError:
        raise RejectedInput(source, "nested too deeply to be a news item") from None
    if documents is None:
        return [parse_wire(text, encoding=encoding, source=source)]
    return documents


def _read_structured(
    data: bytes, text: str, source: str, encoding: str, input_format: InputFormat
) -> list[Document] | None:
    """The items of a ninjs, NewsML-G2 or feed document; None for wire text."""
    start = text.lstrip(" \n")[:1]
    if input_format == "ninjs" or (input_format == "auto" and start in ("{", "[")):
        return _read_json(text, source, encoding, forced=input_format == "ninjs")
    if input_format != "auto" or start == "<":
        return _read_xml(data, text, source, encoding, input_format)
    return None


def _read_json(text: str, source: str, encoding: str, *, forced: bool) -> list[Document] | None:
    from versions.readers.ninjs import read_ninjs

    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if forced or _LOOKS_LIKE_JSON.match(text):
            raise RejectedInput(source, f"malformed JSON: {error}") from None
        return None
    return read_ninjs(value, source, encoding)


def _read_xml(
    data: bytes, text: str, source: str, encoding: str, input_format: InputFormat
) -> list[Document] | None:
    # Loaded by the inputs that need them: feedparser and defusedxml cost more to
    # import than a command that never reads a file takes to run.
    from versions.readers.feed import read_feed
    from versions.readers.html import local_name
    from versions.readers.newsml import G2, read_newsml
    from versions.readers.xmltree import MalformedXML, parse_xml

    document_like = input_format != "auto" or bool(_LOOKS_LIKE_XML.match(text))
    try:
        root = parse_xml(data, source)
    except MalformedXML:
        if document_like:
            raise
        return None
    is_newsml = root.tag in (f"{G2}newsItem", f"{G2}newsMessage")
    is_feed = local_name(root.tag) in FEED_ROOTS
    if is_newsml and input_format in ("auto", "newsml"):
        return read_newsml(root, source, encoding)
    if is_feed and input_format in ("auto", "feed"):
        return read_feed(data, source, encoding)
    if not document_like and not root.tag.startswith("{"):
        return None  # an inline tag such as <b>Headline</b>: wire text, shown as data
    expected = {"newsml": "NewsML-G2", "feed": "RSS or Atom"}.get(
        input_format, "NewsML-G2, RSS or Atom"
    )
    raise RejectedInput(source, f"XML with root <{local_name(root.tag)}> is not {expected}")


def parse(text_or_bytes: str | bytes) -> Document:
    """The one story in a text or a file's bytes (the first item when there are several)."""
    data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    return read(data)[0]
