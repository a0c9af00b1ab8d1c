"""`versions` and the CLI load without the terminal UI: scripts never need Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_core_and_cli_do_not_import_the_ui() -> None:
    code = (
        "import sys, versions, versions.service, versions.cli\n"
        "loaded = [m for m in ('textual', 'tui') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert result.stdout.strip() == ""
