"""Properties of the parser and the engine, on text hypothesis makes up.

Whatever arrives on the wire, parsing either gives a document or refuses the
input in one clear line, and comparing never fails; and the change log obeys
the rules an editor relies on: nothing changed reads as nothing, a reshuffle
reads as moves, re-wrapping is invisible, and the log's new side is the new
version.
"""

from __future__ import annotations

import textwrap
from random import Random
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versions import compare, parse, split_sentences
from versions.errors import RejectedInput
from versions.model import ChangeKind, Document, Paragraph, ParagraphKind
from versions.normalise import collapse_whitespace

K = ParagraphKind
ENOUGH = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VOCABULARY = str.split(
    """
    the a an troops police minister ministry official officials sources said told reporters
    according to in on at Monday May march may have killed at least 12 40 8,000 3.5% $4.6
    billion three dozens percent Kyiv U.S. Reuters "we will win" “not now” 'Trump-proof'
    -- — ( ) , ; : declined comment a senior two spokesman rose fell quake toll
    """
)
WORDS = st.sampled_from(VOCABULARY)
NO_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # no UTF-8 for them
SENTENCES = st.lists(WORDS, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
ANY_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=NO_SURROGATES), max_size=400
) | st.lists(st.sampled_from([*VOCABULARY, "\n", "\n\n", ".", "*", "By", "(Reuters) -"]),
            max_size=80).map(" ".join)  # fmt: skip
KINDS = st.sampled_from(list(ParagraphKind))


def text_document(paragraphs: list[str]) -> Document:
    return Document(tuple(Paragraph(K.TEXT, tuple(split_sentences(p))) for p in paragraphs))


@ENOUGH
@given(ANY_TEXT, ANY_TEXT)
def test_parsing_and_comparing_any_text_never_fails(old_text: str, new_text: str) -> None:
    documents = []
    for text in (old_text, new_text):
        for data in (text.encode("utf-8"), text.encode("utf-16"), text.encode("cp1252", "replace")):
            try:
                documents.append(parse(data))
            except RejectedInput as refusal:
                assert "\n" not in str(refusal)  # one line naming the input and the reason
        documents.append(text_document(text.split("\n")))
    for old in documents:
        for new in documents:
            log = compare(old, new)
            assert log.to_dict()["summary"] == log.summary


@ENOUGH
@given(st.lists(st.tuples(KINDS, st.lists(ANY_TEXT | SENTENCES, min_size=1, max_size=3)),
                max_size=6))  # fmt: skip
def test_a_version_compared_with_itself_has_no_changes(
    paragraphs: list[tuple[ParagraphKind, list[str]]],
) -> None:
    document = Document(tuple(Paragraph(kind, tuple(texts)) for kind, texts in paragraphs))
    assert compare(document, document).changes == ()


@ENOUGH
@given(st.lists(st.lists(SENTENCES, min_size=1, max_size=3), min_size=2, max_size=7,
                unique_by=tuple), st.randoms())  # fmt: skip
def test_reordered_paragraphs_read_as_moves_only(
    paragraphs: list[list[str]], random: Random
) -> None:
    old = text_document([" ".join(p) for p in paragraphs])
    shuffled = list(paragraphs)
    random.shuffle(shuffled)
    new = text_document([" ".join(p) for p in shuffled])
    for change in compare(old, new).changes:
        assert change.kind is ChangeKind.MOVED, change
        assert change.inline == ()
        assert change.old == change.new


def take(paragraphs: list[str], width: int) -> str:
    """A plain wire take: headline, byline, dateline paragraph, body, trailer; hard-wrapped."""
    body = [f"LONDON, May 1 (Reuters) - {paragraphs[0]}", *paragraphs[1:]]
    wrapped = [
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in body
    ]
    return (
        "\n\n".join(["Quake strikes off coast", "By Jane Doe", *wrapped, "(Reporting by Jane Doe)"])
        + "\n"
    )


@ENOUGH
@given(st.lists(st.lists(SENTENCES, min_size=1, max_size=3).map(" ".join), min_size=1,
                max_size=5), st.integers(30, 70), st.integers(30, 70))  # fmt: skip
def test_the_same_take_wrapped_at_two_widths_has_no_changes(
    paragraphs: list[str], width: int, other_width: int
) -> None:
    narrow, wide = parse(take(paragraphs, width)), parse(take(paragraphs, other_width))
    assert compare(narrow, wide).changes == ()


def edited(paragraphs: list[list[str]], data: st.DataObject) -> list[list[str]]:
    """The paragraphs with sentences dropped, added, reworded, and paragraphs moved."""
    result = []
    for sentences in paragraphs:
        kept = []
        for sentence in sentences:
            action = data.draw(st.sampled_from(["keep", "keep", "drop", "reword", "add"]))
            if action == "reword":
                words = sentence.rstrip(".").split()
                words[data.draw(st.integers(0, len(words) - 1))] = data.draw(WORDS)
                kept.append(" ".join(words) + ".")
            elif action != "drop":
                kept.append(sentence)
            if action == "add":
                kept.append(data.draw(SENTENCES))
        if kept:
            result.append(kept)
    if len(result) > 1 and data.draw(st.booleans()):
        result.append(result.pop(data.draw(st.integers(0, len(result) - 2))))
    return result


@ENOUGH
@given(st.lists(st.lists(SENTENCES, min_size=1, max_size=4), min_size=1, max_size=6), st.data())
def test_the_new_side_of_the_change_log_rebuilds_the_new_version(
    paragraphs: list[list[str]], data: st.DataObject
) -> None:
    old = text_document([" ".join(p) for p in paragraphs])
    new = text_document([" ".join(p) for p in edited(paragraphs, data)])
    log = compare(old, new)
    from_log: dict[int, str] = {}
    for change in log.changes:
        from_log.update(zip(change.new_index, change.new, strict=True))
        if change.inline:
            assert "".join(t for op, t in change.inline if op >= 0) == " ".join(change.new)
            assert "".join(t for op, t in change.inline if op <= 0) == " ".join(change.old)
    in_changes = {i for change in log.changes for i in change.old_index}
    # What the log does not name is the old version's unchanged text, in order (cut
    # into sentences differently, perhaps: re-segmentation is not a change).
    unchanged = collapse_whitespace(
        " ".join(s.text for s in old.sentences if s.index not in in_changes)
    )
    run: list[str] = []
    for sentence in [*new.sentences, None]:
        if sentence is not None and sentence.index not in from_log:
            run.append(sentence.text)
            continue
        if run:
            taken = collapse_whitespace(" ".join(run))
            assert unchanged.startswith(taken), (taken, unchanged)
            unchanged = unchanged[len(taken) :].lstrip()
            run = []
    assert unchanged == ""
    assert all(new.sentences[j].text == text for j, text in from_log.items())
