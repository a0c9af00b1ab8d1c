"""Where each change of a ChangeLog sits when the new version is read top to bottom.

A ChangeLog lists changes only; the equal sentences between them come from the two
documents.  Removed sentences have no place in the new version, so they are put next
to their surviving neighbours from the same old paragraph (or, when the whole
paragraph went, as a paragraph of their own after the previous surviving one).  A moved
sentence is shown where it is now, and its ghost where it was, placed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from versions.model import Change, ChangeKind, ChangeLog, Document, Section, Sentence


@dataclass(frozen=True)
class Segment:
    """A run of text in a block: an unchanged sentence, or one whole change."""

    text_old: str
    text_new: str
    change: int | None = None  # index into ChangeLog.changes
    ghost: bool = False  # where a moved sentence used to be; the change itself is elsewhere


@dataclass
class Block:
    """One paragraph of the diff: a new paragraph, or an old one that was removed whole."""

    paragraph: int | None  # new paragraph number; None for a removed paragraph
    old_paragraph: int | None = None  # set for a removed paragraph
    segments: list[Segment] = field(default_factory=list)

    @property
    def changes(self) -> list[int]:
        return [s.change for s in self.segments if s.change is not None and not s.ghost]


@dataclass(frozen=True)
class DiffLayout:
    top: list[int]  # changes outside the body (headline, byline, dateline, trailer)
    blocks: list[Block]

    def order(self) -> list[int]:
        """Changes in reading order: top matter first, then the body."""
        return self.top + [c for block in self.blocks for c in block.changes]


def _equal_pairs(
    old: Sequence[Sentence], new: Sequence[Sentence], changes: tuple[Change, ...]
) -> dict[int, int]:
    """Old sentence index → new index, for sentences that stayed in place."""
    changed_old = {i for c in changes for i in c.old_index}
    changed_new = {i for c in changes for i in c.new_index}
    same_old = [s.index for s in old if s.index not in changed_old]
    same_new = [s.index for s in new if s.index not in changed_new]
    mapping = dict(zip(same_old, same_new, strict=False))
    for change in changes:
        if change.kind is ChangeKind.MOVED or not change.old_index or not change.new_index:
            continue
        for i in change.old_index:
            mapping[i] = change.new_index[-1]
    return mapping


def layout(changelog: ChangeLog, old_doc: Document, new_doc: Document) -> DiffLayout:
    old = old_doc.sentences
    new = new_doc.sentences
    changes = changelog.changes
    top = [n for n, c in enumerate(changes) if c.section is not Section.BODY]
    body_changes = [n for n, c in enumerate(changes) if c.section is Section.BODY]

    starts: dict[int, int] = {}  # new sentence index → change that starts there
    covered: set[int] = set()
    for n in body_changes:
        change = changes[n]
        if change.new_index:
            starts[change.new_index[0]] = n
            covered.update(change.new_index[1:])

    mapped = _equal_pairs(old, new, changes)
    before: dict[int, list[int]] = {}  # new index → removed changes shown just before it
    after: dict[int, list[int]] = {}  # new index → removed changes shown just after it
    whole: dict[int, list[int]] = {}  # new index (or -1) → removed paragraphs after its block
    for n in body_changes:
        change = changes[n]
        if not change.old_index or (change.new_index and change.kind is not ChangeKind.MOVED):
            continue
        first = change.old_index[0]
        paragraph = old[first].paragraph if first < len(old) else None
        siblings = [s.index for s in old if s.paragraph == paragraph and s.index in mapped]
        earlier = [i for i in siblings if i < first]
        later = [i for i in siblings if i > first]
        if earlier:
            after.setdefault(mapped[earlier[-1]], []).append(n)
        elif later:
            before.setdefault(mapped[later[0]], []).append(n)
        else:
            anchors = [mapped[i] for i in mapped if i < first]
            whole.setdefault(max(anchors, default=-1), []).append(n)

    def removed_segment(n: int) -> Segment:
        return Segment(" ".join(changes[n].old), "", n, ghost=changes[n].kind is ChangeKind.MOVED)

    blocks: list[Block] = []
    removed_blocks: dict[int, list[Block]] = {}
    for anchor, ns in whole.items():
        grouped: dict[int, Block] = {}
        for n in ns:
            paragraph = old[changes[n].old_index[0]].paragraph
            grouped.setdefault(paragraph, Block(None, paragraph)).segments.append(
                removed_segment(n)
            )
        removed_blocks[anchor] = list(grouped.values())
    blocks.extend(removed_blocks.get(-1, []))

    current: Block | None = None
    pending: list[Block] = []
    for sentence in new:
        if sentence.section is not Section.BODY:
            continue
        if current is None or current.paragraph != sentence.paragraph:
            if current is not None:
                blocks.append(current)
                blocks.extend(pending)
                pending = []
            current = Block(sentence.paragraph)
        i = sentence.index
        current.segments.extend(removed_segment(n) for n in before.get(i, []))
        if i in starts:
            change = changes[starts[i]]
            current.segments.append(Segment(" ".join(change.old), " ".join(change.new), starts[i]))
        elif i not in covered:
            current.segments.append(Segment(sentence.text, sentence.text))
        current.segments.extend(removed_segment(n) for n in after.get(i, []))
        pending.extend(removed_blocks.get(i, []))
    if current is not None:
        blocks.append(current)
        blocks.extend(pending)
    return DiffLayout(top, blocks)
