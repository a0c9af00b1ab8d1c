"""How well the diff engine finds the edits humans labelled in real news revisions.

Data: the 189 Wikinews before/after pairs of IteraTeR (vipulraheja/IteraTeR,
see /work/shared/eval-data/SOURCES.md); every textual change of a pair is one
labelled edit with character offsets into the old text.

Two figures, each against a baseline measured in the same run (the issue's
scale: sentences paired by position inside difflib replace blocks, a plain
diff-match-patch word diff with its semantic cleanup inside; 0.59 / 0.88 marks):

* sentences: recall = share of labelled edits lying in an old sentence the
  engine reports (changed, removed, split, merged, moved), or, for a pure
  insertion, touching a reported sentence or sitting where an added sentence was
  placed; precision = share of reported old sentences holding a labelled edit.
* marks: the non-space characters of the old text an editor sees flagged at
  their old place (inline deletions of changed, split and merged sentences,
  removed sentences, and sentences shown as moved) against the non-space
  characters inside labelled edits. IteraTeR labels a moved sentence as
  deleted where it stood (and added where it went); wirediff shows it as moved,
  never as removed + added, so the whole moved sentence counts as flagged.
* marks without moves: the same with only the characters shown as deleted
  (moved sentences count only their inline deletions): the figure reported
  before moves were counted, kept so the two can be compared.

The labelled characters left unmarked are split by where they lie: in a
sentence shown as unchanged (a label spanning untouched sentences), or in the
unchanged words of a reported sentence (a label reaching over words the edit
kept, as around a comma or a quotation mark restyled).

Part of `python -m bench`; alone: `python -m bench.iterater`.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from diff_match_patch import diff_match_patch

from bench.harness import Figure, Run, at_least
from versions import compare, split_sentences
from versions.model import (
    Change,
    ChangeKind,
    ChangeLog,
    Document,
    Paragraph,
    ParagraphKind,
    Section,
)

DATA = Path(__file__).resolve().parents[2] / "shared/eval-data/revisions"
DATA_FILE = DATA / "wikinews_doc_level_all_splits.jsonl"


@dataclass(frozen=True)
class Revision:
    old: Document
    new: Document
    old_text: str
    sentence_chars: list[list[int]]  # per old sentence: positions of its non-space chars
    edits: list[tuple[str, int, int]]  # type (R/A/D), start, end in old_text


@dataclass
class Score:
    edits: int = 0
    edits_found: int = 0
    reported: int = 0
    reported_right: int = 0
    marked: int = 0
    marked_right: int = 0
    labelled: int = 0
    labelled_marked: int = 0
    deleted: int = 0  # marks without moves: only characters shown as deleted
    deleted_right: int = 0
    labelled_unreported: int = 0  # labelled, inside a sentence not reported at all
    seconds: float = 0.0
    pairs: int = 0

    @property
    def sentence_recall(self) -> float:
        return self.edits_found / self.edits

    @property
    def sentence_precision(self) -> float:
        return self.reported_right / self.reported if self.reported else 1.0

    @property
    def mark_recall(self) -> float:
        return self.labelled_marked / self.labelled

    @property
    def deletion_recall(self) -> float:
        return self.deleted_right / self.labelled

    @property
    def deletion_precision(self) -> float:
        return self.deleted_right / self.deleted if self.deleted else 1.0

    @property
    def mark_precision(self) -> float:
        return self.marked_right / self.marked if self.marked else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name:<10} sentences P {self.sentence_precision:.3f} R {self.sentence_recall:.3f}"
            f"   marks P {self.mark_precision:.3f} R {self.mark_recall:.3f}"
            f"   {1000 * self.seconds / self.pairs:.2f} ms/pair"
        )


def _document(text: str) -> Document:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    return Document(
        tuple(Paragraph(ParagraphKind.TEXT, tuple(split_sentences(p))) for p in paragraphs)
    )


def _non_space_positions(text: str) -> list[int]:
    return [k for k, char in enumerate(text) if not char.isspace()]


def load(path: Path = DATA_FILE) -> list[Revision]:
    revisions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        old_text = row["before_revision"]
        old = _document(old_text)
        positions = _non_space_positions(old_text)
        sentence_chars = []
        cursor = 0
        for sentence in old.sentences:
            count = sum(not char.isspace() for char in sentence.text)
            sentence_chars.append(positions[cursor : cursor + count])
            cursor += count
        assert cursor == len(positions), "the segmenter changed non-space characters"
        edits = [(e["type"], e["start_char_pos"], e["end_char_pos"]) for e in row["edit_actions"]]
        revisions.append(
            Revision(old, _document(row["after_revision"]), old_text, sentence_chars, edits)
        )
    return revisions


_BASELINE_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_DMP = diff_match_patch()
_DMP.Diff_Timeout = 0


def plain_word_diff(old_text: str, new_text: str) -> list[tuple[int, str]]:
    """diff-match-patch over word tokens (one character each), then its semantic cleanup."""
    vocabulary: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        for token in _BASELINE_TOKEN.findall(text):
            if token not in vocabulary:
                vocabulary[token] = chr(0xF0000 + len(tokens))
                tokens.append(token)
        return "".join(vocabulary[token] for token in _BASELINE_TOKEN.findall(text))

    diffs = _DMP.diff_main(encode(old_text), encode(new_text), False)
    _DMP.diff_cleanupSemantic(diffs)
    return [(op, "".join(tokens[ord(c) - 0xF0000] for c in chars)) for op, chars in diffs]


def baseline(old: Document, new: Document) -> ChangeLog:
    """Sentences paired by position inside difflib replace blocks, plain word diff inside."""
    olds, news = old.sentences, new.sentences
    matcher = SequenceMatcher(None, [s.text for s in olds], [s.text for s in news], autojunk=False)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            o = olds[i1 + k] if i1 + k < i2 else None
            n = news[j1 + k] if j1 + k < j2 else None
            if o and n:
                inline = tuple(plain_word_diff(o.text, n.text))
                changes.append(
                    Change(
                        Section.BODY,
                        ChangeKind.CHANGED,
                        (o.text,),
                        (n.text,),
                        (o.index,),
                        (n.index,),
                        inline=inline,
                    )
                )
            elif o:
                changes.append(Change(Section.BODY, ChangeKind.REMOVED, (o.text,), (), (o.index,)))
            elif n:
                changes.append(
                    Change(Section.BODY, ChangeKind.ADDED, (), (n.text,), (), (n.index,))
                )
    return ChangeLog(tuple(changes))


def _old_partner_of_unchanged(log: ChangeLog, old: Document, new: Document) -> dict[int, int]:
    """new index → old index for sentences no change mentions (they pair up in order)."""
    in_old = {i for c in log.changes for i in c.old_index}
    in_new = {j for c in log.changes for j in c.new_index}
    olds = [s.index for s in old.sentences if s.index not in in_old]
    news = [s.index for s in new.sentences if s.index not in in_new]
    return dict(zip(news, olds, strict=True))


def score(revisions: list[Revision], engine: Callable[[Document, Document], ChangeLog]) -> Score:
    result = Score()
    for revision in revisions:
        started = time.perf_counter()
        log = engine(revision.old, revision.new)
        result.seconds += time.perf_counter() - started
        result.pairs += 1
        _score_one(revision, log, result)
    return result


def _score_one(revision: Revision, log: ChangeLog, result: Score) -> None:
    chars = revision.sentence_chars
    bounds = [(c[0], c[-1] + 1) if c else (0, 0) for c in chars]
    starts = [b[0] for b in bounds[1:]] + [len(revision.old_text)]
    reach = [(start, next_start) for (start, _), next_start in zip(bounds, starts, strict=True)]

    reported: set[int] = set()
    marked: set[int] = set()  # shown as deleted
    moved: set[int] = set()
    for change in log.changes:
        reported.update(change.old_index)
        if change.kind is ChangeKind.MOVED:
            moved.update(p for i in change.old_index for p in chars[i])
        if change.kind is ChangeKind.REMOVED:
            marked.update(chars[change.old_index[0]])
        elif change.inline and change.old_index:
            joined = [p for i in change.old_index for p in chars[i]]
            cursor = 0
            for op, text in change.inline:
                count = sum(not char.isspace() for char in text)
                if op <= 0:
                    if op < 0:
                        marked.update(joined[cursor : cursor + count])
                    cursor += count

    partner = _old_partner_of_unchanged(log, revision.old, revision.new)
    gaps: set[int] = set()  # an added sentence sits after old sentence k (-1: at the top)
    for change in log.changes:
        if change.kind is ChangeKind.ADDED:
            gaps.add(max((i for j, i in partner.items() if j < change.new_index[0]), default=-1))

    def holds(sentence: int, kind: str, start: int, end: int) -> bool:
        """The edit is in the sentence, or at a boundary of it (the spaces or end mark)."""
        low = bounds[sentence - 1][1] if sentence else 0
        if kind == "A":
            return low <= start <= reach[sentence][1]
        if sentence and revision.old_text[low - 1] in ".!?;:":
            low -= 1  # changing the previous sentence's end mark moves this sentence's start
        return start < bounds[sentence][1] and low < end

    def in_gap(k: int, position: int) -> bool:
        low = bounds[k][1] if k >= 0 else 0
        high = bounds[k + 1][0] if k + 1 < len(bounds) else len(revision.old_text)
        return low <= position <= high

    labelled: set[int] = set()
    for kind, start, end in revision.edits:
        result.edits += 1
        found = any(holds(i, kind, start, end) for i in reported)
        if kind == "A":
            found = found or any(in_gap(k, start) for k in gaps)
        else:
            labelled.update(p for p in range(start, end) if not revision.old_text[p].isspace())
        result.edits_found += found

    for sentence in reported:
        result.reported += 1
        result.reported_right += any(holds(sentence, k, s, e) for k, s, e in revision.edits)
    flagged = marked | moved
    result.marked += len(flagged)
    result.marked_right += len(flagged & labelled)
    result.labelled += len(labelled)
    result.labelled_marked += len(flagged & labelled)
    result.deleted += len(marked)
    result.deleted_right += len(marked & labelled)
    shown = {p for i in reported for p in chars[i]}
    result.labelled_unreported += len(labelled - shown)


def measure(run: Run) -> None:
    group = "diff accuracy (IteraTeR)"
    if not DATA_FILE.exists():
        run.skipped.append(f"IteraTeR accuracy: {DATA_FILE} not found")
        return
    revisions = load()
    ours = score(revisions, compare)
    base = score(revisions, baseline)
    note = f"{len(revisions)} Wikinews revisions, {ours.edits} labelled edits"
    baseline_name = "difflib + word diff"
    marks = [at_least(0.9, "≥ 0.90")]
    for name, attribute, targets in (
        ("sentences, precision", "sentence_precision", []),
        ("sentences, recall", "sentence_recall", []),
        ("marked characters, precision", "mark_precision", marks),
        ("marked characters, recall", "mark_recall", marks),
        ("marks without moves, precision", "deletion_precision", []),
        ("marks without moves, recall", "deletion_recall", []),
    ):
        run.add(
            Figure(
                group,
                name,
                getattr(ours, attribute),
                "",
                baseline_name,
                getattr(base, attribute),
                targets,
                note=note,
            )
        )
    run.add(
        Figure(
            group,
            "time a revision pair",
            1000 * ours.seconds / ours.pairs,
            "ms",
            baseline_name,
            1000 * base.seconds / base.pairs,
            note=note,
        )
    )


def main() -> None:
    if not DATA_FILE.exists():
        sys.exit(f"{DATA_FILE}: not found (the IteraTeR extract lives in /work/shared/eval-data)")
    revisions = load()
    print(f"{len(revisions)} revisions, {sum(len(r.edits) for r in revisions)} labelled edits")
    ours = score(revisions, compare)
    base = score(revisions, baseline)
    print(base.line("baseline"))
    print(ours.line("wirediff"))
    print(
        f"ratios vs baseline: sentence P x{ours.sentence_precision / base.sentence_precision:.2f}"
        f" R x{ours.sentence_recall / base.sentence_recall:.2f}"
        f"  marks P x{ours.mark_precision / base.mark_precision:.2f}"
        f" R x{ours.mark_recall / base.mark_recall:.2f}"
        f"  time x{ours.seconds / base.seconds:.2f}"
    )
    print(
        f"marks without moves (only what is shown as deleted): wirediff P"
        f" {ours.deletion_precision:.3f} R {ours.deletion_recall:.3f}, baseline P"
        f" {base.deletion_precision:.3f} R {base.deletion_recall:.3f}"
    )
    missed = ours.labelled - ours.labelled_marked
    print(
        f"labelled characters not marked: {missed} of {ours.labelled}:"
        f" {ours.labelled_unreported} in sentences shown as unchanged,"
        f" {missed - ours.labelled_unreported} in unchanged words of reported sentences"
    )


if __name__ == "__main__":
    main()
