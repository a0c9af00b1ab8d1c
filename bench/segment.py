"""Speed and accuracy of versions.segment.split_sentences on the shared gold sets.

Part of `python -m bench`; alone, with every miss listed: `python -m bench.segment
[--verbose]`. Speed and accuracy are reported against a naive regex split measured in
the same run, so the ratio is comparable across machines.
"""

import json
import re
import sys
import timeit
from collections.abc import Callable, Iterable
from pathlib import Path

from bench.harness import Figure, Run
from versions.segment import split_sentences

SEGMENTATION_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval-data/segmentation"
SEED_STORY = Path(__file__).resolve().parents[1].parent / "shared/seed/000_abc02dacf25aa58b.txt"
_NAIVE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def naive_split(text: str) -> list[str]:
    return _NAIVE_SPLIT.split(text)


def cut_offsets(sentences: Iterable[str]) -> set[int]:
    """Offsets of the boundaries between sentences once joined with single spaces."""
    offsets = set()
    position = 0
    for sentence in sentences:
        position += len(" ".join(sentence.split())) + 1
        offsets.add(position - 1)
    offsets.discard(position - 1)
    return offsets


Split = Callable[[str], list[str]]


def golden_rules(verbose: bool, split: Split = split_sentences) -> tuple[int, int]:
    cases = json.loads((SEGMENTATION_DATA / "pysbd_golden_en_rules.json").read_text())
    return _exact_cases(cases, verbose, split), len(cases)


def pragmatic_cases(verbose: bool, split: Split = split_sentences) -> tuple[int, int]:
    cases = json.loads((SEGMENTATION_DATA / "pragmatic_segmenter_english_cases.json").read_text())
    return _exact_cases(cases, verbose, split), len(cases)


def _exact_cases(cases: list[dict[str, object]], verbose: bool, split: Split) -> int:
    passed = 0
    for case in cases:
        got = split(str(case["text"]))
        if got == case["expected"]:
            passed += 1
        elif verbose:
            print(f"  FAIL {case['text']!r}\n    want {case['expected']}\n    got  {got}")
    return passed


def gum_boundaries(verbose: bool, split: Split = split_sentences) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 of sentence boundaries inside GUM paragraphs."""
    true_positives = predicted = gold = 0
    for line in (SEGMENTATION_DATA / "gum_news_sentences.jsonl").read_text().splitlines():
        for paragraph in json.loads(line)["paragraphs"]:
            gold_cuts = cut_offsets(paragraph)
            got = split(" ".join(paragraph))
            got_cuts = cut_offsets(got)
            true_positives += len(gold_cuts & got_cuts)
            predicted += len(got_cuts)
            gold += len(gold_cuts)
            if verbose and gold_cuts != got_cuts:
                print(f"  MISMATCH\n    want {paragraph}\n    got  {got}")
    precision, recall = true_positives / predicted, true_positives / gold
    return precision, recall, 2 * precision * recall / (precision + recall)


def one_sentence_per_line(name: str, verbose: bool) -> tuple[int, int]:
    """Sentences of a one-per-line gold file recovered when the lines are joined."""
    gold = (SEGMENTATION_DATA / name).read_text().splitlines()
    got = split_sentences(" ".join(gold))
    if verbose:
        for missing in sorted(set(gold) - set(got), key=gold.index):
            print(f"  MISSED {missing!r}")
    return len(set(gold) & set(got)), len(gold)


def ms_per_thousand_words(
    split: Callable[[str], list[str]], paragraphs: list[str], repeat: int = 5
) -> float:
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    timer = timeit.Timer(lambda: [split(paragraph) for paragraph in paragraphs])
    loops, _ = timer.autorange()
    best = min(timer.repeat(repeat=repeat, number=loops)) / loops
    return best * 1000 / words * 1000


def benchmark_paragraphs() -> list[str]:
    """News paragraphs: the GUM articles and the seed wire story (blank-line separated)."""
    paragraphs = [
        " ".join(paragraph)
        for line in (SEGMENTATION_DATA / "gum_news_sentences.jsonl").read_text().splitlines()
        for paragraph in json.loads(line)["paragraphs"]
    ]
    if SEED_STORY.exists():
        paragraphs += SEED_STORY.read_text().split("\n\n")
    return paragraphs


def measure(run: Run) -> None:
    group = "segment"
    if not SEGMENTATION_DATA.exists():
        run.skipped.append(f"segmentation: {SEGMENTATION_DATA} not found")
        return
    paragraphs = benchmark_paragraphs()
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    run.add(
        Figure(
            group,
            f"split_sentences speed over {words:,} words",
            ms_per_thousand_words(split_sentences, paragraphs, run.scale.repeat),
            "ms/1k words",
            "naive regex split",
            ms_per_thousand_words(naive_split, paragraphs, run.scale.repeat),
        )
    )
    run.add(
        Figure(
            group,
            "GUM news sentence boundaries, F1",
            gum_boundaries(False)[2],
            "",
            "naive regex split",
            gum_boundaries(False, naive_split)[2],
        )
    )
    for name, cases in (
        ("pySBD golden rules", golden_rules),
        ("pragmatic_segmenter", pragmatic_cases),
    ):
        passed, total = cases(False)
        run.add(
            Figure(
                group,
                f"{name}: cases passed of {total}",
                passed,
                "",
                "naive regex split",
                cases(False, naive_split)[0],
            )
        )


def main() -> None:
    verbose = "--verbose" in sys.argv
    passed, total = golden_rules(verbose)
    print(f"pySBD golden rules:        {passed}/{total}")
    precision, recall, f1 = gum_boundaries(verbose)
    print(f"GUM news boundaries:       F1 {f1:.4f}  (P {precision:.4f}, R {recall:.4f})")
    passed, total = pragmatic_cases(verbose)
    print(f"pragmatic_segmenter cases: {passed}/{total}")
    for name in ("segtok_ospl_sentences.txt", "syntok_ospl_sentences.txt"):
        passed, total = one_sentence_per_line(name, verbose)
        print(f"{name + ':':26} {passed}/{total} sentences recovered")

    paragraphs = benchmark_paragraphs()
    ours = ms_per_thousand_words(split_sentences, paragraphs)
    naive = ms_per_thousand_words(naive_split, paragraphs)
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    print(f"speed over {words:,} words:  {ours:.3f} ms per 1,000 words")
    print(f"naive regex split:         {naive:.3f} ms per 1,000 words (ours {ours / naive:.1f}x)")


if __name__ == "__main__":
    main()
