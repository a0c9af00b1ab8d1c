"""JSON: a list of the objects `ChangeLog.to_dict()` gives (docs/changelog-format.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from versions.export.layout import Pair


def render(pairs: Sequence[Pair]) -> str:
    return json.dumps([pair.changelog.to_dict() for pair in pairs], ensure_ascii=False, indent=2)
