"""wirediff's core: read, parse, segment, align, classify, store and export wire-story versions.

Never imports the terminal UI; `tui` and the CLI sit on top of `versions.service`.
"""

__version__ = "0.1.0"

from versions.compare import compare
from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Document,
    ItemMeta,
    Paragraph,
    ParagraphKind,
    Section,
    Sentence,
    Tag,
)
from versions.readers import parse
from versions.segment import split_sentences

__all__ = [
    "Change",
    "ChangeKind",
    "ChangeLog",
    "Document",
    "ItemMeta",
    "Paragraph",
    "ParagraphKind",
    "Section",
    "Sentence",
    "Tag",
    "__version__",
    "compare",
    "parse",
    "split_sentences",
]
