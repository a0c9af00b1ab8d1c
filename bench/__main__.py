"""Every benchmark in bench/, one table: `python -m bench [--full]`.

Each figure is printed next to a baseline measured in the same run and the target
the issues set for it; the run is written to bench/results/<date>.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import diff, ingest, iterater, segment, startup, store, tui, watch
from bench.harness import POSTGRES_ADMIN, ROOT, SCALES, Run, postgres_available, table

GROUPS: dict[str, Callable[[Run], None]] = {
    "ingest": ingest.measure,
    "diff": diff.measure,
    "store": store.measure,
    "store-postgres": store.measure_postgres,
    "startup": startup.measure,
    "tui": tui.measure,
    "watch": watch.measure,
    "segment": segment.measure,
    "iterater": iterater.measure,
}


def machine(postgres: str | None) -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    facts: dict[str, Any] = {
        "cpu": cpu,
        "cores": len(__import__("os").sched_getaffinity(0)),
        "memory_gb": round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
    }
    if postgres is not None:
        import psycopg

        with psycopg.connect(postgres) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            facts["postgresql"] = row[0] if row else None
    return facts


def commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--full", action="store_true", help="add the 1,000,000-version archive (long)"
    )
    parser.add_argument("--scale", choices=sorted(SCALES), help="default: default (full: --full)")
    parser.add_argument("--only", nargs="+", choices=list(GROUPS), help="these groups only")
    parser.add_argument("--postgres", default=POSTGRES_ADMIN, help="admin URL (%(default)s)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--out", type=Path, help="JSON file (default: bench/results/DATE.json)")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale or ("full" if args.full else "default")]

    postgres: str | None = None
    skipped = []
    if not args.no_postgres:
        reason = postgres_available(args.postgres)
        if reason is None:
            postgres = args.postgres
        else:
            skipped.append(f"PostgreSQL figures: {reason}")

    started = time.perf_counter()
    # a stopped run still removes its scratch files (and drops its scratch databases)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="wirediff-bench-"))
    run = Run(scale, postgres, work, skipped=skipped)
    try:
        for name in args.only or GROUPS:
            print(f"{name}…", file=sys.stderr, flush=True)
            group_started = time.perf_counter()
            try:
                GROUPS[name](run)
            except Exception as exc:  # one broken benchmark must not hide the others
                traceback.print_exc()
                run.skipped.append(f"{name}: failed: {type(exc).__name__}: {exc}")
            print(f"  ({time.perf_counter() - group_started:.0f} s)", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(table(run.figures))
    for line in run.skipped:
        print(f"not measured — {line}")
    elapsed = time.perf_counter() - started
    print(f"scale {scale.name}, {elapsed:.0f} s")

    now = datetime.now(UTC)
    suffix = "" if scale.name == "default" and not args.only else f"-{scale.name}"
    if args.only:
        suffix += "-" + "-".join(args.only)
    out = args.out or ROOT / "bench" / "results" / f"{now:%Y-%m-%d}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": now.isoformat(timespec="seconds"),
        "commit": commit(),
        "scale": scale.name,
        "seconds": round(elapsed),
        "machine": machine(postgres),
        "figures": [figure.to_dict() for figure in run.figures],
        "not_measured": run.skipped,
        "facts": run.facts,
    }
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n")
    print(f"written to {out}")
    failed = [line for line in run.skipped if ": failed:" in line]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
