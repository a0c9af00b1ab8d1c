"""What every export format shares: paragraph numbers as an editor counts them, the order
changes are listed in, version names and sentence-per-line inline marks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Document,
    ParagraphKind,
    Section,
    Tag,
    VersionRef,
)

# A dateline paragraph that holds nothing but "WASHINGTON, Nov 21 (Reuters) -".
_DATELINE_ONLY = re.compile(r"(?:\)|[-–—])\s*$")

# Tags an editor must look at; cosmetic is shown, but never flagged.
FLAGGED = (Tag.ATTRIBUTION, Tag.QUOTE, Tag.NUMBER)

# C0/C1 control characters (ESC, CSI …): story text must never drive a terminal or a viewer.
_CONTROLS = {code: "\ufffd" for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}


def visible(text: str) -> str:
    """Story text with control characters shown as U+FFFD."""
    return text.translate(_CONTROLS)


@dataclass(frozen=True, slots=True)
class Numbering:
    """Maps the change log's whole-document paragraph numbers to the numbers an editor uses.

    An editor counts body paragraphs only: the paragraph that opens with the dateline is
    paragraph 1 (when the parser keeps "WASHINGTON, Nov 21 (Reuters) -" as a paragraph of its
    own, the one after it is), and subheads are not counted.  Without the documents the
    change log's numbers are used as they are.
    """

    old_numbers: Mapping[int, int] | None = None
    new_numbers: Mapping[int, int] | None = None
    old_subheads: frozenset[int] = frozenset()
    new_subheads: frozenset[int] = frozenset()

    @classmethod
    def of(cls, old: Document | None, new: Document | None) -> Numbering:
        old_numbers, old_subheads = _body_numbers(old) if old else (None, frozenset[int]())
        new_numbers, new_subheads = _body_numbers(new) if new else (None, frozenset[int]())
        return cls(old_numbers, new_numbers, old_subheads, new_subheads)

    @property
    def new_body_paragraphs(self) -> int | None:
        """How many body paragraphs the new version has; None when unknown."""
        return None if self.new_numbers is None else len(self.new_numbers)

    def new(self, change: Change) -> tuple[int, ...]:
        return _mapped(change.new_paragraphs, self.new_numbers)

    def old(self, change: Change) -> tuple[int, ...]:
        return _mapped(change.old_paragraphs, self.old_numbers)

    def is_subhead(self, change: Change) -> bool:
        new, old = change.new_paragraphs, change.old_paragraphs
        if new:
            return all(p in self.new_subheads for p in new)
        return bool(old) and all(p in self.old_subheads for p in old)


def _body_numbers(document: Document) -> tuple[dict[int, int], frozenset[int]]:
    """Editor numbers of the body paragraphs, and the document numbers of the subheads."""
    numbers: dict[int, int] = {}
    subheads: set[int] = set()
    start = _body_start(document)
    for number, paragraph in enumerate(document.paragraphs[start - 1 :], start=start):
        if paragraph.kind is ParagraphKind.SUBHEAD:
            subheads.add(number)
        elif paragraph.section in (Section.BODY, Section.DATELINE):
            numbers[number] = len(numbers) + 1
    return numbers, frozenset(subheads)


def _body_start(document: Document) -> int:
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.kind is ParagraphKind.DATELINE:
            return number + 1 if _DATELINE_ONLY.search(paragraph.text) else number
        if paragraph.section is Section.BODY:
            return number
    return 1


def _mapped(paragraphs: tuple[int, ...], numbers: Mapping[int, int] | None) -> tuple[int, ...]:
    if numbers is None:
        return tuple(sorted(set(paragraphs)))
    return tuple(sorted({numbers[p] for p in paragraphs if p in numbers}))


@dataclass(frozen=True, slots=True)
class Pair:
    """One change log with what the formats need to number and describe its paragraphs."""

    changelog: ChangeLog
    numbering: Numbering
    new_text: str  # the new version's text, for picking a topic; "" when unknown

    @classmethod
    def of(cls, changelog: ChangeLog, old: Document | None, new: Document | None) -> Pair:
        return cls(changelog, Numbering.of(old, new), new.text if new else "")


def pairs_of(
    changelogs: Sequence[ChangeLog],
    documents: Sequence[tuple[Document, Document]] | None,
) -> list[Pair]:
    if documents is None:
        return [Pair.of(changelog, None, None) for changelog in changelogs]
    if len(documents) != len(changelogs):
        raise ValueError("documents must hold one (old, new) pair per change log")
    return [Pair.of(cl, old, new) for cl, (old, new) in zip(changelogs, documents, strict=True)]


def version_name(ref: VersionRef) -> str:
    """Names a version as editors do: "v2 (UPDATE 1)", "v1" or "(REFILE)"."""
    parts = []
    if ref.version is not None:
        parts.append(f"v{ref.version}")
    if ref.label:
        parts.append(f"({ref.label})")
    return " ".join(parts) or "unnumbered version"


def pair_name(changelog: ChangeLog) -> str:
    return f"{version_name(changelog.old)} → {version_name(changelog.new)}"


def story_name(changelog: ChangeLog) -> str:
    return changelog.story_title or changelog.story_key or "Untitled story"


# Sections an editor checks first, then body changes by kind.
_SECTION_GROUPS = (
    (Section.HEADLINE, "Headline and summary"),
    (Section.BYLINE, "Byline"),
    (Section.DATELINE, "Dateline"),
    (Section.TRAILER, "Trailer"),
)
_BODY_GROUPS = (
    ((ChangeKind.ADDED,), "Added"),
    ((ChangeKind.REMOVED,), "Removed"),
    ((ChangeKind.CHANGED,), "Changed"),
    ((ChangeKind.MOVED,), "Moved"),
    ((ChangeKind.SPLIT, ChangeKind.MERGED), "Split and merged"),
)


def grouped(changes: Sequence[Change]) -> list[tuple[str, ChangeKind | None, list[Change]]]:
    """Changes under their headings, non-empty groups only, each in reading order.

    The middle item is the kind the heading already names ("Added"), which an item under it
    need not repeat; None under a section heading or one naming two kinds.
    """
    groups: list[tuple[str, ChangeKind | None, list[Change]]] = []
    for section, title in _SECTION_GROUPS:
        groups.append((title, None, [c for c in changes if c.section is section]))
    body = [c for c in changes if c.section is Section.BODY]
    for kinds, title in _BODY_GROUPS:
        implied = kinds[0] if len(kinds) == 1 else None
        groups.append((title, implied, [c for c in body if c.kind in kinds]))
    return [
        (title, implied, sorted(members, key=_reading_order))
        for title, implied, members in groups
        if members
    ]


def _reading_order(change: Change) -> tuple[int, int]:
    if change.new_index:
        return (change.new_index[0], 0)
    return (change.old_index[0] if change.old_index else 0, 1)


def flags(change: Change) -> list[Tag]:
    return [tag for tag in FLAGGED if tag in change.tags]


def where(change: Change, numbering: Numbering) -> str:
    """Where a body change sits: "¶ 3", "¶ 12, was ¶ 8", "was ¶ 7" or "subhead"."""
    if change.section is not Section.BODY:
        return ""
    if numbering.is_subhead(change):
        return "subhead"
    new = _paragraph_list(numbering.new(change))
    old = _paragraph_list(numbering.old(change))
    if change.kind is ChangeKind.REMOVED:
        return f"was ¶ {old}" if old else ""
    if change.kind is ChangeKind.MOVED and old and old != new:
        return f"¶ {new}, was ¶ {old}" if new else f"was ¶ {old}"
    return f"¶ {new}" if new else ""


def _paragraph_list(numbers: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in numbers)


Piece = tuple[int, str]


def lines(change: Change) -> list[list[Piece]]:
    """The change as diff pieces, one sentence a line.

    Lines break between the new sentences (between the old ones when nothing is left), so a
    split reads as two lines and a merge as one; without an inline diff, added sentences
    are all inserted, removed ones all deleted and unedited moves all equal.
    """
    if not change.inline:
        if change.kind is ChangeKind.REMOVED:
            return [[(-1, text)] for text in change.old]
        op = 1 if change.kind is ChangeKind.ADDED else 0
        return [[(op, text)] for text in change.new]
    by_new = bool(change.new)
    sentences = change.new if by_new else change.old
    counted = 1 if by_new else -1  # pieces that make up the side whose sentences are lines
    ends = []
    offset = 0
    for sentence in sentences[:-1]:
        offset += len(sentence)
        ends.append(offset)
        offset += 1  # the joining space
    result: list[list[Piece]] = [[]]
    position = 0
    for op, text in change.inline:
        if op not in (0, counted):
            _append(result[-1], op, text)
            continue
        while ends and position + len(text) > ends[0]:
            cut = ends.pop(0) - position
            _append(result[-1], op, text[:cut])
            result.append([])
            text = text[cut + 1 :]  # drop the space that joined the two sentences
            position += cut + 1
        _append(result[-1], op, text)
        position += len(text)
    return [line for line in result if line]


def _append(line: list[Piece], op: int, text: str) -> None:
    if text:
        line.append((op, text))
