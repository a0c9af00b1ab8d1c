"""Rich `Text` builders for wire text, badges and times.

Wire text is data: it only ever enters a `Text` through `Text(...)` / `append`,
never through markup, so `[bold]`, `[@click=…]` or ANSI escapes show literally.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from versions.editorial import COUNT_ORDER, FLAGGED, KIND_SIGN, visible
from versions.model import Change, ChangeKind, Tag

if TYPE_CHECKING:
    from versions.service import ChangeCounts

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
    result = Text()
    for op, fragment in change.inline:
        if op == 0:
            result.append_text(plain(fragment))
        elif op < 0 and side in ("old", "both"):
            result.append_text(plain(fragment, DELETED))
        elif op > 0 and side in ("new", "both"):
            result.append_text(plain(fragment, INSERTED))
    return result


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
