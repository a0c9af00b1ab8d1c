"""A burst of wire files dropped into a hot folder at once: how long until all are filed.

Run as `.venv/bin/python bench/bench_watch.py [--engine sqlite|postgresql] [--stories 50]
[--versions 20] [--watchers 1 2]`. Every run gets a new database: a SQLite file, or a
PostgreSQL database created through --postgres-admin (default: the local test server)
and dropped afterwards.

Each run drops stories × versions files (renamed in from a staging folder, so they
land at once), starts `wirediff watch` processes on the folder and times until
every file is in DIR/.done/. The baseline, timed in the same run on a fresh database,
is `Archive.ingest` called on the same files in a loop with no watcher: the ratio is
the watcher's overhead (claiming, settling, filing, the event log) or, with two
watchers, the gain from a second process.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "watch"))

from watch_stories import (  # noqa: E402
    drop_burst,
    start_watch_process,
    stop_watch_process,
    wait_until_done,
)

from versions.service import Archive  # noqa: E402


@contextmanager
def fresh_database(kind: str, workdir: Path, admin: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / f'bench-{secrets.token_hex(4)}.db'}"
        return
    import psycopg

    name = f"wirediff_bench_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def baseline(url: str, folder: Path) -> float:
    files = sorted(folder.iterdir(), key=lambda p: (p.stat().st_mtime_ns, p.name))
    with Archive.open(url) as archive:
        started = time.monotonic()
        for path in files:
            archive.ingest(path.read_bytes(), source=str(path))
        return time.monotonic() - started


def burst(url: str, folder: Path, watchers: int, stories: int, versions: int) -> float:
    """Seconds from the drop until every file is filed in .done/."""
    with Archive.open(url):
        pass  # create the schema before the watchers race to
    processes = [
        start_watch_process(url, folder, folder.parent / f"watch-{n}.log") for n in range(watchers)
    ]
    time.sleep(1.5)  # let the processes start: the burst is timed, not Python's start-up
    count = drop_burst(folder, stories, versions)
    try:
        seconds = wait_until_done(folder, count, timeout=600)
    finally:
        for process in processes:
            code, err = stop_watch_process(process)
            if code != 0:
                print(f"watcher exited {code}: {err.strip()}", file=sys.stderr)
    with Archive.open(url) as archive:
        stored = sum(story.versions for story in archive.stories(limit=10_000))
    if stored != count:
        raise SystemExit(f"{stored} versions stored for {count} files")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-admin", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--watchers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    stories, versions = args.stories, args.versions

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        folder = workdir / "baseline"
        folder.mkdir()
        count = drop_burst(folder, stories, versions)
        with fresh_database(args.engine, workdir, args.postgres_admin) as url:
            base = baseline(url, folder)
        print(f"{args.engine}: {count} files ({stories} stories × {versions} versions)")
        print(f"  baseline, Archive.ingest in a loop: {base:6.1f} s  {count / base:6.0f} files/s")
        for watchers in args.watchers:
            folder = workdir / f"inbox-{watchers}"
            folder.mkdir()
            with fresh_database(args.engine, workdir, args.postgres_admin) as url:
                seconds = burst(url, folder, watchers, stories, versions)
            print(
                f"  {watchers} watcher process(es): burst {seconds:6.1f} s  "
                f"{count / seconds:6.0f} files/s  ratio to baseline {seconds / base:4.2f}"
            )


if __name__ == "__main__":
    main()
