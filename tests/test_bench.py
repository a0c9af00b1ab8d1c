"""The benchmark harness still runs: every group, at a tiny scale, into one table and JSON.

The figures themselves are not judged here (targets live in `python -m bench`); what
is checked is that no benchmark has rotted: each group measures, each figure has a
baseline from the same run, and a broken benchmark fails the run.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_benchmark_runs_at_a_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "tiny", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| figure | value | baseline (same run) | ratio | target | met? |" in result.stdout
    report = json.loads(out.read_text())
    groups = {figure["group"] for figure in report["figures"]}
    expected = {"ingest", "diff", "threading and store at scale", "CLI start-up", "TUI", "watch"}
    assert expected <= groups, report["not_measured"]
    for figure in report["figures"]:
        assert math.isfinite(figure["value"]), figure
        assert figure["baseline"]["value"] > 0, figure
    targets = {f["figure"] for f in report["figures"] if f["targets"]}
    assert "wirediff ingest DIR, SQLite" in targets
    assert not [line for line in report["not_measured"] if "failed" in line]
