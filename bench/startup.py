"""Start-up cost of each command, as a person at the prompt feels it.

Whole processes, each run several times interleaved (so a burst of load on the shared
machine hits every command alike); the median, and its ratio to `python -c pass`
measured in the same run. The archive is the demo's (16 versions, 4 stories).
Targets (issue 11): --help and --version at most 150 ms and 5x bare Python;
stories, log and diff at most 300 ms.

Part of `python -m bench`; alone, with its own number of runs:
`python -m bench.startup [RUNS]`.
"""

from __future__ import annotations

import compileall
import statistics
import sys
import tempfile
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


def compiled() -> None:
    """Byte-compile wirediff's own modules, as pip does when it installs the wheel.

    A checkout run with PYTHONDONTWRITEBYTECODE (as the shared machine's shells are)
    would otherwise compile every module from source on every start, which no
    installed wirediff does.
    """
    for package in ("versions", "tui"):
        compileall.compile_dir(ROOT / package, quiet=2)


def timings(db: str, runs: int) -> dict[str, tuple[float, int]]:
    """Median seconds and peak RSS of each command (and of bare Python), interleaved."""
    compiled()
    table = {"python -c pass": [sys.executable, "-c", "pass"]}
    table |= {name: argv for name, (argv, _) in commands(db).items()}
    seconds: dict[str, list[float]] = {name: [] for name in table}
    rss: dict[str, int] = dict.fromkeys(table, 0)
    for _ in range(runs):
        for name, argv in table.items():
            process = run_process(argv)
            seconds[name].append(process.seconds)
            rss[name] = max(rss[name], process.peak_rss)
    return {name: (statistics.median(seconds[name]), rss[name]) for name in table}


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


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        results = timings(demo_archive(Path(folder)), runs)
    base = results["python -c pass"][0]
    print(f"{'command':<34} {'median':>9} {'x python':>9}   ({runs} runs each)")
    for name, (median, _) in results.items():
        print(f"{name:<34} {median * 1000:7.0f} ms {median / base:8.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
