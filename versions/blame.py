"""Blame: each sentence of a take with the take that brought it in and the last that changed it.

Built from stored lineage (`versions.lineage`) and the takes' labels and times; rendered
by `versions.export.blame`. See docs/blame-format.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from versions.editorial import Numbering, revert_note
from versions.lineage import (
    Cell,
    Event,
    Lineage,
    Origin,
    Step,
    TakeLineage,
    line_history,
    paragraph_cells,
)
from versions.model import ChangeLog, Document, ParagraphKind, Section, Sentence


@dataclass(frozen=True, slots=True)
class Take:
    """A version of a story as blame names it: number, wire label, time it was filed."""

    number: int
    label: str | None
    created_at: datetime

    @property
    def name(self) -> str:
        return f"v{self.number}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.number,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class BlameLine:
    sentence: Sentence
    lineage: Lineage
    place: str  # the paragraph as an editor names it: "¶3", "headline", "subhead" …

    @property
    def moved(self) -> bool:
        return bool(self.lineage.moves)


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A sentence of the take before that this take removed."""

    sentence: Sentence
    lineage: Lineage


@dataclass(frozen=True, slots=True)
class Blame:
    story_key: str
    story_title: str
    take: Take
    lines: tuple[BlameLine, ...]
    removed: tuple[RemovedLine, ...]
    takes: Mapping[int, Take]  # every take of the story, by number
    reverts_to: int | None = None  # the earlier take whose text this take returns to

    @property
    def revert(self) -> str | None:
        if self.reverts_to is None:
            return None
        return revert_note(self.take.number, self.reverts_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": {"key": self.story_key, "title": self.story_title},
            "version": self.take.to_dict(),
            "reverts_to": self.reverts_to,
            "sentences": [
                {
                    "index": line.sentence.index,
                    "paragraph": line.place,
                    "section": str(line.sentence.section),
                    "text": line.sentence.text,
                    **_history(line.lineage),
                }
                for line in self.lines
            ],
            "removed": [
                {
                    "index": line.sentence.index,
                    "text": line.sentence.text,
                    "removed_in": self.take.number,
                    **_history(line.lineage),
                }
                for line in self.removed
            ],
            "takes": [take.to_dict() for _, take in sorted(self.takes.items())],
        }


def _history(lineage: Lineage) -> dict[str, Any]:
    restored = lineage.restored
    return {
        "origin": str(lineage.origin),
        "parents": list(lineage.parents),
        "began": lineage.began,
        "last_changed": lineage.last_edit,
        "edits": list(lineage.edits),
        "moves": list(lineage.moves),
        "restored": None
        if restored is None
        else {
            "restored_in": restored.restored_in,
            "removed_in": restored.removed_in,
            "earlier": {"version": restored.take, "index": restored.index},
        },
    }


_PLACES = {
    ParagraphKind.HEADLINE: "headline",
    ParagraphKind.BULLET: "bullet",
    ParagraphKind.BYLINE: "byline",
    ParagraphKind.SUBHEAD: "subhead",
    ParagraphKind.TRAILER: "trailer",
}


def places(document: Document) -> list[str]:
    """Each sentence's paragraph as an editor names it: body paragraphs counted from the
    one that opens with the dateline, the rest by what they are."""
    numbers = Numbering.of(None, document).new_numbers or {}
    result = []
    for sentence in document.sentences:
        number = numbers.get(sentence.paragraph)
        if number is not None:
            result.append(f"¶{number}")
        elif sentence.section is Section.DATELINE:
            result.append("dateline")
        else:
            result.append(_PLACES.get(sentence.kind, str(sentence.section)))
    return result


def blame(
    story_key: str,
    story_title: str,
    document: Document,
    lineage: Sequence[Lineage],
    takes: Mapping[int, Take],
    number: int,
    *,
    removed: Sequence[tuple[Sentence, Lineage]] = (),
    reverts_to: int | None = None,
) -> Blame:
    """Blame of take `number` (`document`, its sentences' `lineage`); `removed` holds the
    sentences of the take before that it removed, with their lineage there."""
    lines = tuple(
        BlameLine(sentence, sentence_lineage, place)
        for sentence, sentence_lineage, place in zip(
            document.sentences, lineage, places(document), strict=True
        )
    )
    return Blame(
        story_key,
        story_title,
        takes[number],
        lines,
        tuple(RemovedLine(sentence, old) for sentence, old in removed),
        takes,
        reverts_to,
    )


@dataclass(frozen=True, slots=True)
class SentenceHistory:
    """One sentence's line through a story: every take that did something to it."""

    story_key: str
    story_title: str
    number: int  # the take the sentence was picked in
    index: int
    steps: tuple[Step, ...]
    takes: Mapping[int, Take]

    @property
    def removed_in(self) -> int | None:
        """The take that removed the line for good, if one did."""
        last = self.steps[-1]
        return last.take if last.event is Event.REMOVED else None

    def step_in(self, number: int) -> Step | None:
        return next((step for step in self.steps if step.take == number), None)


def sentence_history(
    story_key: str,
    story_title: str,
    takes: Mapping[int, Take],
    lineage: Sequence[TakeLineage],
    documents: Sequence[Document],
    number: int,
    index: int,
) -> SentenceHistory:
    """The history of sentence `index` of take `number` (`lineage[k]`, `documents[k]`: take k+1)."""
    steps = line_history(lineage, documents, number, index)
    return SentenceHistory(story_key, story_title, number, index, steps, takes)


@dataclass(frozen=True)
class Provenance:
    """The lineage of the versions an export covers, for its grid and provenance section."""

    story_key: str
    story_title: str
    takes: Mapping[int, Take]  # every version of the story
    documents: Mapping[int, Document]  # the versions covered, by number
    lineage: Mapping[int, TakeLineage]
    reverts: Mapping[int, int]

    @property
    def last(self) -> int:
        return max(self.documents)

    def reverted(self, changelog: ChangeLog) -> str | None:
        """ "v5 returns to the text of v3: a revert", when the change log's new version does."""
        number = changelog.new.version
        if number is None or number not in self.reverts:
            return None
        return revert_note(number, self.reverts[number])

    def blame(self, number: int | None = None) -> Blame:
        """Blame of a covered version (default the last), without its removed sentences."""
        number = self.last if number is None else number
        return blame(
            self.story_key,
            self.story_title,
            self.documents[number],
            self.lineage[number].sentences,
            self.takes,
            number,
            reverts_to=self.reverts.get(number),
        )

    def grid(self) -> list[tuple[Take, tuple[Cell, ...]]]:
        """Takes × paragraphs: a row per covered version, oldest first."""
        return [
            (
                self.takes[number],
                paragraph_cells(
                    self.lineage[number], self.documents.get(number - 1), self.documents[number]
                ),
            )
            for number in sorted(self.documents)
            if number in self.lineage
        ]


__all__ = [
    "Blame",
    "BlameLine",
    "Origin",
    "Provenance",
    "RemovedLine",
    "SentenceHistory",
    "Take",
    "blame",
    "places",
    "sentence_history",
]
