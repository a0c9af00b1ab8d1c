"""IPTC NewsML-G2 news items → `Document`s: a `newsItem`, or each one in a `newsMessage`.

The tree comes from `versions.readers.xmltree.parse_xml` (defusedxml: no entities, no
DTD fetching); this module only walks it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, tostring

from versions.errors import RejectedInput
from versions.labels import WireLabel
from versions.model import Document, ItemMeta
from versions.readers.html import html_paragraphs, local_name
from versions.readers.item import (
    Block,
    ItemFields,
    advisory_of,
    build_document,
    parse_datetime,
    parse_version,
    text_blocks,
)

G2 = "{http://iptc.org/std/nar/2006-10-01/}"


def read_newsml(root: Element, source: str, encoding: str = "utf-8") -> list[Document]:
    items = [root] if root.tag == f"{G2}newsItem" else list(root.iter(f"{G2}newsItem"))
    if not items:
        raise RejectedInput(source, "NewsML-G2 message without a newsItem")
    return [
        _read_item(item, source if len(items) == 1 else f"{source} (item {number})", encoding)
        for number, item in enumerate(items, start=1)
    ]


def _read_item(item: Element, source: str, encoding: str) -> Document:
    guid = (item.get("guid") or "").strip()
    if not guid:
        raise RejectedInput(source, "NewsML-G2 newsItem without a guid")
    item_meta = item.find(f"{G2}itemMeta")
    content_meta = item.find(f"{G2}contentMeta")
    status = _code(_child(item_meta, "pubStatus"))
    signals = {_code(signal) for signal in _children(item_meta, "signal")}
    withdrawn = status == "canceled"
    correction = "correction" in signals
    body = _body(item, source)
    if not body and not withdrawn:
        raise RejectedInput(source, "NewsML-G2 newsItem has no inlineXML or inlineData body")
    ednote = "\n".join(_text(note) for note in _children(item_meta, "edNote")) or None
    label = "CORRECTED" if correction else "WITHDRAWN" if withdrawn else None
    meta = ItemMeta(
        label=WireLabel.parse(label) if label else None,
        guid=guid,
        version=parse_version(item.get("version"), source),
        created=parse_datetime(
            _text(_child(item_meta, "versionCreated")), source, "versionCreated"
        ),
        first_created=parse_datetime(
            _text(_child(item_meta, "firstCreated")), source, "firstCreated"
        ),
        withdrawn=withdrawn,
        correction=correction,
        ednote=ednote,
        advisory=advisory_of(ednote),
        format="newsml",
        encoding=encoding,
    )
    fields = ItemFields(
        headline=_text(_child(content_meta, "headline")),
        bullets=[
            line
            for description in _children(content_meta, "description")
            if _code_of(description.get("role")) in ("summary", "")
            for line in _text(description, keep_lines=True).splitlines()
            if line.strip()
        ],
        byline=_text(_child(content_meta, "by")),
        dateline=_text(_child(content_meta, "dateline")),
        body=body,
    )
    return build_document(fields, meta, label_hint=ednote)


def _child(parent: Element | None, name: str) -> Element | None:
    return None if parent is None else parent.find(f"{G2}{name}")


def _children(parent: Element | None, name: str) -> list[Element]:
    return [] if parent is None else parent.findall(f"{G2}{name}")


def _text(element: Element | None, keep_lines: bool = False) -> str:
    if element is None:
        return ""
    text = "".join(element.itertext())
    return text.strip() if keep_lines else " ".join(text.split())


def _code_of(value: str | None) -> str:
    """`stat:canceled` and `http://cv.iptc.org/newscodes/pubstatusg2/canceled` → `canceled`."""
    return (value or "").rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()


def _code(element: Element | None) -> str:
    return "" if element is None else _code_of(element.get("qcode") or element.get("uri"))


def _body(item: Element, source: str) -> list[Block]:
    """The first text content of the item: XHTML from inlineXML, else inlineData."""
    content_set = item.find(f"{G2}contentSet")
    if content_set is None:
        return []
    for content in content_set:
        name = local_name(content.tag)
        if name == "inlinexml":
            markup = "".join(tostring(child, encoding="unicode") for child in content)
            return html_paragraphs(markup or (content.text or ""))
        if name == "inlinedata":
            return text_blocks(content.text or "")
    return []
