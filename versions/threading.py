"""Content threading: which stored story does a new version belong to?

Wire updates rewrite the top and keep most of the body, so two versions of one
story share many short word runs while two different stories share almost none.
Each version is reduced to the set of its 3-word shingles (taken inside
sentences, headline and body only: bylines and "Reporting by" trailers are
shared across stories) and summarised by a 64-value MinHash signature, whose
agreement rate estimates the Jaccard similarity of two shingle sets.

The signature is cut into 32 bands of 2 values; the store indexes each band's
hash, so the candidates for a new version are the stored versions sharing at
least one band (a pair at similarity 0.3 shares one with probability 0.95,
at 0.05 with probability 0.08) — an index lookup, never a scan.

A candidate story is accepted when its best version scores at least
`THRESHOLD` (0.2): the estimated Jaccard similarity, or 0.5 when the
normalised headlines are identical (REFILE, CORRECTED and WITHDRAWN items
repeat the headline over a body that may be all new).
"""

from __future__ import annotations

import hashlib
import random
import re
import struct
import sys
from collections.abc import Iterable

from versions.model import Document, Section

SHINGLE_WORDS = 3
PERMUTATIONS = 64
ROWS_PER_BAND = 2
THRESHOLD = 0.2
HEADLINE_MATCH_SCORE = 0.5

_PRIME = (1 << 61) - 1
_rng = random.Random(20241121)  # fixed: signatures are stored and must stay comparable
_COEFFICIENTS = [
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(PERMUTATIONS)
]
# where the low 64 bits of each 128-bit slot fall among a byte dump's native 64-bit words
_LOW_WORDS = slice(0, None, 2) if sys.byteorder == "little" else slice(1, None, 2)
_WORD = re.compile(r"\w+")
_LABEL_PREFIX = re.compile(
    r"^(?:(?:update|refile|corrected|withdrawn|repeat|rpt|urgent|exclusive|correction|wrapup|"
    r"instant view|factbox|analysis|corrected-update)\s*\d*\s*[-:]\s*)+",
    re.IGNORECASE,
)
_SECTIONS = (Section.HEADLINE, Section.BODY, Section.DATELINE)


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def shingles(document: Document) -> set[int]:
    """Hashes of the 3-word runs in the headline, dateline and body sentences."""
    result: set[int] = set()
    for sentence in document.sentences:
        if sentence.section not in _SECTIONS:
            continue
        words = _WORD.findall(sentence.text.lower())
        if len(words) < SHINGLE_WORDS:
            if words:
                result.add(_hash64(" ".join(words).encode()))
            continue
        for start in range(len(words) - SHINGLE_WORDS + 1):
            result.add(_hash64(" ".join(words[start : start + SHINGLE_WORDS]).encode()))
    return result


def signature(shingle_hashes: Iterable[int]) -> tuple[int, ...]:
    """Per permutation (a, b), the least `(a * x + b) % _PRIME` over the shingle hashes x.

    Computed on all shingles at once: the hashes sit in 128-bit slots of one big
    integer, so each permutation is a few whole-integer operations (a * x + b < 2**126
    never carries into the next slot; `_PRIME` is 2**61 - 1, so `% _PRIME` is two
    fold-and-add steps and a final subtraction) instead of a Python loop over shingles.
    Same values as the loop, bit for bit: stored signatures and bands stay comparable.
    """
    values = list(shingle_hashes)
    if not values:
        return (0,) * PERMUTATIONS
    count = len(values)
    slots = int.from_bytes(struct.pack("<" + "Q8x" * count, *values), "little")
    ones = int.from_bytes((b"\x01" + b"\x00" * 15) * count, "little")
    low = ones * _PRIME  # the 61 low bits of each slot
    high = ones * ((1 << 67) - 1)  # the rest of a slot, once shifted down by 61
    size = 16 * count
    result = []
    for a, b in _COEFFICIENTS:
        value = a * slots + b * ones
        value = (value & low) + ((value >> 61) & high)  # < 2**66, same residue
        value = (value & low) + ((value >> 61) & high)  # < 2**61 + 32
        reached = ((value + ones) >> 61) & ones  # slots holding _PRIME or more
        if reached:
            value -= reached * _PRIME
        words = memoryview(value.to_bytes(size, sys.byteorder)).cast("Q")
        result.append(min(words[_LOW_WORDS]))
    return tuple(result)


def pack(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f">{PERMUTATIONS}Q", *sig)


def unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f">{PERMUTATIONS}Q", data)


def band_keys(sig: tuple[int, ...]) -> list[int]:
    """One signed 63-bit key per band (fits a PostgreSQL bigint); none for an empty text."""
    if not any(sig):
        return []
    keys = []
    for band in range(PERMUTATIONS // ROWS_PER_BAND):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        keys.append(_hash64(struct.pack(f">H{ROWS_PER_BAND}Q", band, *rows)) >> 1)
    return keys


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if not any(a) or not any(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / PERMUTATIONS


def headline_key(headline: str) -> str:
    """The headline without wire labels, case and punctuation: equal for REFILEs and the like."""
    stripped = _LABEL_PREFIX.sub("", headline.strip())
    return " ".join(_WORD.findall(stripped.lower()))[:200]


def score(sig: tuple[int, ...], key: str, other_sig: tuple[int, ...], other_key: str) -> float:
    headline_score = HEADLINE_MATCH_SCORE if key and key == other_key else 0.0
    return max(similarity(sig, other_sig), headline_score)
