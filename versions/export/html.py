"""HTML: one self-contained page (inline CSS, no scripts) with the same content as Markdown.

Every piece of story text goes through `html.escape`; a Content-Security-Policy that allows
inline styles only is a second fence, should markup ever slip through.
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from versions.advisory import advisory
from versions.comparison import Comparison
from versions.editorial import flags, visible
from versions.export.blame import history_note
from versions.export.layout import (
    Piece,
    grouped,
    lines,
    pair_name,
    story_name,
    where,
)
from versions.lineage import CELL_SIGNS, Cell
from versions.model import Change, ChangeKind, Tag

if TYPE_CHECKING:
    from versions.blame import Provenance

_STYLE = """
body { font: 15px/1.5 Georgia, "Times New Roman", serif; color: #1a1a1a; margin: 2em auto;
       max-width: 52em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font: bold 1.1em system-ui, sans-serif; border-bottom: 1px solid #ccc;
     margin-top: 2em; padding-bottom: 0.2em; }
h3 { font: 600 0.85em system-ui, sans-serif; text-transform: uppercase; letter-spacing: 0.05em;
     color: #555; margin: 1.2em 0 0.3em; }
.advisory { font-style: italic; }
ul { list-style: none; padding: 0; margin: 0; }
li { padding: 0.35em 0.5em; border-left: 3px solid #ddd; margin: 0.3em 0;
     break-inside: avoid; page-break-inside: avoid; }
li.added { border-color: #2e7d32; }
li.removed { border-color: #c62828; }
li.moved { border-color: #1565c0; }
.meta { font: 0.8em system-ui, sans-serif; color: #555; margin-right: 0.5em; }
.flag { font: bold 0.75em system-ui, sans-serif; background: #fff3cd; color: #7a5b00;
        border: 1px solid #e0c36b; border-radius: 3px; padding: 0 0.3em; margin-right: 0.3em; }
.cosmetic { font: 0.75em system-ui, sans-serif; color: #777; margin-right: 0.3em; }
.sentence { display: block; }
ins { background: #d9f2dc; color: #1b5e20; text-decoration: none; }
del { background: #fbdcdc; color: #b71c1c; text-decoration: line-through; }
li.added .sentence { color: #1b5e20; }
li.removed .sentence { color: #b71c1c; text-decoration: line-through; }
.empty { color: #777; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
}
"""


def escape(text: str) -> str:
    return _html.escape(visible(text), quote=True)


_PROVENANCE_STYLE = """
table.grid { border-collapse: collapse; font: 0.8em system-ui, sans-serif; margin: 0.5em 0; }
table.grid th, table.grid td { padding: 1px 0.5em 1px 0; text-align: left; white-space: nowrap; }
.cells { line-height: 0; }
.cell { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 1px; }
.cell.added { background: #2e7d32; }
.cell.changed { background: #f9a825; }
.cell.moved { background: #1565c0; }
.cell.restored { background: #6a1b9a; }
.cell.removed { background: #c62828; width: 0.4em; }
.cell.untouched { background: #d5d5d5; }
.legend .cell { vertical-align: middle; margin-left: 0.8em; }
table.provenance { border-collapse: collapse; font-size: 0.95em; }
table.provenance td { vertical-align: top; padding: 0.25em 0.6em 0.25em 0;
                      border-top: 1px solid #eee; }
table.provenance td.note { font: 0.8em system-ui, sans-serif; color: #555; }
"""


def render(pairs: Sequence[Comparison], provenance: Provenance | None = None) -> str:
    titles = list(dict.fromkeys(story_name(pair.changelog) for pair in pairs))
    body: list[str] = []
    story = None
    for pair in pairs:
        changelog = pair.changelog
        if story_name(changelog) != story:
            story = story_name(changelog)
            body.append(f"<h1>{escape(story)}</h1>")
        body.append("<section>")
        body.append(f"<h2>{escape(pair_name(changelog))}</h2>")
        line = advisory(pair)
        if line:
            body.append(f'<p class="advisory">{escape(line)}</p>')
        if provenance is not None and (revert := provenance.reverted(changelog)):
            body.append(f'<p class="revert"><strong>{escape(revert)}</strong></p>')
        if not changelog.changes:
            body.append('<p class="empty">No changes.</p>')
        for title, implied, changes in grouped(changelog.changes):
            body.append(f"<h3>{title}</h3>")
            body.append("<ul>")
            body += [_item(change, pair, implied) for change in changes]
            body.append("</ul>")
        body.append("</section>")
    style = _STYLE
    if provenance is not None and provenance.lineage:
        body += _provenance(provenance)
        style += _PROVENANCE_STYLE
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            f"<title>Change log: {escape('; '.join(titles) or 'no changes')}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _provenance(provenance: Provenance) -> list[str]:
    """The takes × paragraphs grid (coloured cells, CSS only), then where the last version's
    sentences came from."""
    out = ['<section class="evolution">', "<h2>The story take by take</h2>", '<table class="grid">']
    for take, cells in provenance.grid():
        spans = "".join(
            f'<span class="cell {cell.state}" title="{escape(_cell_title(cell))}"></span>'
            for cell in cells
        )
        out.append(
            f"<tr><th>{escape(take.name)}</th><td>{escape(take.label or '')}</td>"
            f"<td>{take.created_at:%Y-%m-%d %H:%M}</td>"
            f'<td class="cells">{spans}</td></tr>'
        )
    out.append("</table>")
    legend = "".join(f'<span class="cell {state}"></span> {state}' for state in CELL_SIGNS)
    out += [f'<p class="legend meta">{legend}</p>', "</section>"]
    blame = provenance.blame()
    out += [
        '<section class="provenance">',
        f"<h2>Where {escape(blame.take.name)}\u2019s sentences came from</h2>",
    ]
    if blame.revert is not None:
        out.append(f"<p>{escape(blame.revert)}.</p>")
    out.append('<table class="provenance">')
    out += [
        f"<tr><td>{escape(line.place)}</td>"
        f'<td class="note">{escape(history_note(line, blame))}</td>'
        f"<td>{escape(line.sentence.text)}</td></tr>"
        for line in blame.lines
    ]
    out += ["</table>", "</section>"]
    return out


def _cell_title(cell: Cell) -> str:
    if cell.paragraph is None:
        return f"paragraph {cell.old_paragraph} of the take before: removed"
    return f"paragraph {cell.paragraph}: {cell.state}"


def _item(change: Change, pair: Comparison, implied: ChangeKind | None) -> str:
    meta = []
    place = where(change, pair.numbering)
    if place:
        meta.append(place)
    if change.kind is not implied:
        meta.append(str(change.kind))
    parts = [f'<span class="meta">{escape(" · ".join(meta))}</span>'] if meta else []
    parts += [f'<span class="flag">⚑ {tag}</span>' for tag in flags(change)]
    if Tag.COSMETIC in change.tags:
        parts.append('<span class="cosmetic">cosmetic</span>')
    marked = change.kind not in (ChangeKind.ADDED, ChangeKind.REMOVED)
    for line in lines(change):
        text = _marks(line) if marked else escape("".join(t for _, t in line))
        parts.append(f'<span class="sentence">{text}</span>')
    return f'<li class="{change.kind}">{"".join(parts)}</li>'


def _marks(line: list[Piece]) -> str:
    tags = {-1: "del", 1: "ins"}
    return "".join(
        escape(text) if op == 0 else f"<{tags[op]}>{escape(text)}</{tags[op]}>" for op, text in line
    )
