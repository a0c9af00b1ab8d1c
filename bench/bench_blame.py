"""Blame from stored lineage, and what recording lineage adds to ingest.

    .venv/bin/python bench/bench_blame.py [--engine sqlite|postgresql|both] [--takes 100]
        [--repeat 21]

A generated story of `--takes` takes (ninjs items under one guid, each take editing,
adding, removing, moving and now and then restoring sentences, ~40 paragraphs) is
ingested twice, take by take and interleaved so that machine noise falls on both alike:
once as wirediff does (lineage recorded) and once with lineage recording switched off.
The ingest ratio is their total time.

Then blame of the latest, the middle and the second take is timed against reading the
same version's sentences alone (`Archive.document`, the least any view of a version
does), the two calls interleaved; median and best of `--repeat` are shown, the best
being the least disturbed by other work on a shared machine. The ratio is what lineage
costs a reader. Targets (issue 15): blame <= 20 ms for
a 100-take story; lineage adds <= 10 % to ingest.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from versions.service import Archive  # noqa: E402

START = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "ve", "so", "pa", "di", "gu", "be", "fo"]
WORDS = sorted({"".join(random.Random(n).choices(SYLLABLES, k=2 + n % 3)) for n in range(3_000)})
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    words[0] = words[0].capitalize()
    return " ".join(words) + f" {rng.randint(2, 9999)}."


def story_takes(takes: int, seed: int = 15) -> list[list[list[str]]]:
    """Each take's paragraphs (lists of sentences), every take a plausible edit of the last."""
    rng = random.Random(seed)
    paragraphs = [[_sentence(rng) for _ in range(rng.randint(1, 2))] for _ in range(25)]
    removed: list[str] = []
    result = [[list(p) for p in paragraphs]]
    for _ in range(takes - 1):
        for _ in range(2):  # edit two sentences: a figure, a word
            p = rng.randrange(len(paragraphs))
            s = rng.randrange(len(paragraphs[p]))
            words = paragraphs[p][s].split()
            words[rng.randrange(1, len(words) - 1)] = rng.choice(WORDS)
            paragraphs[p][s] = " ".join(words)
        if len(paragraphs) < 40 or rng.random() < 0.3:
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), [_sentence(rng)])
        if rng.random() < 0.4 and len(paragraphs) > 20:
            gone = paragraphs.pop(rng.randrange(1, len(paragraphs)))
            removed.extend(gone)
        if rng.random() < 0.15 and removed:
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), [removed.pop()])
        if rng.random() < 0.2:
            moved = paragraphs.pop(rng.randrange(1, len(paragraphs)))
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), moved)
        result.append([list(p) for p in paragraphs])
    return result


def _ninjs(number: int, paragraphs: list[list[str]]) -> bytes:
    return json.dumps(
        {
            "uri": "urn:bench:blame",
            "version": str(number),
            "versioncreated": (START + timedelta(minutes=20 * number)).isoformat(),
            "headline": "Troops reach the border as talks stall",
            "body_text": "\n\n".join(" ".join(p) for p in paragraphs),
        }
    ).encode()


def _timed_pair(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    """Milliseconds of each call, the two interleaved so that noise falls on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, spent in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            action()
            spent.append((time.perf_counter() - started) * 1000)
    return times


def run(url_with: str, url_without: str, takes: int, repeat: int) -> None:
    items = [_ninjs(n, p) for n, p in enumerate(story_takes(takes), start=1)]
    with Archive.open(url_with) as recorded, Archive.open(url_without) as plain:
        plain._ingest()._add_lineage = lambda *args, **kwargs: None  # type: ignore[method-assign]
        spent = {"with": 0.0, "without": 0.0}
        for number, item in enumerate(items, start=1):
            for name, archive in (("with", recorded), ("without", plain))[:: 1 - 2 * (number % 2)]:
                started = time.perf_counter()
                (result,) = archive.ingest(item, source=f"take-{number}")
                spent[name] += time.perf_counter() - started
                assert result.status == "added", result
        key = recorded.stories()[0].key
        sentences = len(recorded.document(key, takes).sentences)
        print(
            f"ingest of {takes} takes (~{sentences} sentences each): with lineage "
            f"{spent['with'] * 1000:.0f} ms, without {spent['without'] * 1000:.0f} ms, "
            f"ratio {spent['with'] / spent['without']:.3f}"
        )
        for number in sorted({takes, takes // 2, 2}):
            blame_ms, read_ms = _timed_pair(
                lambda n=number: recorded.blame(key, n),
                lambda n=number: recorded.document(key, n),
                repeat,
            )
            print(
                f"blame v{number}: median {statistics.median(blame_ms):.2f} ms, "
                f"best {min(blame_ms):.2f} ms; reading its sentences alone: median "
                f"{statistics.median(read_ms):.2f} ms, best {min(read_ms):.2f} ms; ratio "
                f"{statistics.median(blame_ms) / statistics.median(read_ms):.2f} (median), "
                f"{min(blame_ms) / min(read_ms):.2f} (best)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--takes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    if args.engine in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="wirediff-bench-blame-") as folder:
            print("== sqlite")
            run(
                f"sqlite:///{folder}/with.db",
                f"sqlite:///{folder}/without.db",
                args.takes,
                args.repeat,
            )
    if args.engine in ("postgresql", "both"):
        import psycopg

        names = [f"wirediff_bench_{secrets.token_hex(4)}" for _ in range(2)]
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            for name in names:
                admin.execute(f"CREATE DATABASE {name}")
        base = "postgresql+psycopg://postgres@127.0.0.1:5432"
        try:
            print("== postgresql")
            run(f"{base}/{names[0]}", f"{base}/{names[1]}", args.takes, args.repeat)
        finally:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                for name in names:
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
