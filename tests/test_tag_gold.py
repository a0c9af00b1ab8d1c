"""Flags against the hand-labelled tag gold set (tests/corpus/tag-gold.txt).

Each edit is an old and a new paragraph with the flags a desk editor expects,
labelled before the engine saw them. The engine's flags for an edit are the
tags of every change `compare` reports between the two paragraphs. Precision
and recall per flag are printed (pytest -s) and must stay at 0.95 or above.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from versions import compare, split_sentences
from versions.model import Document, Paragraph, ParagraphKind, Tag

GOLD = Path(__file__).resolve().parent / "corpus" / "tag-gold.txt"
FLAGS = [str(tag) for tag in Tag]
TARGET = 0.95


@dataclass(frozen=True)
class Edit:
    line: int
    old: str
    new: str
    flags: frozenset[str]


def load() -> list[Edit]:
    edits = []
    text = GOLD.read_text(encoding="utf-8")
    old = new = None
    old_line = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("< "):
            old, old_line = line[2:], number
        elif line.startswith("> "):
            new = line[2:]
        elif line.startswith("="):
            assert old is not None and new is not None, f"tag-gold.txt:{number}: = without < >"
            flags = frozenset(line[1:].split())
            assert flags <= {*FLAGS, "hedge"}, f"tag-gold.txt:{number}: unknown flag"
            edits.append(Edit(old_line, old, new, flags))
            old = new = None
    return edits


def document(paragraph: str) -> Document:
    return Document((Paragraph(ParagraphKind.TEXT, tuple(split_sentences(paragraph))),))


def engine_flags(edit: Edit) -> frozenset[str]:
    log = compare(document(edit.old), document(edit.new))
    return frozenset(str(tag) for change in log.changes for tag in change.tags)


def scores(edits: list[Edit]) -> dict[str, tuple[float, float, int, list[str]]]:
    """Per flag: precision, recall, gold count, and the edits it got wrong."""
    result = {}
    for flag in FLAGS:
        counts: Counter[str] = Counter()
        wrong = []
        for edit in edits:
            expected, found = flag in edit.flags, flag in engine_flags(edit)
            counts["tp"] += expected and found
            counts["fp"] += found and not expected
            counts["fn"] += expected and not found
            if expected != found:
                wrong.append(f"line {edit.line}: {'extra' if found else 'missed'} {flag}")
        flagged, gold = counts["tp"] + counts["fp"], counts["tp"] + counts["fn"]
        precision = counts["tp"] / flagged if flagged else 1.0
        recall = counts["tp"] / gold if gold else 1.0
        result[flag] = (precision, recall, gold, wrong)
    return result


EDITS = load()
SCORES = scores(EDITS)


def test_the_gold_set_is_large_and_covers_every_flag() -> None:
    assert len(EDITS) >= 150
    labelled = Counter(flag for edit in EDITS for flag in edit.flags)
    assert all(labelled[flag] >= 15 for flag in FLAGS), labelled
    assert sum(not edit.flags for edit in EDITS) >= 15  # edits that deserve no flag


@pytest.mark.parametrize("flag", FLAGS)
def test_flag_precision_and_recall_reach_the_target(flag: str) -> None:
    precision, recall, gold, wrong = SCORES[flag]
    print(f"{flag:<12} P {precision:.3f} R {recall:.3f} ({gold} labelled)")
    assert precision >= TARGET and recall >= TARGET, "\n".join(wrong)


def test_every_labelled_edit_is_reported_as_a_change() -> None:
    unreported = [e.line for e in EDITS if not compare(document(e.old), document(e.new)).changes]
    assert unreported == []
