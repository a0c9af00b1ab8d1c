"""JSON: a list of the objects `ChangeLog.to_dict()` gives (docs/changelog-format.md).

With provenance each object also has `lineage`: the `sentences` and `reverts_to` of the
new version's blame (docs/blame-format.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from versions.comparison import Comparison

if TYPE_CHECKING:
    from versions.blame import Provenance


def render(pairs: Sequence[Comparison], provenance: Provenance | None = None) -> str:
    return json.dumps([_pair(pair, provenance) for pair in pairs], ensure_ascii=False, indent=2)


def _pair(pair: Comparison, provenance: Provenance | None) -> dict[str, Any]:
    data = pair.changelog.to_dict()
    number = pair.changelog.new.version
    if provenance is not None and number in provenance.lineage:
        blame = provenance.blame(number).to_dict()
        data["lineage"] = {"sentences": blame["sentences"], "reverts_to": blame["reverts_to"]}
    return data
