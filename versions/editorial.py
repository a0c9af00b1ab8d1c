"""Editorial meaning shared by every front end and format: one home, so they never disagree.

The CLI, the TUI, the watcher's notices and the exports read the kinds of change in one
order (`+added ~changed −removed ↕moved ⋔split ⋈merged`, the README's) with one sign each,
count things in words that agree with their number, number paragraphs as an editor does,
flag the same tags and show control characters by one rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from versions.labels import WireLabel
from versions.model import (
    SECTION_OF_KIND,
    Change,
    ChangeKind,
    Document,
    ParagraphKind,
    Section,
    Tag,
)

# The order counts are read in, everywhere: what arrived, what changed, what went, then
# what only moved or was re-cut.
COUNT_ORDER: tuple[ChangeKind, ...] = (
    ChangeKind.ADDED,
    ChangeKind.CHANGED,
    ChangeKind.REMOVED,
    ChangeKind.MOVED,
    ChangeKind.SPLIT,
    ChangeKind.MERGED,
)

KIND_SIGN: dict[ChangeKind, str] = {
    ChangeKind.ADDED: "+",
    ChangeKind.CHANGED: "~",
    ChangeKind.REMOVED: "−",
    ChangeKind.MOVED: "↕",
    ChangeKind.SPLIT: "⋔",
    ChangeKind.MERGED: "⋈",
}

_PLURALS = {"story": "stories", "match": "matches", "delivery": "deliveries"}


def plural(count: int, word: str) -> str:
    """ "1 change", "2 changes", "1 story", "0 stories": the number and its word, agreeing."""
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {_PLURALS.get(word, word + 's')}"


def revert_note(number: int, earlier: int) -> str:
    """What a take whose text returns to an earlier take's is called, wherever it is shown."""
    return f"v{number} returns to the text of v{earlier}: a revert"


def counted_kinds(counts: Mapping[str, int]) -> list[tuple[ChangeKind, int]]:
    """The kinds that occurred, in `COUNT_ORDER`, with how many: zeros left out."""
    return [(kind, counts.get(str(kind), 0)) for kind in COUNT_ORDER if counts.get(str(kind))]


# What a version brought when it changed nothing, and when it had nothing to compare with.
NO_CHANGE = "no change"
FIRST_VERSION = "first version"


def short_counts(counts: Mapping[str, int]) -> str:
    """ "+2 ~3 −1": the signs in `COUNT_ORDER`, zeros left out; "no change" when empty."""
    parts = [f"{KIND_SIGN[kind]}{count}" for kind, count in counted_kinds(counts)]
    return " ".join(parts) or NO_CHANGE


def substantive(counts: Mapping[str, int], tags: Mapping[str, int]) -> bool:
    """False when a version changed nothing but cosmetics (or nothing at all).

    A change with several tags counts as cosmetic only when the classifier tagged it so:
    a cosmetic change is one whose wording is otherwise the same.
    """
    return sum(counts.values()) > tags.get(str(Tag.COSMETIC), 0)


def shown_label(label: WireLabel | None, *, withdrawn: bool, correction: bool) -> str | None:
    """A take's label as an editor reads it: as filed, then WITHDRAWN or CORRECTED when the
    take was one without its label saying so (a ninjs pubStatus, a KILL line, a "(Corrects
    …)" advisory): "UPDATE 3; WITHDRAWN"; None when there is nothing to say."""
    parts = [label.text] if label else []
    if withdrawn and not (label and label.withdrawn):
        parts.append("WITHDRAWN")
    if correction and not (label and label.correction):
        parts.append("CORRECTED")
    return "; ".join(parts) or None


def flags(change: Change) -> list[Tag]:
    """The tags of a change an editor must look at, in `FLAGGED` order."""
    return [tag for tag in FLAGGED if tag in change.tags]


# A dateline paragraph that holds nothing but "WASHINGTON, Nov 21 (Reuters) -".
_DATELINE_ONLY = re.compile(r"(?:\)|[-–—])\s*$")

# Tags an editor must look at; cosmetic is shown, but never flagged.
FLAGGED = (Tag.ATTRIBUTION, Tag.QUOTE, Tag.NUMBER)

# What a flagged change is called in an advisory line or a reason: "changes figure",
# "figure in ¶1".
FLAG_NOUNS: dict[Tag, str] = {
    Tag.ATTRIBUTION: "attribution",
    Tag.QUOTE: "quote",
    Tag.NUMBER: "figure",
}

# Words that make an arrival matter wherever they appear or vanish (`versions.significance`);
# a trailing `*` matches any ending. The config file's `watch_terms` replaces the list.
DEFAULT_WATCH_TERMS: tuple[str, ...] = (
    "kill*",
    "dead",
    "died",
    "death toll",
    "resign*",
    "denies",
    "denied",
    "evacuat*",
    "arrest*",
    "explosion*",
    "hostage*",
    "state of emergency",
    "ceasefire",
    "coup",
    "impeach*",
    "bankrupt*",
    "default*",
    "tsunami",
    "nuclear",
)


def check_watch_term(term: str) -> str | None:
    """Why a watch term cannot be used, or None: it needs a letter or digit before any `*`."""
    stem = term.strip().rstrip("*")
    if not re.search(r"\w", stem):
        return "it needs a letter or digit"
    if "*" in stem:
        return "`*` may only end it"
    return None


# Story text must never drive a terminal or a viewer: C0 controls and DEL (ESC of an ANSI
# sequence, BEL, CR…) show as their Unicode pictures (␛, ␇, ␍, ␡); C1 controls (CSI…),
# which have none, as U+FFFD.
_CONTROLS = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
_CONTROLS |= {code: 0xFFFD for code in range(0x80, 0xA0)}


def visible(text: str) -> str:
    """Story text with every control character shown, none obeyed: the one rule of every
    front end and format."""
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
    """Editor numbers of the body paragraphs, and the document numbers of the subheads.

    The last document's are kept: a take numbered as the new version of one comparison is
    numbered again as the old version of the next.
    """
    global _last_numbered
    last = _last_numbered
    if last is not None and last[0] is document:
        return last[1]
    numbered = _numbered(document)
    _last_numbered = (document, numbered)
    return numbered


_last_numbered: tuple[Document, tuple[dict[int, int], frozenset[int]]] | None = None


def _numbered(document: Document) -> tuple[dict[int, int], frozenset[int]]:
    numbers: dict[int, int] = {}
    subheads: set[int] = set()
    start = _body_start(document)
    for number, paragraph in enumerate(document.paragraphs[start - 1 :], start=start):
        if paragraph.kind is ParagraphKind.SUBHEAD:
            subheads.add(number)
        elif paragraph.kind in _NUMBERED_KINDS:
            numbers[number] = len(numbers) + 1
    return numbers, frozenset(subheads)


# The kinds of paragraph an editor counts: those of the body and the dateline but subheads.
_NUMBERED_KINDS = frozenset(
    kind
    for kind, section in SECTION_OF_KIND.items()
    if section in (Section.BODY, Section.DATELINE) and kind is not ParagraphKind.SUBHEAD
)


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
