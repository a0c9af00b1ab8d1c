"""Markdown: per version pair the advisory line, then the changes grouped as editors read them.

Inline marks are `~~deleted~~` and `**inserted**`, with the spaces around a marked piece
kept outside the marks so that they render.  Story text is backslash-escaped wherever
Markdown would read it as markup (emphasis, links, code, HTML, tables, headings, entities).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from versions.advisory import advisory
from versions.comparison import Comparison
from versions.editorial import flags, visible
from versions.export.blame import grid_lines, history_note
from versions.export.layout import (
    Piece,
    grouped,
    lines,
    pair_name,
    story_name,
    where,
)
from versions.model import Change, ChangeKind, Tag

if TYPE_CHECKING:
    from versions.blame import Provenance

_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", visible(text)))


def render(pairs: Sequence[Comparison], provenance: Provenance | None = None) -> str:
    out: list[str] = []
    story = None
    for pair in pairs:
        changelog = pair.changelog
        if story_name(changelog) != story:
            story = story_name(changelog)
            out += [f"# {escape(story)}", ""]
        out += [f"## {escape(pair_name(changelog))}", ""]
        line = advisory(pair)
        if line:
            out += [escape(line), ""]
        if provenance is not None and (revert := provenance.reverted(changelog)):
            out += [f"**{escape(revert)}**", ""]
        if not changelog.changes:
            out += ["No changes.", ""]
        for title, implied, changes in grouped(changelog.changes):
            out += [f"### {title}", ""]
            for change in changes:
                out += _item(change, pair, implied=implied)
            out.append("")
    if provenance is not None and provenance.lineage:
        out += _provenance(provenance)
    return "\n".join(out)


def _provenance(provenance: Provenance) -> list[str]:
    """The story take by take (the grid as signs), then where the last version's sentences
    came from."""
    blame = provenance.blame()
    out = ["## The story take by take", "", "```"]
    out += [visible(line) for line in grid_lines(provenance.grid())]
    out += ["```", "", f"## Where {escape(blame.take.name)}'s sentences came from", ""]
    if blame.revert is not None:
        out += [f"{escape(blame.revert)}.", ""]
    for line in blame.lines:
        note = history_note(line, blame)
        out.append(f"- **{escape(line.place)}** {escape(note)}: {escape(line.sentence.text)}")
    out.append("")
    return out


def _item(change: Change, pair: Comparison, *, implied: ChangeKind | None) -> list[str]:
    """One list item; a change of several sentences gets one sub-item a sentence."""
    place = where(change, pair.numbering)
    label = [f"**{escape(place)}**"] if place else []
    if change.kind is not implied:
        label.append(str(change.kind))
    label += [f"⚑ {tag}" for tag in flags(change)]
    if Tag.COSMETIC in change.tags:
        label.append("(cosmetic)")
    marked = change.kind not in (ChangeKind.ADDED, ChangeKind.REMOVED)
    texts = [_marks(line) if marked else escape(_plain(line)) for line in lines(change)]
    if len(texts) == 1:
        return [f"- {' '.join(label)}: {texts[0]}" if label else f"- {texts[0]}"]
    return [f"- {' '.join(label) or 'sentences'}", *(f"  - {text}" for text in texts)]


def _plain(line: list[Piece]) -> str:
    return "".join(text for _, text in line)


def _marks(line: list[Piece]) -> str:
    return "".join(_mark(op, text) for op, text in line)


def _mark(op: int, text: str) -> str:
    if op == 0:
        return escape(text)
    core = text.strip()
    if not core:
        return text if op == 1 else ""
    delimiter = "**" if op == 1 else "~~"
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{delimiter}{escape(core)}{delimiter}{trail}"
