"""Two versions compared: the change log and the two documents it was computed from.

They travel together: renderers, advisory lines and the TUI number paragraphs from the
documents (`numbering`), pick topics from the new text and show unchanged sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from versions.editorial import Numbering
from versions.model import ChangeLog, Document


@dataclass(frozen=True)
class Comparison:
    """A change log and, when known, the documents compared (without them paragraphs keep
    the change log's whole-document numbers)."""

    changelog: ChangeLog
    old: Document | None = None
    new: Document | None = None

    @cached_property
    def numbering(self) -> Numbering:
        return Numbering.of(self.old, self.new)

    @property
    def new_text(self) -> str:
        """The new version's text, for picking a topic; "" when unknown."""
        return self.new.text if self.new else ""


def comparisons(
    changelogs: Sequence[ChangeLog],
    documents: Sequence[tuple[Document, Document]] | None,
) -> list[Comparison]:
    """Change logs with their (old, new) documents, in the same order, when given."""
    if documents is None:
        return [Comparison(changelog) for changelog in changelogs]
    if len(documents) != len(changelogs):
        raise ValueError("documents must hold one (old, new) pair per change log")
    return [Comparison(cl, old, new) for cl, (old, new) in zip(changelogs, documents, strict=True)]
