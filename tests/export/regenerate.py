"""Rewrite the export golden files: `.venv/bin/python tests/export/regenerate.py`.

Read every rewritten file before keeping it: the sample goldens must agree with the change
lists in samples/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.export.export_cases import GOLDEN, golden_outputs


def main() -> None:
    for name, text in golden_outputs().items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        print(path.relative_to(GOLDEN.parents[2]))


if __name__ == "__main__":
    main()
