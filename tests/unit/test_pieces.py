"""Where a long text is cut for the search index, from tables."""

from __future__ import annotations

import pytest

from versions.store.pieces import PIECE_SIZE, numbered_pieces, text_pieces


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("", [""]),
        ("short", ["short"]),
        ("ten chars!", ["ten chars!"]),  # exactly the size: kept whole
        # after the last paragraph end that fits
        ("one\ntwo\nthree four", ["one\ntwo\n", "three four"]),
        # no paragraph end: after the last sentence end, not the last space
        ("Aa. Bb cc dd", ["Aa. ", "Bb cc dd"]),
        # a sentence end closed by a quote or a bracket
        ('"Aa." Bb cc', ['"Aa." ', "Bb cc"]),
        ("(Aa!) Bb cc", ["(Aa!) ", "Bb cc"]),
        # a paragraph end before a later sentence end still wins
        ("Aa\nb. cc dd", ["Aa\n", "b. cc dd"]),
        # a sentence end needs the space after it inside the piece
        ("Aa bb ccc. Dd", ["Aa bb ", "ccc. Dd"]),
        # no sentence end: after the last space
        ("aaa bbbb cccc", ["aaa bbbb ", "cccc"]),
        # no space at all: where the size falls
        ("abcdefghijklmnopqrstuvwxy", ["abcdefghij", "klmnopqrst", "uvwxy"]),
        # pieces go on from each cut
        ("aa bb\ncc dd\nee ff\ngg", ["aa bb\n", "cc dd\n", "ee ff\ngg"]),
    ],
)
def test_a_text_is_cut_at_the_last_paragraph_sentence_or_space_that_fits(
    text: str, pieces: list[str]
) -> None:
    assert text_pieces(text, size=10) == pieces


def test_a_long_take_is_cut_after_paragraphs_into_pieces_of_at_most_the_size() -> None:
    paragraphs = [f"Paragraph {n} says that word{n} came. It did." for n in range(6_000)]
    text = "\n".join(paragraphs)
    pieces = text_pieces(text)
    assert len(pieces) == len(text) // PIECE_SIZE + 1
    assert "".join(pieces) == text
    assert all(len(piece) <= PIECE_SIZE for piece in pieces)
    assert all(piece.endswith(".\n") for piece in pieces[:-1])


@pytest.mark.parametrize(
    ("text", "numbered"),
    [
        ("a text kept whole", [(0, "a text kept whole")]),
        ("x" * PIECE_SIZE, [(0, "x" * PIECE_SIZE)]),
        ("x" * PIECE_SIZE + "y", [(1, "x" * PIECE_SIZE), (2, "y")]),
    ],
)
def test_a_whole_text_is_piece_0_and_a_cut_one_s_pieces_count_from_1(
    text: str, numbered: list[tuple[int, str]]
) -> None:
    assert numbered_pieces(text) == numbered
