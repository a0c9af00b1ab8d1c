"""The values that flow through the pipeline: read → parse → segment → align → classify.

Plain frozen dataclasses, so every stage is a pure function of its inputs and the
store can rebuild a `Document` from its sentence rows without parsing again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from versions.labels import WireLabel, label_text


class Section(StrEnum):
    """Where a sentence sits in a wire story; changes are reported per section."""

    HEADLINE = "headline"  # the headline and the summary bullets under it
    BYLINE = "byline"
    DATELINE = "dateline"
    BODY = "body"  # body paragraphs and subheads
    TRAILER = "trailer"  # "(Reporting by …; Editing by …)"


class ParagraphKind(StrEnum):
    HEADLINE = "headline"
    BULLET = "bullet"
    BYLINE = "byline"
    DATELINE = "dateline"
    TEXT = "text"
    SUBHEAD = "subhead"
    TRAILER = "trailer"


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"


class Tag(StrEnum):
    ATTRIBUTION = "attribution"
    QUOTE = "quote"
    NUMBER = "number"
    COSMETIC = "cosmetic"


class Status(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a version.

    `index` is the sentence's position in `Document.sentences` (all sections, in
    reading order); `paragraph` is the 1-based number of its paragraph in the
    whole document, as an editor counts them in an advisory line.
    """

    text: str
    section: Section
    paragraph: int
    index: int
    kind: ParagraphKind = ParagraphKind.TEXT


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: ParagraphKind
    sentences: tuple[str, ...]

    @property
    def section(self) -> Section:
        return SECTION_OF_KIND[self.kind]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


SECTION_OF_KIND: dict[ParagraphKind, Section] = {
    ParagraphKind.HEADLINE: Section.HEADLINE,
    ParagraphKind.BULLET: Section.HEADLINE,
    ParagraphKind.BYLINE: Section.BYLINE,
    ParagraphKind.DATELINE: Section.DATELINE,
    ParagraphKind.TEXT: Section.BODY,
    ParagraphKind.SUBHEAD: Section.BODY,
    ParagraphKind.TRAILER: Section.TRAILER,
}


@dataclass(frozen=True, slots=True)
class ItemMeta:
    """What the delivery format says about the item, when it says it.

    Plain wire text carries only `label` and `advisory`; ninjs / NewsML-G2 / RSS
    readers fill the rest.
    """

    label: WireLabel | None = None  # "UPDATE 2", "REFILE", "CORRECTED", "WITHDRAWN" …
    advisory: str | None = None  # "(Adds …, updates …)" as written by the agency
    guid: str | None = None  # the item's stable id: story key when present
    version: int | None = None  # the agency's own version number
    created: datetime | None = None  # versioncreated / item date
    first_created: datetime | None = None
    withdrawn: bool = False  # pubstatus canceled, "STORY WITHDRAWN", KILL
    correction: bool = False  # sig:correction, "CORRECTED"
    ednote: str | None = None
    format: str = "text"  # text | ninjs | newsml | rss
    encoding: str = "utf-8"  # as detected on the raw bytes


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed version: paragraphs of sentences, in reading order."""

    paragraphs: tuple[Paragraph, ...]
    meta: ItemMeta = field(default_factory=ItemMeta)
    sentences: tuple[Sentence, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once: every compare reads it, and rebuilding it per access cost
        # a fifth of a 200,000-word diff. Each sentence's slots are filled directly:
        # a frozen dataclass's __init__ sets each field through object.__setattr__,
        # which costs twice as much, and a take has dozens (a 5 MB take 40,000).
        result: list[Sentence] = []
        new, append = object.__new__, result.append
        for number, paragraph in enumerate(self.paragraphs, start=1):
            kind = paragraph.kind
            section = SECTION_OF_KIND[kind]
            for text in paragraph.sentences:
                sentence = new(Sentence)
                _set_text(sentence, text)
                _set_section(sentence, section)
                _set_paragraph(sentence, number)
                _set_index(sentence, len(result))
                _set_kind(sentence, kind)
                append(sentence)
        object.__setattr__(self, "sentences", tuple(result))

    def section_text(self, section: Section) -> str:
        return "\n".join(p.text for p in self.paragraphs if p.section is section)

    @property
    def headline(self) -> str:
        return next((p.text for p in self.paragraphs if p.kind is ParagraphKind.HEADLINE), "")

    @property
    def byline(self) -> str:
        return self.section_text(Section.BYLINE)

    @property
    def dateline(self) -> str:
        return self.section_text(Section.DATELINE)

    @property
    def text(self) -> str:
        """The normalised text: one paragraph a line; what the content hash is taken of."""
        return "\n".join(p.text for p in self.paragraphs)

    @classmethod
    def from_sentences(
        cls, sentences: Sequence[Sentence], meta: ItemMeta | None = None
    ) -> Document:
        """Rebuild a document from stored sentence rows, without parsing again."""
        paragraphs: list[Paragraph] = []
        current: list[str] = []
        last: Sentence | None = None
        for sentence in sentences:
            if last is not None and sentence.paragraph != last.paragraph:
                paragraphs.append(Paragraph(last.kind, tuple(current)))
                current = []
            current.append(sentence.text)
            last = sentence
        if last is not None:
            paragraphs.append(Paragraph(last.kind, tuple(current)))
        return cls(tuple(paragraphs), meta or ItemMeta())


# The slots' own setters, which a frozen dataclass leaves usable: `Document` fills its
# sentences with them.
_set_text = vars(Sentence)["text"].__set__
_set_section = vars(Sentence)["section"].__set__
_set_paragraph = vars(Sentence)["paragraph"].__set__
_set_index = vars(Sentence)["index"].__set__
_set_kind = vars(Sentence)["kind"].__set__


@dataclass(frozen=True, slots=True)
class Change:
    """One reported difference between two versions.

    `old_index` / `new_index` are `Sentence.index` values; `inline` is
    diff-match-patch's form ((-1|0|1, text) pairs) over the whole change.
    """

    section: Section
    kind: ChangeKind
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    old_index: tuple[int, ...] = ()
    new_index: tuple[int, ...] = ()
    tags: tuple[Tag, ...] = ()
    inline: tuple[tuple[int, str], ...] = ()
    old_paragraphs: tuple[int, ...] = ()
    new_paragraphs: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": str(self.section),
            "kind": str(self.kind),
            "old": list(self.old),
            "new": list(self.new),
            "old_index": list(self.old_index),
            "new_index": list(self.new_index),
            "tags": [str(tag) for tag in self.tags],
            "inline": [[op, text] for op, text in self.inline],
        }


@dataclass(frozen=True, slots=True)
class VersionRef:
    """A version as a change log names it: its number, its label, and whether it withdrew
    the story or corrected an earlier take (which its label need not say)."""

    version: int | None = None
    label: WireLabel | None = None
    withdrawn: bool = False
    correction: bool = False

    @classmethod
    def of(cls, version: int | None, meta: ItemMeta) -> VersionRef:
        return cls(version, meta.label, meta.withdrawn, meta.correction)


@dataclass(frozen=True, slots=True)
class ChangeLog:
    """Everything that changed from one version of a story to another."""

    changes: tuple[Change, ...]
    story_key: str | None = None
    story_title: str | None = None
    old: VersionRef = field(default_factory=VersionRef)
    new: VersionRef = field(default_factory=VersionRef)

    @property
    def summary(self) -> dict[str, int]:
        counts = {str(kind): 0 for kind in ChangeKind}
        for change in self.changes:
            counts[str(change.kind)] += 1
        return counts

    def tag_counts(self) -> dict[str, int]:
        counts = {str(tag): 0 for tag in Tag}
        for change in self.changes:
            for tag in change.tags:
                counts[str(tag)] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": {"key": self.story_key, "title": self.story_title},
            "from": {"version": self.old.version, "label": label_text(self.old.label)},
            "to": {"version": self.new.version, "label": label_text(self.new.label)},
            "changes": [change.to_dict() for change in self.changes],
            "summary": self.summary,
        }
