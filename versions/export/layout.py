"""What every export format shares: the order changes are listed in, version names and
sentence-per-line inline marks.  Paragraph numbers, flags and the control-character rule
are the core's (`versions.editorial`).
"""

from __future__ import annotations

from collections.abc import Sequence

from versions.editorial import Numbering, shown_label
from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Section,
    VersionRef,
)


def version_name(ref: VersionRef) -> str:
    """Names a version as editors do: "v2 (UPDATE 1)", "v1", "(REFILE)", "v5 (WITHDRAWN)"."""
    parts = []
    if ref.version is not None:
        parts.append(f"v{ref.version}")
    label = shown_label(ref.label, withdrawn=ref.withdrawn, correction=ref.correction)
    if label:
        parts.append(f"({label})")
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
