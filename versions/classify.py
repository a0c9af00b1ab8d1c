"""Tags that tell an editor what kind of edit a change is: attribution, quote, number, cosmetic.

Tags are read off the inline diff: each *hunk* (a run of deletions and
insertions between two equal pieces) is checked against the regions of the old
and new sentences it touches.

* `attribution`: a hunk touches the attribution clause: an attribution verb or
  phrase ("said", "told", "according to", "declined to comment" …), a source noun
  ("official", "sources", "spokesperson", "familiar" …), the three words before a source
  noun (its modifiers: "a [senior] U.S. official"), or the two words after
  "told" / "according to" (who was told, whose account).
* `quote`: a hunk touches words inside quotation marks (straight or curly,
  double, or single quotes that open at a word start), or adds or removes
  quotation marks; an added or removed sentence holding a quotation is tagged
  too, since a quote appearing or vanishing is what editors check first.
* `number`: the figures in a hunk differ: digits, number words ("three",
  "million"), months and weekdays, and units ("miles", "percent", "$"); a figure
  that is only added counts when the hunk is short (at most four words), so a
  new clause mentioning "Nov. 5" is not a figure change.
* `cosmetic`: the words are the same once case, punctuation other than
  quotation marks, quote and dash style, and thousands separators are ignored;
  or exactly one word changed by a spelling fix: at most two letter edits
  (transpositions count as one), both spellings at least four letters long and
  starting with the same two letters (so "increase"/"decrease" and
  "likely"/"unlikely" are not fixes), not capitalised (names), not numbers.
  A cosmetic change carries no other tag.

Tags apply to edits (changed, split, merged, edited moves); unedited moves and
added or removed sentences carry none, except `quote` as said above.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from versions.model import ChangeKind, Tag
from versions.normalise import normalise

_SOURCE_NOUNS = {
    "source", "sources", "official", "officials", "spokesperson", "spokespeople",
    "spokesman", "spokeswoman", "spokesmen", "spokeswomen", "aide", "aides",
    "diplomat", "diplomats", "representative", "representatives", "insider",
    "insiders", "analyst", "analysts", "familiar",  # "two people familiar with …"
}  # fmt: skip
_TELLING = {"told", "tells", "tell", "telling", "according"}
_ATTRIBUTION_WORDS = _SOURCE_NOUNS | _TELLING | {
    "said", "says", "say", "saying", "confirmed", "confirms", "declined", "declines",
    "denied", "denies", "added", "adds", "noted", "stated", "announced", "wrote", "writes",
    "explained", "insisted", "acknowledged", "admitted", "claimed", "claims",
    "asserted", "argued", "warned", "cautioned", "commented", "comment",
    "replied", "responded", "reported", "reports", "disclosed", "briefed",
    "statement", "anonymity", "speaking", "authorised", "authorized",
}  # fmt: skip
_CLAUSE_BREAK = re.compile(r"[,;:.()]")
_MODIFIER_REACH = 3
_TELLING_REACH = 2

_NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "billion", "billions", "trillion", "dozen",
    "dozens", "half", "quarter", "first", "second", "third", "fourth", "fifth",
    "percent", "pct", "per", "cent",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tomorrow",
    "mile", "miles", "km", "kilometre", "kilometres", "kilometer", "kilometers",
    "metre", "metres", "meter", "meters", "feet", "foot", "inch", "inches",
    "kg", "kilogram", "kilograms", "tonne", "tonnes", "ton", "tons", "pound",
    "pounds", "barrel", "barrels", "bpd", "dollar", "dollars", "euro", "euros",
    "yen", "yuan", "cents", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "minute", "minutes",
}  # fmt: skip
_SHORT_EDIT_WORDS = 4
_NUMBER_SIGNS = {"$", "€", "£", "¥", "%"}
_TOKEN = re.compile(r"(?:\w\.){2,}|\d+(?:[.,:]\d+)*|\w+(?:['’\-]\w+)*|[^\w\s]")
_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:['’\-]\w+)*")  # "U.S." and "Trump-proof" are one word
_DOUBLE_QUOTES = '"“”„‟«»'
_QUOTE_OPENS = {"“": True, "„": True, "«": True, "”": False, "»": False}  # '"' may be either
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘‚](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)\]—–-]|$)")


@dataclass(frozen=True, slots=True)
class _Hunk:
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    deleted: str
    inserted: str


def classify(
    kind: ChangeKind, old_text: str, new_text: str, inline: tuple[tuple[int, str], ...]
) -> tuple[Tag, ...]:
    """Tags for one change; `inline` is its word diff (empty when nothing was edited)."""
    if not inline:
        if kind in (ChangeKind.ADDED, ChangeKind.REMOVED) and _quote_spans(old_text or new_text):
            return (Tag.QUOTE,)
        return ()
    hunks = [h for h in _hunks(inline) if normalise(h.deleted) != normalise(h.inserted)]
    quote_touched = _touches(hunks, _quote_spans(old_text), _quote_spans(new_text)) or any(
        _count_quote_marks(h.deleted) != _count_quote_marks(h.inserted) for h in hunks
    )
    if not quote_touched and _is_cosmetic(old_text, new_text, hunks):
        return (Tag.COSMETIC,)
    tags: list[Tag] = []
    if _touches(hunks, _attribution_spans(old_text), _attribution_spans(new_text)):
        tags.append(Tag.ATTRIBUTION)
    if quote_touched:
        tags.append(Tag.QUOTE)
    if any(_figure_changed(h) for h in hunks):
        tags.append(Tag.NUMBER)
    return tuple(tags)


def _hunks(inline: tuple[tuple[int, str], ...]) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    old_pos = new_pos = 0
    start: tuple[int, int] | None = None
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in [*inline, (0, "")]:
        if op == 0:
            if start is not None:
                hunks.append(
                    _Hunk(start[0], old_pos, start[1], new_pos, "".join(deleted), "".join(inserted))
                )
                start, deleted, inserted = None, [], []
            old_pos += len(text)
            new_pos += len(text)
            continue
        if start is None:
            start = (old_pos, new_pos)
        if op < 0:
            deleted.append(text)
            old_pos += len(text)
        else:
            inserted.append(text)
            new_pos += len(text)
    return hunks


Span = tuple[int, int]


def _touches(hunks: list[_Hunk], old_spans: list[Span], new_spans: list[Span]) -> bool:
    """Whether a hunk overlaps a span: on the old side for what it deletes, new for inserts."""

    def overlaps(start: int, end: int, spans: list[Span]) -> bool:
        if start == end:  # a pure insertion or deletion point: inside a span, not at its edge
            return any(s < start < e for s, e in spans)
        return any(start < e and s < end for s, e in spans)

    return any(
        overlaps(h.old_start, h.old_end, old_spans) or overlaps(h.new_start, h.new_end, new_spans)
        for h in hunks
    )


def _quote_spans(text: str) -> list[Span]:
    """Character ranges of quoted passages; an unclosed quote runs to the end."""
    marks: list[tuple[int, bool | None]] = []  # position, True open / False close / None either
    for match in re.finditer(f"[{_DOUBLE_QUOTES}]", text):
        marks.append((match.start(), _QUOTE_OPENS.get(match.group())))
    spans: list[Span] = []
    open_at: int | None = None
    for position, opens in sorted(marks):
        if open_at is None and opens is not False:
            open_at = position
        elif open_at is not None and opens is not True:
            spans.append((open_at, position + 1))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    for match in _SINGLE_OPEN.finditer(text):
        close = _SINGLE_CLOSE.search(text, match.end())
        if close is not None and not any(s <= match.start() < e for s, e in spans):
            spans.append((match.start(), close.end()))
    return spans


def _count_quote_marks(text: str) -> int:
    return sum(text.count(char) for char in _DOUBLE_QUOTES)


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _attribution_spans(text: str) -> list[Span]:
    words = _word_spans(text)
    spans: list[Span] = []
    for k, (word, start, end) in enumerate(words):
        if word not in _ATTRIBUTION_WORDS:
            continue
        spans.append((start, end))
        if word in _SOURCE_NOUNS:
            first = k
            while (
                first > 0
                and k - first < _MODIFIER_REACH
                and words[first - 1][0] not in _ATTRIBUTION_WORDS
                and not _CLAUSE_BREAK.search(text, words[first - 1][2], words[first][1])
            ):
                first -= 1
            spans.append((words[first][1], start))
        if word in _TELLING and k + 1 < len(words):
            last = min(len(words) - 1, k + _TELLING_REACH + (word == "according"))
            spans.append((end, words[last][2]))
    return spans


def _figure_changed(hunk: _Hunk) -> bool:
    """Figures replaced or dropped, or added in a short edit ("110 km" → "110 km, 68 miles").

    A whole new clause that happens to hold a date is new material, not a figure change.
    """
    deleted, inserted = _figures(hunk.deleted), _figures(hunk.inserted)
    if deleted == inserted:
        return False
    return bool(deleted) or len(hunk.inserted.split()) <= _SHORT_EDIT_WORDS


def _figures(text: str) -> Counter[str]:
    figures: Counter[str] = Counter()
    for token in _TOKEN.findall(normalise(text)):
        lowered = token.lower().rstrip(".")
        if token[0].isdigit():
            figures[token.replace(",", "")] += 1
        elif lowered in _NUMBER_WORDS or token in _NUMBER_SIGNS:
            figures[lowered] += 1
    return figures


def _words_for_cosmetic(text: str) -> list[str]:
    return [
        token.casefold().replace(",", "") if token[0].isdigit() else token.casefold()
        for token in _TOKEN.findall(normalise(text))
        if token[0].isalnum() or token[0] == "_"
    ]


def _is_cosmetic(old_text: str, new_text: str, hunks: list[_Hunk]) -> bool:
    old_words, new_words = _words_for_cosmetic(old_text), _words_for_cosmetic(new_text)
    if old_words == new_words:
        return True
    if len(old_words) != len(new_words):
        return False
    differing = [(a, b) for a, b in zip(old_words, new_words, strict=True) if a != b]
    if len(differing) != 1:
        return False
    old_word, new_word = differing[0]
    originals = [w for h in hunks for w in _TOKEN.findall(h.deleted + " " + h.inserted)]
    return (
        min(len(old_word), len(new_word)) >= 4
        and old_word[:2] == new_word[:2]
        and old_word.isalpha()
        and new_word.isalpha()
        and old_word not in _NUMBER_WORDS
        and new_word not in _NUMBER_WORDS
        and not any(w[:1].isupper() for w in originals if w.casefold() in (old_word, new_word))
        and _edit_distance(old_word, new_word) <= 2
    )


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
