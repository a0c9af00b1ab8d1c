"""The change log between any two versions of a story: align, then classify.

Pure: works on `Document`s however they were made (parsed, or rebuilt by the
store with `Document.from_sentences`). See docs/changelog-format.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from versions.align import Link, LinkKind, align, same_as_written, word_diff
from versions.classify import classify
from versions.model import Change, ChangeKind, ChangeLog, Document, Sentence, VersionRef

_WITH_INLINE = {ChangeKind.CHANGED, ChangeKind.SPLIT, ChangeKind.MERGED, ChangeKind.MOVED}
# What a link reports as: an EQUAL link that is edited differs in typography only (quotes
# or dashes restyled), and is reported changed.
_CHANGE_KIND = {
    kind: ChangeKind.CHANGED if kind is LinkKind.EQUAL else ChangeKind(kind.value)
    for kind in LinkKind
}


def compare(
    old: Document,
    new: Document,
    *,
    story_key: str | None = None,
    story_title: str | None = None,
    old_ref: VersionRef | None = None,
    new_ref: VersionRef | None = None,
    links: Sequence[Link] | None = None,
) -> ChangeLog:
    """What changed from `old` to `new`, in the reading order of `new`.

    `links`: `align(old.sentences, new.sentences)` when the caller has it already
    (ingest keeps it for sentence lineage too).
    """
    old_sentences, new_sentences = old.sentences, new.sentences
    if links is None:
        links = align(old_sentences, new_sentences)
    touched = [  # all but the common case: an equal sentence written exactly the same
        link
        for link in links
        if link.kind is not LinkKind.EQUAL
        or old_sentences[link.old[0]].text != new_sentences[link.new[0]].text
    ]
    changes = [
        change
        for link in _in_reading_order(touched, links, len(old_sentences))
        if (change := _change(link, old_sentences, new_sentences)) is not None
    ]
    return ChangeLog(
        tuple(changes),
        story_key=story_key,
        story_title=story_title,
        old=old_ref or VersionRef(),
        new=new_ref or VersionRef(),
    )


def _in_reading_order(chosen: Sequence[Link], links: Sequence[Link], old_count: int) -> list[Link]:
    """`chosen` (some of `links`) by new position; a removed sentence sits after what
    preceded it in `old`, as placed by all of `links`."""
    if not any(not link.new for link in chosen):  # by new position alone
        return sorted(chosen, key=_first_new)
    new_of_old = [-1.0] * old_count
    for kind, olds, news in links:
        if news and kind is not LinkKind.MOVED:
            last = max(news)
            for i in olds:
                new_of_old[i] = last
    preceding = -1.0
    for i in range(old_count):
        if new_of_old[i] >= 0:
            preceding = new_of_old[i]
        else:
            new_of_old[i] = preceding

    def key(link: Link) -> tuple[float, int, int]:
        if link.new:
            return float(min(link.new)), 1, min(link.new)
        return new_of_old[link.old[0]] + 0.5, 0, link.old[0]

    return sorted(chosen, key=key)


def _first_new(link: Link) -> int:
    return min(link.new)


def _change(link: Link, old: Sequence[Sentence], new: Sequence[Sentence]) -> Change | None:
    old_side = [old[i] for i in link.old]
    new_side = [new[j] for j in link.new]
    old_texts = tuple([s.text for s in old_side])
    new_texts = tuple([s.text for s in new_side])
    old_text = " ".join(old_texts)
    new_text = " ".join(new_texts)
    edited = bool(old_side and new_side) and not same_as_written(old_text, new_text)
    if link.kind is not LinkKind.MOVED and link.old and link.new and not edited:
        return None  # the same words, only re-wrapped or re-segmented
    kind = _CHANGE_KIND[link.kind]
    inline = tuple(word_diff(old_text, new_text)) if kind in _WITH_INLINE and edited else ()
    section = new_side[0].section if new_side else old_side[0].section
    return Change(
        section=section,
        kind=kind,
        old=old_texts,
        new=new_texts,
        old_index=link.old,  # a document's sentence sits at its own index
        new_index=link.new,
        tags=classify(kind, old_text, new_text, inline),
        inline=inline,
        old_paragraphs=_paragraphs(old_side),
        new_paragraphs=_paragraphs(new_side),
    )


def _paragraphs(side: list[Sentence]) -> tuple[int, ...]:
    if len(side) == 1:
        return (side[0].paragraph,)
    return tuple(sorted({s.paragraph for s in side}))
