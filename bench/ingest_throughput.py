"""Ingest throughput on the samples, SQLite and PostgreSQL, against the work done without storage.

Baseline, measured in the same run: reading every sample and comparing each with
its predecessor (what ingest must do anyway). The ratio is what storing,
threading and indexing cost on top.

Also the MinHash signature per version, against computing it by its definition
(one `(a * x + b) % p` per shingle and permutation), which gives the same values.

    .venv/bin/python bench/ingest_throughput.py [ROUNDS]
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from versions import threading
from versions.compare import compare
from versions.readers import read
from versions.service import Archive

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def baseline(files: list[Path]) -> float:
    start = time.perf_counter()
    previous = {}
    for path in files:
        (document,) = read(path.read_bytes(), str(path))
        if path.parent in previous:
            compare(previous[path.parent], document)
        previous[path.parent] = document
    return time.perf_counter() - start


def signatures(files: list[Path], rounds: int) -> tuple[float, float]:
    """Seconds per version: the signature as computed, and by its definition."""
    hashes = [list(threading.shingles(read(p.read_bytes(), str(p))[0])) for p in files]
    prime = (1 << 61) - 1

    def by_definition(values: list[int]) -> tuple[int, ...]:
        return tuple(min((a * x + b) % prime for x in values) for a, b in threading._COEFFICIENTS)

    timings = []
    for compute in (threading.signature, by_definition):
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for values in hashes:
                compute(values)
            best = min(best, time.perf_counter() - start)
        timings.append(best / len(hashes))
    return timings[0], timings[1]


def ingest(url: str, files: list[Path]) -> float:
    with Archive.open(url) as archive:
        start = time.perf_counter()
        results = list(archive.ingest_paths(files))
        elapsed = time.perf_counter() - start
    assert all(r.status == "added" for r in results), results
    return elapsed


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    files = sorted(SAMPLES.glob("*/*.txt"))
    base = min(baseline(files) for _ in range(rounds))
    print(f"{len(files)} sample versions, best of {rounds} rounds")
    print(f"baseline read+compare: {len(files) / base:8.1f} versions/s")
    fast, defined = signatures(files, rounds)
    print(
        f"MinHash signature:     {fast * 1000:8.2f} ms/version"
        f"  (by definition {defined * 1000:.2f} ms: x{defined / fast:.1f} faster)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = min(ingest(f"sqlite:///{tmp}/{n}.db", files) for n in range(rounds))
    print(f"ingest SQLite:         {len(files) / sqlite:8.1f} versions/s  x{sqlite / base:.2f}")
    times = []
    for _ in range(rounds):
        name = f"wirediff_bench_{secrets.token_hex(4)}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        try:
            times.append(ingest(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", files))
        finally:
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    postgres = min(times)
    print(f"ingest PostgreSQL:     {len(files) / postgres:8.1f} versions/s  x{postgres / base:.2f}")


if __name__ == "__main__":
    main()
