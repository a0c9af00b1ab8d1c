"""CSV for spreadsheets: one row per change.

Multi-sentence cells hold one sentence a line.  A cell that starts like a formula (=, +, -,
@, tab, carriage return) gets a leading apostrophe so that a spreadsheet shows story text
rather than running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from versions.comparison import Comparison
from versions.export.layout import version_name

HEADER = ("story", "from", "to", "section", "kind", "tags", "old", "new")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render(pairs: Sequence[Comparison]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for pair in pairs:
        changelog = pair.changelog
        story = changelog.story_key or changelog.story_title or ""
        for change in changelog.changes:
            writer.writerow(
                [
                    _cell(story),
                    _cell(version_name(changelog.old)),
                    _cell(version_name(changelog.new)),
                    str(change.section),
                    str(change.kind),
                    "; ".join(str(tag) for tag in change.tags),
                    _cell("\n".join(change.old)),
                    _cell("\n".join(change.new)),
                ]
            )
    return out.getvalue()


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
