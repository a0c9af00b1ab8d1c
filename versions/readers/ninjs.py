"""IPTC ninjs (News in JSON) 1.x and 2.x items → `Document`.

1.x names one value per field (`headline`, `byline`, `body_html`, `description_text`);
2.x lists them with roles (`headlines`, `bodies`, `descriptions`) and says `by`.
Both are read; where an item has both spellings the 2.x list wins.
"""

from __future__ import annotations

from typing import Any

from versions.errors import RejectedInput
from versions.labels import WireLabel
from versions.model import Document, ItemMeta
from versions.readers.html import html_paragraphs
from versions.readers.item import (
    Block,
    ItemFields,
    advisory_of,
    body_blocks,
    build_document,
    parse_datetime,
    parse_version,
    text_blocks,
)

MAIN_ROLES = ("main", "", None)


def read_ninjs(value: object, source: str, encoding: str = "utf-8") -> list[Document]:
    """One document per ninjs object: a JSON object, or an array of them."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise RejectedInput(source, "empty JSON array: no ninjs item in it")
    documents = []
    for number, item in enumerate(items, start=1):
        where = source if len(items) == 1 else f"{source} (item {number})"
        if not isinstance(item, dict):
            raise RejectedInput(where, "JSON that is not a ninjs object")
        documents.append(_read_item(item, where, encoding))
    return documents


def _read_item(item: dict[str, Any], source: str, encoding: str) -> Document:
    if not isinstance(item.get("uri"), str) or not item["uri"].strip():
        raise RejectedInput(source, "JSON without a ninjs `uri`: not a ninjs item")
    status = _text(item, "pubstatus", source).lower()
    withdrawn = status == "canceled"
    body = _body(item, source)
    headline = _headline(item, source)
    if not body and not withdrawn:
        raise RejectedInput(source, "ninjs item has no body (body_text, body_html or bodies)")
    ednote = _ednote(item, source)
    meta = ItemMeta(
        label=WireLabel.parse("WITHDRAWN") if withdrawn else None,
        guid=item["uri"].strip(),
        version=parse_version(item.get("version"), source),
        created=parse_datetime(_text(item, "versioncreated", source), source, "versioncreated"),
        first_created=parse_datetime(_text(item, "firstcreated", source), source, "firstcreated"),
        withdrawn=withdrawn,
        ednote=ednote,
        advisory=advisory_of(ednote),
        format="ninjs",
        encoding=encoding,
    )
    fields = ItemFields(
        headline=headline,
        bullets=_bullets(item, source),
        byline=_text(item, "by", source) or _text(item, "byline", source),
        dateline=_text(item, "located", source),
        body=body,
    )
    return build_document(fields, meta, label_hint=ednote)


def _text(item: dict[str, Any], name: str, source: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RejectedInput(source, f"ninjs `{name}` is not text")
    return value.strip()


def _entries(item: dict[str, Any], name: str, source: str) -> list[dict[str, Any]]:
    """A 2.x list of {value, role, contenttype}; entries without text are skipped."""
    value = item.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise RejectedInput(source, f"ninjs `{name}` is not a list of objects")
    entries = []
    for entry in value:
        if not isinstance(entry.get("value"), str):
            raise RejectedInput(source, f"ninjs `{name}` entry has no text `value`")
        if entry["value"].strip():
            entries.append(entry)
    return entries


def _main(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next(
        (e for e in entries if e.get("role") in MAIN_ROLES), entries[0] if entries else None
    )


def _headline(item: dict[str, Any], source: str) -> str:
    main = _main(_entries(item, "headlines", source))
    return str(main["value"]).strip() if main else _text(item, "headline", source)


def _body(item: dict[str, Any], source: str) -> list[Block]:
    main = _main(_entries(item, "bodies", source))
    if main:
        return body_blocks(main["value"], main.get("contenttype"))
    if html := _text(item, "body_html", source):
        return html_paragraphs(html)
    return text_blocks(_text(item, "body_text", source))


def _bullets(item: dict[str, Any], source: str) -> list[str]:
    """Summary descriptions, one bullet a line (or a paragraph, in HTML)."""
    entries = [
        e
        for e in _entries(item, "descriptions", source)
        if str(e.get("role", "summary")).rsplit(":", 1)[-1] in ("summary", "")
    ]
    if not entries:
        if html := _text(item, "description_html", source):
            entries = [{"value": html, "contenttype": "text/html"}]
        elif text := _text(item, "description_text", source):
            entries = [{"value": text}]
    return [text for e in entries for _, text in body_blocks(e["value"], e.get("contenttype"))]


def _ednote(item: dict[str, Any], source: str) -> str | None:
    notes = [e["value"].strip() for e in _entries(item, "ednotes", source)]
    if single := _text(item, "ednote", source):
        notes.insert(0, single)
    return "\n".join(notes) or None
