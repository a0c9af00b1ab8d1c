"""Text folding shared by sentence hashes and alignment.

Two sentences that differ only in whitespace, quote style, dash style or
non-breaking spaces are the same sentence to the aligner and to the store: a
re-wrapped REFILE or a feed that curls its quotes must not look rewritten.
Case and punctuation are kept: changing them changes the sentence.
"""

from __future__ import annotations

import hashlib
import re

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "\u00ad": None,  # soft hyphen: invisible in print
        "\u200b": None,  # zero-width space
        "\ufeff": None,
    }
)


def collapse_whitespace(text: str) -> str:
    """Runs of any whitespace (NBSP and line breaks included) as one space, trimmed."""
    return " ".join(text.split())


def normalise(text: str) -> str:
    """The sentence as the aligner sees it: quotes, dashes and whitespace folded."""
    if text.isascii():  # most wire copy: nothing to fold but whitespace
        return collapse_whitespace(text)
    return collapse_whitespace(text.translate(_FOLD))


def sentence_hash(text: str) -> str:
    """Stable 32-hex-digit key of the normalised sentence (blake2b, 128 bits)."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=16).hexdigest()


_WORD = re.compile(r"\w+")


def word_tokens(text: str) -> list[str]:
    """Lower-cased words of the normalised text: what similarity is measured on."""
    return _WORD.findall(normalise(text).lower())
