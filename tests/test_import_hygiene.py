"""The core loads without the terminal UI: scripts and the CLI never need Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_no_core_module_imports_the_ui() -> None:
    code = (
        "import importlib, pkgutil, sys, versions\n"
        "names = [m.name for m in pkgutil.walk_packages(versions.__path__, 'versions.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "assert len(names) > 20, names\n"
        "print(','.join(m for m in ('textual', 'tui') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert result.stdout.strip() == ""
