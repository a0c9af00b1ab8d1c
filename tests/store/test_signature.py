"""The MinHash signature is stored: a faster computation must give the same values.

Stored versions keep their signature and LSH bands; a new version is threaded by
comparing against them, so any drift would silently stop threading updates of
stories already in a database.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from versions import story_match
from versions.readers import read

PRIME = (1 << 61) - 1
EDGES = [0, 1, PRIME - 1, PRIME, PRIME + 1, 2 * PRIME, 2**61, 2**62 - 1, 2**63, 2**64 - 1]


def _by_definition(values: list[int]) -> tuple[int, ...]:
    """Each permutation's least (a * x + b) mod (2**61 - 1), one shingle at a time."""
    if not values:
        return (0,) * story_match.PERMUTATIONS
    return tuple(min((a * x + b) % PRIME for x in values) for a, b in story_match._COEFFICIENTS)


@pytest.mark.parametrize("count", [1, 2, 3, 17, 400, 2000])
def test_signature_equals_the_definition_on_random_and_edge_hashes(count: int) -> None:
    rng = random.Random(count)
    for _ in range(20):
        values = [
            rng.choice(EDGES) if rng.random() < 0.2 else rng.getrandbits(64) for _ in range(count)
        ]
        assert story_match.signature(values) == _by_definition(values)


def test_signature_equals_the_definition_on_every_sample(samples: Path) -> None:
    for path in sorted(samples.glob("*/*.txt")):
        (document,) = read(path.read_bytes(), str(path))
        raw = story_match.shingles(document)
        hashes = sorted({int.from_bytes(raw[i : i + 8], "big") for i in range(0, len(raw), 8)})
        assert story_match.signature(raw) == _by_definition(hashes), path
        assert story_match.signature(hashes) == _by_definition(hashes), path


def test_an_empty_text_has_the_empty_signature_and_no_bands() -> None:
    assert story_match.signature([]) == (0,) * story_match.PERMUTATIONS
    assert story_match.band_keys(story_match.signature([])) == []
