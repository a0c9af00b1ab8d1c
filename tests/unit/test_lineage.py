"""Lineage: where each sentence of a take came from, what edited it, what removed or restored it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from versions.align import LinkKind
from versions.blame import Take, blame
from versions.export.blame import render_json, render_text
from versions.lineage import (
    CellState,
    Event,
    Origin,
    line_history,
    links_of,
    next_take,
    paragraph_cells,
    removed_pool,
    reverts,
    trace,
)
from versions.model import Document, Paragraph, ParagraphKind
from versions.readers import read

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
START = datetime(2024, 11, 21, 14, 0, tzinfo=UTC)

KURSK = "Russia has sent 8,000 North Korean troops to Kursk."
PENTAGON = "The Pentagon declined to comment on the new policy on Thursday."
TALKS = "Talks between the two governments stalled last month in Geneva."
DNIPRO = "A U.S. official said Russia fired a ballistic missile at Dnipro."


def story(*paragraphs: list[str]) -> Document:
    return Document(tuple(Paragraph(ParagraphKind.TEXT, tuple(p)) for p in paragraphs))


def takes_of(documents: list[Document]) -> dict[int, Take]:
    return {
        k: Take(k, f"UPDATE {k - 1}" if k > 1 else None, START + timedelta(hours=k - 1))
        for k in range(1, len(documents) + 1)
    }


def sample_story() -> list[Document]:
    paths = sorted((SAMPLES / "biden-ukraine-missiles").glob("*.txt"))
    return [read(path.read_bytes(), str(path))[0] for path in paths]


def test_seed_story_dnipro_sentence_enters_in_v3_and_is_reattributed_in_v6() -> None:
    documents = sample_story()
    lineage = trace(documents)[-1]
    (index,) = [s.index for s in documents[-1].sentences if "Dnipro" in s.text]
    assert documents[-1].sentences[index].text.startswith("A senior U.S. official said")
    dnipro = lineage.sentences[index]
    assert dnipro.began == 3
    assert dnipro.last_edit == 6
    assert dnipro.edits == (6,)


def test_lineage_rebuilds_the_alignment_it_was_traced_from() -> None:
    documents = sample_story()
    takes = trace(documents)
    links = [links_of(take, len(documents[k].sentences)) for k, take in enumerate(takes[1:])]
    assert trace(documents, links) == takes
    assert any(link.kind is LinkKind.SPLIT for link in links[-1])
    assert any(link.kind is LinkKind.REMOVED for link in links[-1])


def test_unchanged_sentence_keeps_its_first_take_through_every_update() -> None:
    documents = [
        story([KURSK]),
        story([KURSK, PENTAGON]),
        story([KURSK, PENTAGON, TALKS]),
    ]
    last = trace(documents)[-1].sentences
    assert [(s.origin, s.began, s.edits) for s in last] == [
        (Origin.EQUAL, 1, ()),
        (Origin.EQUAL, 2, ()),
        (Origin.ADDED, 3, ()),
    ]


def test_edits_accumulate_and_the_parent_is_named() -> None:
    documents = [
        story([KURSK, PENTAGON]),
        story([KURSK.replace("8,000", "10,000"), PENTAGON]),
        story([KURSK.replace("8,000", "12,000"), PENTAGON]),
    ]
    takes = trace(documents)
    assert takes[1].sentences[0].parents == (0,)
    assert takes[2].sentences[0].origin is Origin.CHANGED
    assert takes[2].sentences[0].edits == (2, 3)
    assert takes[2].sentences[1].edits == ()


def test_sentence_removed_then_restored_two_takes_later_links_to_its_first_life() -> None:
    documents = [
        story([KURSK], [PENTAGON]),  # v1: the Pentagon line first
        story([KURSK], [PENTAGON], [TALKS]),  # v2
        story([KURSK], [TALKS]),  # v3 removes it
        story([KURSK], [TALKS, DNIPRO]),  # v4
        story([KURSK], [PENTAGON], [TALKS, DNIPRO]),  # v5 restores it
    ]
    takes = trace(documents)
    assert takes[2].removed == (1,)
    restored = takes[4].sentences[1]
    assert restored.origin is Origin.RESTORED
    assert restored.began == 1
    assert restored.restored is not None
    assert (restored.restored.restored_in, restored.restored.removed_in) == (5, 3)
    assert (restored.restored.take, restored.restored.index) == (2, 1)
    assert restored.edits == ()  # came back word for word

    view = blame("kursk", "Kursk", documents[4], takes[4].sentences, takes_of(documents), 5)
    text = render_text(view)
    assert "↺v5" in text
    assert (
        "¶2: restored in v5 (2024-11-21 18:00), removed in v3 (2024-11-21 16:00), "
        "first in v1 (2024-11-21 14:00)"
    ) in text
    data = json.loads(render_json(view))
    assert data["sentences"][1]["restored"] == {
        "restored_in": 5,
        "removed_in": 3,
        "earlier": {"version": 2, "index": 1},
    }
    assert data["sentences"][1]["began"] == 1


def test_restoration_carries_forward_to_later_takes() -> None:
    documents = [
        story([KURSK, PENTAGON]),
        story([KURSK]),
        story([KURSK, PENTAGON]),
        story([KURSK, PENTAGON, TALKS]),
    ]
    later = trace(documents)[3].sentences[1]
    assert later.origin is Origin.EQUAL
    assert later.restored is not None and later.restored.restored_in == 3


def test_nearly_the_same_sentence_back_is_restored_and_edited() -> None:
    documents = [
        story([KURSK, PENTAGON]),
        story([KURSK]),
        story([KURSK, PENTAGON.replace("Thursday", "Friday")]),
    ]
    restored = trace(documents)[2].sentences[1]
    assert restored.origin is Origin.RESTORED
    assert restored.began == 1 and restored.edits == (3,)


def test_a_new_sentence_sharing_a_few_words_is_not_restored() -> None:
    documents = [
        story([KURSK, PENTAGON]),
        story([KURSK]),
        story([KURSK, "The Pentagon said on Thursday it would send more advisers."]),
    ]
    assert trace(documents)[2].sentences[1].origin is Origin.ADDED


def test_latest_removal_is_the_one_restored() -> None:
    pentagon_later = PENTAGON  # the same words, removed twice
    documents = [
        story([KURSK, PENTAGON]),
        story([KURSK]),
        story([KURSK, pentagon_later]),
        story([KURSK]),
        story([KURSK, pentagon_later]),
    ]
    takes = trace(documents)
    restored = takes[4].sentences[1].restored
    assert restored is not None
    assert (restored.take, restored.removed_in, restored.restored_in) == (3, 4, 5)
    assert takes[4].sentences[1].began == 1


def test_split_pieces_and_merge_keep_the_earliest_beginning() -> None:
    whole = "Biden relented on Tuesday, and Ukraine fired U.S. missiles at a depot inside Russia."
    documents = [
        story([whole]),
        story([KURSK, whole]),
        story(
            [
                KURSK,
                "Biden relented on Tuesday.",
                "Ukraine fired U.S. missiles at a depot inside Russia.",
            ]
        ),
    ]
    takes = trace(documents)
    pieces = takes[2].sentences[1:]
    assert [p.origin for p in pieces] == [Origin.SPLIT, Origin.SPLIT]
    assert all(p.began == 1 and p.edits == (3,) and p.parents == (1,) for p in pieces)

    merged_back = story(
        [
            KURSK,
            "Biden relented on Tuesday and Ukraine fired U.S. missiles at a depot inside Russia.",
        ]
    )
    merged = next_take(4, documents[2], merged_back, takes[2].sentences).sentences[1]
    assert merged.origin is Origin.MERGED
    assert (merged.began, merged.parents, merged.edits) == (1, (1, 2), (3, 4))


def test_removed_pool_names_the_take_that_removed_each_sentence() -> None:
    documents = [story([KURSK, PENTAGON, TALKS]), story([KURSK, TALKS]), story([KURSK])]
    pool = removed_pool(trace(documents), documents)
    assert [(r.text, r.take, r.removed_in) for r in pool] == [(PENTAGON, 1, 2), (TALKS, 2, 3)]


def test_a_take_returning_to_an_earlier_text_is_a_revert_and_a_refile_is_not() -> None:
    assert reverts(["a", "b", "a"]) == {3: 1}
    assert reverts(["a", "a", "b"]) == {}
    assert reverts(["a", "b", "c", "b", "b"]) == {4: 2}


def test_grid_row_shows_each_paragraph_and_removed_ones_where_they_stood() -> None:
    old = story([KURSK], [PENTAGON], [TALKS], [DNIPRO, "It was the first such strike."])
    new = story(
        [KURSK.replace("8,000", "10,000")],
        [TALKS],
        [DNIPRO],
        ["The Kremlin said it would respond."],
    )
    take = next_take(2, old, new, trace([old])[0].sentences)
    cells = paragraph_cells(take, old, new)
    assert [(c.state, c.paragraph, c.old_paragraph) for c in cells] == [
        (CellState.CHANGED, 1, None),
        (CellState.REMOVED, None, 2),
        (CellState.UNTOUCHED, 2, None),
        (CellState.CHANGED, 3, None),  # lost a sentence
        (CellState.ADDED, 4, None),
    ]


def test_first_take_row_is_all_added() -> None:
    first = story([KURSK], [PENTAGON])
    (take,) = trace([first])
    assert {c.state for c in paragraph_cells(take, None, first)} == {CellState.ADDED}


def test_blame_text_shows_story_text_as_data() -> None:
    documents = [story(["Evil \x1b[2J text here."])]
    (take,) = trace(documents)
    text = render_text(blame("k", "t", documents[0], take.sentences, takes_of(documents), 1))
    assert "\x1b" not in text and "␛[2J" in text  # the core's one rule: ESC shown as ␛


def test_blame_lists_what_the_take_removed() -> None:
    documents = [story([KURSK, PENTAGON]), story([KURSK])]
    takes = trace(documents)
    view = blame(
        "k",
        "t",
        documents[1],
        takes[1].sentences,
        takes_of(documents),
        2,
        removed=[(documents[0].sentences[i], takes[0].sentences[i]) for i in takes[1].removed],
    )
    assert "Removed in v2:\n  v1" in render_text(view)
    assert json.loads(render_json(view))["removed"][0]["text"] == PENTAGON


def _events(documents: list[Document], number: int, index: int) -> list[tuple[int, Event]]:
    return [
        (step.take, step.event) for step in line_history(trace(documents), documents, number, index)
    ]


def test_history_of_the_seed_dnipro_sentence_began_in_v3_attribution_changed_in_v6() -> None:
    documents = sample_story()
    (index,) = [s.index for s in documents[-1].sentences if "Dnipro" in s.text]
    steps = line_history(trace(documents), documents, 6, index)
    assert [(step.take, step.event) for step in steps] == [(3, Event.BEGAN), (6, Event.CHANGED)]
    assert steps[0].text.startswith("A U.S. official said") and not steps[0].inline
    assert (1, "senior ") in steps[1].inline  # the word the attribution gained, marked inserted
    assert "".join(text for op, text in steps[1].inline if op >= 0) == steps[1].text
    # picked in v3, the same line: its later life is found forward
    (early,) = [s.index for s in documents[2].sentences if "Dnipro" in s.text]
    assert line_history(trace(documents), documents, 3, early) == steps


def test_history_names_the_take_that_removed_a_line_and_the_one_that_restored_it() -> None:
    documents = [
        story([KURSK], [PENTAGON]),
        story([KURSK], [PENTAGON], [TALKS]),
        story([KURSK], [TALKS]),  # v3 removes the Pentagon line
        story([KURSK], [TALKS, DNIPRO]),
        story([KURSK], [PENTAGON.replace("Thursday", "Friday")], [TALKS, DNIPRO]),  # v5 restores
    ]
    expected = [(1, Event.BEGAN), (3, Event.REMOVED), (5, Event.RESTORED)]
    assert _events(documents, 5, 1) == expected
    assert _events(documents, 1, 1) == expected  # from its first life too
    restored = line_history(trace(documents), documents, 5, 1)[-1]
    assert (-1, "Thursday") in restored.inline and (1, "Friday") in restored.inline
    assert _events(documents[:4], 2, 1) == [(1, Event.BEGAN), (3, Event.REMOVED)]


def test_history_of_a_line_moved_then_edited_then_split() -> None:
    whole = "Biden relented on Tuesday, and Ukraine fired U.S. missiles at a depot inside Russia."
    documents = [
        story([KURSK], [whole]),
        story([whole], [KURSK]),  # moved up
        story([whole.replace("Tuesday", "Monday")], [KURSK]),
        story(
            ["Biden relented on Monday.", "Ukraine fired U.S. missiles at a depot inside Russia."],
            [KURSK],
        ),
    ]
    assert _events(documents, 4, 1) == [
        (1, Event.BEGAN),
        (2, Event.MOVED),
        (3, Event.CHANGED),
        (4, Event.SPLIT),
    ]
