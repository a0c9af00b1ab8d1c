"""Change logs as editors hand them on: Markdown, HTML, JSON, CSV and the coloured shell diff.

Story text is data in every format: escaped for Markdown and HTML, control characters shown
by `editorial.visible`, formula-like CSV cells defused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from versions.advisory import advisory_line
from versions.comparison import Comparison, comparisons
from versions.model import ChangeLog, Document

if TYPE_CHECKING:
    from versions.blame import Provenance

Format = Literal["markdown", "html", "json", "csv", "text"]
FORMATS: tuple[Format, ...] = ("markdown", "html", "json", "csv", "text")
PROVENANCE_FORMATS: tuple[Format, ...] = ("markdown", "html", "json")
EXTENSIONS: dict[Format, str] = {
    "markdown": "md",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "text": "txt",
}
_UNSAFE = re.compile(r"[^a-z0-9]+")
KEY_LENGTH = 80


def render(
    changelogs: Sequence[ChangeLog],
    fmt: Format,
    *,
    color: bool = False,
    documents: Sequence[tuple[Document, Document]] | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The change logs in one format; `color` only applies to "text".

    `documents` holds the (old, new) documents of each change log, in the same order; with
    them paragraphs are numbered as an editor counts them (the dateline paragraph is 1) and
    advisory lines get better topics. With `provenance` (the versions' stored lineage) the
    Markdown, HTML and JSON carry where each sentence came from, and HTML the story's grid.
    """
    return render_comparisons(
        comparisons(changelogs, documents), fmt, color=color, provenance=provenance
    )


def render_comparisons(
    pairs: Sequence[Comparison],
    fmt: Format,
    *,
    color: bool = False,
    provenance: Provenance | None = None,
    reverts: Mapping[int, int] | None = None,
) -> str:
    """`render` for comparisons as the archive hands them over, documents included.

    `reverts` ({version: the version whose text it returns to}) marks reverts in "text";
    the other formats take them from `provenance`. Each format's module is loaded when
    asked for: `wirediff diff` prints text and should not pay for HTML's grid and
    provenance (issue 11's start-up).
    """
    if fmt == "markdown":
        from versions.export import markdown

        return markdown.render(pairs, provenance)
    if fmt == "html":
        from versions.export import html

        return html.render(pairs, provenance)
    if fmt == "json":
        from versions.export import jsonfmt

        return jsonfmt.render(pairs, provenance)
    if fmt == "csv":
        from versions.export import csvfmt

        return csvfmt.render(pairs)
    if fmt == "text":
        from versions.export import terminal

        if reverts is None and provenance is not None:
            reverts = provenance.reverts
        return terminal.render(pairs, color=color, reverts=reverts)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def safe_filename(story_key: str, fmt: Format, pair: tuple[int, int]) -> str:
    """`wirediff-<story-key>-v<A>-v<B>.<ext>`: the key cut to [a-z0-9-], so never a path."""
    key = _UNSAFE.sub("-", story_key.lower()).strip("-")[:KEY_LENGTH].strip("-") or "story"
    return f"wirediff-{key}-v{pair[0]}-v{pair[1]}.{EXTENSIONS[fmt]}"


__all__ = [
    "FORMATS",
    "PROVENANCE_FORMATS",
    "Format",
    "advisory_line",
    "render",
    "render_comparisons",
    "safe_filename",
]
