"""The layer rules in pyproject.toml (`[tool.importlinter]`) hold: the core never imports
the UI, the pipeline imports only downstream, and no screen imports the app."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_core_module_has_its_place_in_the_pipeline_layers() -> None:
    """A module left out of the layers is unchecked: it could import anything."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (pipeline,) = [
        contract
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["name"].startswith("Core pipeline")
    ]
    named = {module.strip() for layer in pipeline["layers"] for module in layer.split("|")}
    modules = {
        f"versions.{module.name}" for module in pkgutil.iter_modules([str(ROOT / "versions")])
    }
    assert modules - named == set()
    assert {"versions.lineage", "versions.blame"} <= named
