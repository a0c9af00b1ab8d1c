"""Whatever bytes arrive, reading them gives a story or a one-line RejectedInput, never a crash."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from versions.errors import RejectedInput
from versions.labels import label_text
from versions.readers import read
from versions.readers.decode import decode

SEED = Path("/work/shared/seed/000_abc02dacf25aa58b.txt")
STORY = (
    "UPDATE 1-Séisme au Pérou\n(Adds toll)\n*\nÇa tremble\n*\nBy Lucía Paredes\n"
    "LIMA, March 14 (Reuters) - A strong earthquake struck southern Peru.\n"
    "It killed 12 people, officials said.\n(Reporting by Lucía Paredes)\n"
).encode("latin-1")


def read_or_reject(data: bytes) -> None:
    """The contract: documents, or RejectedInput with a one-line reason naming the source."""
    try:
        documents = read(data, "in.txt")
    except RejectedInput as error:
        assert str(error).startswith("in.txt: ")
        assert "\n" not in str(error)
        return
    assert documents
    for document in documents:
        assert all(sentence.text.strip() for sentence in document.sentences)


def test_random_bytes() -> None:
    rng = random.Random(20241121)
    for _ in range(300):
        read_or_reject(rng.randbytes(rng.randrange(1, 2000)))


def test_random_printable_and_high_bytes_without_nul() -> None:
    rng = random.Random(7)
    alphabet = bytes(range(1, 256))
    for _ in range(300):
        size = rng.randrange(1, 1500)
        read_or_reject(bytes(rng.choice(alphabet) for _ in range(size)))


def test_mutated_stories() -> None:
    """A real story with a few bytes flipped, cut or doubled: still a story or a clear rejection."""
    rng = random.Random(99)
    originals = [STORY] + ([SEED.read_bytes()] if SEED.exists() else [])
    for _ in range(200):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randrange(1, 20)):
            position = rng.randrange(len(data))
            action = rng.randrange(3)
            if action == 0:
                data[position] = rng.randrange(256)
            elif action == 1:
                del data[position : position + rng.randrange(1, 200)]
            else:
                data[position:position] = data[position : position + rng.randrange(1, 200)]
            if not data:
                break
        read_or_reject(bytes(data))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"LONDON (Reuters) - Oil\x00 rose.", "binary data (NUL bytes), not text"),
        (bytes(range(1, 32)) * 20, "binary data, not text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary data (NUL bytes), not text"),
    ],
)
def test_not_text_is_rejected_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput) as raised:
        decode(data, "in.txt")
    assert raised.value.reason == reason
    assert str(raised.value) == f"in.txt: {reason}"


def test_latin1_story_decodes() -> None:
    text, encoding = decode(STORY, "in.txt")
    assert encoding == "latin-1"
    assert "Lucía Paredes" in text
    assert label_text(read(STORY)[0].meta.label) == "UPDATE 1"


def test_a_huge_unwrapped_line_is_read() -> None:
    sentence = "Oil prices rose on Monday as traders weighed supply risks. "
    data = ("LONDON (Reuters) - " + sentence * 20_000).encode()  # about 1.2 MB, one line
    document = read(data)[0]
    assert document.dateline == "LONDON (Reuters) -"
    assert len(document.sentences) == 20_001


def test_a_huge_file_of_short_lines_is_read() -> None:
    data = b"LONDON (Reuters) - Oil rose.\n" + b"Gold fell.\n" * 50_000
    document = read(data)[0]
    assert len(document.paragraphs) == 50_002
