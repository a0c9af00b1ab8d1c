"""How much an arrival matters to a desk editor: a score from 0 to 100 and the short why.

A pure function of what the change log already knows, so ingest, the watcher, the desk
screen and tests all agree without reading the archive again.  docs/significance.md gives
the weights and the reasons for them; in short, in this order of precedence:

- withdrawn: 100, always first (the desk must pull the story);
- corrected: 80 to 99, above every plain update (what was published was wrong), unless
  only cosmetic edits were made (a typo fixed: 0, like any cosmetic take);
- a plain update: 0 to 79, the sum of
  - headline changed: 25 (the words every reader sees);
  - flagged edits (figure 20, attribution 15, quote 10), each weighted by how high in the
    story it is: headline and summary 1, body paragraph N 2 / (N + 1) (¶1 1, ¶3 0.5,
    ¶9 0.2: the inverted pyramid); at most 40;
  - every other substantive edit: 8 by the same weight (a paragraph moved up counts half);
    at most 25;
  - watch terms added or removed: 12 per term, at most 30;
  - size: 15 × ln(1 + (e − 1) × share of the sentences touched), as EDGI's task sheets
    weigh it;
- a take whose only changes are cosmetic, or in the byline or trailer, or none at all (a
  REFILE): 0;
- a first take: 30, a new story, plus watch terms in its headline and first two
  paragraphs: 30 to 60, above a routine update deep in a story, below a changed lead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from versions.comparison import Comparison
from versions.editorial import DEFAULT_WATCH_TERMS, FLAG_NOUNS, FLAGGED, Numbering, plural
from versions.model import Change, ChangeKind, Document, Section, Tag

WITHDRAWN_SCORE = 100
CORRECTED_FLOOR = 80
UPDATE_CEILING = CORRECTED_FLOOR - 1
NEW_STORY = 30
HEADLINE = 25
FLAG_WEIGHTS = {Tag.NUMBER: 20.0, Tag.ATTRIBUTION: 15.0, Tag.QUOTE: 10.0}
FLAGS_CAP = 40.0
EDIT = 8.0
EDITS_CAP = 25.0
WATCH_TERM = 12
WATCH_CAP = 30
SIZE = 15.0
LEAD_PARAGRAPHS = 2  # what a first take's watch terms are looked for in, with the headline

_UNNUMBERED_BODY = 0.1  # a subhead: body, but no paragraph number
_SKIPPED_SECTIONS = (Section.BYLINE, Section.TRAILER)  # credits, not news


@dataclass(frozen=True, slots=True)
class Significance:
    """A score from 0 (nothing an editor need see) to 100 (withdrawn), and why, in short
    editor's words ("corrected", "figure in headline, ¶1", "watch term: killed"), most
    weighty first."""

    score: int
    reasons: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.score} ({', '.join(self.reasons)})" if self.reasons else str(self.score)


def significance(
    comparison: Comparison | None,
    *,
    first_take: Document | None = None,
    withdrawn: bool | None = None,
    corrected: bool | None = None,
    watch_terms: Sequence[str] = DEFAULT_WATCH_TERMS,
) -> Significance:
    """Score one arrival: `comparison` with the version before it, or None for a first take
    (pass the take as `first_take` so its watch terms count).

    `withdrawn` and `corrected` default to what the new document's metadata says (a
    comparison without documents, or a first take not given, then counts as neither).
    `watch_terms` are words matched whole and case-blind; a trailing `*` matches any
    ending ("evacuat*": evacuated, evacuation).
    """
    new = comparison.new if comparison is not None else first_take
    if withdrawn is None:
        withdrawn = new is not None and new.meta.withdrawn
    if corrected is None:
        corrected = new is not None and new.meta.correction
    if withdrawn:
        return Significance(WITHDRAWN_SCORE, ("withdrawn",))
    if comparison is None:
        score, reasons = _first_take(first_take, watch_terms)
    else:
        score, reasons = _update(comparison, watch_terms)
    if corrected and score == 0:
        return Significance(0, ("corrected", "cosmetic only"))  # a typo fixed: nothing to read
    if corrected:
        extra = round(score * (WITHDRAWN_SCORE - 1 - CORRECTED_FLOOR) / UPDATE_CEILING)
        return Significance(CORRECTED_FLOOR + extra, ("corrected", *reasons))
    return Significance(score, tuple(reasons))


def _first_take(document: Document | None, watch_terms: Sequence[str]) -> tuple[int, list[str]]:
    reasons = ["new story"]
    if document is None:
        return NEW_STORY, reasons
    lead = _lead_text(document)
    found = _terms_found(watch_terms, lead, [])
    reasons += [f"watch term: {word}" for word, _ in found]
    return NEW_STORY + min(WATCH_CAP, WATCH_TERM * len(found)), reasons


def _lead_text(document: Document) -> list[str]:
    """The headline, summary and the first paragraphs: what a new story is about."""
    numbering = Numbering.of(None, document)
    numbers = numbering.new_numbers or {}
    return [
        sentence.text
        for sentence in document.sentences
        if sentence.section is Section.HEADLINE
        or numbers.get(sentence.paragraph, LEAD_PARAGRAPHS + 1) <= LEAD_PARAGRAPHS
    ]


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a change is, for its weight and its reason: headline, summary or ¶N."""

    order: int  # headline -1, summary 0, ¶N N, unnumbered body a large number
    weight: float

    @property
    def words(self) -> str:
        if self.order < 0:
            return "headline"
        if self.order == 0:
            return "summary"
        return f"¶{self.order}"


_NOWHERE = _Place(10**6, 0.0)


def _update(comparison: Comparison, watch_terms: Sequence[str]) -> tuple[int, list[str]]:
    changes = [c for c in comparison.changelog.changes if _substantive(c)]
    if not changes:
        return 0, []
    numbering = comparison.numbering
    places = {id(change): _place(change, numbering) for change in changes}

    headline = any(
        c.section is Section.HEADLINE and c.kind is not ChangeKind.MOVED and places[id(c)].order < 0
        for c in changes
    )
    flag_points = 0.0
    flagged: dict[Tag, set[_Place]] = {}
    edit_points = 0.0
    lead_changed = False
    for change in changes:
        place = places[id(change)]
        tags = [tag for tag in FLAGGED if tag in change.tags]
        for tag in tags:
            flag_points += FLAG_WEIGHTS[tag] * place.weight
            flagged.setdefault(tag, set()).add(place)
        if change.kind is ChangeKind.MOVED:
            moved_up = numbering.new(change)[:1] < numbering.old(change)[:1]
            edit_points += EDIT * place.weight / 2 if moved_up else 0.0
            continue
        edit_points += EDIT * place.weight
        if not tags and place.order == 1:
            lead_changed = True

    touched = sum(max(len(c.old), len(c.new)) for c in changes if c.kind is not ChangeKind.MOVED)
    share = min(1.0, touched / _sentence_count(comparison))
    size_points = SIZE * math.log(1 + (math.e - 1) * share)

    edited = [c for c in changes if c.kind is not ChangeKind.MOVED]
    found = _terms_found(
        watch_terms,
        [s for c in edited for s in c.new],
        [s for c in edited for s in c.old],
    )
    watch_points = min(WATCH_CAP, WATCH_TERM * len(found))

    total = (
        (HEADLINE if headline else 0)
        + min(FLAGS_CAP, flag_points)
        + min(EDITS_CAP, edit_points)
        + watch_points
        + size_points
    )
    score = max(1, min(UPDATE_CEILING, round(total)))

    reasons = ["headline changed"] if headline else []
    by_place = sorted(flagged.items(), key=lambda item: (min(p.order for p in item[1]), item[0]))
    reasons += [f"{FLAG_NOUNS[tag]} in {_places_words(ps)}" for tag, ps in by_place]
    if lead_changed:
        reasons.append("lead changed")
    reasons += [
        f"watch term: {word}" if added else f"watch term dropped: {word}" for word, added in found
    ]
    reasons += _paragraph_counts(changes, numbering)
    return score, reasons


def _substantive(change: Change) -> bool:
    """A change an editor reads as news: not cosmetic, not in the credits."""
    return Tag.COSMETIC not in change.tags and change.section not in _SKIPPED_SECTIONS


def _place(change: Change, numbering: Numbering) -> _Place:
    if change.section is Section.HEADLINE:
        paragraphs = change.new_paragraphs or change.old_paragraphs
        return _Place(-1 if 1 in paragraphs or not paragraphs else 0, 1.0)
    if change.section is Section.DATELINE:
        return _Place(1, 1.0)
    if change.section is not Section.BODY:
        return _NOWHERE
    numbers = numbering.old(change) if change.kind is ChangeKind.REMOVED else numbering.new(change)
    if not numbers:
        return _Place(10**5, _UNNUMBERED_BODY)
    return _Place(numbers[0], 2 / (numbers[0] + 1))


def _sentence_count(comparison: Comparison) -> int:
    """The longer version's sentences; from the change log's indexes without documents."""
    documents = [d for d in (comparison.old, comparison.new) if d is not None]
    if documents:
        return max(1, *(len(d.sentences) for d in documents))
    indexes = [i for c in comparison.changelog.changes for i in (*c.old_index, *c.new_index)]
    return max(indexes, default=0) + 1


def _places_words(places: Iterable[_Place]) -> str:
    """ "headline, ¶1, ¶3": the first three places, then how many more."""
    ordered = sorted(set(places), key=lambda p: p.order)
    words = ", ".join(p.words for p in ordered[:3])
    return f"{words} +{len(ordered) - 3}" if len(ordered) > 3 else words


def _paragraph_counts(changes: list[Change], numbering: Numbering) -> list[str]:
    body = [c for c in changes if c.section is Section.BODY and not numbering.is_subhead(c)]
    added = {p for c in body if c.kind is ChangeKind.ADDED for p in numbering.new(c)}
    removed = {p for c in body if c.kind is ChangeKind.REMOVED for p in numbering.old(c)}
    counts = []
    if added:
        counts.append(f"adds {plural(len(added), 'paragraph')}")
    if removed:
        counts.append(f"removes {plural(len(removed), 'paragraph')}")
    return counts


def _terms_found(
    terms: Sequence[str], new: Sequence[str], old: Sequence[str]
) -> list[tuple[str, bool]]:
    """Watch terms whose count differs between the old and new sentences: (the words as
    matched, lower case; True when added), one per term, in the terms' order."""
    if not terms:
        return []
    matcher = WatchTerms.of(tuple(terms))
    new_matches = matcher.find("\n".join(new))
    old_matches = matcher.find("\n".join(old))
    found = []
    for term in sorted(new_matches.keys() | old_matches.keys()):
        difference = len(new_matches.get(term, ())) - len(old_matches.get(term, ()))
        if difference:
            words = new_matches[term] if difference > 0 else old_matches[term]
            found.append((words[0], difference > 0))
    return found


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WatchTerms:
    """Watch terms ready to match: whole words, case-blind; a trailing `*` matches any
    ending, a space any run of non-word characters ("death toll").

    One regex for all terms, without a group per term and behind a lookahead on their
    first letters, so the engine skips most positions at once; a match is mapped back to
    its term afterwards. Scoring must stay small beside the comparison it follows.
    """

    pattern: re.Pattern[str]
    exact: dict[str, int]  # the words of a whole-word term → its position in the list
    prefixes: tuple[tuple[str, int], ...]  # the words of a `*` term, without the `*`

    @classmethod
    @lru_cache(maxsize=16)
    def of(cls, terms: tuple[str, ...]) -> WatchTerms:
        exact: dict[str, int] = {}
        prefixes: list[tuple[str, int]] = []
        alternatives = []
        for number, term in enumerate(terms):
            words = _WORD.findall(term.lower())
            if not words:
                continue
            body = r"\W+".join(re.escape(word) for word in words)
            if term.strip().endswith("*"):
                prefixes.append((" ".join(words), number))
                alternatives.append(body + r"\w*")
            else:
                exact.setdefault(" ".join(words), number)
                alternatives.append(body + r"\b")
        firsts = "".join(sorted({re.escape(a[0]) for a in alternatives}))
        joined = "|".join(sorted(alternatives, key=len, reverse=True))
        pattern = rf"\b(?=[{firsts}])(?:{joined})" if alternatives else r"(?!)"
        return cls(re.compile(pattern), exact, tuple(prefixes))

    def find(self, text: str) -> dict[int, list[str]]:
        """The words each term matched in `text`, by the term's position in the list."""
        matched: dict[int, list[str]] = {}
        for match in self.pattern.finditer(text.lower()):
            words = " ".join(_WORD.findall(match.group()))
            number = self.exact.get(words)
            if number is None:
                number = next(n for stem, n in self.prefixes if words.startswith(stem))
            matched.setdefault(number, []).append(words)
        return dict(sorted(matched.items()))
