"""The advisory line a wire editor writes at the top of an update, generated from a change log.

"(Adds Dnipro missile report in paragraph 11, updates attribution in paragraph 3, changes
figure in paragraph 24)", in the Reuters handbook's style:

- Paragraphs are body paragraphs as an editor counts them (see `editorial.Numbering`): the new
  version's numbers, the old version's for removed paragraphs.
- Verbs come in this order: Adds, Updates, Changes, Corrects, Removes, Moves.  Items with the
  same verb and object are merged ("updates attribution in paragraphs 3 and 5"); the verb is
  not repeated for further objects ("updates attribution in paragraph 3, quote in paragraph 7").
- Tags choose the words: attribution → "updates attribution", quote → "updates quote",
  number → "changes figure"; an untagged edit → "updates paragraph N".  In a take
  labelled CORRECTED every edit is "corrects …" (a take whose own advisory mixes updates with
  a correction is not one).
- Cosmetic changes are left out when anything else changed; when nothing else did, the line
  is "(Corrects typo in paragraph 5)".
- "(Rewrites throughout)" when added or edited paragraphs are more than half of the new
  version's body (only known when the new document is given).
- Topic of added paragraphs (and of moved ones), a heuristic: the rarest capitalised name of
  the sentence in the new version's text (longer names, then names that are not acronyms,
  then later ones win ties; sentence openers, titles, days and months are not names), plus
  the first news noun it holds from a short list ("missile", "quake", "deal" …).  An
  attributed sentence ("said", "told") with both becomes "Dnipro missile report";
  otherwise "details on Dnipro missile" or "details on Dnipro".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from versions.comparison import Comparison
from versions.editorial import FLAG_NOUNS, Numbering
from versions.model import Change, ChangeKind, ChangeLog, Document, Section, Tag

_EDITS = (ChangeKind.CHANGED, ChangeKind.SPLIT, ChangeKind.MERGED)
_VERB_ORDER = ("adds", "updates", "changes", "corrects", "removes", "moves")

_TAG_WORDS = {
    Tag.ATTRIBUTION: ("updates", FLAG_NOUNS[Tag.ATTRIBUTION]),
    Tag.QUOTE: ("updates", FLAG_NOUNS[Tag.QUOTE]),
    Tag.NUMBER: ("changes", FLAG_NOUNS[Tag.NUMBER]),
}

HEADLINE = 0  # a place before every paragraph number: "in headline and paragraph 1"
SUMMARY = -1
NOWHERE: frozenset[int] = frozenset()
_UNPLACED = {"headline": HEADLINE, "summary": SUMMARY}  # where objects without places sort

_NOT_NAMES = frozenset(
    str.split(
        """
    A An The This That These Those It Its He She They We I You His Her Their Our But And Or So
    If In On At By For From To Of As After Before While When Where Since Until Under Over With
    Without About Also Some Many Most More Other Another Any Each All No Not One Two Three
    There Here However Meanwhile Earlier Later Last Next Now Then Still Yet Even Only Both
    Mr Mrs Ms Dr President Prime Minister Secretary Chief Executive Officer General Senator
    Governor Mayor Chairman Chairwoman Chair Director Spokesperson Spokesman Spokeswoman
    Reuters Official Officials
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
    )
)

# Nouns that name what a wire paragraph is about; the first one found is the topic's noun.
_NEWS_NOUNS = frozenset(
    str.split(
        """
    missile rocket drone strike attack shelling offensive ceasefire truce troop sanction aid
    weapon mine talk deal agreement merger acquisition takeover bid offer financing loan bond
    dividend earnings profit loss revenue forecast guidance share stock price rate inflation
    tariff budget layoff vote election poll referendum protest arrest charge trial verdict
    ruling lawsuit investigation probe earthquake quake aftershock landslide tsunami flood fire
    storm casualty death toll injury rescue evacuation outage recall escalation warning threat
    """
    )
)

_ATTRIBUTED = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|confirmed|stated)\b", re.IGNORECASE
)
_WORD = re.compile(r"\w[\w'’.&-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_INITIAL = re.compile(r"[A-Z]\.")


@dataclass(frozen=True, slots=True)
class _Item:
    verb: str
    obj: str  # "" for the bare "updates paragraph 5"
    places: frozenset[int]  # body paragraph numbers, HEADLINE, SUMMARY


def advisory_line(
    changelog: ChangeLog, old: Document | None = None, new: Document | None = None
) -> str:
    """The advisory line, "" when nothing changed.

    Pass the two documents compared for body paragraph numbers and topics; without them the
    change log's whole-document paragraph numbers are used and "Rewrites throughout" is never
    said.
    """
    return advisory(Comparison(changelog, old, new))


def advisory(pair: Comparison) -> str:
    changes = pair.changelog.changes
    new = pair.changelog.new
    if new.withdrawn:
        return "(Withdraws story)"
    if not changes:
        return ""
    substantive = [c for c in changes if Tag.COSMETIC not in c.tags]
    numbering = pair.numbering
    if not substantive:
        items = [_Item("corrects", "typo", _places(c, numbering)) for c in changes]
    elif _rewritten(substantive, numbering):
        return "(Rewrites throughout)"
    else:
        names = _NameCounts(pair)
        items = _items(
            substantive, numbering, names, correcting=bool(new.label and new.label.correction)
        )
    text = _render(_merged(items))
    return f"({text[:1].upper()}{text[1:]})" if text else ""


def _rewritten(changes: list[Change], numbering: Numbering) -> bool:
    """Whether edits touch more than half of the new version's body paragraphs."""
    if not numbering.new_body_paragraphs:
        return False
    edited: set[int] = set()
    for change in changes:
        if change.section is Section.BODY and change.kind in _EDITS:
            edited.update(numbering.new(change))
    return len(edited) >= 3 and len(edited) * 2 > numbering.new_body_paragraphs


def _items(
    changes: list[Change], numbering: Numbering, names: _NameCounts, *, correcting: bool
) -> list[_Item]:
    items: list[_Item] = []
    body = [c for c in changes if c.section is Section.BODY]
    subheads = [c for c in body if c.kind is ChangeKind.ADDED and numbering.is_subhead(c)]
    if subheads:
        items.append(_Item("adds", "subhead" if len(subheads) == 1 else "subheads", NOWHERE))
    added = [c for c in body if c.kind is ChangeKind.ADDED and c not in subheads]
    for run in _runs(added, numbering):
        items.append(_Item("adds", names.topic(run[0].new[0], report=True), _body(run, numbering)))
    moved = [c for c in body if c.kind is ChangeKind.MOVED]
    items.extend(_moves(moved, numbering, names))
    for change in changes:
        if change.section is Section.TRAILER or change.kind is ChangeKind.MOVED:
            continue
        if change.section is Section.BODY and change.kind is ChangeKind.ADDED:
            continue
        if change.section is Section.BODY and numbering.is_subhead(change):
            verb = "removes" if change.kind is ChangeKind.REMOVED else "updates"
            items.append(_Item(verb, "subhead", NOWHERE))
            continue
        items.extend(_edit_items(change, numbering, correcting=correcting))
    return items


def _edit_items(change: Change, numbering: Numbering, *, correcting: bool) -> list[_Item]:
    if change.section is Section.BYLINE:
        verb = {ChangeKind.ADDED: "adds", ChangeKind.REMOVED: "removes"}.get(change.kind)
        return [_Item(verb or ("corrects" if correcting else "updates"), "byline", NOWHERE)]
    if change.section is Section.DATELINE:
        return [_Item("corrects" if correcting else "updates", "dateline", NOWHERE)]
    if change.section is Section.HEADLINE and change.kind is ChangeKind.ADDED:
        return [_Item("adds", "summary point", NOWHERE)]
    places = _places(change, numbering)
    if change.kind is ChangeKind.REMOVED:
        removed = "summary point" if change.section is Section.HEADLINE else ""
        return [_Item("removes", removed, NOWHERE if removed else places)]
    tagged = [(verb, obj) for tag, (verb, obj) in _TAG_WORDS.items() if tag in change.tags]
    if not tagged and change.section is Section.HEADLINE:
        part = "headline" if HEADLINE in places else "summary"
        return [_Item("corrects" if correcting else "updates", part, NOWHERE)]
    if not tagged:
        tagged = [("updates", "")]
    return [_Item("corrects" if correcting else verb, obj, places) for verb, obj in tagged]


def _moves(changes: list[Change], numbering: Numbering, names: _NameCounts) -> list[_Item]:
    items = []
    for run in _runs(changes, numbering):
        new = numbering.new(run[0])
        old = numbering.old(run[0])
        if not new:
            continue
        direction = ""
        if old and new[0] != old[0]:
            direction = " up" if new[0] < old[0] else " down"
        topic = names.topic(run[0].new[0], report=False)
        items.append(_Item("moves", f"paragraph on {topic}{direction} to", frozenset(new[:1])))
    return items


def _runs(changes: list[Change], numbering: Numbering) -> list[list[Change]]:
    """Changes in reading order, grouped while they sit in the same or the next paragraph."""
    ordered = sorted(changes, key=lambda c: (numbering.new(c) or (0,))[0])
    runs: list[list[Change]] = []
    last = None
    for change in ordered:
        first = (numbering.new(change) or (0,))[0]
        if runs and last is not None and first - last <= 1:
            runs[-1].append(change)
        else:
            runs.append([change])
        last = (numbering.new(change) or (first,))[-1]
    return runs


def _body(changes: list[Change], numbering: Numbering) -> frozenset[int]:
    return frozenset(p for c in changes for p in numbering.new(c))


def _places(change: Change, numbering: Numbering) -> frozenset[int]:
    if change.section is Section.HEADLINE:
        paragraphs = change.new_paragraphs or change.old_paragraphs
        return frozenset({HEADLINE if 1 in paragraphs or not paragraphs else SUMMARY})
    if change.section is not Section.BODY:
        return frozenset()
    if change.kind is ChangeKind.REMOVED:
        return frozenset(numbering.old(change))
    return frozenset(numbering.new(change))


def _merged(items: list[_Item]) -> list[_Item]:
    """One item per verb and object, ordered by verb, then by where it first applies.

    Bare items ("updates paragraph 5") come last in their verb, where repeating the verb
    keeps "updates attribution in paragraph 3, updates paragraph 5" unambiguous.
    """
    places: dict[tuple[str, str], set[int]] = {}
    for item in items:
        places.setdefault((item.verb, item.obj), set()).update(item.places)
    merged = [_Item(verb, obj, frozenset(p)) for (verb, obj), p in places.items()]
    return sorted(
        merged,
        key=lambda i: (
            _VERB_ORDER.index(i.verb),
            not i.obj,
            min(i.places, default=_UNPLACED.get(i.obj, 10**9)),
        ),
    )


def _render(items: list[_Item]) -> str:
    parts = []
    previous_verb = None
    for item in items:
        where = _where(item.places)
        if not item.obj:
            parts.append(f"{item.verb} {where}")
        else:
            phrase = item.obj if item.verb == previous_verb else f"{item.verb} {item.obj}"
            if where:
                phrase += f" {where}" if item.obj.endswith(" to") else f" in {where}"
            parts.append(phrase)
        previous_verb = item.verb
    return ", ".join(parts)


def _where(places: frozenset[int]) -> str:
    """Places in words: "headline and paragraphs 3 and 5", "summary", "paragraphs 10-12"."""
    named = ((HEADLINE, "headline"), (SUMMARY, "summary"))
    words = [word for place, word in named if place in places]
    numbers = sorted(p for p in places if p > 0)
    if numbers:
        ranges = _ranges(numbers)
        plural = len(numbers) > 1
        words.append(f"paragraph{'s' if plural else ''} {_and(ranges)}")
    return _and(words)


def _ranges(numbers: list[int]) -> list[str]:
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    return [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in ranges]


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


class _NameCounts:
    """How often each name occurs in the new version, to find what a paragraph is about."""

    def __init__(self, pair: Comparison) -> None:
        text = pair.new_text or " ".join(
            s for c in pair.changelog.changes for s in (*c.old, *c.new)
        )
        self._counts = Counter(name for name, _ in _names(text))

    def _rank(self, name: str, position: int) -> tuple[int, int, bool, int]:
        """Rarest first; then longer names, names that are not acronyms, later names."""
        return (self._counts[name], -name.count(" "), name.isupper(), -position)

    def topic(self, sentence: str, *, report: bool) -> str:
        names = _names(sentence)
        name = None
        if names:
            name = min(names, key=lambda n: self._rank(*n))[0]
        noun = _news_noun(sentence)
        if report and name and noun and _ATTRIBUTED.search(sentence):
            return f"{name} {noun} report"
        subject = " ".join(word for word in (name, noun) if word)
        if report:
            return f"details on {subject}" if subject else "details"
        return subject or "this"


def _names(text: str) -> list[tuple[str, int]]:
    """Runs of capitalised words that are not openers, titles or dates, with their position.

    A run ends at any punctuation or possessive: "Ukraine's Kursk region" gives "Ukraine" and
    "Kursk".
    """
    names: list[tuple[str, int]] = []
    run: list[str] = []
    previous_end = 0
    position = 0
    for position, match in enumerate(_WORD.finditer(text)):
        if run and text[previous_end : match.start()] != " ":
            names.append((" ".join(run), position))
            run = []
        previous_end = match.end()
        raw = match.group()
        word = raw[:-1] if raw.endswith(".") and raw.count(".") == 1 else raw
        word = _POSSESSIVE.sub("", word)
        if word[:1].isupper() and word not in _NOT_NAMES:
            run.append(raw if _INITIAL.fullmatch(raw) else word)
            if word == raw or _INITIAL.fullmatch(raw):
                continue
        if run:
            names.append((" ".join(run), position))
            run = []
    if run:
        names.append((" ".join(run), position + 1))
    return names


def _news_noun(sentence: str) -> str | None:
    for match in _WORD.finditer(sentence.lower()):
        word = match.group().rstrip(".,'’")
        for candidate in (word, word[:-1] if word.endswith("s") else word):
            if candidate in _NEWS_NOUNS:
                return candidate
    return None
