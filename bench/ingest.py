"""Ingest: takes per second through `wirediff ingest DIR`, against a git store and the floor.

All on the seeded synthetic corpus (`bench.corpus`): untagged plain wire text, one
`wirediff ingest DIR` process, threading and change counts included. In the same run:

* the floor: a bare `INSERT` of the same bytes, one transaction a take (SQLite, WAL);
* NewsDiffs' store: one file per story in a git repository, `git add` + `git commit`
  per take;
* PostgreSQL against SQLite; two writer processes against one, on both engines;
* one 5 MB take against a 3 KB one (time and peak memory of the whole process);
* a 100-take story: its last takes against its second ones.
"""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.corpus import long_take, story_takes, write_corpus
from bench.harness import (
    Figure,
    Run,
    at_least,
    at_most,
    megabytes,
    postgres_database,
    postgres_query,
    run_process,
    wirediff,
)
from bench.store import postgres_sizes
from versions.service import Archive

GROUP = "ingest"


def floor(files: list[Path], database: Path) -> float:
    """Seconds to store each file's bytes with a bare INSERT, one transaction each."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE take (id INTEGER PRIMARY KEY, name TEXT, raw BLOB)")
    started = time.perf_counter()
    for path in files:
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO take (name, raw) VALUES (?, ?)", (path.name, path.read_bytes())
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def git_store(files: list[Path], repository: Path) -> float:
    """Seconds to commit each take to a git repository, one file per story (NewsDiffs)."""
    repository.mkdir()
    git = ["git", "-C", str(repository), "-c", "user.name=bench", "-c", "user.email=b@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    started = time.perf_counter()
    for path in files:
        story = path.stem.split("-")[1]  # NewsDiffs knows the article by its URL
        (repository / f"{story}.txt").write_bytes(path.read_bytes())
        subprocess.run([*git, "add", f"{story}.txt"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", path.name], check=True)
    return time.perf_counter() - started


def ingest_directory(url: str, folder: Path, expected: int) -> tuple[float, int]:
    """Seconds and peak RSS of one `wirediff ingest DIR` process; checks every take went in."""
    process = run_process(wirediff("--db", url, "ingest", str(folder)))
    lines = process.stdout.splitlines()
    stored = [line for line in lines if ": rejected" not in line and " unchanged" not in line]
    if len(stored) != expected:
        raise RuntimeError(f"{len(stored)} of {expected} takes stored:\n{process.stdout[-2000:]}")
    return process.seconds, process.peak_rss


def two_writers(url: str, folders: list[Path]) -> tuple[float, int]:
    """Seconds until two `wirediff ingest` processes, one per folder, have both finished."""
    Archive.open(url).close()  # the schema first, as a deployment would
    started = time.perf_counter()
    with ThreadPoolExecutor(len(folders)) as pool:
        results = list(
            pool.map(lambda f: run_process(wirediff("--db", url, "ingest", str(f))), folders)
        )
    elapsed = time.perf_counter() - started
    return elapsed, max(r.peak_rss for r in results)


def check_stories(url: str, stories: int, takes: int) -> None:
    """Threading put every take in its own story: `stories` stories of `takes` versions."""
    with Archive.open(url) as archive:
        rows = archive.stories(limit=stories + 10)
    counts = sorted(row.versions for row in rows)
    if counts != [takes] * stories:
        raise RuntimeError(f"threading went wrong: stories of {counts} versions")


def split_by_story(files: list[Path], work: Path) -> list[Path]:
    """Two folders, each holding all the takes of half the stories (writers never share one)."""
    folders = [work / "writer-a", work / "writer-b"]
    for folder in folders:
        folder.mkdir()
    for path in files:
        story = int(path.stem.split("-s")[1])
        (folders[story % 2] / path.name).symlink_to(path)
    return folders


def measure(run: Run) -> None:
    scale = run.scale
    work = run.work / "ingest"
    corpus = write_corpus(work / "corpus", scale.stories, scale.takes)
    count = len(corpus)
    rate_unit = "takes/s"

    bare = floor(corpus, work / "floor.db")
    git = git_store(corpus, work / "git")
    sqlite_url = f"sqlite:///{work / 'ingest.db'}"
    seconds, rss = ingest_directory(sqlite_url, work / "corpus", count)
    check_stories(sqlite_url, scale.stories, scale.takes)
    sqlite_rate = count / seconds
    corpus_bytes = sum(p.stat().st_size for p in corpus)
    note = (
        f"{count} takes ({scale.stories} stories × {scale.takes}),"
        f" {corpus_bytes / count:,.0f} B a take"
    )
    run.add(
        Figure(
            GROUP,
            "bare INSERT of the same bytes (floor)",
            count / bare,
            rate_unit,
            "git store",
            count / git,
            memory="",
            note=note,
        )
    )
    run.add(
        Figure(
            GROUP,
            "wirediff ingest DIR, SQLite",
            sqlite_rate,
            rate_unit,
            "git commit per take",
            count / git,
            [at_least(1000, "≥ 1,000 takes/s"), at_least(10, "≥ 10× git", on="ratio")],
            f"rss {megabytes(rss)}",
            note,
        )
    )
    run.add(
        Figure(
            GROUP,
            "wirediff ingest DIR, SQLite vs the floor",
            sqlite_rate,
            rate_unit,
            "bare INSERT",
            count / bare,
            memory=f"rss {megabytes(rss)}",
        )
    )
    run.facts["sqlite_bytes_per_version"] = (work / "ingest.db").stat().st_size / count

    folders = split_by_story(corpus, work)
    sqlite_two = f"sqlite:///{work / 'two.db'}"
    seconds_two, rss_two = two_writers(sqlite_two, folders)
    check_stories(sqlite_two, scale.stories, scale.takes)
    run.add(
        Figure(
            GROUP,
            "two writer processes, SQLite (none lost, none failed)",
            count / seconds_two,
            rate_unit,
            "one writer",
            sqlite_rate,
            memory=f"rss {megabytes(rss_two)} each",
            note="every take stored, threading right",
        )
    )

    if run.postgres is None:
        run.skipped.append("ingest on PostgreSQL: no server")
    else:
        with postgres_database(run.postgres) as url:
            Archive.open(url).close()
            empty = postgres_query(url, "SELECT pg_database_size(current_database())")[0][0]
            seconds, rss = ingest_directory(url, work / "corpus", count)
            check_stories(url, scale.stories, scale.takes)
            size = postgres_query(url, "SELECT pg_database_size(current_database())")[0][0]
            relations = postgres_sizes(url, count)["relation_bytes"]
        postgres_rate = count / seconds
        run.facts["postgres_ingest"] = {
            "takes": count,
            "bytes_per_take_input": corpus_bytes / count,
            "database_bytes_per_version": (size - empty) / count,
            "relation_bytes_per_version": {name: b / count for name, b in relations.items()},
        }
        run.add(
            Figure(
                GROUP,
                "wirediff ingest DIR, PostgreSQL",
                postgres_rate,
                rate_unit,
                "SQLite",
                sqlite_rate,
                [at_least(0.5, "≥ 0.5× SQLite", on="ratio")],
                f"rss {megabytes(rss)}",
                f"{(size - empty) / count:,.0f} database bytes a version",
            )
        )
        with postgres_database(run.postgres) as url:
            seconds_two, rss_two = two_writers(url, folders)
            check_stories(url, scale.stories, scale.takes)
        run.add(
            Figure(
                GROUP,
                "two writer processes, PostgreSQL",
                count / seconds_two,
                rate_unit,
                "one writer",
                postgres_rate,
                [at_least(1.5, "≥ 1.5× one writer", on="ratio")],
                f"rss {megabytes(rss_two)} each",
            )
        )

    big_take(run, work)
    long_story(run, work)


def big_take(run: Run, work: Path) -> None:
    """One 5 MB take through `wirediff ingest FILE`, against one ordinary take."""
    big = work / "big-take.txt"
    big.write_text(long_take(run.scale.big_take_mb), encoding="utf-8")
    small = work / "small-take.txt"
    small.write_text(story_takes(9_999, 1)[0], encoding="utf-8")
    url = f"sqlite:///{work / 'big.db'}"
    Archive.open(url).close()
    base = min(
        (
            run_process(wirediff("--db", url, "ingest", str(small)))
            for _ in range(min(run.scale.repeat, 3))
        ),
        key=lambda p: p.seconds,
    )
    process = min(
        (
            run_process(wirediff("--db", f"sqlite:///{work / f'big-{n}.db'}", "ingest", str(big)))
            for n in range(min(run.scale.repeat, 2))
        ),
        key=lambda p: p.seconds,
    )
    size = big.stat().st_size
    limit = 100e6 + 5 * size
    run.add(
        Figure(
            GROUP,
            f"one {size / 1e6:.1f} MB take, wirediff ingest FILE",
            process.seconds,
            "s",
            "a 3 KB take",
            base.seconds,
            [at_most(2.0, "≤ 2 s")],
            f"rss {megabytes(process.peak_rss)}",
        )
    )
    run.add(
        Figure(
            GROUP,
            f"one {size / 1e6:.1f} MB take, peak memory",
            process.peak_rss / 1e6,
            "MB",
            "a 3 KB take",
            base.peak_rss / 1e6,
            [at_most(limit / 1e6, f"≤ 100 MB + 5× input = {limit / 1e6:.0f} MB")],
            f"rss {megabytes(process.peak_rss)}",
        )
    )


def long_story(run: Run, work: Path) -> None:
    """A story's takes ingested one by one: the last ones against the second ones.

    Medians of three at each end (takes 2-4 and the last three), for the noise.
    """
    takes = story_takes(4_242, run.scale.long_story_takes)
    times = []
    with Archive.open(f"sqlite:///{work / 'long.db'}") as archive:
        for number, text in enumerate(takes, 1):
            started = time.perf_counter()
            (result,) = archive.ingest(text.encode(), source=f"take-{number}.txt")
            times.append(time.perf_counter() - started)
            if result.status != "added" or result.version != number:
                raise RuntimeError(f"take {number}: {result}")
    second = statistics.median(times[1:4])
    last = statistics.median(times[-3:])
    run.add(
        Figure(
            GROUP,
            f"a {len(takes)}-take story: its last ingest",
            last * 1000,
            "ms",
            "its second",
            second * 1000,
            [at_most(2, "≤ 2× the second", on="ratio")],
            note="medians of takes 2-4 and of the last three",
        )
    )


def main() -> None:
    """Run on its own: `python -m bench.ingest` (the default scale)."""
    from bench.__main__ import main as harness

    harness(["--only", GROUP])


if __name__ == "__main__":
    main()
