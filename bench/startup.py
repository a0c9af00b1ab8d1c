"""Start-up cost of each command, as a person at the prompt feels it.

Whole processes, each run several times interleaved (so a burst of load on the shared
machine hits every command alike); the median, and its ratio to `python -c pass`
measured in the same run. The archive is the demo's (16 versions, 4 stories).
Targets (issue 11): --help and --version at most 150 ms and 5x bare Python;
stories, log and diff at most 300 ms.

Part of `python -m bench`; alone, with its own number of runs:
`python -m bench.startup [RUNS] [--against DIR] [--instructions]`. `--against` runs a
second checkout's code (another commit, `git worktree add` or `git archive`) in the same
interleaved runs, so old and new share whatever load the machine has. `--instructions`
counts each command's instructions under valgrind's callgrind instead of timing it: the
count does not move with load, and as a ratio to bare Python it tracks quiet wall time.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.harness import (
    ROOT,
    SAMPLES,
    Figure,
    Run,
    Target,
    at_most,
    megabytes,
    run_process,
    wirediff,
)

STORY = "strong-earthquake"
GROUP = "CLI start-up"
PROMPT = [at_most(150, "≤ 150 ms"), at_most(5, "≤ 5× python", on="ratio")]
COMMAND = [at_most(300, "≤ 300 ms")]


def commands(db: str) -> dict[str, tuple[list[str], list[Target]]]:
    with_db = ["--db", db]
    return {
        "wirediff --help": (wirediff("--help"), PROMPT),
        "wirediff --version": (wirediff("--version"), PROMPT),
        "wirediff stories": (wirediff(*with_db, "stories"), COMMAND),
        "wirediff log STORY": (wirediff(*with_db, "log", STORY), COMMAND),
        "wirediff diff STORY": (wirediff(*with_db, "diff", STORY), COMMAND),
        "wirediff search WORD": (wirediff(*with_db, "search", "quake"), []),
        "wirediff export STORY": (wirediff(*with_db, "export", STORY), []),
        "wirediff ingest FILE (unchanged)": (
            wirediff(*with_db, "ingest", str(SAMPLES / "peru-earthquake" / "01-first-take.txt")),
            [],
        ),
    }


def compiled(*roots: Path) -> None:
    """Byte-compile wirediff's own modules, as pip does when it installs the wheel.

    A checkout run with PYTHONDONTWRITEBYTECODE (as the shared machine's shells are)
    would otherwise compile every module from source on every start, which no
    installed wirediff does.
    """
    for root in roots or (ROOT,):
        for package in ("versions", "tui"):
            compileall.compile_dir(root / package, quiet=2)


def _table(db: str, against: Path | None) -> dict[str, list[str]]:
    """Each command to run; with `against`, each also as that checkout's code runs it."""
    table = {"python -c pass": [sys.executable, "-c", "pass"]}
    for name, (argv, _) in commands(db).items():
        if against is None:
            table[name] = argv
            continue
        table[name] = ["env", f"PYTHONPATH={ROOT}", *argv]
        table[f"{name} [{against.name}]"] = ["env", f"PYTHONPATH={against}", *argv]
    return table


def timings(db: str, runs: int, against: Path | None = None) -> dict[str, tuple[float, int]]:
    """Median seconds and peak RSS of each command (and of bare Python), interleaved."""
    compiled(*(ROOT, *([against] if against else [])))
    table = _table(db, against)
    seconds: dict[str, list[float]] = {name: [] for name in table}
    rss: dict[str, int] = dict.fromkeys(table, 0)
    for _ in range(runs):
        for name, argv in table.items():
            process = run_process(argv)
            seconds[name].append(process.seconds)
            rss[name] = max(rss[name], process.peak_rss)
    return {name: (statistics.median(seconds[name]), rss[name]) for name in table}


def instructions(db: str, against: Path | None = None) -> dict[str, int]:
    """Instructions each command executes, counted by callgrind (one run each)."""
    compiled(*(ROOT, *([against] if against else [])))
    return {name: _callgrind(argv) for name, argv in _table(db, against).items()}


def _callgrind(argv: Sequence[str]) -> int:
    environment = dict(os.environ)
    if argv[0] == "env":  # `env NAME=VALUE command…`: valgrind must run the command itself
        name, value = argv[1].split("=", 1)
        environment[name] = value
        argv = argv[2:]
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment | {"NO_COLOR": "1"},
        check=True,
    )
    return int(re.findall(r"Collected : (\d+)", result.stderr)[-1])


def demo_archive(folder: Path) -> str:
    db = str(folder / "demo.db")
    run_process(wirediff("--db", db, "demo", "--no-tui"))
    return db


def measure(run: Run) -> None:
    db = demo_archive(run.work)
    results = timings(db, max(run.scale.repeat, 1) * 3)
    python, python_rss = results.pop("python -c pass")
    targets = {name: chosen for name, (_, chosen) in commands(db).items()}
    for name, (seconds, rss) in results.items():
        run.add(
            Figure(
                GROUP,
                name,
                seconds * 1000,
                "ms",
                "python -c pass",
                python * 1000,
                targets[name],
                f"rss {megabytes(rss)} (python {megabytes(python_rss)})",
            )
        )


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("runs", type=int, nargs="?", default=15)
    parser.add_argument("--against", type=Path, help="another checkout, run alongside")
    parser.add_argument("--instructions", action="store_true", help="count, do not time")
    chosen = parser.parse_args(argv)
    against = chosen.against.resolve() if chosen.against else None
    with tempfile.TemporaryDirectory() as folder:
        db = demo_archive(Path(folder))
        if chosen.instructions:
            counts = instructions(db, against)
            base_count = counts["python -c pass"]
            print(f"{'command':<44} {'instructions':>14} {'x python':>9}")
            for name, count in counts.items():
                print(f"{name:<44} {count:14,d} {count / base_count:8.1f}x")
            return
        results = timings(db, chosen.runs, against)
    base = results["python -c pass"][0]
    print(f"{'command':<44} {'median':>9} {'x python':>9}   ({chosen.runs} runs each)")
    for name, (median, _) in results.items():
        print(f"{name:<44} {median * 1000:7.0f} ms {median / base:8.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
