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

import bisect
import functools
import hashlib
import itertools
import operator
import random
import re
import struct
from collections import OrderedDict
from collections.abc import Sequence
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
_ASCII_WORD = re.compile(rb"\w+")
_LABEL_PREFIX = re.compile(labels.HEADLINE_PREFIX, re.IGNORECASE)
_SECTIONS = (Section.HEADLINE, Section.BODY, Section.DATELINE)


def shingles(text: str) -> bytes:
    """The hashes of a sentence's 3-word runs (its words, when it has fewer than 3).

    8 big-endian bytes each (blake2b); a repeated run is there again, which the MinHash
    minimum ignores. No Python integer or set per run: a 5 MB take's 600,000 runs take
    5 MB, not 100.
    """
    text = text.lower()
    words = (  # UTF-8 words; \w is [0-9A-Za-z_] on ASCII text either way
        _ASCII_WORD.findall(text.encode())
        if text.isascii()
        else [word.encode() for word in _WORD.findall(text)]
    )
    if len(words) < SHINGLE_WORDS:
        runs = [b" ".join(words)] if words else []
    else:
        runs = list(map(b" ".join, zip(words, words[1:], words[2:], strict=False)))
    blake2b = hashlib.blake2b
    return b"".join([blake2b(run, digest_size=8).digest() for run in runs])


def signature(document: Document) -> tuple[int, ...]:
    """Per permutation, the least permuted hash of the headline, dateline and body shingles.

    That is the least of the sentences' own minima, as shingles never cross a
    sentence. A story's takes repeat most of their sentences, so the minima of the
    `_CACHED_SENTENCES` sentences used last are kept by text, and only new sentences
    are hashed; a long take is not cached, as it would only push out other stories.
    """
    import numpy as np

    texts = [s.text for s in document.sentences if s.section in _SECTIONS]
    cached = len(texts) <= _CACHED_TAKE_SENTENCES
    known: list[bytes] = []
    missed: list[str] = []
    if cached:
        for text in dict.fromkeys(texts):  # a repeated sentence adds nothing
            # taken out and put back last: unlike get and move_to_end, two steps that
            # cannot fail if another thread evicts the sentence in between
            found = _sentence_minima.pop(text, None)
            if found is None:
                missed.append(text)
            else:
                _sentence_minima[text] = found
                known.append(found)
    else:
        missed = texts
    least = [np.frombuffer(b"".join(known), dtype=np.uint64).reshape(-1, PERMUTATIONS)]
    batch: dict[str, bytes] = {}  # sentence → its shingles' hashes
    size = 0
    for number, text in enumerate(missed, start=1):
        if hashes := shingles(text):
            batch[text] = hashes
            size += len(hashes)
        if batch and (size >= 8 * _BATCH or number == len(missed)):
            rows = minima(b"".join(batch.values()), [len(h) // 8 for h in batch.values()])
            least.append(rows.min(axis=0, keepdims=True))
            if cached:
                _sentence_minima.update(zip(batch, map(bytes, rows), strict=True))
            batch, size = {}, 0
    if cached:
        while len(_sentence_minima) > _CACHED_SENTENCES:
            _sentence_minima.popitem(last=False)
    best = np.concatenate(least)
    if not best.size:  # no words at all
        return (0,) * PERMUTATIONS
    return tuple(best.min(axis=0).tolist())


_CACHED_SENTENCES = 1 << 13  # about 1 KB each with their texts: 8 MB
_CACHED_TAKE_SENTENCES = 1000
_sentence_minima: OrderedDict[str, bytes] = OrderedDict()  # least recently used first


def minima(shingle_hashes: bytes, counts: Sequence[int]) -> Any:
    """Per group of `counts[i]` consecutive hashes (at least 1), per permutation (a, b),
    the least `(a * x + b) % _PRIME` over the group's hashes x: a (groups, 64) array.

    Vectorised over shingles and permutations, exact: stored signatures and bands stay
    comparable. With x = x1 * 2**32 + x0, a * x + b is congruent to the 95-bit
    S = a' * x1 + a * x0 + b, a' = a * 2**32 mod p, whose quotient by p is below 2**34:
    float64 estimates it to within 2**-17 (see `_permutation_arrays`), so one product
    of that quotient q with p, in 64-bit integers that wrap, leaves S - q * p, which is
    the value or the value plus p; the lesser of r and r - p (which wraps below zero)
    is the value. Shingles go in chunks small enough for the CPU's cache; a take's few
    new sentences make one chunk, so the cost is mostly numpy calls, kept few.
    """
    import numpy as np

    fractions, a_high, a_low, offset = _permutation_arrays()
    prime = np.uint64(_PRIME)
    x = np.frombuffer(shingle_hashes, dtype=">u8").astype(np.uint64)
    x_high, x_low = (x >> np.uint64(32))[:, None], (x & np.uint64(0xFFFFFFFF))[:, None]
    halves = np.ones((x.size, 3))  # x1, x0, 1: the rows of the quotient's estimate
    halves[:, 0:1] = x_high
    halves[:, 1:2] = x_low
    starts = list(itertools.accumulate(counts[:-1], initial=0))
    result = np.empty((len(counts), PERMUTATIONS), dtype=np.uint64)
    for start in range(0, x.size, _CHUNK):
        end = start + _CHUNK
        quotient = np.matmul(halves[start:end], fractions)  # S / p + 1/2 - 2**-16
        quotient += _TWO_TO_52  # rounded to an integer q, which is the low bits of its float
        value = np.multiply(x_high[start:end], a_high)
        product = np.multiply(x_low[start:end], a_low)
        value += product
        value += offset  # S + p + q's bits offset times p
        np.multiply(quotient.view(np.uint64), prime, out=product)
        value -= product  # S + p - q * p: the value, or the value plus p
        np.subtract(value, prime, out=product)
        np.minimum(value, product, out=value)
        # the groups this chunk holds a part of: the first may have begun in an earlier one
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(starts, start + len(value))
        offsets = [max(group_start - start, 0) for group_start in starts[first:last]]
        parts = np.minimum.reduceat(value, offsets, axis=0)
        if starts[first] < start:
            np.minimum(parts[0], result[first], out=parts[0])
        result[first:last] = parts
    return result


_CHUNK = 256
_BATCH = 1 << 16  # shingles hashed before their minima are taken: 512 KB
_TWO_TO_52 = float(1 << 52)  # from 2**52 to 2**53, a float64's mantissa is the integer
_TWO_TO_52_BITS = 0x4330000000000000  # 2.0**52 as a 64-bit integer: 2**52 + q is these + q


@functools.cache
def _permutation_arrays() -> tuple[Any, ...]:
    """The coefficients as the rows `minima` computes with.

    `fractions` (3, 64): a' / p, a / p and b / p + 1/2 - 2**-16, each within 2**-53 of
    its value; the estimate x1 * a' / p + x0 * a / p + b / p + 1/2 - 2**-16 sums three
    terms below 2**32 in any order and is within 2**-17 of S / p + 1/2 - 2**-16, so it
    rounds to the integer part of S / p or the one above, never further. The rest are
    uint64 rows: a', a, and b + p + 2**52's bits times p modulo 2**64, which takes the
    float's bits back off q * p.
    """
    from fractions import Fraction

    import numpy as np

    a_high = [(a << 32) % _PRIME for a, _ in _COEFFICIENTS]
    a_low = [a for a, _ in _COEFFICIENTS]
    below_half = Fraction(1, 2) - Fraction(1, 1 << 16)
    fractions = np.array(
        [
            [float(Fraction(a, _PRIME)) for a in a_high],
            [float(Fraction(a, _PRIME)) for a in a_low],
            [float(Fraction(b, _PRIME) + below_half) for _, b in _COEFFICIENTS],
        ]
    )
    offset = [(b + _PRIME + _TWO_TO_52_BITS * _PRIME) % (1 << 64) for _, b in _COEFFICIENTS]
    return (
        fractions,
        np.array(a_high, dtype=np.uint64),
        np.array(a_low, dtype=np.uint64),
        np.array(offset, dtype=np.uint64),
    )


def pack(sig: tuple[int, ...]) -> bytes:
    return struct.pack(f">{PERMUTATIONS}Q", *sig)


def unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f">{PERMUTATIONS}Q", data)


def band_keys(sig: tuple[int, ...]) -> list[int]:
    """One signed 63-bit key per band (fits a PostgreSQL bigint); none for an empty text.

    The key hashes the band's number (2 bytes) and its rows (8 bytes each), big-endian.
    """
    if not any(sig):
        return []
    packed = pack(sig)
    width = 8 * ROWS_PER_BAND
    blake2b = hashlib.blake2b
    return [
        int.from_bytes(blake2b(prefix + packed[at : at + width], digest_size=8).digest(), "big")
        >> 1
        for prefix, at in zip(_BAND_NUMBERS, range(0, len(packed), width), strict=True)
    ]


_BAND_NUMBERS = [struct.pack(">H", band) for band in range(PERMUTATIONS // ROWS_PER_BAND)]


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
