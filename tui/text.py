"""Rich `Text` builders for wire text, badges and times.

Wire text is data: it only ever enters a `Text` through `Text(...)` / `append`,
never through markup, so `[bold]`, `[@click=…]` or ANSI escapes show literally.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from versions.editorial import COUNT_ORDER, FLAGGED, KIND_SIGN, visible
from versions.lineage import CELL_SIGNS, CellState, Event
from versions.model import Change, ChangeKind, Tag

if TYPE_CHECKING:
    from versions.service import ChangeCounts

FOLLOWED = "★"  # before a story the editor follows
INSERTED = "bold green"
DELETED = "red strike"
ADDED = "green"
REMOVED = "red strike"
MOVED = "cyan"

_KIND_STYLE: dict[ChangeKind, str] = {
    ChangeKind.ADDED: "bold white on dark_green",
    ChangeKind.CHANGED: "bold black on yellow",
    ChangeKind.REMOVED: "bold white on dark_red",
    ChangeKind.MOVED: "bold white on dark_cyan",
    ChangeKind.SPLIT: "bold white on blue",
    ChangeKind.MERGED: "bold white on blue",
}
# "+ added", "~ changed"…: the core's sign and word, in the core's order, with a colour.
KIND_BADGE: dict[ChangeKind, tuple[str, str]] = {
    kind: (f"{KIND_SIGN[kind]} {kind}", _KIND_STYLE[kind]) for kind in COUNT_ORDER
}
# What a take did to a sentence's line, as its history shows it: the core's signs.
EVENT_BADGE: dict[Event, tuple[str, str]] = {
    Event.BEGAN: (f"{KIND_SIGN[ChangeKind.ADDED]} came in", _KIND_STYLE[ChangeKind.ADDED]),
    Event.CHANGED: (f"{KIND_SIGN[ChangeKind.CHANGED]} changed", _KIND_STYLE[ChangeKind.CHANGED]),
    Event.MOVED: (f"{KIND_SIGN[ChangeKind.MOVED]} moved", _KIND_STYLE[ChangeKind.MOVED]),
    Event.SPLIT: (f"{KIND_SIGN[ChangeKind.SPLIT]} split", _KIND_STYLE[ChangeKind.SPLIT]),
    Event.MERGED: (f"{KIND_SIGN[ChangeKind.MERGED]} merged", _KIND_STYLE[ChangeKind.MERGED]),
    Event.REMOVED: (f"{KIND_SIGN[ChangeKind.REMOVED]} removed", _KIND_STYLE[ChangeKind.REMOVED]),
    Event.RESTORED: (f"{CELL_SIGNS[CellState.RESTORED]} restored", "bold white on purple"),
}
# The provenance gutter, oldest take to newest: cool and dim to warm and bright.
AGE_STYLES = ("#78909c", "#5c9bd1", "#26a69a", "#9ccc65", "#ffca28", "#ff7043")
TAG_BADGE: dict[Tag, tuple[str, str]] = {
    Tag.ATTRIBUTION: ("ATTR", "bold white on magenta"),
    Tag.QUOTE: ("QUOTE", "bold white on blue"),
    Tag.NUMBER: ("NUM", "bold black on bright_yellow"),
    Tag.COSMETIC: ("cosmetic", "italic"),
}


def plain(text: str, style: str = "") -> Text:
    """Wire text as a `Text`: control characters (ANSI escapes) shown by the core's one rule,
    not obeyed; line breaks kept."""
    return styled("\n".join(map(visible, text.split("\n"))), style)


def styled(text: str, style: str) -> Text:
    """Styled as a span, not as the base style, so text appended later is not styled too."""
    result = Text(text)
    if style:
        result.stylize(style)
    return result


def generated_advisory(generated: str) -> Text:
    """An advisory line wirediff wrote, marked "auto:" so it is never taken for the wire's own."""
    text = styled("auto: ", "dim")
    text.append_text(plain(generated, "dim italic"))
    return text


def badge(label: str, style: str) -> Text:
    return styled(f" {label} ", style)


def tag_badges(tags: tuple[Tag, ...] | list[Tag]) -> Text:
    result = Text()
    for tag in tags:
        label, style = TAG_BADGE[tag]
        result.append_text(badge(label, style))
        result.append(" ")
    return result


def tag_words(counts: dict[str, int]) -> Text:
    """Compact tag marks for a list cell: `attr quote num`, coloured."""
    result = Text()
    for tag in FLAGGED:
        if counts.get(tag):
            label, style = TAG_BADGE[tag]
            result.append(" ")
            result.append(label.lower(), style)
    return result


def change_marker(change: Change, old_paragraph: int | None) -> Text:
    """The badges in front of a change: kind, where a moved sentence came from, tags."""
    label, style = KIND_BADGE[change.kind]
    if change.kind is ChangeKind.MOVED and old_paragraph is not None:
        label = f"↕ moved from ¶{old_paragraph}"
    result = badge(label, style)
    result.append(" ")
    result.append_text(tag_badges(change.tags))
    return result


def inline_spans(change: Change, *, side: str = "both") -> Text:
    """Word-level marks from `Change.inline`: side 'old', 'new' or 'both' (inline mode)."""
    if not change.inline:
        return plain(" ".join(change.old if side == "old" else change.new))
    return word_marks(change.inline, side=side)


def word_marks(inline: tuple[tuple[int, str], ...], *, side: str = "both") -> Text:
    """A word diff as text: inserted words marked, deleted ones struck through (`side`
    'old' or 'new' keeps one side only)."""
    result = Text()
    for op, fragment in inline:
        if op == 0:
            result.append_text(plain(fragment))
        elif op < 0 and side in ("old", "both"):
            result.append_text(plain(fragment, DELETED))
        elif op > 0 and side in ("new", "both"):
            result.append_text(plain(fragment, INSERTED))
    return result


def age_style(take: int, latest: int) -> str:
    """The gutter colour of a sentence that came in with `take`, in a story of `latest` takes."""
    if latest <= 1:
        return f"bold {AGE_STYLES[-1]}"
    step = round((take - 1) / (latest - 1) * (len(AGE_STYLES) - 1))
    return f"bold {AGE_STYLES[step]}"


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def relative_time(moment: datetime, now: datetime) -> str:
    seconds = int((aware(now) - aware(moment)).total_seconds())
    if seconds < 0:
        return "just now" if seconds > -60 else aware(moment).strftime("%d %b %H:%M")
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    if seconds < 7 * 86400:
        return f"{seconds // 86400} d ago"
    return aware(moment).strftime("%d %b %Y")


# The colours of the counts in a list cell.
_COUNT_STYLE = {
    ChangeKind.ADDED: "green",
    ChangeKind.CHANGED: "yellow",
    ChangeKind.REMOVED: "red",
    ChangeKind.MOVED: "cyan",
    ChangeKind.SPLIT: "blue",
    ChangeKind.MERGED: "blue",
}


def counts_text(counts: ChangeCounts) -> Text:
    """`+2 ~3 −1` with colours, in the core's order; kinds that did not occur are left out."""
    result = Text()
    for kind in COUNT_ORDER:
        count: int = getattr(counts, kind)
        if count:
            if result:
                result.append(" ")
            result.append(f"{KIND_SIGN[kind]}{count}", _COUNT_STYLE[kind])
    return result
