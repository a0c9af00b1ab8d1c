"""Alignment: which sentences of two versions correspond, and how."""

from versions.align import Link, LinkKind, align, word_diff
from versions.model import Document, Paragraph, ParagraphKind, Sentence
from versions.normalise import normalise, sentence_hash


def body(*paragraphs: list[str]) -> tuple[Sentence, ...]:
    return Document(tuple(Paragraph(ParagraphKind.TEXT, tuple(p)) for p in paragraphs)).sentences


def edits(links: list[Link]) -> set[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    return {(str(link.kind), link.old, link.new) for link in links if link.kind != LinkKind.EQUAL}


def test_normalise_folds_quotes_dashes_and_spaces_but_not_case() -> None:
    assert normalise("“Yes” — he\u00a0said  it’s   done") == '"Yes" - he said it\'s done'
    assert sentence_hash("A  “b” – c") == sentence_hash('A "b" - c')
    assert sentence_hash("He said") != sentence_hash("he said")


def test_paragraph_regrouping_alone_aligns_every_sentence_as_equal() -> None:
    old = body(["One is here.", "Two is here."], ["Three is here."])
    new = body(["One is here."], ["Two is here.", "Three is here."])
    assert edits(align(old, new)) == set()


def test_one_to_one_rewording_is_changed() -> None:
    old = body(["A U.S. official said the talks failed.", "Markets fell."])
    new = body(["A senior U.S. official said the talks failed.", "Markets fell."])
    assert edits(align(old, new)) == {("changed", (0,), (0,))}


def test_one_sentence_cut_in_two_is_split() -> None:
    old = body(["The army moved north on Monday and the rebels withdrew from the town overnight."])
    new = body(["The army moved north on Monday.", "The rebels withdrew from the town overnight."])
    assert edits(align(old, new)) == {("split", (0,), (0, 1))}


def test_two_sentences_joined_are_merged() -> None:
    old = body(["The army moved north on Monday.", "The rebels withdrew from the town overnight."])
    new = body(["The army moved north on Monday and the rebels withdrew from the town overnight."])
    assert edits(align(old, new)) == {("merged", (0, 1), (0,))}


def test_far_move_is_moved_never_removed_and_added() -> None:
    sentences = [f"Sentence number {word} is about topic {word}." for word in "abcdefgh"]
    new = [*sentences[1:6], sentences[0], *sentences[6:]]
    assert edits(align(body(sentences), body(new))) == {("moved", (0,), (5,))}


def test_lightly_edited_far_move_is_moved() -> None:
    sentences = [f"Sentence number {word} is about topic {word}." for word in "abcdefgh"]
    edited = "Sentence number a is mostly about topic a."
    new = [*sentences[1:7], edited, sentences[7]]
    assert edits(align(body(sentences), body(new))) == {("moved", (0,), (6,))}


def test_unrelated_sentences_are_added_and_removed() -> None:
    old = body(["Stocks rose in Tokyo.", "The yen was flat against the dollar."])
    new = body(["Stocks rose in Tokyo.", "Rain is expected in Paris on Friday night."])
    assert edits(align(old, new)) == {("removed", (1,), ()), ("added", (), (1,))}


def test_repeated_boilerplate_sentences_keep_their_places() -> None:
    boiler = "For more news, visit our website."
    old = body(["First fact here.", boiler, "Second fact here.", boiler, "Third fact here."])
    new = body(
        ["First fact here.", boiler, "Second fact changed here today.", boiler, "Third fact here."]
    )
    assert edits(align(old, new)) == {("changed", (2,), (2,))}


def test_sentences_of_other_sections_do_not_pair_by_similarity() -> None:
    old = Document(
        (Paragraph(ParagraphKind.HEADLINE, ("Biden lifts limits on missiles for Ukraine",)),)
    ).sentences
    new = Document(
        (
            Paragraph(ParagraphKind.HEADLINE, ("Kremlin warns of escalation",)),
            Paragraph(
                ParagraphKind.TEXT, ("Biden lifts limits on missiles for Ukraine, officials say",)
            ),
        )
    ).sentences
    kinds = {str(link.kind) for link in align(old, new)}
    assert "moved" not in kinds


def test_word_diff_marks_whole_words_and_keeps_numbers_whole() -> None:
    assert word_diff("a U.S. official said", "a senior U.S. official said") == [
        (0, "a "),
        (1, "senior "),
        (0, "U.S. official said"),
    ]
    assert word_diff("sent 8,000 troops", "sent 10,000 troops") == [
        (0, "sent "),
        (-1, "8,000"),
        (1, "10,000"),
        (0, " troops"),
    ]
    assert word_diff("officialy remains", "officially remains") == [
        (-1, "officialy"),
        (1, "officially"),
        (0, " remains"),
    ]


def test_word_diff_reassembles_both_texts() -> None:
    old, new = (
        "He said “we will win” at the rally.",
        "He told Reuters “we shall win” at a rally, twice.",
    )
    diff = word_diff(old, new)
    assert "".join(t for op, t in diff if op <= 0) == old
    assert "".join(t for op, t in diff if op >= 0) == new


def test_two_unchanged_words_between_edits_read_as_one_rewording() -> None:
    assert word_diff(
        "The results will also be announced this week.", "The results were announced on Monday."
    ) == [
        (0, "The results "),
        (-1, "will also be announced this week"),
        (1, "were announced on Monday"),
        (0, "."),
    ]


def test_three_unchanged_words_between_edits_stay_visible() -> None:
    pieces = word_diff(
        "The army moved north on Monday night, officials said.",
        "The army moved south on Monday night, officials told Reuters.",
    )
    assert (0, " on Monday night, officials ") in pieces


def test_a_name_between_punctuation_edits_is_never_struck() -> None:
    pieces = word_diff("The coach, Craig Handley , resigned.", "The coach Craig Handley resigned.")
    assert all("Handley" not in text for op, text in pieces if op != 0)


def test_a_hyphenated_compound_changes_as_whole_words() -> None:
    assert word_diff("A 23 year old man was hurt.", "A 23-year-old man was hurt.") == [
        (0, "A "),
        (-1, "23 year old"),
        (1, "23-year-old"),
        (0, " man was hurt."),
    ]


def test_a_figure_is_struck_whole_with_its_currency_and_percent_signs() -> None:
    assert word_diff("Shares rose 24% in Frankfurt.", "Shares rose 22.8% in Frankfurt.") == [
        (0, "Shares rose "),
        (-1, "24%"),
        (1, "22.8%"),
        (0, " in Frankfurt."),
    ]
    assert (-1, "$4.6") in word_diff("It paid $4.6 billion.", "It paid $4.2 billion.")


def test_words_across_a_comma_between_two_edits_stay_visible() -> None:
    old = "Shares rose 22.8% in early trading in Frankfurt, to 14.05 euros."
    new = "Shares closed up 23.4% in Frankfurt, at 14.12 euros."
    assert (0, " in Frankfurt, ") in word_diff(old, new)
