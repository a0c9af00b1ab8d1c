"""Sentence segmentation for news-wire paragraphs.

Wire copy is dense with periods that do not end sentences (U.S., Nov. 5, Lloyd J. Austin,
Ford Motor Co. Chief Executive, 5 p.m. ET), so a split is decided per candidate from the
token before the period and the word after it.  Abbreviations that can also end a sentence
(U.S., Inc., initials) only split when the next word is one that typically opens a sentence
("The", "He", "But", ...): a capital letter alone cannot tell "the U.S. The next" from
"the U.S. Navy".  Plain rules and tables keep it fast and dependency-free.
"""

import functools
import re
from bisect import bisect_right


def _words(table: str) -> frozenset[str]:
    return frozenset(table.split())


# --- Tables -------------------------------------------------------------------------------
# All abbreviations are stored lower-cased and without their final period.

# Titles and other words that always lead into a name or phrase: never a sentence end.
_NEVER_FINAL = _words(
    """
    mr mrs ms messrs mmes dr prof gen sen sens rep reps gov lt col sgt capt cmdr adm maj brig
    cpl pvt spc rev fr msgr hon pres supt det insp atty gens mt ft vs v e.g i.e cf viz approx
    """
)

# Abbreviations that precede a number ("No. 1", "p. 55", "Nov. 5"): no split before a digit.
_MONTHS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
_BEFORE_NUMBER = _MONTHS | _words(
    "no nos n° p pp vol vols fig figs art ch sec para ca rs ed op tel ext"
)

# Abbreviations that may also end a sentence.  They split only before a sentence opener.
# AP-style U.S. state abbreviations are here because wire datelines use them.
_SOMETIMES_FINAL = _MONTHS | _words(
    """
    inc corp co cos ltd plc jr sr bros dept univ assn ave blvd rd st hwy mfg intl govt
    ph.d m.d b.a m.a
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn va vt wash wis wyo
    """
)

# Words that commonly open a sentence; they are what tells "the U.S. The next" (split)
# from "the U.S. Navy" (no split) after an abbreviation that can end a sentence.
_SENTENCE_OPENERS = _words(
    """
    A About According Additionally After Again All Already Also Although Among An And Another
    Any Anyone Are As Asked At Because Before Both But By Can Could Despite Did Do Does During
    Each Earlier Either Even Every Everyone Few For From Further Furthermore Had Has Have He Her
    Here His How However I If In Including Instead Is It Its Just Last Later Like Many
    Meanwhile More Moreover Most Much My Neither Never Nevertheless No Nobody None Nor Not
    Nothing Now Of On Once One Only Or Other Others Our Over Overall Rather Several She Should
    Since So Some Still Such That The Their Then There Therefore These They This Those Though
    Thus To Today Under Unlike Until Upon We Were What Whatever When Where Whether Which While
    Who Whose Why Will With Within Without Would Yet You Your
    """
)

# After "5 p.m." a capitalised word still belongs to the time when it is one of these.
_TIME_QUALIFIERS = _words(
    """
    Eastern Pacific Central Mountain Atlantic Local Moscow Kyiv Beijing London Tokyo
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
)

# --- Patterns -----------------------------------------------------------------------------

# A run of sentence-final punctuation (spaced ellipses ". . ." included), then closing quotes,
# brackets and footnote marks, then the space before the next word. It starts only where a
# run starts: trying every offset inside a long run of dots would be quadratic. The run's
# first character comes first, before the look-behinds, so that the engine skips ahead to
# the next punctuation mark instead of trying the look-behinds at every character.
_CANDIDATE = re.compile(
    r"[.!?…。．](?<![.!?…。．][.!?…。．])(?<![.…] [.!?…。．])"  # not inside a run
    r"[.!?…。．]*+(?: [.…]++)*+"
    r"(?P<close>[\"'”’“)\]»]*+(?:\[\d{1,3}\])*+)(?= )"
)

# The next word after a candidate: leading quotes/brackets, then its first run of word chars.
_NEXT_WORD = re.compile(r"[\"'“‘”’«(\[]*(\w*)")

# A lower-case list label in brackets opens a sentence: "... here. (ii) The next".
_ENCLOSED_LABEL = re.compile(r"[(\[](?:[ivx]{1,4}|[a-z])[)\]] ")

# Initials and initialisms, without their final period: "J", "J.R.R", "U.S", "D.C".
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")

# A parenthesis right before the final period is a citation of what precedes it:
# '"... parallel stairways [...]" (Smith 55).'
_CITATION = re.compile(r"\([^()]*\)[.!?]")

# Zone abbreviations written after a clock time: "5 p.m. ET", "2100 GMT".
_TIME_ZONE = re.compile(r"[A-Z]{2,4}")

# "5 p.m. New York time"
_ZONE_NAME = re.compile(r"[A-Z]\S* (?:[A-Z]\S* )?time\b")

# A clause that is only a time ("At 5 a.m.") introduces the sentence rather than ending one.
_INTRO_TIME = re.compile(
    r"(?:at|by|before|after|until|till|from|since|around|about|shortly after|just after) "
    r"(?:about |around |approximately )?\d{1,2}(?:[:.]\d{2})? ?[ap]\.m",
    re.IGNORECASE,
)

# A list label with nothing after it ("1.", "2.)", "a)", "• 9.") is never a sentence.
_BULLETS = "•⁃◦▪‣●"
_LIST_LABEL_ONLY = re.compile(rf"[{_BULLETS}]? ?(?:\d{{1,3}}|[A-Za-z]|[ivx]{{1,4}})(?:\.\)|\.|\))")

# Where a new sentence starts although no punctuation ends the one before; each alternative
# starts after a space, which lets the engine skip quickly to candidates.
#  - bullets, including the lone "*" of wire-story summaries;
#  - photo credits ("Image: NASA."), inlined after captions in news scraped from web pages;
#  - "In", "On" or "At" capitalised right after a word: a heading, caption or date line run
#    into the paragraph ("... constituency In the New Territories ...", "May 7, 2015 On
#    Tuesday"); title case keeps these short words lower-case;
#  - list labels ("2.", "b)"), which count only when they continue a list (see _forced_starts).
_FORCED_START = re.compile(
    rf" (?:[{_BULLETS}]|\*(?= )"
    r"|(?:Image|Photo|Photograph|Picture|Video|Graphic|Credit)s?: "
    r"|(?<=[\w'’] )(?:In|On|At)"
    r" (?:the|a|an|this|its|his|her|their|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
    r"|(?P<label>\d{1,2}|[a-zA-Z])(?P<punct>\.\)|\.|\))(?= \S))"
)

# What a forced start needs besides ": " (credits) or " In ", " On ", " At " (run-in
# headings): a bullet, a "*", or a list label's mark one or two characters after a space.
# Led by the mark, so that the engine skips to marks: most paragraphs have none that
# qualify, and then `_FORCED_START`, which is tried at every space, need not run.
_MAY_FORCE_START = re.compile(
    rf"[{_BULLETS}*.)](?:(?<=[{_BULLETS}*])|(?<= [a-zA-Z\d][.)])|(?<= \d\d[.)]))"
)

_OPENING_PUNCTUATION = "\"'“‘«(["
_DASHES = "-–—"
_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD_CHARACTERS = re.compile(r"\w*")
# The most characters `_LIST_LABEL_ONLY` matches: a bullet, a space, "viii" and ".)".
_LONGEST_LIST_LABEL = 8
# Tokens that are abbreviations only before some words; any other word without a period
# and longer than an initial ends its sentence before a capital.
_MAY_BE_ABBREVIATED = _NEVER_FINAL | _SOMETIMES_FINAL


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences; any whitespace run counts as one space.

    A story's takes repeat most of their paragraphs, so the sentences of the
    `_CACHED_PARAGRAPHS` paragraphs split last (up to `_CACHED_LENGTH` characters
    each) are kept.
    """
    if len(text) > _CACHED_LENGTH:
        return _split(text)
    return list(_split_paragraph(text))


def paragraph_sentences(text: str) -> tuple[str, ...]:
    """`split_sentences` as the tuple a `Paragraph` holds: a cached one is not copied."""
    if len(text) > _CACHED_LENGTH:
        return tuple(_split(text))
    return _split_paragraph(text)


_CACHED_PARAGRAPHS = 4096  # about 2 KB each at most: a few MB
_CACHED_LENGTH = 1000


@functools.lru_cache(maxsize=_CACHED_PARAGRAPHS)
def _split_paragraph(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


def _split(text: str) -> list[str]:
    text = " ".join(text.split())
    if not text:
        return []
    forced = _forced_starts(text)
    cuts: list[int] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if forced:
            forced_before = bisect_right(forced, match.start())
            if forced_before:
                start = max(start, forced[forced_before - 1])
        cut = _sentence_end(text, match, start)
        if cut is not None:
            cuts.append(cut)
            start = cut + 1  # every cut is followed by a space
    if forced:
        cuts = sorted(set(cuts).union(forced))
    sentences = []
    previous = 0
    for cut in cuts:
        if sentence := text[previous:cut].strip():
            sentences.append(sentence)
        previous = cut
    if sentence := text[previous:].strip():
        sentences.append(sentence)
    return sentences


def _sentence_end(text: str, match: re.Match[str], start: int) -> int | None:
    """Where the sentence ends if this punctuation run ends one, else None.

    Most candidates are a full stop before a capitalised word ("said. The"): they are
    decided from the token before the stop alone, without looking at the next word.
    """
    end = match.end()
    after = text[end + 1]  # the pattern ends before a space, and the text is stripped
    word: str | None = None
    if after not in _ASCII_UPPER:  # quotes, brackets, lower case: the next word decides
        next_word = _NEXT_WORD.match(text, end + 1)
        assert next_word is not None  # the pattern matches the empty string
        word = next_word.group(1)
        if not _starts_sentence(word) and not _ENCLOSED_LABEL.match(text, end + 1):
            return None
        if after == "(" and _CITATION.match(text, end + 1):
            return None
    punctuation_start, close_start = match.start(), match.start("close")
    token_start = text.rfind(" ", 0, punctuation_start) + 1
    token = text[token_start:punctuation_start].lstrip(_OPENING_PUNCTUATION)
    punctuation = text[punctuation_start:close_start]
    if punctuation != ".":
        if " " in punctuation:  # spaced ellipsis ". . ." (a fourth period ends the sentence)
            if token:  # "compounds. . . . The": the first period ends it, the ellipsis opens
                return punctuation_start + 1  # the next
            return end if punctuation.count(".") >= 4 else None
        return end  # "?", "!", "...", "?!": final whenever a sentence can follow
    if end - start <= _LONGEST_LIST_LABEL and _LIST_LABEL_ONLY.fullmatch(text, start, end):
        return None
    key = token.lower()
    if close_start < end and text[close_start] in "\"'”’“":  # '... he said." The next'
        if key in _NEVER_FINAL or after in _DASHES:
            return None  # '"... a long game." - Matthew Ingram': the attribution stays
        return end
    if word is None:
        if key not in _MAY_BE_ABBREVIATED and "." not in token and len(token) != 1:
            return end  # a plain word (no initial, no a.m.) before a capital: final
        word = _WORD_CHARACTERS.match(text, end + 1).group()  # type: ignore[union-attr]
    if _is_abbreviation_before(key, token, word, text, start, match):
        return None
    return end


def _starts_sentence(word: str) -> bool:
    """Whether the text after a period can begin a sentence (eBay and iPhone can)."""
    return not word[:1].islower() or not word.islower()


def _is_abbreviation_before(
    key: str, token: str, word: str, text: str, start: int, match: re.Match[str]
) -> bool:
    """Whether the period after `token` (`key` lower-cased) marks an abbreviation rather
    than a sentence end."""
    if key in _NEVER_FINAL:
        return True
    if word[:1].isdigit():
        return key in _BEFORE_NUMBER
    if key in ("a.m", "p.m"):
        return _time_continues(word, text, start, match)
    if key in _SOMETIMES_FINAL or _INITIALISM.fullmatch(token):
        return word not in _SENTENCE_OPENERS
    return False


def _time_continues(word: str, text: str, start: int, match: re.Match[str]) -> bool:
    """Whether "a.m."/"p.m." is mid-sentence: "At 5 a.m. Mr. Smith", "5 p.m. ET Friday"."""
    return bool(
        _INTRO_TIME.fullmatch(text, start, match.start())
        or word in _TIME_QUALIFIERS
        or _TIME_ZONE.fullmatch(word)
        or _ZONE_NAME.match(text, match.end() + 1)
    )


def _forced_starts(text: str) -> list[int]:
    """Offsets where a new sentence starts although no punctuation ends the one before."""
    spaced = " " + text  # offsets in text are one less
    if not (
        _MAY_FORCE_START.search(spaced)
        or ": " in text
        or " In " in spaced
        or " On " in spaced
        or " At " in spaced
    ):
        return []
    starts = []
    expected: dict[tuple[bool, str], str] = {}
    for match in _FORCED_START.finditer(spaced):
        label, punct = match.group("label", "punct")
        if label is None:
            starts.append(match.start())
            continue
        style = (label.isdigit(), punct)
        if label in ("1", "a", "A") and _follows_sentence_end(text, match.start()):
            expected[style] = _next_label(label)
        elif expected.get(style) == label:
            starts.append(match.start())
            expected[style] = _next_label(label)
    return starts


def _follows_sentence_end(text: str, offset: int) -> bool:
    return offset == 0 or text[offset - 2 : offset - 1] in (".", "!", "?", ":")


def _next_label(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
