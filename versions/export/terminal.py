"""The shell diff, like `git diff --word-diff=color`: a header per version pair, a hunk line
per change naming where it is and its tags, then one sentence a line.

Unlike the change logs, which group changes by kind for a reader of a report, the shell diff
keeps the engine's reading order (headline first, trailer last), as `git diff` keeps file order.

Plain (`color=False`) marks are git's `[-deleted-]{+inserted+}`; coloured output uses bare
ANSI codes (red deletions, green insertions, cyan hunk lines, yellow flags).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from versions.advisory import advisory
from versions.comparison import Comparison
from versions.editorial import flags, revert_note, visible
from versions.export.layout import (
    Piece,
    lines,
    pair_name,
    story_name,
    where,
)
from versions.model import Change, Tag

BOLD = "\x1b[1m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
CYAN = "\x1b[36m"
RESET = "\x1b[m"


def render(
    pairs: Sequence[Comparison], *, color: bool, reverts: Mapping[int, int] | None = None
) -> str:
    """`reverts`: {version: the earlier version whose text it returns to}, said under the
    header of a pair whose new version is one."""
    paint = _Paint(color)
    out: list[str] = []
    for pair in pairs:
        changelog = pair.changelog
        if out:
            out.append("")
        title = f"{story_name(changelog)}: {pair_name(changelog)}"
        out.append(paint(BOLD, visible(title)))
        number = changelog.new.version
        if reverts and number is not None and number in reverts:
            out.append(paint(YELLOW, f"↺ {revert_note(number, reverts[number])}"))
        line = advisory(pair)
        if line:
            out.append(visible(line))
        if not changelog.changes:
            out.append("No changes.")
        for change in changelog.changes:
            out.append(_hunk(change, pair, paint))
            out += [_pieces(line, color) for line in lines(change)]
    return "\n".join(out) + "\n"


def _hunk(change: Change, pair: Comparison, paint: _Paint) -> str:
    place = where(change, pair.numbering)
    head = paint(CYAN, f"@@ {change.section}{' ' + place if place else ''} · {change.kind} @@")
    marks = [paint(YELLOW, f"⚑ {tag}") for tag in flags(change)]
    if Tag.COSMETIC in change.tags:
        marks.append("cosmetic")
    return " ".join([head, *marks])


def _pieces(line: list[Piece], color: bool) -> str:
    parts = []
    for op, text in line:
        text = visible(text)
        if op == 0:
            parts.append(text)
        elif color:
            parts.append(f"{RED if op < 0 else GREEN}{text}{RESET}")
        else:
            parts.append(f"[-{text}-]" if op < 0 else f"{{+{text}+}}")
    return "".join(parts)


class _Paint:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text
