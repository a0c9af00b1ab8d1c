"""RSS and Atom files → one `Document` per item.

feedparser is handed the bytes as a stream, never a string: given a string it
would take a URL or a file name and fetch it. Relative links are left alone (no
base URL to resolve against) and the item HTML is only read for its blocks.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from versions.errors import RejectedInput
from versions.model import Document, ItemMeta
from versions.readers.item import Block, ItemFields, body_blocks, build_document


def read_feed(data: bytes, source: str, encoding: str = "utf-8") -> list[Document]:
    """Call only on bytes that `parse_xml` accepted: that is what keeps entities out."""
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    entries = parsed.entries
    if not entries:
        reason = parsed.get("bozo_exception") or "no items in it"
        raise RejectedInput(source, f"RSS/Atom feed with no readable item: {reason}")
    return [
        _read_entry(entry, f"{source} (item {number})", encoding)
        for number, entry in enumerate(entries, start=1)
    ]


def _read_entry(entry: Any, source: str, encoding: str) -> Document:
    guid = (entry.get("id") or entry.get("link") or "").strip()
    if not guid:
        raise RejectedInput(source, "feed item without a guid or link")
    body = _body(entry)
    if not body:
        raise RejectedInput(source, "feed item without a summary or content")
    # Read past FeedParserDict's mapping, which passes a published date off as `updated`.
    updated = _moment(dict.get(entry, "updated_parsed"))
    published = _moment(dict.get(entry, "published_parsed"))
    meta = ItemMeta(
        guid=guid,
        created=updated or published,
        first_created=published if updated else None,
        format="rss",
        encoding=encoding,
    )
    title = " ".join(str(entry.get("title", "")).split())
    byline = str(entry.get("author", "")).strip()
    return build_document(ItemFields(headline=title, byline=byline, body=body), meta)


def _body(entry: Any) -> list[Block]:
    """The fullest text the item carries: content, else the summary."""
    for detail in [*entry.get("content", []), entry.get("summary_detail")]:
        if detail and str(detail.get("value", "")).strip():
            return body_blocks(str(detail["value"]), str(detail.get("type", "text/html")))
    return []


def _moment(value: time.struct_time | None) -> datetime | None:
    """feedparser gives UTC struct_time values; one it could not make sense of counts as none."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None
