"""One order and one word for counts, whichever front end prints them."""

from __future__ import annotations

from versions.editorial import COUNT_ORDER, KIND_SIGN, plural, short_counts
from versions.model import ChangeKind


def test_plurals_agree_with_their_number() -> None:
    assert plural(1, "change") == "1 change"
    assert plural(2, "change") == "2 changes"
    assert plural(1, "story") == "1 story"
    assert plural(0, "story") == "0 stories"
    assert plural(1200, "version") == "1,200 versions"


def test_counts_read_in_the_readme_order_with_zeros_left_out() -> None:
    counts = {"removed": 1, "changed": 6, "moved": 1, "added": 0, "split": 1}
    assert short_counts(counts) == "~6 −1 ↕1 ⋔1"
    assert short_counts({}) == "no change"
    assert [KIND_SIGN[kind] for kind in COUNT_ORDER] == ["+", "~", "−", "↕", "⋔", "⋈"]
    assert set(COUNT_ORDER) == set(ChangeKind)
