"""Counts read the same wherever an editor meets them: the CLI, the watcher's notices, the TUI."""

from __future__ import annotations

from versions.editorial import COUNT_ORDER, KIND_SIGN, substantive
from versions.records import ChangeCounts


def test_a_version_s_counts_read_in_the_one_order_with_the_one_sign_each() -> None:
    counts = ChangeCounts(added=1, removed=2, changed=3, moved=4, split=5, merged=6)
    assert counts.short() == "+1 ~3 −2 ↕4 ⋔5 ⋈6"
    assert counts.short().split() == [
        f"{KIND_SIGN[kind]}{counts.by_kind[str(kind)]}" for kind in COUNT_ORDER
    ]
    assert list(counts.by_kind) == [str(kind) for kind in COUNT_ORDER], "JSON key order"
    assert ChangeCounts(removed=1).short() == "−1"
    assert ChangeCounts().short() == "no change"


def test_only_cosmetic_changes_are_no_news() -> None:
    assert not ChangeCounts(changed=2, tags={"cosmetic": 2}).substantive
    assert ChangeCounts(changed=2, tags={"cosmetic": 1}).substantive
    assert not ChangeCounts().substantive, "a take that changed nothing"
    assert substantive({"changed": 1}, {"number": 1, "cosmetic": 0})
