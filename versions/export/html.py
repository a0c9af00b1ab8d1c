"""HTML: one self-contained page (inline CSS, no scripts) with the same content as Markdown.

Every piece of story text goes through `html.escape`; a Content-Security-Policy that allows
inline styles only is a second fence, should markup ever slip through.
"""

from __future__ import annotations

import html as _html
from collections.abc import Sequence

from versions.export.advisory import advisory
from versions.export.layout import (
    Pair,
    Piece,
    flags,
    grouped,
    lines,
    pair_name,
    story_name,
    visible,
    where,
)
from versions.model import Change, ChangeKind, Tag

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


def render(pairs: Sequence[Pair]) -> str:
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
        if not changelog.changes:
            body.append('<p class="empty">No changes.</p>')
        for title, implied, changes in grouped(changelog.changes):
            body.append(f"<h3>{title}</h3>")
            body.append("<ul>")
            body += [_item(change, pair, implied) for change in changes]
            body.append("</ul>")
        body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            f"<title>Change log: {escape('; '.join(titles) or 'no changes')}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _item(change: Change, pair: Pair, implied: ChangeKind | None) -> str:
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
