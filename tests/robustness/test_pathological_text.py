"""Junk input must not stall an ingest: these once took minutes (quadratic scans).

The bound is a hang guard two orders of magnitude above the expected time, not a
speed target (those live in bench/).
"""

import contextlib
import time

import pytest

from versions.errors import RejectedInput
from versions.readers import read
from versions.segment import split_sentences


def _seconds(call: object) -> float:
    started = time.perf_counter()
    assert callable(call)
    call()
    return time.perf_counter() - started


def test_a_long_run_of_periods_is_split_in_linear_time() -> None:
    assert _seconds(lambda: split_sentences("." * 200_000 + " The end.")) < 5.0


def test_a_file_of_periods_is_read_or_rejected_quickly() -> None:
    def read_dots() -> None:
        with contextlib.suppress(RejectedInput):
            read(b"." * 500_000, "dots.txt")

    assert _seconds(read_dots) < 10.0


@pytest.mark.parametrize(
    "junk",
    ["!" * 100_000, "? " * 50_000, ". . " * 50_000],
    ids=["bangs", "questions", "spaced-dots"],
)
def test_other_punctuation_runs_finish(junk: str) -> None:
    assert _seconds(lambda: split_sentences(junk)) < 5.0
