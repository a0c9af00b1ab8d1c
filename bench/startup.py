"""Start-up cost of each command, as a person at the prompt feels it.

Whole processes, each run RUNS times interleaved (so a burst of load on the shared
machine hits every command alike); the median, and its ratio to `python -c pass`
measured in the same run. The archive is the demo's (16 versions, 4 stories).
Targets (issue 11): --help and --version at most 150 ms and 5x bare Python;
stories, log and diff at most 300 ms.

    .venv/bin/python bench/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
STORY = "strong-earthquake"


def commands(db: str) -> dict[str, list[str]]:
    wirediff = [str(BIN / "wirediff")]
    with_db = [*wirediff, "--db", db]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "wirediff --help": [*wirediff, "--help"],
        "wirediff --version": [*wirediff, "--version"],
        "wirediff stories": [*with_db, "stories"],
        "wirediff log STORY": [*with_db, "log", STORY],
        "wirediff diff STORY": [*with_db, "diff", STORY],
        "wirediff search WORD": [*with_db, "search", "quake"],
        "wirediff export STORY": [*with_db, "export", STORY],
        "wirediff ingest FILE (unchanged)": [*with_db, "ingest", str(_sample())],
    }


def _sample() -> Path:
    return Path(__file__).resolve().parents[1] / "samples" / "peru-earthquake" / "01-first-take.txt"


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
        subprocess.run(
            [str(BIN / "wirediff"), "--db", db, "demo", "--no-tui"],
            check=True,
            capture_output=True,
            env=env,
        )
        table = commands(db)
        times: dict[str, list[float]] = {name: [] for name in table}
        for _ in range(runs):
            for name, argv in table.items():
                start = time.perf_counter()
                subprocess.run(argv, check=True, capture_output=True, env=env)
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<34} {'median':>9} {'x python':>9}   ({runs} runs each)")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<34} {median * 1000:7.0f} ms {median / base:8.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
