"""Where a version's text is cut for the search index.

FTS5 holds a row's whole term table in memory while it indexes the row, and PostgreSQL
caps a tsvector at 1 MB: a 5 MB take indexed as one row cost 70 MB (issue 10). So a long
text is indexed in pieces, each cut after a paragraph, else after a sentence, else after
a space: never inside a word, so a word is always whole in one piece, wherever the cuts
fall. Search looks each word up in every piece of such a text (`Dialect.text_matches`).
"""

from __future__ import annotations

import re

PIECE_SIZE = 65_536  # characters: about 64 KB of text

# a sentence's end and the space after it (quotes and brackets closing the sentence kept)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")
_SPACE = re.compile(r"\s")


def text_pieces(text: str, size: int = PIECE_SIZE) -> list[str]:
    """`text` cut into pieces of at most `size` characters that join back into it; a text
    of up to `size` characters is one piece. Each piece ends after the last paragraph end
    ("\\n") that fits, else the last sentence end, else the last space; only a run of
    `size` characters without a space is cut where the size falls."""
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start, end) + 1
        if cut <= start:
            cut = _last_end(_SENTENCE_END, text, start, end) or _last_end(_SPACE, text, start, end)
        cut = cut or end
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _last_end(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the last match of `pattern` within text[start:end] ends; 0 when none does."""
    last = 0
    for match in pattern.finditer(text, start, end):
        last = match.end()
    return last


def numbered_pieces(text: str) -> list[tuple[int, str]]:
    """The pieces of `text` as the index stores them, with their numbers: 0 for a text kept
    whole, 1, 2, … for the pieces of a cut one, so a search tells the two apart."""
    pieces = text_pieces(text)
    if len(pieces) == 1:
        return [(0, text)]
    return list(enumerate(pieces, 1))
