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

import functools
import hashlib
import operator
import random
import re
import struct
from collections.abc import Iterable
from typing import Any

from versions import labels
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
_WORD = re.compile(r"\w+")
_LABEL_PREFIX = re.compile(labels.HEADLINE_PREFIX, re.IGNORECASE)
_SECTIONS = (Section.HEADLINE, Section.BODY, Section.DATELINE)


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def shingles(document: Document) -> bytes:
    """The hashes of the 3-word runs in the headline, dateline and body sentences.

    8 big-endian bytes each (blake2b); a repeated run is there again, which the MinHash
    minimum ignores. No Python integer or set per run: a 5 MB take's 600,000 runs take
    5 MB, not 100.
    """
    blake2b = hashlib.blake2b
    hashes = bytearray()
    for sentence in document.sentences:
        if sentence.section not in _SECTIONS:
            continue
        words = _WORD.findall(sentence.text.lower())
        if len(words) < SHINGLE_WORDS:
            runs = [" ".join(words)] if words else []
        else:
            runs = list(map(" ".join, zip(words, words[1:], words[2:], strict=False)))
        for run in runs:
            hashes += blake2b(run.encode(), digest_size=8).digest()
    return bytes(hashes)


def signature(shingle_hashes: bytes | Iterable[int]) -> tuple[int, ...]:
    """Per permutation (a, b), the least `(a * x + b) % _PRIME` over the shingle hashes x.

    Vectorised over permutations and shingles in 64-bit integers. x is first reduced
    modulo the Mersenne prime p = 2**61 - 1 (the same residues), then a and x are cut
    into 32-bit halves, a1 and x1 below 2**29, so that no partial product overflows
    and only a0 * x0 needs folding (2**61 = 1, 2**64 = 8 modulo p). Same values as
    the definition, bit for bit: stored signatures and bands stay comparable. Shingles
    go in chunks small enough for the CPU's cache; a 5 MB take needs a few MB of scratch.
    """
    import numpy as np

    if isinstance(shingle_hashes, bytes):
        # repeats stay: the minimum ignores them, and finding them cost more than they do
        x = np.frombuffer(shingle_hashes, dtype=">u8").astype(np.uint64)
    else:
        x = np.fromiter(shingle_hashes, dtype=np.uint64)
    if not x.size:
        return (0,) * PERMUTATIONS
    a_low, a_high, a_high_x8, b = _permutation_arrays()
    prime, low32, low29 = np.uint64(_PRIME), np.uint64(0xFFFFFFFF), np.uint64((1 << 29) - 1)
    shift29, shift32, shift61 = np.uint64(29), np.uint64(32), np.uint64(61)
    x = (x & prime) + (x >> shift61)
    x = np.where(x >= prime, x - prime, x)  # x mod p: x1 below 2**29
    best = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, x.size, _CHUNK):
        part = x[start : start + _CHUNK]
        x_low, x_high = (part & low32)[None, :], (part >> shift32)[None, :]
        value = a_high_x8 * x_high  # a1 * x1 * 2**64 = 8 * a1 * x1, below 2**61
        middle = a_high * x_low
        middle += a_low * x_high  # below 2**62; times 2**32 = high * 2**61 + low * 2**32
        value += middle >> shift29
        middle &= low29
        middle <<= shift32
        value += middle
        product = a_low * x_low  # below 2**64: folded
        value += product & prime
        product >>= shift61
        value += product
        value += b  # five terms, below 2**63 + 2**34: no wrap
        product = value >> shift61
        value &= prime
        value += product  # below 2**61 + 4, the same residue
        if value.max() >= prime:  # about once in 2**58 values
            value = np.where(value >= prime, value - prime, value)
        np.minimum(best, value.min(axis=1), out=best)
    return tuple(int(v) for v in best)


_CHUNK = 256


@functools.cache
def _permutation_arrays() -> tuple[Any, ...]:
    """The coefficients as uint64 columns: a's low half, a's high half, 8 × that, and b."""
    import numpy as np

    a = np.array([a for a, _ in _COEFFICIENTS], dtype=np.uint64)
    b = np.array([b for _, b in _COEFFICIENTS], dtype=np.uint64)
    a_low = a & np.uint64(0xFFFFFFFF)
    a_high = a >> np.uint64(32)  # below 2**29
    return a_low[:, None], a_high[:, None], (a_high * np.uint64(8))[:, None], b[:, None]


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
    if len(a) != len(b):
        raise ValueError("signatures of different lengths")
    equal: int = sum(map(operator.eq, a, b))  # no generator: a take scores hundreds
    return equal / PERMUTATIONS


def headline_key(headline: str) -> str:
    """The headline without wire labels, case and punctuation: equal for REFILEs and the like."""
    stripped = _LABEL_PREFIX.sub("", headline.strip())
    return " ".join(_WORD.findall(stripped.lower()))[:200]


def score(sig: tuple[int, ...], key: str, other_sig: tuple[int, ...], other_key: str) -> float:
    headline_score = HEADLINE_MATCH_SCORE if key and key == other_key else 0.0
    return max(similarity(sig, other_sig), headline_score)
