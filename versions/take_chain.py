"""Each take an ingest transaction placed, compared with the take before it: the change
log and its counts, the sentences' lineage and the arrival's significance.

Pure and without a database, so worker processes run it while the single writer goes on
placing the next items: the comparison is half of what an ingest costs. The takes of one
story form a chain, since a take's lineage is traced from the lineage of the take before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from versions.align import LinkKind, align
from versions.compare import compare as compare_documents
from versions.comparison import Comparison
from versions.lineage import (
    Lineage,
    LineageRow,
    Origin,
    Removed,
    Restoration,
    TakeLineage,
    first_take,
    lineage_rows,
    next_take,
)
from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Document,
    ItemMeta,
    Paragraph,
    ParagraphKind,
    Section,
    Tag,
    VersionRef,
)
from versions.records import ChangeCounts
from versions.significance import Significance, significance


@dataclass(frozen=True, slots=True)
class ChainStart:
    """The stored take a chain's first take follows: its document and lineage, and every
    sentence removed before the first take (what it may restore)."""

    number: int
    paragraphs: tuple[Paragraph, ...]  # a document travels without its derived sentences
    meta: ItemMeta
    lineage: TakeLineage
    removed: tuple[Removed, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        removed = tuple(
            (r.take, r.index, r.text, _packed_lineage(r.lineage), r.removed_in)
            for r in self.removed
        )
        return _start, (
            self.number,
            _packed_paragraphs(self.paragraphs),
            self.meta,
            _packed_take(self.lineage),
            removed,
        )


@dataclass(frozen=True, slots=True)
class NextTake:
    """A take placed after the one before it in its chain (or first in its story)."""

    number: int
    paragraphs: tuple[Paragraph, ...]
    meta: ItemMeta
    story_key: str
    story_title: str

    def __reduce__(self) -> tuple[Any, ...]:
        paragraphs = _packed_paragraphs(self.paragraphs)
        return _next, (self.number, paragraphs, self.meta, self.story_key, self.story_title)


@dataclass(frozen=True, slots=True)
class TakeChain:
    """Consecutive takes of one story; `start` is None when the first is the story's first."""

    start: ChainStart | None
    takes: tuple[NextTake, ...]
    watch_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComparedTake:
    """What comparing a take with the one before gave (`changelog` None for a first take)."""

    changelog: ChangeLog | None
    counts: ChangeCounts | None
    lineage: TakeLineage
    significance: Significance
    # `lineage_rows(lineage)` when a worker sent it; else the writer builds them as it
    # stores them, a few thousand at a time
    lineage_rows: tuple[LineageRow, ...] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        changelog = self.changelog
        packed = None
        if changelog is not None:
            changes = tuple(
                (
                    c.section.value,
                    c.kind.value,
                    c.old,
                    c.new,
                    c.old_index,
                    c.new_index,
                    tuple(tag.value for tag in c.tags),
                    c.inline,
                    c.old_paragraphs,
                    c.new_paragraphs,
                )
                for c in changelog.changes
            )
            packed = (
                changes,
                changelog.story_key,
                changelog.story_title,
                changelog.old,
                changelog.new,
            )
        weight = (self.significance.score, self.significance.reasons)
        rows = self.lineage_rows
        if rows is None:  # built here, in the worker, not by the single writer
            rows = tuple(lineage_rows(self.lineage))
        return _compared, (packed, _packed_take(self.lineage), weight, rows)


# Sent between processes as tuples of plain values: pickling a dataclass per sentence,
# lineage and change cost a third as much as comparing the takes.


def _packed_paragraphs(paragraphs: tuple[Paragraph, ...]) -> tuple[Any, ...]:
    return tuple((p.kind.value, p.sentences) for p in paragraphs)


_KINDS = {kind.value: kind for kind in ParagraphKind}
_ORIGINS = {origin.value: origin for origin in Origin}
_SECTIONS = {section.value: section for section in Section}
_CHANGE_KINDS = {kind.value: kind for kind in ChangeKind}
_TAGS = {tag.value: tag for tag in Tag}


def _paragraphs(packed: tuple[Any, ...]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(_KINDS[kind], sentences) for kind, sentences in packed)


def _packed_lineage(lineage: Lineage) -> tuple[Any, ...]:
    restored = lineage.restored
    return (
        lineage.origin.value,
        lineage.began,
        lineage.parents,
        lineage.edits,
        lineage.moves,
        (restored.restored_in, restored.removed_in, restored.take, restored.index)
        if restored
        else None,
    )


def _lineage(packed: tuple[Any, ...]) -> Lineage:
    origin, began, parents, edits, moves, restored = packed
    return Lineage(
        _ORIGINS[origin], began, parents, edits, moves, Restoration(*restored) if restored else None
    )


def _packed_take(take: TakeLineage) -> tuple[Any, ...]:
    return take.number, tuple(_packed_lineage(lineage) for lineage in take.sentences), take.removed


def _take(packed: tuple[Any, ...]) -> TakeLineage:
    number, sentences, removed = packed
    return TakeLineage(number, tuple(_lineage(lineage) for lineage in sentences), removed)


def _start(
    number: int,
    paragraphs: tuple[Any, ...],
    meta: ItemMeta,
    lineage: tuple[Any, ...],
    removed: tuple[Any, ...],
) -> ChainStart:
    return ChainStart(
        number,
        _paragraphs(paragraphs),
        meta,
        _take(lineage),
        tuple(
            Removed(take, index, text, _lineage(packed), removed_in)
            for take, index, text, packed, removed_in in removed
        ),
    )


def _next(
    number: int, paragraphs: tuple[Any, ...], meta: ItemMeta, story_key: str, story_title: str
) -> NextTake:
    return NextTake(number, _paragraphs(paragraphs), meta, story_key, story_title)


def _compared(
    changelog: tuple[Any, ...] | None,
    lineage: tuple[Any, ...],
    weight: tuple[Any, ...],
    rows: tuple[LineageRow, ...],
) -> ComparedTake:
    log = None
    if changelog is not None:
        changes, story_key, story_title, old, new = changelog
        log = ChangeLog(
            tuple(
                Change(
                    _SECTIONS[section],
                    _CHANGE_KINDS[kind],
                    old_texts,
                    new_texts,
                    old_index,
                    new_index,
                    tuple(_TAGS[tag] for tag in tags),
                    inline,
                    old_paragraphs,
                    new_paragraphs,
                )
                for (
                    section,
                    kind,
                    old_texts,
                    new_texts,
                    old_index,
                    new_index,
                    tags,
                    inline,
                    old_paragraphs,
                    new_paragraphs,
                ) in changes
            ),
            story_key,
            story_title,
            old,
            new,
        )
    counts = ChangeCounts.of(log) if log is not None else None
    return ComparedTake(log, counts, _take(lineage), Significance(*weight), rows)


def next_of(document: Document, number: int, story_key: str, story_title: str) -> NextTake:
    return NextTake(number, document.paragraphs, document.meta, story_key, story_title)


def start_of(
    document: Document, number: int, lineage: TakeLineage, removed: Sequence[Removed]
) -> ChainStart:
    return ChainStart(number, document.paragraphs, document.meta, lineage, tuple(removed))


def compare_chains(chains: Sequence[TakeChain]) -> list[list[ComparedTake]]:
    """Each chain's takes compared, in order: a worker process's task."""
    return [compare_chain(chain) for chain in chains]


def compare_chain(chain: TakeChain) -> list[ComparedTake]:
    """Each take with the one before, its lineage traced from that one's as ingest stores it."""
    start = chain.start
    old = Document(start.paragraphs, start.meta) if start else None
    results: list[ComparedTake] = []
    for take in chain.takes:
        new = Document(take.paragraphs, take.meta)
        if start is None or old is None:
            lineage = first_take(new, take.number)
            weight = significance(None, first_take=new, watch_terms=chain.watch_terms)
            results.append(ComparedTake(None, None, lineage, weight))
        else:
            # aligned once: for the change log and for the sentences' lineage
            links = align(old.sentences, new.sentences)
            changelog = compare_documents(
                old,
                new,
                story_key=take.story_key,
                story_title=take.story_title,
                old_ref=VersionRef.of(start.number, old.meta),
                new_ref=VersionRef.of(take.number, take.meta),
                links=links,
            )
            adds = any(link.kind is LinkKind.ADDED for link in links)
            removed = start.removed if adds else ()
            lineage = next_take(take.number, old, new, start.lineage.sentences, removed, links)
            weight = significance(
                Comparison(changelog, old, new), first_take=new, watch_terms=chain.watch_terms
            )
            results.append(ComparedTake(changelog, ChangeCounts.of(changelog), lineage, weight))
        start, old = _next_start(start, take, lineage), new
    return results


def end_of(chain: TakeChain, compared: Sequence[ComparedTake]) -> ChainStart:
    """The chain's last take as the story's next takes start from it."""
    start = chain.start
    for take, result in zip(chain.takes, compared, strict=True):
        start = _next_start(start, take, result.lineage)
    assert start is not None, "a chain has takes"
    return start


def _next_start(start: ChainStart | None, take: NextTake, lineage: TakeLineage) -> ChainStart:
    """`take` as the next take starts from it: what it removed joins what may come back,
    as the store keeps it (`LastTake.after`)."""
    removed = start.removed if start else ()
    if start is not None and lineage.removed:
        texts = [text for paragraph in start.paragraphs for text in paragraph.sentences]
        removed += tuple(
            Removed(start.number, i, texts[i], start.lineage.sentences[i], take.number)
            for i in lineage.removed
        )
    return ChainStart(take.number, take.paragraphs, take.meta, lineage, removed)
