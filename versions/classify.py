"""Tags that tell an editor what kind of edit a change is: attribution, quote, number, cosmetic.

A tag on an edit means the edit touched that facet, so each facet is read off
both sides of the change and compared, not guessed from where the diff fell:
a sentence split in two that keeps its "…, officials said" touches no
attribution, and "may have killed 40" → "killed 40" touches no figure.

* `attribution`: the attributions of the two sides differ. An attribution is a
  speech verb with its subject ("a police spokesman said", "two union officials
  said", "Jane Doe, a spokeswoman, said", `"…," said the ministry`), with the
  audience of "told" ("told Reuters") and a manner ("said in a statement"), or
  "according to X"; plus the anonymity phrases ("on condition of anonymity",
  "who asked not to be named"). So any change of who said it, how many, their
  title or their anonymity is attribution; a change of tense ("says" / "said")
  or of the words around the attribution is not. Sources are compared as sets:
  "they said" after a named source, or "…, adding that", cites nobody new.
  Verbs such as "added", "reported" or "showed" count as speech only before
  "that" or when their clause ends with no object ("the firm added 200 jobs"
  has no source; "data showed on Monday" has).
* `quote`: the words of the quoted passages differ (straight or curly,
  double, or single quotes that open at a word start; quote style, case and
  punctuation inside are cosmetic), or the number of quotation marks changed;
  an added or removed sentence holding a quotation is tagged too, since a
  quote appearing or vanishing is what editors check first.
* `number`: a hunk of the inline diff changes figures, and the figures of the
  two sides differ (a figure moved by a split is no change): digits, number
  words ("three", "million", "dozens"), months ("May" capitalised: "may" is a
  verb), weekdays and relative dates ("next week"), units ("miles",
  "percent", "$"). Figures are compared by value, so "three percent" → "3%",
  "$300bn" → "$300 billion" and "per cent" → "percent" are cosmetic. A figure
  that is only added counts when the hunk adds at most four words, so a new
  clause mentioning "Nov. 5" is not a figure change. The count of sources
  ("two officials said") belongs to the attribution; any other figure in it
  (the speaker's age) is still a figure.
* `cosmetic`: the words are the same once case, punctuation other than
  quotation marks, quote and dash style, and the spelling of figures are ignored;
  or exactly one word changed by a spelling fix: at most two letter edits
  (transpositions count as one), both spellings at least four letters long and
  starting with the same two letters (so "increase"/"decrease" and
  "likely"/"unlikely" are not fixes), not capitalised (names), not numbers,
  not a plural of the other ("source"/"sources" is a change of count).
  A cosmetic change carries no other tag.

Tags apply to edits (changed, split, merged, edited moves); unedited moves and
added or removed sentences carry none, except `quote` as said above.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from versions.model import ChangeKind, Tag
from versions.normalise import normalise

# Speech verbs and their lemmas: "said" and "says" are one attribution.
_SPEECH_VERBS = {
    "said": "say", "says": "say", "say": "say", "saying": "say",
    "told": "tell", "tells": "tell", "tell": "tell", "telling": "tell",
    "stated": "state", "states": "state", "wrote": "write", "writes": "write",
    "commented": "comment", "replied": "reply", "responded": "respond",
    "insisted": "insist", "declined": "decline", "asserted": "assert",
    "denied": "deny", "denies": "deny", "confirmed": "confirm", "confirms": "confirm",
    "announced": "announce", "announces": "announce", "acknowledged": "acknowledge",
    "admitted": "admit", "disclosed": "disclose", "allege": "allege", "alleges": "allege",
}  # fmt: skip
# Speech only before "that" or at a clause end: "the firm added 200 jobs" names no source.
_CLAUSE_VERBS = {
    "added": "add", "adds": "add", "adding": "add", "noted": "note", "notes": "note",
    "reported": "report", "reports": "report", "claimed": "claim", "claims": "claim",
    "explained": "explain", "argued": "argue", "warned": "warn", "showed": "show",
    "show": "show", "shows": "show", "alleged": "allege",  # "the alleged ringleader"
}  # fmt: skip
_VERB_WORDS = {"according", *_SPEECH_VERBS, *_CLAUSE_VERBS}  # the words an attribution turns on
# A verb word standing as a whole word: a word of `_word_spans` is one only where this matches.
# The lookahead on their first letters lets the engine pass over most word starts at once.
_ANY_VERB_WORD = re.compile(
    rf"\b(?=[{''.join(sorted({word[0] for word in _VERB_WORDS}))}])"
    rf"(?:{'|'.join(sorted(_VERB_WORDS))})\b"
)
_PARTICIPLES = {"saying", "adding", "telling"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
# Read backwards from its verb, a subject ends where another clause begins.
_SUBJECT_STOPS = {
    "that", "and", "but", "while", "whereas", "because", "although", "though", "if",
    "when", "after", "before", "since", "so", "which",
}  # fmt: skip
# "told reporters", "told a news conference": the audience runs up to one of these.
_AUDIENCE_STOPS = _SUBJECT_STOPS | {"on", "in", "at", "during", "by", "late", "early", "last"}
_MANNERS = {
    "statement", "statements", "interview", "briefing", "email", "post", "release",
    "letter", "speech", "video", "address", "broadcast", "message", "filing", "tweet",
    "conference", "telegram", "twitter", "facebook", "instagram", "tiktok", "youtube",
    "television", "radio", "website",
}  # fmt: skip
# Words that open an adverbial after a verb ("said on Monday"), never its object.
_ADVERBIAL_OPENERS = {"on", "in", "at", "late", "earlier", "last", "this", "during", "after"}
_SUBJECT_REACH = 8
_APPOSITIVE_REACH = 10
_AUDIENCE_REACH = 3
_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\s-\s|--")
_QUOTE_BEFORE = re.compile(r"[\"”’'][\s,]*$")
# A headline's source after a dash: "Biden lets Ukraine strike deep inside Russia - source".
_HEADLINE_SOURCE = re.compile(
    r"\s[-–—:]\s+((?:[\w.'’]+\s){0,3}(?:sources?|officials?|reports?|aides?|diplomats?"
    r"|spokes(?:man|woman|person)|minister|ministry|police|document|media|filing|statement))\W*$",
    re.IGNORECASE,
)
_ANONYMITY = re.compile(
    r"on (?:the )?condition (?:of|that) (?:anonymity|\w+ not be (?:named|identified))"
    r"|not authori[sz]ed to (?:speak|talk|comment)"
    r"|(?:asked|declined|requested|wished) not to be (?:named|identified)"
    r"|declined to be (?:named|identified)|(?:unnamed|anonymous|unidentified)",
    re.IGNORECASE,
)
# Every anonymity phrase holds one of these: ASCII text without them has none.
_ANONYMITY_WORDS = ("condition", "authori", "to be", "unnamed", "anonymous", "unidentified")
_NUMBER_WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
    "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "billion", "billions", "trillion", "dozen",
    "dozens", "tens", "scores", "half", "quarter", "first", "second", "third", "fourth", "fifth",
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
_SMALL_NUMBERS = {
    word: str(value)
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"]
    )
} | {
    word: str(10 * tens)
    for tens, word in enumerate(
        ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=3
    )
}  # fmt: skip
_FIGURE_SPELLINGS = _SMALL_NUMBERS | {"percent": "%", "pct": "%", "bn": "billion", "mn": "million"}
_RELATIVE = {"this", "next", "last", "coming", "previous", "past"}
_TIME_UNITS = {
    "week", "weekend", "month", "year", "quarter", "day", "night", "morning", "evening",
    "season", "decade", "century",
}  # fmt: skip
_SHORT_EDIT_WORDS = 4
_NEXT_WORD = re.compile(r"\W*?\w+")
_MONTHS_ALSO_WORDS = {"may", "march", "august", "sun", "wed", "sat"}
_NUMBER_SIGNS = {"$", "€", "£", "¥", "%"}
_TOKEN = re.compile(r"(?:\w\.){2,}|\d+(?:[.,:]\d+)*|\w+(?:['’\-]\w+)*|[^\w\s]")
_WORD = re.compile(r"(?:\w\.){2,}|\w+(?:['’\-]\w+)*")  # "U.S." and "Trump-proof" are one word
_DOUBLE_QUOTES = '"“”„‟«»'
_QUOTE_OPENS = {"“": True, "„": True, "«": True, "”": False, "»": False}  # '"' may be either
_DOUBLE_QUOTE = re.compile(f"[{_DOUBLE_QUOTES}]")
_ANY_QUOTE = re.compile(f"[{_DOUBLE_QUOTES}'‘‚]")  # what a quoted passage opens with
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘‚](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)\]—–-]|$)")


class _Hunk(NamedTuple):
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
    quote_touched = _quote_touched(old_text, new_text)
    if not quote_touched and _is_cosmetic(old_text, new_text, hunks):
        return (Tag.COSMETIC,)
    old_attributions, new_attributions = _attributions(old_text), _attributions(new_text)
    tags: list[Tag] = []
    if _sources(old_attributions) != _sources(new_attributions):
        tags.append(Tag.ATTRIBUTION)
    if quote_touched:
        tags.append(Tag.QUOTE)
    old_figures = _outside(old_text, [span for a in old_attributions for span in a.counts])
    new_figures = _outside(new_text, [span for a in new_attributions for span in a.counts])
    if _figures(old_figures) != _figures(new_figures) and any(
        _figure_changed(
            old_figures[h.old_start : _next_word_end(old_figures, h.old_end)],
            new_figures[h.new_start : _next_word_end(new_figures, h.new_end)],
        )
        for h in hunks
    ):
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


def _quote_spans(text: str) -> list[Span]:
    """Character ranges of quoted passages; an unclosed quote runs to the end."""
    if not _ANY_QUOTE.search(text):
        return []
    marks: list[tuple[int, bool | None]] = []  # position, True open / False close / None either
    for match in _DOUBLE_QUOTE.finditer(text):
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


def _quote_touched(old_text: str, new_text: str) -> bool:
    """The quoted words differ, or the number of quotation marks does."""
    if not (_ANY_QUOTE.search(old_text) or _ANY_QUOTE.search(new_text)):
        return False  # no quotation mark on either side: nothing quoted, no mark counted
    return _quoted_words(old_text) != _quoted_words(new_text) or (
        _count_quote_marks(old_text) != _count_quote_marks(new_text)
    )


def _count_quote_marks(text: str) -> int:
    return sum(text.count(char) for char in _DOUBLE_QUOTES)


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    if text.isascii():  # lower case keeps every position
        return [(m.group(), *m.span()) for m in _WORD.finditer(text.lower())]
    return [(m.group().lower(), *m.span()) for m in _WORD.finditer(text)]


@dataclass(frozen=True, slots=True)
class _Attribution:
    key: str  # lower-cased, verb lemmatised: what two sides are compared on
    counts: tuple[Span, ...] = ()  # the count of sources: "two" in "two officials said"
    pronoun: bool = False  # "they said": names no source of its own


def _sources(attributions: list[_Attribution]) -> set[str]:
    """Who is cited; "they said" after a named source repeats it, naming nobody new."""
    keys: set[str] = set()
    for attribution in attributions:
        if not (attribution.pronoun and keys):
            keys.add(attribution.key)
    return keys


def _attributions(text: str) -> list[_Attribution]:
    """Each speech verb with its subject, audience and manner; each anonymity phrase."""
    found: list[_Attribution] = []
    if text.isascii() and not _ANY_VERB_WORD.search(text.lower()):
        words: list[tuple[str, int, int]] = []  # no verb word: no speech to read (most sentences)
    else:
        words = _word_spans(text)
    for k in [k for k, (word, _, _) in enumerate(words) if word in _VERB_WORDS]:
        word, start, end = words[k]
        if word == "according" and k + 1 < len(words) and words[k + 1][0] == "to":
            last = _run_forward(text, words, k + 2, _SUBJECT_REACH, set())
            if last >= k + 2:
                found.append(_attribution(text, words, k, last, "according to", k, k + 1))
            continue
        lemma = _SPEECH_VERBS.get(word) or _CLAUSE_VERBS.get(word)
        if lemma is None or (word in _CLAUSE_VERBS and not _ends_clause(text, words, k)):
            continue
        if word in _PARTICIPLES and _comma_before(text, words, k):
            continue  # "…, police said, adding that …": the speaker of the clause before
        verb_end = _verb_phrase_end(text, words, k)
        if _QUOTE_BEFORE.search(text, 0, start) and not _BREAK.search(
            text, end, words[k + 1][1] if k + 1 < len(words) else len(text)
        ):  # '"…," said Jane Doe, a spokeswoman'
            last = _subject_after(text, words, verb_end)
            found.append(_attribution(text, words, k, last, lemma, k, verb_end))
            continue
        first: int | None = k
        if not (k and _gap_breaks(text, words, k - 1)):
            first = _run_backward(text, words, k - 1, _SUBJECT_REACH)
        elif _comma_before(text, words, k):
            first = _appositive_subject(text, words, k)
        if first is None:  # "…, said a source familiar with the talks."
            last = _subject_after(text, words, verb_end)
            found.append(_attribution(text, words, k, last, lemma, k, verb_end))
        else:
            found.append(_attribution(text, words, first, verb_end, lemma, k, verb_end))
    if not text.isascii() or any(word in text.lower() for word in _ANONYMITY_WORDS):
        found.extend(_Attribution(match.group().lower()) for match in _ANONYMITY.finditer(text))
    if (match := _HEADLINE_SOURCE.search(text)) is not None:
        found.append(_Attribution(match.group(1).lower()))
    return found


def _subject_after(text: str, words: list[tuple[str, int, int]], verb_end: int) -> int:
    """Last word of a subject that follows its verb, with one appositive ("…, a spokeswoman")."""
    last = _run_forward(text, words, verb_end + 1, _SUBJECT_REACH, _SUBJECT_STOPS)
    if last > verb_end and _comma_after(text, words, last):
        last = _run_forward(text, words, last + 1, _SUBJECT_REACH, _SUBJECT_STOPS)
    return max(last, verb_end)


def _appositive_subject(text: str, words: list[tuple[str, int, int]], k: int) -> int | None:
    """First word of "Jane Doe, a spokeswoman," before the verb at `k`, if that is its form.

    Both pieces must be short and the first must open the clause; otherwise the
    comma before the verb ends the reported words, and the subject follows the verb.
    """
    title = _run_backward(text, words, k - 1, _APPOSITIVE_REACH)
    if k - title >= _APPOSITIVE_REACH or not _comma_before(text, words, title):
        return None
    name = _run_backward(text, words, title - 1, _SUBJECT_REACH)
    if title - name >= _SUBJECT_REACH or name == title:
        return None
    return name


def _attribution(
    text: str, words: list[tuple[str, int, int]], first: int, last: int, verb: str, v0: int, v1: int
) -> _Attribution:
    """Key: the words from `first` to `last`, the verb words (`v0`…`v1`) read as `verb`."""
    if verb == "according to":
        subject = words[v1 + 1 : last + 1]
        phrase = " ".join([verb, *[w for w, _, _ in subject]])
    else:
        subject = words[first:v0] if first < v0 else words[v1 + 1 : last + 1]
        before = [w for w, _, _ in words[first:v0]]
        after = [w for w, _, _ in words[v1 + 1 : last + 1]]
        phrase = " ".join([*before, verb, *[w for w, _, _ in words[v0 + 1 : v1 + 1]], "|", *after])
    counts = tuple(
        (start, end)
        for word, start, end in subject[:2]
        if word[0].isdigit() or word in _NUMBER_WORDS
    )
    pronoun = len(subject) == 1 and subject[0][0] in _PRONOUNS
    return _Attribution(phrase, counts, pronoun)


def _gap_breaks(text: str, words: list[tuple[str, int, int]], left: int) -> bool:
    """Whether the text between word `left` and the next one breaks the clause."""
    return bool(_BREAK.search(text, words[left][2], words[left + 1][1]))


def _run_backward(text: str, words: list[tuple[str, int, int]], k: int, reach: int) -> int:
    """First word of the phrase ending at word `k` (k + 1 when there is none)."""
    first = k + 1
    while first > 0 and k + 1 - first < reach:
        candidate = first - 1
        if candidate < k and _gap_breaks(text, words, candidate):
            break
        if words[candidate][0] in _SUBJECT_STOPS or words[candidate][0] in _SPEECH_VERBS:
            break
        first = candidate
    return first


def _run_forward(
    text: str, words: list[tuple[str, int, int]], k: int, reach: int, stops: set[str]
) -> int:
    """Last word of the phrase starting at word `k` (k - 1 when there is none)."""
    last = k - 1
    while last + 1 < len(words) and last + 1 - k < reach:
        candidate = last + 1
        if candidate > k and _gap_breaks(text, words, candidate - 1):
            break
        if words[candidate][0] in stops:
            break
        last = candidate
    return last


def _comma_before(text: str, words: list[tuple[str, int, int]], k: int) -> bool:
    return k > 0 and text[words[k - 1][2] : words[k][1]].strip() == ","


def _comma_after(text: str, words: list[tuple[str, int, int]], k: int) -> bool:
    return k + 1 < len(words) and text[words[k][2] : words[k + 1][1]].strip() == ","


def _ends_clause(text: str, words: list[tuple[str, int, int]], k: int) -> bool:
    """A clause verb is speech when "that" soon follows, or its clause ends with no object.

    "…, the firm added." and "data showed on Monday." end their clauses; "the firm
    added 200 jobs" has an object and cites nobody.
    """
    if (
        k + 1 == len(words)
        or _gap_breaks(text, words, k)
        or _QUOTE_BEFORE.search(text, 0, words[k][1])
    ):
        return True
    if words[k + 1][0] not in _ADVERBIAL_OPENERS:
        return any(words[j][0] == "that" for j in range(k + 1, min(len(words), k + 3)))
    for j in range(k + 1, min(len(words), k + 5)):
        if words[j][0] == "that" or j + 1 == len(words) or _gap_breaks(text, words, j):
            return True
    return False


def _verb_phrase_end(text: str, words: list[tuple[str, int, int]], k: int) -> int:
    """End of the verb phrase: "told Reuters", "said in a statement", "declined to comment"."""
    word, last = words[k][0], k
    if word in ("told", "tells", "tell", "telling"):
        last = _run_forward(text, words, k + 1, _AUDIENCE_REACH, _AUDIENCE_STOPS)
    elif word == "declined" and k + 2 < len(words) and words[k + 1][0] == "to":
        last = k + 2
    for j in range(last + 1, min(len(words), last + 5)):
        if _gap_breaks(text, words, j - 1):
            break
        if words[j][0] in _MANNERS:
            if words[last + 1][0] in ("in", "on"):
                last = j
            break
    return last


def _outside(text: str, spans: list[Span]) -> str:
    """The text with the given spans blanked out, positions kept."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _quoted_words(text: str) -> Counter[str]:
    """The quoted passages by their words: quote style, case and punctuation inside are cosmetic."""
    return Counter(
        " ".join(_canonical_tokens(text[start:end])) for start, end in _quote_spans(text)
    )


def _figure_changed(deleted: str, inserted: str) -> bool:
    """Figures replaced or dropped, or added in a short edit ("110 km" → "110 km, 68 miles").

    A whole new clause that happens to hold a date is new material, not a figure change.
    """
    old_figures, new_figures = _figures(deleted), _figures(inserted)
    if old_figures == new_figures:
        return False
    return bool(old_figures) or _new_word_count(deleted, inserted) <= _SHORT_EDIT_WORDS


def _figures(text: str) -> Counter[str]:
    """The figures of a text, each as its value: "three percent" and "3%" are one figure."""
    return Counter(
        [
            token
            for token in _canonical_tokens(text)
            if token[0].isdigit() or token in _FIGURE_WORDS or " " in token
        ]
    )


_FIGURE_WORDS = _NUMBER_SIGNS | _NUMBER_WORDS


@functools.lru_cache(maxsize=1024)
def _canonical_tokens(text: str) -> tuple[str, ...]:
    """Words, figures and currency signs, with each figure written one way.

    Digits lose their thousands separators; number words up to twenty and the
    tens become digits; "per cent", "percent" and "pct" become "%"; "bn" and
    "mn" become "billion" and "million"; a time word after "this", "next" or
    "last" makes one relative date ("next week"). Capitalised "May" is the
    month; "may" is the verb. Case is folded.
    """
    raw = _TOKEN.findall(normalise(text))
    forms = list(map(_TOKEN_FORMS.get, raw))
    if None in forms:  # tokens not seen lately
        if len(_TOKEN_FORMS) >= _MAX_TOKEN_FORMS:
            _TOKEN_FORMS.clear()
        for k, form in enumerate(forms):
            if form is None:
                forms[k] = _TOKEN_FORMS[raw[k]] = _token_form(raw[k])
    if _JOINS_NEXT.isdisjoint(forms):  # each token stands alone: its form, dropped if ""
        return tuple(filter(None, forms))
    tokens: list[str] = []
    append = tokens.append
    count = len(raw)
    k = 0
    while k < count:
        form = forms[k]
        k += 1
        if form in _JOINS_NEXT and k < count:  # the form of a joining word is the word
            following = raw[k].casefold()
            if form == "per" and following == "cent":
                append("%")
                k += 1
                continue
            if form in _RELATIVE and following.rstrip("s") in _TIME_UNITS:
                append(f"{form} {following}")
                k += 1
                continue
        if form:
            append(form)
    return tuple(tokens)


def _token_form(token: str) -> str:
    """One token as `_canonical_tokens` writes it when it stands alone; "" when dropped."""
    first = token[0]
    if first.isdigit():
        return token.replace(",", "")
    lowered = token.casefold().rstrip(".")
    if lowered in _MONTHS_ALSO_WORDS and not first.isupper():
        return f"~{lowered}"  # the verb, never a figure
    if first.isalnum() or token in _NUMBER_SIGNS:
        return _FIGURE_SPELLINGS.get(lowered, lowered)
    return ""


# Each token's form, kept: a take's sentences share most of their words with the takes
# before. Emptied when full, so it stays small whatever the archive's vocabulary.
_TOKEN_FORMS: dict[str, str] = {}
_MAX_TOKEN_FORMS = 20_000
_JOINS_NEXT = _RELATIVE | {"per"}  # words read together with the one after them


def _is_cosmetic(old_text: str, new_text: str, hunks: list[_Hunk]) -> bool:
    old_words, new_words = _canonical_tokens(old_text), _canonical_tokens(new_text)
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
        and not _plural_of(old_word, new_word)
        and not _plural_of(new_word, old_word)
    )


def _next_word_end(text: str, position: int) -> int:
    """Where the word after `position` ends: "this" → "next" is read as "this/next week"."""
    match = _NEXT_WORD.match(text, position)
    return match.end() if match else position


def _new_word_count(deleted: str, inserted: str) -> int:
    """Words the insertion adds, not counting those it repeats from the deletion."""
    words = Counter(token for token in _TOKEN.findall(inserted) if token[0].isalnum())
    words.subtract(token for token in _TOKEN.findall(deleted) if token[0].isalnum())
    return sum(n for n in words.values() if n > 0)


def _plural_of(word: str, other: str) -> bool:
    """Whether `word` is the plural of `other`: a change of count, never a spelling fix."""
    return word in (other + "s", other + "es") or (other[-1:] == "y" and word == other[:-1] + "ies")


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
