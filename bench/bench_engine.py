"""Speed and memory of `versions.compare`, against a baseline measured in the same run.

Baseline: `difflib.SequenceMatcher(autojunk=False)` over the two versions'
sentence lists (the least any sentence diff must do). Targets:

* a typical story pair (the bundled samples, ~800 words): ≤ 5 ms;
* a 200,000-word document with 3% of its sentences edited: ≤ 0.5 s;
* memory roughly linear: tracemalloc peak at 50k / 100k / 200k words.

Run: .venv/bin/python bench/bench_engine.py
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from versions import compare, parse
from versions.model import Document, Paragraph, ParagraphKind

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "samples/biden-ukraine-missiles"


def baseline(old: Document, new: Document) -> object:
    olds, news = [s.text for s in old.sentences], [s.text for s in new.sentences]
    return SequenceMatcher(None, olds, news, autojunk=False).get_opcodes()


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Fastest of several runs: the machine is shared and noisy."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def large_pair(words: int, edited_share: float = 0.03, seed: int = 7) -> tuple[Document, Document]:
    """A long document built from the samples' vocabulary, and a copy with edits.

    Edits, in proportion: words replaced, words inserted, sentences removed,
    sentences added, sentences moved far away, sentences split.
    """
    rng = random.Random(seed)
    vocabulary = sorted(
        {
            w
            for path in ROOT.glob("samples/*/*.txt")
            for w in path.read_text("utf-8", "replace").split()
        }
    )
    sentences: list[str] = []
    count = 0
    while count < words:
        length = rng.randint(12, 32)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(length)).capitalize() + ".")
        count += length
    new = list(sentences)
    for position in rng.sample(range(len(new)), int(edited_share * len(new))):
        words_of = new[position].split()
        action = rng.random()
        if action < 0.5:
            words_of[rng.randrange(len(words_of))] = rng.choice(vocabulary)
        elif action < 0.7:
            words_of.insert(rng.randrange(len(words_of)), rng.choice(vocabulary))
        elif action < 0.8:
            words_of = []
        elif action < 0.9:
            words_of.append(". " + " ".join(rng.choice(vocabulary) for _ in range(15)) + ".")
        else:
            half = len(words_of) // 2
            words_of[half - 1] += "."
        new[position] = " ".join(words_of)
    for _ in range(max(1, len(new) // 500)):  # a few long-distance moves
        new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    return _document(sentences), _document([s for s in new if s])


def _document(sentences: list[str]) -> Document:
    """Paragraphs of three sentences; a sentence holding '. ' is cut there (split edits)."""
    pieces = [
        p.strip() + ("" if p.strip().endswith(".") else ".")
        for s in sentences
        for p in s.split(". ")
    ]
    return Document(
        tuple(
            Paragraph(ParagraphKind.TEXT, tuple(pieces[k : k + 3]))
            for k in range(0, len(pieces), 3)
        )
    )


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    versions = [parse(path.read_bytes()) for path in sorted(STORY.glob("*.txt"))]
    pairs = list(itertools.pairwise(versions))
    words = sum(len(s.text.split()) for s in versions[-1].sentences)
    ours = sum(best_of(30, lambda o=old, n=new: compare(o, n)) for old, new in pairs) / len(pairs)
    base = sum(best_of(30, lambda o=old, n=new: baseline(o, n)) for old, new in pairs) / len(pairs)
    print(
        f"story pair (~{words} words, {len(pairs)} pairs): compare {1000 * ours:.2f} ms"
        f" (target ≤ 5 ms), baseline {1000 * base:.2f} ms, ratio x{ours / base:.1f}"
    )

    old, new = large_pair(200_000)
    ours = best_of(5, lambda: compare(old, new))
    base = best_of(5, lambda: baseline(old, new))
    log = compare(old, new)
    print(
        f"200,000 words, {len(old.sentences)} sentences, 3% edited ({len(log.changes)} changes"
        f" {log.summary}): compare {ours:.3f} s (target ≤ 0.5 s), baseline {base:.3f} s,"
        f" ratio x{ours / base:.1f}"
    )

    print("memory (tracemalloc peak during compare, documents built beforehand):")
    first = None
    for size in (50_000, 100_000, 200_000):
        old, new = large_pair(size)
        peak = peak_bytes(lambda o=old, n=new: compare(o, n))
        base_peak = peak_bytes(lambda o=old, n=new: baseline(o, n))
        first = first or peak / size
        print(
            f"  {size:>7} words: {peak / 1e6:6.1f} MB, {peak / size:5.0f} B/word"
            f" (x{peak / size / first:.2f} of the 50k rate); baseline {base_peak / 1e6:.1f} MB,"
            f" ratio x{peak / base_peak:.1f}"
        )


if __name__ == "__main__":
    main()
