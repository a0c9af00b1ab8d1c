"""Editorial words and signs shared by every front end: one home, so they never disagree.

The CLI, the TUI, the watcher's notices and the exports read the kinds of change in one
order (`+added ~changed −removed ↕moved ⋔split ⋈merged`, the README's) with one sign each,
and count things in words that agree with their number.
"""

from __future__ import annotations

from collections.abc import Mapping

from versions.model import ChangeKind

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

_PLURALS = {"story": "stories", "match": "matches", "paragraph": "paragraphs"}


def plural(count: int, word: str) -> str:
    """ "1 change", "2 changes", "1 story", "0 stories": the number and its word, agreeing."""
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {_PLURALS.get(word, word + 's')}"


def counted_kinds(counts: Mapping[str, int]) -> list[tuple[ChangeKind, int]]:
    """The kinds that occurred, in `COUNT_ORDER`, with how many: zeros left out."""
    return [(kind, counts.get(str(kind), 0)) for kind in COUNT_ORDER if counts.get(str(kind))]


def short_counts(counts: Mapping[str, int]) -> str:
    """ "+2 ~3 −1": the signs in `COUNT_ORDER`, zeros left out; "no change" when empty."""
    parts = [f"{KIND_SIGN[kind]}{count}" for kind, count in counted_kinds(counts)]
    return " ".join(parts) or "no change"
