"""wirediff's core: read, parse, segment, align, classify, store and export wire-story versions.

Never imports the terminal UI; `tui` and the CLI sit on top of `versions.service`.
The public names load on first use, so `import versions.cli` (the `wirediff`
command) does not pay for the engine before it needs it.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
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

_HOMES = {
    "compare": "versions.compare",
    "parse": "versions.readers",
    "split_sentences": "versions.segment",
    **dict.fromkeys(
        [
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
        ],
        "versions.model",
    ),
}

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


class _Package(types.ModuleType):
    """Keeps `versions.compare` the function once the module of that name is imported.

    Importing a submodule sets it as an attribute of its package; the eager
    `from versions.compare import compare` used to overwrite that at once, and the
    lazy loading must do the same whenever the submodule arrives.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "compare" and isinstance(value, types.ModuleType):
            value = value.compare
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'versions' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
