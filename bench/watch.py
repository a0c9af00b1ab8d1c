"""A burst of wire files dropped into a hot folder at once: how long until all are filed.

Part of `python -m bench`; alone, with its own sizes: `python -m bench.watch
[--engine sqlite|postgresql] [--stories 50] [--versions 20] [--watchers 1 2]`. Every run
gets a new database: a SQLite file, or a scratch PostgreSQL database dropped afterwards.

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

from bench.harness import POSTGRES_ADMIN, ROOT, Figure, Run, postgres_database
from versions.service import Archive

sys.path.insert(0, str(ROOT / "tests" / "watch"))

from watch_stories import (
    drop_burst,
    start_watch_process,
    stop_watch_process,
    wait_until_done,
)

GROUP = "watch"


@contextmanager
def fresh_database(kind: str, workdir: Path, admin: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / f'bench-{secrets.token_hex(4)}.db'}"
        return
    with postgres_database(admin) as url:
        yield url


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


def measure(run: Run) -> None:
    stories, versions = run.scale.watch_files
    engines = ["sqlite"] + (["postgresql"] if run.postgres else [])
    for engine in engines:
        workdir = run.work / f"watch-{engine}"
        folder = workdir / "baseline"
        folder.mkdir(parents=True)
        count = drop_burst(folder, stories, versions)
        with fresh_database(engine, workdir, run.postgres or "") as url:
            base = baseline(url, folder)
        for watchers in run.scale.watchers:
            folder = workdir / f"inbox-{watchers}"
            folder.mkdir()
            with fresh_database(engine, workdir, run.postgres or "") as url:
                seconds = burst(url, folder, watchers, stories, versions)
            run.add(
                Figure(
                    GROUP,
                    f"{engine}: burst of {count} files, {watchers} `wirediff watch`",
                    count / seconds,
                    "files/s",
                    "Archive.ingest in a loop",
                    count / base,
                    note="from the drop until every file is in .done/",
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-admin", default=POSTGRES_ADMIN)
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
