"""What every benchmark shares: the scale, a figure against its baseline, timing and memory.

A figure is one measured value next to the baseline measured in the same run (the
machine is shared and noisy, so only the ratio travels) and the targets the issue
set for it, on the value or on the ratio.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
POSTGRES_ADMIN = os.environ.get(
    "WIREDIFF_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True)
class Scale:
    """How big each benchmark runs. `default` is the issue's scale; `tiny` keeps the
    harness from rotting (the smoke test); `full` adds the 1,000,000-version archive."""

    name: str
    stories: int  # the ingest corpus: stories × takes, ~30 sentences a take
    takes: int
    big_take_mb: float
    long_story_takes: int
    archives: tuple[int, ...]  # stored versions for the lookups at scale (10 per story)
    postgres_archive: int  # the largest archive also built on PostgreSQL
    diff_words: int
    watch_files: tuple[int, int]  # stories × versions dropped into a hot folder
    watchers: tuple[int, ...]  # how many `wirediff watch` processes take a burst
    repeat: int

    @property
    def tui_archive(self) -> int:
        return self.archives[-1]


DEFAULT = Scale(
    "default",
    stories=100,
    takes=10,
    big_take_mb=5.0,
    long_story_takes=100,
    archives=(10_000, 100_000),
    postgres_archive=100_000,
    diff_words=200_000,
    watch_files=(20, 10),
    watchers=(1, 2),
    repeat=5,
)
SCALES = {
    "tiny": Scale("tiny", 3, 3, 0.05, 6, (2_000,), 2_000, 2_000, (2, 2), (1,), 1),
    "default": DEFAULT,
    "full": replace(
        DEFAULT, name="full", archives=(10_000, 100_000, 1_000_000), postgres_archive=1_000_000
    ),
}


Compare = Literal["<=", ">="]


@dataclass(frozen=True)
class Target:
    """A bound on the value (`on="value"`) or on the ratio to the baseline (`on="ratio"`)."""

    on: Literal["value", "ratio"]
    compare: Compare
    bound: float
    text: str

    def met(self, value: float, ratio: float) -> bool:
        measured = value if self.on == "value" else ratio
        return measured <= self.bound if self.compare == "<=" else measured >= self.bound


def at_most(bound: float, text: str, on: Literal["value", "ratio"] = "value") -> Target:
    return Target(on, "<=", bound, text)


def at_least(bound: float, text: str, on: Literal["value", "ratio"] = "value") -> Target:
    return Target(on, ">=", bound, text)


@dataclass
class Figure:
    group: str
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    targets: Sequence[Target] = ()
    memory: str = ""  # "rss 85 MB" (a whole process) or "py 12 MB" (Python heap, tracemalloc)
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def met(self) -> bool | None:
        if not self.targets:
            return None
        return all(t.met(self.value, self.ratio) for t in self.targets)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "figure": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": {"name": self.baseline_name, "value": self.baseline},
            "ratio": self.ratio,
            "targets": [t.text for t in self.targets],
            "met": self.met,
            "memory": self.memory,
            "note": self.note,
        }


@dataclass
class Run:
    """What one invocation measured: figures, facts for docs/scaling.md, and what it could not."""

    scale: Scale
    postgres: str | None  # admin URL, None when no server answers
    work: Path
    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(f"  {_row(figure, wide=False)}", file=sys.stderr, flush=True)


# timing


def median_seconds(call: Callable[[], object], repeat: int, warm: bool = True) -> float:
    if warm:
        call()
    times = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def best_seconds(call: Callable[[], object], repeat: int) -> float:
    """Fastest of several runs: for the costlier calls, where noise only ever adds."""
    times = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def python_peak(call: Callable[[], object]) -> int:
    """Bytes at the peak of Python's heap during `call` (an untimed extra run)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass(frozen=True)
class Process:
    seconds: float
    peak_rss: int  # bytes
    stdout: str
    stderr: str
    returncode: int


# Forks the command from a small Python, waits for it and writes its own peak RSS and
# wall time: a child forked straight from the harness would count the harness's
# memory (hundreds of MB after a big benchmark) in its peak until it execs.
_LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss * 1024} {elapsed}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_process(command: Sequence[str], *, cwd: Path = ROOT, check: bool = True) -> Process:
    """Wall time and peak resident memory of one command's own process."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as usage,
    ):
        process = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, usage.name, *command],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        rss, elapsed = usage.read().split()
        out.seek(0)
        err.seek(0)
        result = Process(
            float(elapsed),
            int(rss),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            process.returncode,
        )
    if check and result.returncode != 0:
        reason = result.stderr.strip()
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}: {reason}")
    return result


def wirediff(*args: str) -> list[str]:
    """The console command as a user runs it (the script pip installed beside this Python)."""
    script = Path(sys.executable).parent / "wirediff"
    return (
        [str(script), *args] if script.exists() else [sys.executable, "-m", "versions.cli", *args]
    )


def megabytes(count: int) -> str:
    return f"{count / 1e6:.0f} MB" if count >= 10e6 else f"{count / 1e6:.1f} MB"


# databases


def postgres_available(admin: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL at {admin}: {str(exc).strip().splitlines()[0]}"


@contextmanager
def postgres_database(admin: str) -> Iterator[str]:
    """A scratch database, created through the admin database and dropped afterwards."""
    import psycopg

    name = f"wirediff_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1)) as connection:
        return connection.execute(sql, params).fetchall()


# the table


def _number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _row(figure: Figure, wide: bool = True) -> str:
    met = {True: "yes", False: "NO", None: ""}[figure.met]
    cells = [
        f"{figure.name}",
        f"{_number(figure.value)} {figure.unit}",
        f"{figure.baseline_name}: {_number(figure.baseline)} {figure.unit}",
        f"×{_number(figure.ratio)}",
        "; ".join(t.text for t in figure.targets),
        met,
        figure.memory,
    ]
    return " | ".join(cells) if not wide else "| " + " | ".join(cells) + " |"


def table(figures: Sequence[Figure]) -> str:
    """One Markdown table: it reads in a terminal and pastes into an issue note."""
    lines = [
        "| figure | value | baseline (same run) | ratio | target | met? | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    group = None
    for figure in figures:
        if figure.group != group:
            group = figure.group
            lines.append(f"| **{group}** | | | | | | |")
        lines.append(_row(figure))
    return "\n".join(lines)
