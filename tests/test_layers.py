"""The layer rules in pyproject.toml (`[tool.importlinter]`) hold: the core never imports
the UI, the pipeline imports only downstream, and no screen imports the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
