"""The MinHash signature is stored: a faster computation must give the same values.

Stored versions keep their signature and LSH bands; a new version is threaded by
comparing against them, so any drift would silently stop threading updates of
stories already in a database.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from versions import story_match
from versions.model import Document, Paragraph, ParagraphKind, Section
from versions.readers import read

PRIME = (1 << 61) - 1
EDGES = [0, 1, PRIME - 1, PRIME, PRIME + 1, 2 * PRIME, 2**61, 2**62 - 1, 2**63, 2**64 - 1]
SHINGLED = (Section.HEADLINE, Section.DATELINE, Section.BODY)


def _by_definition(values: list[int]) -> tuple[int, ...]:
    """Each permutation's least (a * x + b) mod (2**61 - 1), one shingle at a time."""
    if not values:
        return (0,) * story_match.PERMUTATIONS
    return tuple(min((a * x + b) % PRIME for x in values) for a, b in story_match._COEFFICIENTS)


def _hashes(raw: bytes) -> list[int]:
    return [int.from_bytes(raw[i : i + 8], "big") for i in range(0, len(raw), 8)]


def _signature_by_definition(document: Document) -> tuple[int, ...]:
    raw = b"".join(
        story_match.shingles(s.text) for s in document.sentences if s.section in SHINGLED
    )
    return _by_definition(sorted(set(_hashes(raw))))


def _samples(samples: Path) -> list[Document]:
    return [read(path.read_bytes(), str(path))[0] for path in sorted(samples.glob("*/*.txt"))]


@pytest.mark.parametrize("count", [1, 2, 3, 17, 255, 256, 257, 2000])
def test_minima_equal_the_definition_on_random_and_edge_hashes(count: int) -> None:
    """Groups of every size, some running over the 256-shingle chunks."""
    rng = random.Random(count)
    for _ in range(10):
        counts = [rng.choice([1, 2, 3, count]) for _ in range(rng.randint(1, 6))]
        values = [
            rng.choice(EDGES) if rng.random() < 0.2 else rng.getrandbits(64)
            for _ in range(sum(counts))
        ]
        raw = b"".join(value.to_bytes(8, "big") for value in values)
        rows = story_match.minima(raw, counts)
        start = 0
        for row, size in zip(rows, counts, strict=True):
            assert tuple(row.tolist()) == _by_definition(values[start : start + size])
            start += size


def test_minima_equal_the_definition_where_the_quotient_is_nearly_whole() -> None:
    """Hashes whose value under some permutation is 0, 1, p - 1 or p - 2: the quotient
    by p is then within a hair of an integer, where its float estimate may be one off."""
    values = []
    for a, b in story_match._COEFFICIENTS[::7]:
        for target in (0, 1, PRIME - 1, PRIME - 2):
            residue = (target - b) * pow(a, -1, PRIME) % PRIME
            largest = residue + ((1 << 64) - 1 - residue) // PRIME * PRIME  # below 2**64
            values += [residue, residue + PRIME, largest]
    raw = b"".join(value.to_bytes(8, "big") for value in values)
    rows = story_match.minima(raw, [1] * len(values))
    assert [tuple(row) for row in rows.tolist()] == [_by_definition([value]) for value in values]


def test_signature_equals_the_definition_on_every_sample_cached_or_not(samples: Path) -> None:
    """Takes of one story share sentences: the later ones are signed mostly from the cache."""
    documents = _samples(samples)
    story_match._sentence_minima.clear()
    for document in [*documents, *reversed(documents)]:
        assert story_match.signature(document) == _signature_by_definition(document)


def test_the_cache_stays_bounded_and_a_long_take_passes_it_by(
    samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(story_match, "_CACHED_SENTENCES", 5)
    monkeypatch.setattr(story_match, "_CACHED_TAKE_SENTENCES", 40)
    story_match._sentence_minima.clear()
    for document in _samples(samples):
        assert story_match.signature(document) == _signature_by_definition(document)
        assert len(story_match._sentence_minima) <= 5
    story_match._sentence_minima.clear()
    long = Document(
        tuple(Paragraph(ParagraphKind.TEXT, (f"Sentence number {n}.",)) for n in range(41))
    )
    assert story_match.signature(long) == _signature_by_definition(long)
    assert not story_match._sentence_minima


def test_an_empty_text_has_the_empty_signature_and_no_bands() -> None:
    wordless = Document(
        (Paragraph(ParagraphKind.TEXT, ("—",)), Paragraph(ParagraphKind.BYLINE, ("By Ann Lee",)))
    )
    for document in (Document(()), wordless):
        assert story_match.signature(document) == (0,) * story_match.PERMUTATIONS
    assert story_match.band_keys(story_match.signature(Document(()))) == []


@pytest.mark.parametrize(
    "text",
    [
        "Oil rose 2.5% to $81_000 in Oslo, officials said.",
        "Łódź and Straße: Müller's team (ÉQUIPE) won 3-1.",
        "The \u212aelvin sign lowers to an ASCII k.",
        "Two words",
        "—",
    ],
)
def test_shingles_hash_the_3_word_runs_of_unicode_words(text: str) -> None:
    words = re.findall(r"\w+", text.lower())
    runs = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))] if words else []
    expected = b"".join(hashlib.blake2b(run.encode(), digest_size=8).digest() for run in runs)
    assert story_match.shingles(text) == expected
