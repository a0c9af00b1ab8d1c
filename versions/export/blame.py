"""Blame as text, like `git blame`, and as JSON (docs/blame-format.md).

A text line: the take that brought the sentence in (number, label, time), the last take
that changed its words, marks (↺ restored, ↕ moved), its paragraph, then the sentence:

    v3 UPDATE 2        2024-11-21 16:40  ~v6        ¶12  A senior U.S. official said …
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from versions.editorial import visible
from versions.lineage import CELL_SIGNS, Cell

if TYPE_CHECKING:  # versions.blame numbers paragraphs with versions.export.layout
    from versions.blame import Blame, BlameLine, Take

LABEL_WIDTH = 16


def render_text(blame: Blame) -> str:
    take = blame.take
    head = f"{blame.story_key} {_name(take)} ({_time(take)})"
    out = [head, visible(blame.story_title)]
    if blame.revert is not None:
        out.append(blame.revert)
    out.append("")
    place_width = max((len(line.place) for line in blame.lines), default=0)
    marks = [_marks(line) for line in blame.lines]
    marks_width = max((len(m) for m in marks), default=0)
    out += [
        _line(line, mark, marks_width, place_width, blame)
        for line, mark in zip(blame.lines, marks, strict=True)
    ]
    restored = [line for line in blame.lines if line.lineage.restored is not None]
    if restored:
        out += ["", "Restored:"]
        out += [_restored(line, blame) for line in restored]
    if blame.removed:
        out += ["", f"Removed in {take.name}:"]
        out += [
            f"  {_began(line.lineage.began, blame)}  {visible(line.sentence.text)}"
            for line in blame.removed
        ]
    return "\n".join(out) + "\n"


def history_note(line: BlameLine, blame: Blame) -> str:
    """One line's history in words: "first in v3 (UPDATE 2) · changed in v6 · moved in v4"."""
    lineage = line.lineage
    take = blame.takes.get(lineage.began)
    label = f" ({take.label})" if take and take.label else ""
    parts = [f"first in v{lineage.began}{label}"]
    if lineage.edits:
        parts.append("changed in " + ", ".join(f"v{n}" for n in lineage.edits))
    if lineage.moves:
        parts.append("moved in " + ", ".join(f"v{n}" for n in lineage.moves))
    if lineage.restored is not None:
        restored = lineage.restored
        parts.append(f"removed in v{restored.removed_in}, restored in v{restored.restored_in}")
    return " · ".join(parts)


def grid_lines(rows: list[tuple[Take, tuple[Cell, ...]]]) -> list[str]:
    """The takes × paragraphs grid in plain text, a take a line, with its legend."""
    width = max((len(take.name) for take, _ in rows), default=0)
    out = [
        f"{take.name:<{width}}  {''.join(CELL_SIGNS[c.state] for c in cells)}"
        for take, cells in rows
    ]
    legend = ", ".join(f"{sign} {state}" for state, sign in CELL_SIGNS.items())
    return [*out, "", legend]


def render_json(blame: Blame) -> str:
    return json.dumps(blame.to_dict(), ensure_ascii=False, indent=2)


def _marks(line: BlameLine) -> str:
    lineage = line.lineage
    marks = []
    if lineage.restored is not None:
        marks.append(f"↺v{lineage.restored.restored_in}")
    if line.moved:
        marks.append(f"↕v{lineage.moves[-1]}")
    return " ".join(marks)


def _line(line: BlameLine, marks: str, marks_width: int, place_width: int, blame: Blame) -> str:
    lineage = line.lineage
    changed = f"~v{lineage.last_edit}" if lineage.last_edit is not None else ""
    gap = " " if marks_width else ""
    return (
        f"{_began(lineage.began, blame)}  {changed:<5}{gap}{marks:<{marks_width}} "
        f"{line.place:>{place_width}}  {visible(line.sentence.text)}"
    )


def _restored(line: BlameLine, blame: Blame) -> str:
    restored = line.lineage.restored
    assert restored is not None
    return (
        f"  {line.place}: restored in {_when(restored.restored_in, blame)}, "
        f"removed in {_when(restored.removed_in, blame)}, "
        f"first in {_when(line.lineage.began, blame)}"
    )


def _when(number: int, blame: Blame) -> str:
    take = blame.takes.get(number)
    return f"v{number} ({_time(take)})" if take else f"v{number}"


def _began(number: int, blame: Blame) -> str:
    take = blame.takes.get(number)
    label = (take.label or "") if take else ""
    if len(label) > LABEL_WIDTH:
        label = label[: LABEL_WIDTH - 1] + "…"
    time = _time(take) if take else ""
    return f"v{number:<3} {visible(label):<{LABEL_WIDTH}} {time:<16}"


def _name(take: Take) -> str:
    return f"{take.name} {visible(take.label)}" if take.label else take.name


def _time(take: Take) -> str:
    return take.created_at.strftime("%Y-%m-%d %H:%M")
