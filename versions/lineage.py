"""Where each sentence of a take came from, and what happened to it since.

The engine aligns every take with the one before (`versions.align`); lineage keeps
what that alignment knows. A sentence aligned with sentences of the previous take
inherits their history (the take its line began in, the takes that changed its
words or moved it); an added sentence is first looked up among the sentences that
earlier takes removed, as WikiWho looks up an unmatched sentence's hash among all
earlier revisions (`wikiwho/WikiWho`, `analyse_sentences_in_paragraphs`): the same
normalised text, or nearly the same words, makes it *restored*, and it keeps its
first life's history. Only consecutive takes are ever aligned, so blame agrees
with every diff an editor sees.

Take numbers are the story's version numbers; sentence indices are
`Sentence.index`. Everything here is pure: the store keeps these values, and
renders and the CLI read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Any

from versions.align import (
    Link,
    LinkKind,
    align,
    same_as_written,
    sentence_key,
    shared_words,
    word_counts,
    word_diff,
)
from versions.classify import classify
from versions.editorial import KIND_SIGN
from versions.model import ChangeKind, Document, Tag

RESTORE_THRESHOLD = 0.8  # Dice on words: "nearly the same" sentence coming back


class Origin(StrEnum):
    """How a sentence of a take relates to the take before it."""

    ADDED = "added"
    EQUAL = "equal"  # aligned in place (its typography may have changed: see `edited`)
    CHANGED = "changed"
    MOVED = "moved"
    SPLIT = "split"  # one of the pieces of a previous sentence
    MERGED = "merged"  # several previous sentences joined
    RESTORED = "restored"  # removed by an earlier take, back in this one


@dataclass(frozen=True, slots=True)
class Restoration:
    """The latest return of a sentence's line: "restored in v6, removed in v4"."""

    restored_in: int
    removed_in: int
    take: int  # the take of its earlier life (the last one that carried it)
    index: int  # its index there


@dataclass(frozen=True, slots=True)
class Lineage:
    """One sentence of one take: its ancestors in the previous take and its history."""

    origin: Origin
    began: int  # the take its line began in
    parents: tuple[int, ...] = ()  # indices in the previous take (or the earlier life's take)
    edits: tuple[int, ...] = ()  # takes that changed its words, oldest first
    moves: tuple[int, ...] = ()  # takes that moved it
    restored: Restoration | None = None

    @property
    def last_edit(self) -> int | None:
        return self.edits[-1] if self.edits else None


@dataclass(frozen=True, slots=True)
class TakeLineage:
    """The lineage of every sentence of one take, and what it removed from the one before."""

    number: int
    sentences: tuple[Lineage, ...]
    removed: tuple[int, ...] = ()  # indices in the previous take carried no further


@dataclass(frozen=True, slots=True)
class Removed:
    """A sentence a take removed, kept so that a later take can restore it."""

    take: int  # the last take that carried it
    index: int
    text: str
    lineage: Lineage
    removed_in: int


def first_take(document: Document, number: int = 1) -> TakeLineage:
    """A story's first take: every sentence begins here."""
    return TakeLineage(number, tuple(Lineage(Origin.ADDED, number) for _ in document.sentences))


def next_take(
    number: int,
    old: Document,
    new: Document,
    previous: Sequence[Lineage],
    removed_earlier: Sequence[Removed] = (),
    links: Iterable[Link] | None = None,
) -> TakeLineage:
    """Take `number` (`new`) from the take before it (`old`, with lineage `previous`).

    `removed_earlier` holds the sentences takes before `old` removed (from
    `removed_pool`); `links` is `align(old.sentences, new.sentences)` when the caller
    has it already (ingest computes it once for the change counts too).
    """
    old_sentences, new_sentences = old.sentences, new.sentences
    if links is None:
        links = align(old_sentences, new_sentences)
    result: list[Lineage | None] = [None] * len(new_sentences)
    carried: set[int] = set()
    added: list[int] = []
    for kind, olds, news in links:
        if not news:
            continue
        if not olds:
            added.extend(news)
            continue
        carried.update(olds)
        if len(olds) == 1 and len(news) == 1:
            parent = previous[olds[0]]
            old_text = old_sentences[olds[0]].text
            new_text = new_sentences[news[0]].text
            if kind is LinkKind.EQUAL and old_text == new_text:  # carried as it was
                result[news[0]] = (
                    parent  # carried in the take before too, from the same place: its equal
                    if parent.origin is Origin.EQUAL and parent.parents == olds
                    else Lineage(
                        Origin.EQUAL,
                        parent.began,
                        olds,
                        parent.edits,
                        parent.moves,
                        parent.restored,
                    )
                )
                continue
        else:
            parent = _inherit([previous[i] for i in olds])
            old_text = " ".join(old_sentences[i].text for i in olds)
            new_text = " ".join(new_sentences[j].text for j in news)
        edited = not same_as_written(old_text, new_text)
        origin = _ORIGINS[kind]
        if origin is Origin.EQUAL and edited:
            origin = Origin.CHANGED  # typography only: the diff reports it changed too
        edits = (*parent.edits, number) if edited else parent.edits
        moves = (*parent.moves, number) if kind is LinkKind.MOVED else parent.moves
        for j in news:
            result[j] = Lineage(origin, parent.began, olds, edits, moves, parent.restored)
    restorations = _restorations(
        [(j, new_sentences[j].text) for j in sorted(added)], removed_earlier
    )
    for j in added:
        earlier = restorations.get(j)
        if earlier is None:
            result[j] = Lineage(Origin.ADDED, number)
            continue
        edited = not same_as_written(
            sentence_key(earlier.text), sentence_key(new_sentences[j].text)
        )
        result[j] = Lineage(
            Origin.RESTORED,
            earlier.lineage.began,
            (earlier.index,),
            earlier.lineage.edits + ((number,) if edited else ()),
            earlier.lineage.moves,
            Restoration(number, earlier.removed_in, earlier.take, earlier.index),
        )
    sentences = tuple([lineage for lineage in result if lineage is not None])
    assert len(sentences) == len(new_sentences), "every new sentence is in one link"
    removed = tuple([i for i in range(len(old_sentences)) if i not in carried])
    return TakeLineage(number, sentences, removed)


_ORIGINS: dict[LinkKind, Origin] = {
    kind: Origin(kind.value) for kind in LinkKind if kind is not LinkKind.REMOVED
}


def _inherit(parents: Sequence[Lineage]) -> Lineage:
    """One history from several ancestors (a merge): the earliest beginning, every edit."""
    if len(parents) == 1:
        return parents[0]
    restorations = [p.restored for p in parents if p.restored is not None]
    return Lineage(
        Origin.MERGED,
        min(p.began for p in parents),
        (),
        tuple(sorted({take for p in parents for take in p.edits})),
        tuple(sorted({take for p in parents for take in p.moves})),
        max(restorations, key=lambda r: r.restored_in) if restorations else None,
    )


def _restorations(added: Sequence[tuple[int, str]], pool: Sequence[Removed]) -> dict[int, Removed]:
    """Added sentences that are removed ones come back: the same normalised text first,
    then the most alike words above `RESTORE_THRESHOLD`; the latest removal wins a tie."""
    found: dict[int, Removed] = {}
    if not pool or not added:
        return found
    latest_first = sorted(pool, key=lambda r: (-r.removed_in, -r.take, r.index))
    used: set[int] = set()
    by_text: dict[str, list[int]] = {}
    for number, entry in enumerate(latest_first):
        by_text.setdefault(sentence_key(entry.text), []).append(number)
    left: list[tuple[int, str]] = []
    for j, text in added:
        candidates = [n for n in by_text.get(sentence_key(text), []) if n not in used]
        if candidates:
            used.add(candidates[0])
            found[j] = latest_first[candidates[0]]
        else:
            left.append((j, text))
    if not left:
        return found
    pool_words = [word_counts(entry.text) for entry in latest_first]
    pool_sizes = [words.total() for words in pool_words]
    scored: list[tuple[float, int, int]] = []
    for j, text in left:
        words = word_counts(text)
        size = words.total()
        for number, other in enumerate(pool_words):
            if number not in used:
                total = size + pool_sizes[number]
                if not total or 2 * min(size, pool_sizes[number]) / total < RESTORE_THRESHOLD:
                    continue  # too different in length to share enough words (or no words)
                similarity = 2 * shared_words(words, other) / total  # Dice on words
                if similarity >= RESTORE_THRESHOLD:
                    scored.append((-similarity, number, j))
    scored.sort()
    for _, number, j in scored:
        if number not in used and j not in found:
            used.add(number)
            found[j] = latest_first[number]
    return found


def removed_pool(takes: Sequence[TakeLineage], documents: Sequence[Document]) -> list[Removed]:
    """Every sentence a take of `takes` removed (`documents[k]` is `takes[k]`'s text)."""
    pool: list[Removed] = []
    for k in range(1, len(takes)):
        previous, old = takes[k - 1], documents[k - 1]
        pool.extend(
            Removed(
                previous.number, i, old.sentences[i].text, previous.sentences[i], takes[k].number
            )
            for i in takes[k].removed
        )
    return pool


def trace(
    documents: Sequence[Document], links: Sequence[Iterable[Link] | None] | None = None
) -> list[TakeLineage]:
    """The lineage of every take of a story, takes numbered from 1 in `documents` order.

    `links[k]` is the alignment of take k+1 with take k+2 when already known.
    """
    if not documents:
        return []
    takes = [first_take(documents[0])]
    for k in range(1, len(documents)):
        pool = removed_pool(takes, documents)
        known = links[k - 1] if links else None
        takes.append(
            next_take(k + 1, documents[k - 1], documents[k], takes[-1].sentences, pool, known)
        )
    return takes


_LINK_KINDS = {
    Origin.EQUAL: LinkKind.EQUAL,
    Origin.CHANGED: LinkKind.CHANGED,
    Origin.MOVED: LinkKind.MOVED,
    Origin.SPLIT: LinkKind.SPLIT,
    Origin.MERGED: LinkKind.MERGED,
}


def links_of(take: TakeLineage, old_count: int) -> list[Link]:
    """The alignment a take's lineage was made from, rebuilt without aligning again
    (a late take renumbers the ones after it: their lineage is traced anew from this)."""
    grouped: dict[tuple[int, ...], list[int]] = {}
    kinds: dict[tuple[int, ...], LinkKind] = {}
    links: list[Link] = []
    for j, lineage in enumerate(take.sentences):
        kind = _LINK_KINDS.get(lineage.origin)
        if kind is None:  # added, or restored from an earlier take: no parent in this one
            links.append(Link(LinkKind.ADDED, (), (j,)))
            continue
        grouped.setdefault(lineage.parents, []).append(j)
        kinds[lineage.parents] = kind
    links += [Link(kinds[parents], parents, tuple(new)) for parents, new in grouped.items()]
    carried = {i for parents in grouped for i in parents}
    links += [Link(LinkKind.REMOVED, (i,), ()) for i in range(old_count) if i not in carried]
    return links


def removed_in(takes: Sequence[TakeLineage], number: int, index: int) -> int | None:
    """The take that removed sentence `index` of take `number`, if a later take did."""
    if number < len(takes) and index in takes[number].removed:
        return number + 1
    return None


def reverts(content_keys: Sequence[str]) -> dict[int, int]:
    """Takes whose text returns to an earlier take's: {take: the take it returns to}.

    `content_keys` are the takes' text hashes in order. A take equal to the one just
    before it (a REFILE repeating the text) is not a revert.
    """
    result: dict[int, int] = {}
    last_seen: dict[str, int] = {}
    for number, key in enumerate(content_keys, start=1):
        seen = last_seen.get(key)
        if seen is not None and seen < number - 1 and content_keys[number - 2] != key:
            result[number] = seen
        last_seen[key] = number
    return result


class Event(StrEnum):
    """What a take did to a sentence's line, as the line's history lists it."""

    BEGAN = "began"
    CHANGED = "changed"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"
    REMOVED = "removed"
    RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class Step:
    """One take that did something to a line: its form there, marked against the form before.

    `indices` are its sentences in `take`; for a removal, in the take before it (the
    last that carried it), and `text` is the form it was removed in.
    """

    take: int
    event: Event
    text: str
    indices: tuple[int, ...]
    inline: tuple[tuple[int, str], ...] = ()  # word marks against the previous form
    moved: bool = False  # moved in this take as well
    tags: tuple[Tag, ...] = ()  # what the edit touched (attribution, quote, number…), as in a diff

    @property
    def edited(self) -> bool:
        return bool(self.inline)


Life = tuple[int, frozenset[int]]  # a take and the line's sentences in it


def line_history(
    takes: Sequence[TakeLineage], documents: Sequence[Document], number: int, index: int
) -> tuple[Step, ...]:
    """Every take that did something to the line of sentence `index` of take `number`,
    oldest first: where it began, each change (with word marks), move, split, merge,
    removal and restoration. `takes[k]` and `documents[k]` are take k+1.

    Walks the stored ancestors back to the take the line began in, and the sentences
    that name it as a parent forward; a removed line is followed into the later take
    that restored it, as blame links it.
    """
    lives = _earlier(takes, number, frozenset({index}))
    later, removed_in = _later(takes, number, frozenset({index}))
    lives += later

    def text(life: Life) -> str:
        take, group = life
        return " ".join(documents[take - 1].sentences[j].text for j in sorted(group))

    began = lives[0]
    steps = [Step(began[0], Event.BEGAN, text(began), tuple(sorted(began[1])))]
    for before, life in pairwise(lives):
        take, group = life
        old_text, new_text = text(before), text(life)
        edited = not same_as_written(old_text, new_text)
        inline = tuple(word_diff(old_text, new_text)) if edited else ()
        tags = classify(ChangeKind.CHANGED, old_text, new_text, inline)
        indices = tuple(sorted(group))
        if take != before[0] + 1:  # gone for a while: removed, then restored here
            steps.append(Step(before[0] + 1, Event.REMOVED, old_text, tuple(sorted(before[1]))))
            steps.append(Step(take, Event.RESTORED, new_text, indices, inline, tags=tags))
            continue
        lineages = [takes[take - 1].sentences[j] for j in group]
        origins = {lineage.origin for lineage in lineages}
        moved = any(take in lineage.moves for lineage in lineages)
        if Origin.SPLIT in origins:
            event = Event.SPLIT
        elif Origin.MERGED in origins:
            event = Event.MERGED
        elif edited:
            event = Event.CHANGED
        elif moved:
            event = Event.MOVED
        else:
            continue  # carried as it was
        steps.append(
            Step(take, event, new_text, indices, inline, moved and event is not Event.MOVED, tags)
        )
    if removed_in is not None:
        last = lives[-1]
        steps.append(Step(removed_in, Event.REMOVED, text(last), tuple(sorted(last[1]))))
    return tuple(steps)


def _earlier(takes: Sequence[TakeLineage], number: int, group: frozenset[int]) -> list[Life]:
    """The line's sentences in each take from the one it began in to `number`."""
    lives: list[Life] = [(number, group)]
    while True:
        take, group = lives[-1]
        lineages = [takes[take - 1].sentences[j] for j in group]
        parents = frozenset(
            parent
            for lineage in lineages
            if lineage.origin not in (Origin.ADDED, Origin.RESTORED)
            for parent in lineage.parents
        )
        restored = [lineage.restored for lineage in lineages if lineage.origin is Origin.RESTORED]
        if parents and take > 1:
            lives.append((take - 1, parents))
        elif restored and restored[0] is not None:
            lives.append((restored[0].take, frozenset({restored[0].index})))
        else:
            break
    lives.reverse()
    return lives


def _later(
    takes: Sequence[TakeLineage], number: int, group: frozenset[int]
) -> tuple[list[Life], int | None]:
    """The line's sentences in each take after `number`, and the take that removed it for
    good (None while the last take carries it)."""
    lives: list[Life] = []
    take = number
    while take < len(takes):
        following = frozenset(
            j
            for j, lineage in enumerate(takes[take].sentences)
            if lineage.origin not in (Origin.ADDED, Origin.RESTORED)
            and not group.isdisjoint(lineage.parents)
        )
        if following:
            take, group = take + 1, following
            lives.append((take, group))
            continue
        back = _restored_after(takes, take, group)
        if back is None:
            return lives, take + 1
        take, group = back
        lives.append(back)
    return lives, None


def _restored_after(takes: Sequence[TakeLineage], last: int, group: frozenset[int]) -> Life | None:
    """The first take after `last` + 1 that restored sentences of `group` (of take `last`)."""
    for take in range(last + 2, len(takes) + 1):
        back = frozenset(
            j
            for j, lineage in enumerate(takes[take - 1].sentences)
            if lineage.origin is Origin.RESTORED
            and lineage.restored is not None
            and lineage.restored.take == last
            and lineage.restored.index in group
        )
        if back:
            return take, back
    return None


class CellState(StrEnum):
    """What happened to a paragraph in a take: one cell of the takes × paragraphs grid."""

    ADDED = "added"
    CHANGED = "changed"
    MOVED = "moved"
    RESTORED = "restored"
    REMOVED = "removed"
    UNTOUCHED = "untouched"


# How the grid draws each state in plain text: the change signs from `versions.editorial`.
CELL_SIGNS: dict[CellState, str] = {
    CellState.ADDED: KIND_SIGN[ChangeKind.ADDED],
    CellState.CHANGED: KIND_SIGN[ChangeKind.CHANGED],
    CellState.MOVED: KIND_SIGN[ChangeKind.MOVED],
    CellState.RESTORED: "↺",
    CellState.REMOVED: KIND_SIGN[ChangeKind.REMOVED],
    CellState.UNTOUCHED: "·",
}


@dataclass(frozen=True, slots=True)
class Cell:
    """A paragraph of a take (`paragraph`), or one of the previous take it removed
    (`paragraph` None, `old_paragraph` its number there), in reading order."""

    state: CellState
    paragraph: int | None
    old_paragraph: int | None = None


def paragraph_cells(take: TakeLineage, old: Document | None, new: Document) -> tuple[Cell, ...]:
    """One row of the grid: each paragraph of `new` by what its sentences went through,
    with the previous take's wholly removed paragraphs where they stood.

    A paragraph that lost a sentence but kept the others is changed.
    """
    origins: dict[int, set[Origin]] = {}
    edited: set[int] = set()
    continued: dict[int, int] = {}  # old paragraph → the first new one its sentences went to
    for sentence, lineage in zip(new.sentences, take.sentences, strict=True):
        origins.setdefault(sentence.paragraph, set()).add(lineage.origin)
        if lineage.edits and lineage.edits[-1] == take.number:
            edited.add(sentence.paragraph)
        if old is not None and lineage.origin is not Origin.RESTORED:
            for parent in lineage.parents:
                continued.setdefault(old.sentences[parent].paragraph, sentence.paragraph)
    inserts: dict[int, list[Cell]] = {}
    if old is not None:
        removed = set(take.removed)
        after = 0
        for number, paragraph in enumerate(old.paragraphs, start=1):
            if number in continued:
                after = continued[number]
                if any(s.paragraph == number and s.index in removed for s in old.sentences):
                    edited.add(after)
            elif paragraph.sentences:
                inserts.setdefault(after, []).append(Cell(CellState.REMOVED, None, number))
    result = list(inserts.get(0, []))
    for number in range(1, len(new.paragraphs) + 1):
        result.append(Cell(_state(origins.get(number, set()), number in edited), number))
        result.extend(inserts.get(number, []))
    return tuple(result)


def _state(origins: set[Origin], edited: bool) -> CellState:
    if origins == {Origin.ADDED}:
        return CellState.ADDED
    if Origin.RESTORED in origins and origins <= {Origin.RESTORED, Origin.ADDED}:
        return CellState.RESTORED
    if edited or origins & {Origin.ADDED, Origin.SPLIT, Origin.MERGED, Origin.RESTORED}:
        return CellState.CHANGED
    if Origin.MOVED in origins:
        return CellState.MOVED
    return CellState.UNTOUCHED


def story_grid(
    takes: Sequence[TakeLineage], documents: Sequence[Document]
) -> list[tuple[Cell, ...]]:
    """The takes × paragraphs grid: a row of cells per take, oldest first."""
    return [
        paragraph_cells(take, documents[k - 1] if k else None, documents[k])
        for k, take in enumerate(takes)
    ]


# Lineage as the store's `lineage` table holds it, both ways, here beside the values: the
# pool's workers build the rows and blame's reads parse them, neither through the store.
# A row after the version's id: position, origin, parents, began, edits, moves and the
# restoration's four columns.
LineageRow = tuple[Any, ...]


def lineage_rows(take: TakeLineage) -> Iterator[LineageRow]:
    """The take's lineage as the store's `lineage` rows, one a sentence."""
    for position, lineage in enumerate(take.sentences):
        restored = lineage.restored
        yield (
            position,
            lineage.origin.value,
            _numbers_text(lineage.parents),
            lineage.began,
            _numbers_text(lineage.edits),
            _numbers_text(lineage.moves),
            *(
                (restored.restored_in, restored.removed_in, restored.take, restored.index)
                if restored
                else (None, None, None, None)
            ),
        )


def lineage_of(
    origin: str,
    parents: str,
    began: int,
    edits: str,
    moves: str,
    restored_in: int | None,
    restored_removed_in: Any,
    restored_take: Any,
    restored_index: Any,
) -> Lineage:
    """The lineage stored in one row's columns, in the table's order after `position`."""
    restored = (
        Restoration(restored_in, restored_removed_in, restored_take, restored_index)
        if restored_in is not None
        else None
    )
    return Lineage(
        Origin(origin), began, _numbers(parents), _numbers(edits), _numbers(moves), restored
    )


def _numbers_text(values: Iterable[int]) -> str:
    """Take numbers or indices as stored: comma-separated."""
    return ",".join(map(str, values))


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(value) for value in text.split(",")) if text else ()
