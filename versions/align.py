"""Which sentences of two versions are versions of one another, and which words changed.

Sentences are matched in five passes, each on what the previous ones left:

1. **Anchors.** Within each section the normalised sentences of both versions
   are diffed as sequences (`difflib.SequenceMatcher`, autojunk off, so repeated
   boilerplate is never thrown away). Equal runs are the anchors: unchanged,
   whatever the paragraph breaks around them. What lies between two anchors is
   a *gap*: old sentences on one side, new ones on the other.
2. **Exact moves.** A sentence whose normalised text is left unmatched in both
   versions is the same sentence at another place: *moved*, never removed +
   added (first within its section, then across sections).
3. **Gaps.** Inside each gap the remaining sentences are paired in order by a
   small dynamic programme that maximises the number of shared words, choosing
   per step between 1:1 (*changed*), 1 old : 2–3 consecutive new (*split*),
   2–3 consecutive old : 1 new (*merged*), or leaving a sentence unpaired.
4. **Edited moves.** Sentences still unpaired are paired across the whole
   section (and between the dateline and the body, where a lead paragraph can
   travel) when they are very alike: *moved*, with its edit shown inline.
5. **Slots.** A short paragraph (a subhead, a trailer, a contributor line)
   replaced by another of the same kind between the same paired neighbours is
   *changed*, whatever the word overlap: "FIGHTING SPREADS NORTH" → "ARMY
   PUSHES INTO HILLS" is the subhead rewritten, not one dropped and one added.
   What is left is *added* or *removed*.

A 1:1 pair whose word diff keeps less than `MIN_KEPT_SHARE` (a fifth) of the
longer sentence in place is unpaired again: words in common but no edit to
show ("Corvane said its drug met the main goal" against "Reuters has withdrawn
the story headlined 'Corvane says … meets main goal'") read as removed + added.

Similarity is the Dice coefficient on lower-cased word multisets,
2·|A∩B| / (|A|+|B|). The thresholds are:

* `PAIR_THRESHOLD` (0.4) for sentences in the same gap: being at the same place
  already says they are related, so a heavily reworded sentence still pairs;
* `PART_CONTAINMENT` (0.5): in a split or merge every piece must have at least
  half of its words in the other side, so a new sentence that merely follows an
  edited one is not glued to it;
* `MOVE_THRESHOLD` (0.6) for sentences far apart: only place-independent
  evidence counts, so it must be stronger.

Inline diffs work on word tokens, encoded one character each for
diff-match-patch, so an edit is never shown inside a word. A token is a word
with its inner joiners ("don't", "23-year-old", "22nd"), a number with its
separators, currency sign and percent sign ("8,000", "10:30", "$4.6", "22.8%"),
an abbreviation ("U.S."), a run of whitespace, or a run of one punctuation mark
("--"). A figure is struck whole: "[-24%-]{+22.8%+}", never "[-24-]{+22.8+}%".
Changing "23 year old" to "23-year-old" therefore strikes the words, not an
invisible space.

An unchanged stretch of at most `MAX_ABSORBED_WORDS` (two) words between two
edits, at least one of which changes words, is folded into them: "[-will also
be-]{+were+} announced [-this-]{+on+}" and "[-a-]{+an underlying+} congenital
heart [-problem-]{+disease+}" read as one rewording each (human annotators of
real Wikinews revisions, IteraTeR, see bench/bench_iterater.py, label them so).
Three or more unchanged words stay visible as unchanged, and so does a stretch
holding a punctuation mark: a comma or a full stop between two edits is a
phrase boundary ("[-rose 22.8% in early trading-]{+closed up 23.4%+} in
Frankfurt, [-to 14.05-]{+at 14.12+} euros"). So does a phrase between two
punctuation-only edits (commas dropped around "Craig Handley", quotation marks
restyled around "historic"): there the words are exactly what the editor must
see untouched. (Against IteraTeR, the
punctuation rule and whole figures raised mark precision from 0.941 to 0.955
for 0.003 of recall, counted without moves.)
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from diff_match_patch import diff_match_patch

from versions.model import ParagraphKind, Section, Sentence
from versions.normalise import collapse_whitespace, normalise, word_tokens

PAIR_THRESHOLD = 0.4
PART_CONTAINMENT = 0.5
MOVE_THRESHOLD = 0.6
MIN_KEPT_SHARE = 0.2
SHORT_PARAGRAPH_WORDS = 12
MAX_ABSORBED_WORDS = 2
MAX_GROUP = 3  # sentences on the many-side of a split or merge
_FULL_DP_CELLS = 40_000  # larger gaps are aligned in a band around the diagonal
_BAND = 24
_FREQUENT_POSTING = 64  # words in more candidates than this do not propose move pairs


class LinkKind(StrEnum):
    EQUAL = "equal"  # the same sentence once normalised (its raw text may differ)
    CHANGED = "changed"
    SPLIT = "split"
    MERGED = "merged"
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"


class Link(NamedTuple):
    """Old sentences and the new sentences they became (positions in the lists aligned)."""

    kind: LinkKind
    old: tuple[int, ...]
    new: tuple[int, ...]


class _Side:
    """Per-sentence facts: normalised key and section, word counts on demand."""

    __slots__ = ("by_section", "counts", "keys", "sections")

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.keys = [sentence_key(s.text) for s in sentences]
        self.sections = [s.section for s in sentences]
        self.counts: list[Counter[str] | None] = [None] * len(sentences)
        self.by_section: dict[Section, list[int]] = {}
        for position, section in enumerate(self.sections):
            self.by_section.setdefault(section, []).append(position)

    def words(self, position: int) -> Counter[str]:
        counts = self.counts[position]
        if counts is None:
            counts = self.counts[position] = word_counts(self.keys[position])
        return counts

    @classmethod
    def of(cls, sentences: Sequence[Sentence]) -> _Side:
        """The facts of `sentences`, kept for the one alignment that is likely to ask
        again: the next take's, where today's new side is the old side."""
        last = _last_side
        if last is not None and last[0] is sentences:
            return last[1]
        return cls(sentences)


_last_side: tuple[Sequence[Sentence], _Side] | None = None  # the last new side, held


# A take shares most sentences with the one before it, and each is aligned twice (as the
# new side, then as the old side of the next take) and looked up by lineage: facts of a
# sentence's text are kept for the takes that follow rather than computed again. Word
# counts are needed only for the few sentences in gaps, and each weighs a kilobyte or so.
@functools.lru_cache(maxsize=8192)
def sentence_key(text: str) -> str:
    """`normalise(text)`, kept for the next take's alignment."""
    return normalise(text)


@functools.lru_cache(maxsize=2048)
def word_counts(text: str) -> Counter[str]:
    """The words of a text, counted (`word_tokens`); shared, so never to be changed."""
    return Counter(word_tokens(text))


def shared_words(a: Counter[str], b: Counter[str]) -> int:
    """Words two texts share, counted with repeats: the numerator of their Dice coefficient."""
    shared = 0
    for word in a.keys() & b.keys():
        n, m = a[word], b[word]
        shared += n if n < m else m
    return shared


def align(old: Sequence[Sentence], new: Sequence[Sentence]) -> list[Link]:
    """Every sentence of both versions in exactly one link, unordered."""
    global _last_side
    old_side, new_side = _Side.of(old), _Side.of(new)
    _last_side = (new, new_side)
    equal_old: list[int] = []  # the pairs of EQUAL links, in order
    equal_new: list[int] = []
    gaps: list[tuple[list[int], list[int]]] = []
    for section in Section:
        old_pos = old_side.by_section.get(section, [])
        new_pos = new_side.by_section.get(section, [])
        old_keys = [old_side.keys[i] for i in old_pos]
        new_keys = [new_side.keys[j] for j in new_pos]
        if old_keys == new_keys:  # the section unchanged: its opcodes would all be equal
            equal_old += old_pos
            equal_new += new_pos
            continue
        for tag, i1, i2, j1, j2 in _opcodes(old_keys, new_keys):
            if tag == "equal":
                equal_old += old_pos[i1:i2]
                equal_new += new_pos[j1:j2]
            else:
                gaps.append((old_pos[i1:i2], new_pos[j1:j2]))
    links = _equal_links(equal_old, equal_new)
    if not gaps:
        return links

    # only sentences in gaps are paired from here on: the sets hold none of the anchors
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    gap_links = _exact_moves(gaps, old_side, new_side, paired_old, paired_new)
    for gap_old, gap_new in gaps:
        gap_links.extend(
            link
            for link in _pair_gap(
                [i for i in gap_old if i not in paired_old],
                [j for j in gap_new if j not in paired_new],
                old_side,
                new_side,
            )
            if link.kind is not LinkKind.CHANGED
            or not _rewritten(old[link.old[0]].text, new[link.new[0]].text)
        )
    links.extend(gap_links)
    for link in gap_links:
        paired_old.update(link.old)
        paired_new.update(link.new)
    left_old = [i for gap_old, _ in gaps for i in gap_old if i not in paired_old]
    left_new = [j for _, gap_new in gaps for j in gap_new if j not in paired_new]
    if left_old and left_new:
        moves = _edited_moves(left_old, left_new, old_side, new_side)
        links.extend(moves)
        paired_old.update(i for link in moves for i in link.old)
        paired_new.update(j for link in moves for j in link.new)
        left_old = [i for i in left_old if i not in paired_old]
        left_new = [j for j in left_new if j not in paired_new]
    if left_old and left_new:
        replaced = _slot_replacements(left_old, left_new, old, new, links)
        links.extend(replaced)
        paired_old.update(i for link in replaced for i in link.old)
        paired_new.update(j for link in replaced for j in link.new)
    links.extend(Link(LinkKind.REMOVED, (i,), ()) for i in left_old if i not in paired_old)
    links.extend(Link(LinkKind.ADDED, (), (j,)) for j in left_new if j not in paired_new)
    return links


def _equal_links(old: list[int], new: list[int]) -> list[Link]:
    """Old and new positions paired in order as EQUAL links: most of every alignment, so
    made without `Link`'s Python-level constructor."""
    make, equal = tuple.__new__, LinkKind.EQUAL
    return [make(Link, (equal, (i,), (j,))) for i, j in zip(old, new, strict=True)]


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes, computed between patience anchors to stay fast on long documents.

    Sentences that occur once in each version are matched in order (longest
    increasing run, as in patience diff); difflib then works only on the short
    stretches between them, where repeated boilerplate can occur.
    """
    old_count = Counter(old)
    new_at = {key: j for j, key in enumerate(new)}
    new_count = Counter(new)
    candidates = [
        (i, new_at[key])
        for i, key in enumerate(old)
        if old_count[key] == 1 and new_count.get(key) == 1
    ]
    if all(a[1] < b[1] for a, b in pairwise(candidates)):
        anchors = candidates  # nothing moved: the run is every candidate
    else:
        anchors = _longest_increasing(candidates)
    opcodes: list[tuple[str, int, int, int, int]] = []
    i0 = j0 = 0
    for i, j in [*anchors, (len(old), len(new))]:
        if i0 < i and j0 < j and not set(old[i0:i]).isdisjoint(new[j0:j]):
            matcher = SequenceMatcher(None, old[i0:i], new[j0:j], autojunk=False)
            opcodes.extend(
                (tag, i0 + a1, i0 + a2, j0 + b1, j0 + b2)
                for tag, a1, a2, b1, b2 in matcher.get_opcodes()
            )
        elif i0 < i or j0 < j:  # what difflib says of stretches with no sentence in common
            opcodes.append(("replace", i0, i, j0, j))
        if i < len(old):
            opcodes.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return opcodes


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs increasing in their second member (patience sorting).

    Of several equally long runs, the one holding the earliest pairs: like difflib,
    the earlier of two swapped sentences stays put and the later one is the move.
    """
    starting = [0] * len(pairs)  # length of the longest run starting at each pair
    tails: list[int] = []  # for runs read backwards: -second member ending each length
    for k in range(len(pairs) - 1, -1, -1):
        length = bisect_left(tails, -pairs[k][1])
        if length == len(tails):
            tails.append(-pairs[k][1])
        else:
            tails[length] = -pairs[k][1]
        starting[k] = length + 1
    run: list[tuple[int, int]] = []
    need, last = len(tails), -1
    for k, pair in enumerate(pairs):
        if need and starting[k] == need and pair[1] > last:
            run.append(pair)
            need, last = need - 1, pair[1]
    return run


def _exact_moves(
    gaps: list[tuple[list[int], list[int]]],
    old_side: _Side,
    new_side: _Side,
    paired_old: set[int],
    paired_new: set[int],
) -> list[Link]:
    """Same normalised sentence unmatched on both sides: same section first, then any."""
    links: list[Link] = []
    for same_section in (True, False):
        waiting: dict[tuple[str, Section | None], list[int]] = {}
        for gap_old, _ in gaps:
            for i in gap_old:
                if i not in paired_old:
                    section = old_side.sections[i] if same_section else None
                    waiting.setdefault((old_side.keys[i], section), []).append(i)
        for _, gap_new in gaps:
            for j in gap_new:
                if j in paired_new:
                    continue
                section = new_side.sections[j] if same_section else None
                candidates = waiting.get((new_side.keys[j], section))
                if candidates:
                    i = candidates.pop(0)
                    paired_old.add(i)
                    paired_new.add(j)
                    links.append(Link(LinkKind.MOVED, (i,), (j,)))
    return links


def _pair_gap(
    gap_old: list[int], gap_new: list[int], old_side: _Side, new_side: _Side
) -> list[Link]:
    """Best in-order pairing of a gap's sentences (1:1, 1:n, n:1) by shared words."""
    n, m = len(gap_old), len(gap_new)
    if not n or not m:
        return []
    if n == m == 1:  # the programme's only pairing: the two sentences, if they qualify
        if _group_gain(gap_old, gap_new, old_side, new_side):
            return [Link(LinkKind.CHANGED, (gap_old[0],), (gap_new[0],))]
        return []
    band = None if n * m <= _FULL_DP_CELLS else _BAND

    def in_band(i: int, j: int) -> bool:
        return band is None or abs(i * m - j * n) <= band * max(n, m)

    score = [[-1] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    score[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            if (i or j) and not in_band(i, j):
                continue
            best, move = -1, None
            if i and score[i - 1][j] >= 0:
                best, move = score[i - 1][j], (1, 0)
            if j and score[i][j - 1] > best:
                best, move = score[i][j - 1], (0, 1)
            for di, dj in _GROUPS:
                if di > i or dj > j or score[i - di][j - dj] < 0:
                    continue
                gain = _group_gain(gap_old[i - di : i], gap_new[j - dj : j], old_side, new_side)
                if gain and score[i - di][j - dj] + gain > best:
                    best, move = score[i - di][j - dj] + gain, (di, dj)
            if move is not None:
                score[i][j], step[i][j] = best, move
    if score[n][m] < 0:  # the band cut every path: leave the gap unpaired
        return []
    links: list[Link] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        assert move is not None
        di, dj = move
        if di and dj:
            kind = (
                LinkKind.CHANGED
                if di == dj == 1
                else (LinkKind.SPLIT if di == 1 else LinkKind.MERGED)
            )
            links.append(Link(kind, tuple(gap_old[i - di : i]), tuple(gap_new[j - dj : j])))
        i, j = i - di, j - dj
    return links


_GROUPS = (
    [(1, 1)] + [(1, k) for k in range(2, MAX_GROUP + 1)] + [(k, 1) for k in range(2, MAX_GROUP + 1)]
)


def _group_gain(old: list[int], new: list[int], old_side: _Side, new_side: _Side) -> int:
    """Words shared by the two groups if they qualify as a pair, else 0."""
    if len(old) == 1 and len(new) == 1:
        return _paired_words(old_side.words(old[0]), new_side.words(new[0]))
    one, one_side, many, many_side = (
        (old[0], old_side, new, new_side) if len(old) == 1 else (new[0], new_side, old, old_side)
    )
    whole = one_side.words(one)
    joined: Counter[str] = Counter()
    for piece in many:
        words = many_side.words(piece)
        if not words or shared_words(words, whole) < PART_CONTAINMENT * words.total():
            return 0
        joined.update(words)
    return _paired_words(whole, joined)


def _paired_words(a: Counter[str], b: Counter[str]) -> int:
    """`shared_words(a, b)` when their Dice coefficient reaches `PAIR_THRESHOLD`, else 0;
    words are not compared when the lengths alone keep the pair below it."""
    size, other_size = a.total(), b.total()
    total = size + other_size
    if not total or 2 * min(size, other_size) / total < PAIR_THRESHOLD:
        return 0
    shared = shared_words(a, b)
    return shared if 2 * shared / total >= PAIR_THRESHOLD else 0


def _rewritten(old_text: str, new_text: str) -> bool:
    """Shared words that the inline diff cannot keep in place: a new sentence, not an edit."""
    pieces = _token_diff(old_text, new_text)
    kept = sum(len(text) - text.count(" ") for op, text in pieces if not op)
    longest = max(len(old_text) - old_text.count(" "), len(new_text) - new_text.count(" "))
    return kept < MIN_KEPT_SHARE * longest


def _slot_replacements(
    left_old: list[int],
    left_new: list[int],
    old: Sequence[Sentence],
    new: Sequence[Sentence],
    links: list[Link],
) -> list[Link]:
    """Short paragraphs replaced in their own slots: *changed*, whatever their words.

    A run of whole unpaired paragraphs in `old` and one in `new` fill the same
    slot when the sentences just before them are paired with each other, and
    so are the sentences just after them (or both runs open or close the
    story). Paired in order, paragraph by paragraph, when both runs have as
    many paragraphs, each of one sentence, of the same kind, and short (a
    subhead, a trailer, a byline, a headline, or at most `SHORT_PARAGRAPH_WORDS`
    words): "FIGHTING SPREADS NORTH" → "ARMY PUSHES INTO HILLS".
    """
    old_kinds = {old[i].kind for i in left_old if _short_slot(old[i])}
    if not old_kinds.intersection(new[j].kind for j in left_new if _short_slot(new[j])):
        return []  # no pair of short paragraphs of one kind to fill a slot
    partner: dict[int, set[int]] = {}
    for link in links:
        if link.kind is not LinkKind.MOVED:
            for i in link.old:
                partner.setdefault(i, set()).update(link.new)
    old_runs, new_runs = _unpaired_runs(left_old, old), _unpaired_runs(left_new, new)
    by_slot = {(run[0][0] - 1, run[-1][-1] + 1): run for run in new_runs}
    replaced: list[Link] = []
    for run in old_runs:
        before, after = run[0][0] - 1, run[-1][-1] + 1
        for (new_before, new_after), new_run in by_slot.items():
            if not (
                _paired(before, new_before, partner, len(old), len(new))
                and _paired(after, new_after, partner, len(old), len(new))
                and len(run) == len(new_run)
            ):
                continue
            pairs = list(zip(run, new_run, strict=True))
            if all(
                len(o) == len(n) == 1 and _short_slot(old[o[0]]) and _short_slot(new[n[0]])
                and old[o[0]].kind is new[n[0]].kind
                for o, n in pairs
            ):  # fmt: skip
                replaced.extend(Link(LinkKind.CHANGED, o, n) for o, n in pairs)
            break
    return replaced


def _unpaired_runs(left: list[int], sentences: Sequence[Sentence]) -> list[list[tuple[int, ...]]]:
    """Runs of consecutive paragraphs none of whose sentences is paired, as position tuples."""
    unpaired = set(left)
    paragraphs: dict[int, list[int]] = {}
    for position, sentence in enumerate(sentences):
        paragraphs.setdefault(sentence.paragraph, []).append(position)
    runs: list[list[tuple[int, ...]]] = []
    previous = None
    for number, positions in paragraphs.items():
        if not all(p in unpaired for p in positions):
            previous = None
            continue
        if previous is not None and previous == number - 1:
            runs[-1].append(tuple(positions))
        else:
            runs.append([tuple(positions)])
        previous = number
    return runs


def _paired(i: int, j: int, partner: dict[int, set[int]], old_count: int, new_count: int) -> bool:
    """Old position `i` and new position `j` are paired, or both lie beyond the same end."""
    if i < 0 or j < 0:
        return i < 0 and j < 0
    if i >= old_count or j >= new_count:
        return i >= old_count and j >= new_count
    return j in partner.get(i, ())


def _short_slot(sentence: Sentence) -> bool:
    return sentence.kind in _SLOT_KINDS or len(sentence.text.split()) <= SHORT_PARAGRAPH_WORDS


_SLOT_KINDS = {
    ParagraphKind.SUBHEAD,
    ParagraphKind.TRAILER,
    ParagraphKind.BYLINE,
    ParagraphKind.HEADLINE,
    ParagraphKind.BULLET,
}


def _movable(old_section: Section, new_section: Section) -> bool:
    lead = {Section.DATELINE, Section.BODY}
    return old_section is new_section or (old_section in lead and new_section in lead)


def _edited_moves(
    left_old: list[int], left_new: list[int], old_side: _Side, new_side: _Side
) -> list[Link]:
    """Greedy best-first pairing of far-apart sentences that are very alike."""
    postings: dict[str, list[int]] = {}
    for j in left_new:
        for word in new_side.words(j):
            postings.setdefault(word, []).append(j)
    candidates: list[tuple[float, int, int]] = []
    for i in left_old:
        words = old_side.words(i)
        size = words.total()
        seen: set[int] = set()
        for word in words:
            posting = postings.get(word, ())
            if len(posting) <= _FREQUENT_POSTING:
                seen.update(posting)
        for j in seen:
            if not _movable(old_side.sections[i], new_side.sections[j]):
                continue
            other = new_side.words(j)
            other_size = other.total()
            if 2 * min(size, other_size) / (size + other_size) < MOVE_THRESHOLD:
                continue  # too different in length to share enough words
            similarity = 2 * shared_words(words, other) / (size + other_size)  # Dice
            if similarity >= MOVE_THRESHOLD:
                candidates.append((-similarity, i, j))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    links: list[Link] = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            links.append(Link(LinkKind.MOVED, (i,), (j,)))
    return links


_WORD_OR_SPACE = r"(?:\w\.){2,}|[$€£¥]?\w+(?:(?:['’\-]|(?<=\d)[.,:](?=\d))\w+)*(?:(?<=\d)%)?|\s+"
_TOKEN = re.compile(rf"{_WORD_OR_SPACE}|([^\w\s])\1*|.", re.DOTALL)
_SINGLE_MARK_TOKEN = re.compile(rf"{_WORD_OR_SPACE}|[^\w\s]|.", re.DOTALL)  # no group: findall
_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0  # sentences are short: always the exact diff, same on every run


def word_diff(old_text: str, new_text: str) -> list[tuple[int, str]]:
    """The inline diff an editor reads: whole tokens, short unchanged stretches folded in."""
    return _absorb_short_equalities(_token_diff(old_text, new_text))


@functools.lru_cache(maxsize=512)
def _token_diff(old_text: str, new_text: str) -> tuple[tuple[int, str], ...]:
    """diff-match-patch diff of two texts with words, numbers and spaces as atoms.

    Kept for the last pairs: aligning asks whether a changed pair was rewritten, then
    the change log diffs the same pair for its inline marks.
    """
    old_tokens, new_tokens = _tokens(old_text), _tokens(new_text)
    # one character per distinct token, numbered in order of first appearance
    appearing = dict.fromkeys(old_tokens)
    appearing.update(dict.fromkeys(new_tokens))
    if len(appearing) <= len(_CODES):  # a sentence or two: the chars made once
        vocabulary = dict(zip(appearing, _CODES, strict=False))
    else:  # the private use area's 6,400 chars, then plane 15's
        vocabulary = {
            token: chr(0xE000 + number) if number < 6400 else chr(0xF0000 + number)
            for number, token in enumerate(appearing)
        }
    tokens = dict(zip(vocabulary.values(), vocabulary, strict=True))
    encoded = _DMP.diff_main(
        "".join(map(vocabulary.__getitem__, old_tokens)),
        "".join(map(vocabulary.__getitem__, new_tokens)),
        False,
    )
    return tuple((op, "".join(map(tokens.__getitem__, chars))) for op, chars in encoded)


def _tokens(text: str) -> list[str]:
    """`_TOKEN`'s tokens of `text`; found without a match object each where no mark is
    repeated (almost every sentence), since then each mark is a token of its own."""
    if _REPEATED_MARK.search(text) is None:
        return _SINGLE_MARK_TOKEN.findall(text)
    return list(map(_MATCHED, _TOKEN.finditer(text)))


_REPEATED_MARK = re.compile(r"([^\w\s])\1")
_MATCHED = re.Match.group
_CODES = [chr(0xE000 + number) for number in range(512)]  # the first chars `_token_diff` uses


def _absorb_short_equalities(pieces: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Fold a short unchanged stretch between two edits into them (see the module notes)."""
    hunks: list[list[str]] = []  # [equal, deleted, inserted] per step
    for op, text in pieces:
        if op == 0 or not hunks:
            hunks.append(["", "", ""])
        slot = {0: 0, -1: 1, 1: 2}[op]
        hunks[-1][slot] += text
    merged: list[list[str]] = []
    for hunk in hunks:
        equal, deleted, inserted = hunk
        before = merged[-1] if merged else None
        if (
            before is not None
            and (before[1] or before[2])
            and (deleted or inserted)
            and _word_count(equal) <= MAX_ABSORBED_WORDS
            and not _punctuated(equal)
            and (_word_count(before[1] + before[2]) or _word_count(deleted + inserted))
        ):
            before[1] += equal + deleted
            before[2] += equal + inserted
        else:
            merged.append(hunk)
    result: list[tuple[int, str]] = []
    for equal, deleted, inserted in merged:
        result.extend((op, text) for op, text in ((0, equal), (-1, deleted), (1, inserted)) if text)
    return result


def _punctuated(text: str) -> bool:
    """Whether a punctuation mark, a phrase boundary, stands in `text`."""
    return any(not token[0].isalnum() and not token.isspace() for token in _tokens(text))


def _word_count(text: str) -> int:
    return sum(1 for token in _tokens(text) if token[0].isalnum())


def same_as_written(old_text: str, new_text: str) -> bool:
    """Equal but for whitespace: nothing an editor needs to see."""
    return old_text == new_text or collapse_whitespace(old_text) == collapse_whitespace(new_text)
