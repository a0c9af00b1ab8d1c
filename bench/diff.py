"""Diff: `versions.compare` against the tools an editor would otherwise use, in one run.

Baselines: `difflib.SequenceMatcher(autojunk=False)` over the two versions' sentence
lists (the least any sentence diff must do), `git diff --no-index --word-diff` on the
same texts as files (a whole process, as an editor runs it), and redlines (a word
diff in Python, the `bench` extra). Targets:

* a typical story pair (the bundled samples, ~800 words): ≤ 5 ms;
* a 200,000-word document with 3% of its sentences edited: ≤ 0.5 s;
* memory roughly linear: Python heap peak at a quarter of the size and at full size.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path
from typing import Any

from bench.harness import (
    ROOT,
    Figure,
    Run,
    at_most,
    best_seconds,
    megabytes,
    python_peak,
    run_process,
)
from versions import compare, parse
from versions.model import Document, Paragraph, ParagraphKind

STORY = ROOT / "samples/biden-ukraine-missiles"


def baseline(old: Document, new: Document) -> object:
    olds, news = [s.text for s in old.sentences], [s.text for s in new.sentences]
    return SequenceMatcher(None, olds, news, autojunk=False).get_opcodes()


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


def _text(document: Document) -> str:
    return "\n\n".join(" ".join(p.sentences) for p in document.paragraphs) + "\n"


def git_word_diff(old: Path, new: Path) -> float:
    """Seconds for `git diff --no-index --word-diff` on two files (exit 1: they differ)."""
    process = run_process(
        ["git", "diff", "--no-index", "--word-diff", str(old), str(new)], check=False
    )
    if process.returncode not in (0, 1):
        raise RuntimeError(f"git diff exited {process.returncode}: {process.stderr.strip()}")
    return process.seconds


def redlines_diff() -> Callable[[str, str], object] | None:
    """redlines' word diff with its Markdown output, or None without the `bench` extra."""
    try:
        from redlines import Redlines
    except ImportError:
        return None
    return lambda before, after: Redlines(before, after).output_markdown


REDLINES_PATIENCE = 60.0


def _redlines_child(before: str, after: str, seconds: Any) -> None:
    redlines = redlines_diff()
    assert redlines is not None
    started = time.perf_counter()
    redlines(before, after)
    seconds.value = time.perf_counter() - started


def redlines_seconds(before: str, after: str, patience: float) -> float | None:
    """redlines on a long pair, in a child process given up after `patience` seconds
    (its word-level difflib grows faster than linearly): seconds, or None if unfinished."""
    seconds = multiprocessing.Value("d", 0.0)
    child = multiprocessing.Process(target=_redlines_child, args=(before, after, seconds))
    child.start()
    child.join(patience)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return float(seconds.value) or None


def measure(run: Run) -> None:
    group = "diff"
    repeat = run.scale.repeat
    versions = [parse(path.read_bytes()) for path in sorted(STORY.glob("*.txt"))]
    pairs = list(itertools.pairwise(versions))
    words = sum(len(s.text.split()) for s in versions[-1].sentences)

    def each_pair(call: Callable[[Document, Document], object]) -> float:
        """Mean over the pairs of the best of several runs."""
        total = 0.0
        for old, new in pairs:
            total += best_seconds(partial(call, old, new), 10 * repeat)
        return total / len(pairs)

    ours = each_pair(compare)
    heap = max(python_peak(partial(compare, old, new)) for old, new in pairs)
    run.add(
        Figure(
            group,
            f"typical pair (~{words} words), compare",
            ours * 1000,
            "ms",
            "difflib over sentences",
            each_pair(baseline) * 1000,
            [at_most(5, "≤ 5 ms")],
            f"py {megabytes(heap)}",
            f"mean over the {len(pairs)} pairs of samples/{STORY.name}",
        )
    )
    redlines = redlines_diff()
    if redlines is not None:
        run.add(
            Figure(
                group,
                f"typical pair (~{words} words), compare",
                ours * 1000,
                "ms",
                "redlines",
                each_pair(lambda o, n: redlines(_text(o), _text(n))) * 1000,
                [at_most(5, "≤ 5 ms")],
            )
        )

    size = run.scale.diff_words
    old, new = large_pair(size)
    files = run.work / "diff"
    files.mkdir()
    (files / "old.txt").write_text(_text(old), encoding="utf-8")
    (files / "new.txt").write_text(_text(new), encoding="utf-8")
    ours = best_seconds(lambda: compare(old, new), repeat)
    heap = python_peak(lambda: compare(old, new))
    target = [at_most(0.5, "≤ 0.5 s")] if size >= 200_000 else []
    label = f"{size:,} words, 3% of sentences edited, compare"
    memory = f"py {megabytes(heap)}"
    run.add(
        Figure(
            group,
            label,
            ours,
            "s",
            "difflib over sentences",
            best_seconds(lambda: baseline(old, new), repeat),
            target,
            memory,
        )
    )
    git = min(git_word_diff(files / "old.txt", files / "new.txt") for _ in range(repeat))
    run.add(Figure(group, label, ours, "s", "git diff --no-index --word-diff", git, target, memory))
    if redlines is None:
        run.skipped.append("diff against redlines: not installed (pip install -e '.[bench]')")
    else:
        seconds = redlines_seconds(_text(old), _text(new), REDLINES_PATIENCE)
        note = "" if seconds else f"redlines unfinished after {REDLINES_PATIENCE:.0f} s: a bound"
        base = seconds or REDLINES_PATIENCE
        run.add(Figure(group, label, ours, "s", "redlines", base, target, memory, note))

    quarter = large_pair(size // 4)
    quarter_heap = python_peak(lambda: compare(*quarter))
    run.add(
        Figure(
            group,
            f"compare heap per word at {size:,} words",
            heap / size,
            "B/word",
            f"at {size // 4:,} words",
            quarter_heap / (size // 4),
            [at_most(1.5, "≤ 1.5× (linear)", on="ratio")],
            memory,
        )
    )
