"""What ninjs, NewsML-G2 and feed items have in common: fields → one `Document`.

Each structured reader pulls the headline, summary bullets, byline, dateline and
body blocks out of its own format; the wire conventions inside those fields (a
"UPDATE 2-" headline prefix, a "WASHINGTON, Nov 21 (Reuters) -" opening, a
"(Reporting by …)" closing paragraph, a "STORY WITHDRAWN" line) are read with
the plain-text parser's own rules, so a version reads the same whichever way it
was delivered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from versions.errors import RejectedInput
from versions.labels import WireLabel
from versions.model import Document, ItemMeta, Paragraph, ParagraphKind
from versions.readers import wire
from versions.readers.decode import normalise_text
from versions.readers.html import html_paragraphs
from versions.segment import split_sentences

Block = tuple[ParagraphKind, str]

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass
class ItemFields:
    headline: str = ""
    bullets: list[str] = field(default_factory=list)
    byline: str = ""
    dateline: str = ""  # as the format gives it apart from the body; used when the body has none
    body: list[Block] = field(default_factory=list)


def text_blocks(text: str) -> list[Block]:
    """A plain-text body: paragraphs are separated by blank lines, or one a line."""
    text = normalise_text(text)
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [(ParagraphKind.TEXT, " ".join(chunk.split())) for chunk in chunks if chunk.strip()]


def body_blocks(value: str, content_type: str | None) -> list[Block]:
    """HTML or plain text as the content type says; without one, a leading tag decides."""
    kind = (content_type or "").lower()
    if "html" in kind or (not kind and value.lstrip().startswith("<")):
        return html_paragraphs(value)
    return text_blocks(value)


def advisory_of(ednote: str | None) -> str | None:
    """An editor's note written as a wire advisory, "(Adds …)", is the item's advisory."""
    return ednote if ednote and ednote.startswith("(") else None


def parse_datetime(value: str, source: str, name: str) -> datetime | None:
    """ISO 8601 as IPTC formats write it; a time without a zone is taken as UTC."""
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RejectedInput(source, f"{name} is not an ISO 8601 date-time: {value!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:  # stored and compared in UTC: 0001-01-01T00:00+14:00 has no UTC date
        return moment.astimezone(UTC)
    except OverflowError:
        raise RejectedInput(
            source, f"{name} {value!r} is out of range: its UTC time is before year 1 or after 9999"
        ) from None


def parse_version(value: object, source: str) -> int | None:
    """The agency's version number: ninjs writes it as a string, NewsML-G2 as an attribute."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise RejectedInput(source, f"version is not a whole number: {value!r}")


def build_document(fields: ItemFields, meta: ItemMeta, label_hint: str | None = None) -> Document:
    """Paragraphs in wire order; the headline's label (or the hint's) goes into `meta`."""
    label, headline = WireLabel.split(" ".join(fields.headline.split()))
    if label is None and label_hint:
        label = WireLabel.split(label_hint)[0]
    body = [(kind, text) for kind, text in fields.body if not wire.is_kill_line(text)]
    killed = len(body) < len(fields.body)
    blocks: list[Block] = [(ParagraphKind.HEADLINE, headline)]
    blocks += [(ParagraphKind.BULLET, " ".join(bullet.split())) for bullet in fields.bullets]
    blocks.append((ParagraphKind.BYLINE, " ".join(fields.byline.split())))
    blocks += _with_dateline(_with_trailer(body), " ".join(fields.dateline.split()))
    paragraphs = tuple(
        Paragraph(kind, tuple(split_sentences(text))) for kind, text in blocks if text.strip()
    )
    return Document(paragraphs, _labelled(meta, label, killed))


def _with_dateline(body: list[Block], dateline: str) -> list[Block]:
    """The first text paragraph's dateline as a paragraph of its own, as in plain text."""
    first = next((i for i, (kind, _) in enumerate(body) if kind is ParagraphKind.TEXT), None)
    if first is not None:
        opening, rest = wire.split_dateline(body[first][1])
        if opening is not None:
            return [
                *body[:first],
                (ParagraphKind.DATELINE, opening),
                (ParagraphKind.TEXT, rest),
                *body[first + 1 :],
            ]
    return [(ParagraphKind.DATELINE, dateline), *body] if dateline else body


def _with_trailer(body: list[Block]) -> list[Block]:
    """The closing "(Reporting by …)" and "… contributed to this report" paragraphs."""
    end = len(body)
    while end > 0 and body[end - 1][0] is ParagraphKind.TEXT and wire.is_trailer(body[end - 1][1]):
        end -= 1
    return body[:end] + [(ParagraphKind.TRAILER, text) for _, text in body[end:]]


def _labelled(meta: ItemMeta, label: WireLabel | None, killed: bool) -> ItemMeta:
    """Label, correction and kill as the wire text says them, added to what the format said."""
    label = meta.label if label is None else label
    return replace(
        meta,
        label=label,
        correction=meta.correction or wire.is_correction(label, meta.advisory),
        withdrawn=meta.withdrawn or killed or (label is not None and label.withdrawn),
    )
