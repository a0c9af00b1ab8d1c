"""Write the golden change logs: one JSON file per consecutive version pair of each sample story.

    .venv/bin/python tests/corpus/regenerate.py

Read every file it writes against samples/README.md before keeping it: the
golden files are only worth what that reading was worth.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from versions import compare, parse  # noqa: E402
from versions.model import VersionRef  # noqa: E402

SAMPLES = ROOT / "samples"
CORPUS = Path(__file__).resolve().parent


def stories() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_dir() and any(p.glob("[0-9][0-9]-*.txt")))


def change_logs(story: Path) -> dict[str, dict[str, object]]:
    """Golden file name → change log, for each consecutive pair of the story's versions."""
    versions = sorted(story.glob("[0-9][0-9]-*.txt"))
    logs = {}
    for (n_old, old), (n_new, new) in itertools.pairwise(enumerate(versions, start=1)):
        old_doc, new_doc = parse(old.read_bytes()), parse(new.read_bytes())
        log = compare(
            old_doc,
            new_doc,
            story_key=story.name,
            story_title=new_doc.headline,
            old_ref=VersionRef.of(n_old, old_doc.meta),
            new_ref=VersionRef.of(n_new, new_doc.meta),
        )
        logs[f"{old.stem}--{new.stem}.json"] = log.to_dict()
    return logs


def main() -> None:
    for story in stories():
        folder = CORPUS / story.name
        folder.mkdir(exist_ok=True)
        for name, log in change_logs(story).items():
            text = json.dumps(log, indent=2, ensure_ascii=False) + "\n"
            (folder / name).write_text(text, encoding="utf-8")
            print(folder.relative_to(ROOT) / name, log["summary"])


if __name__ == "__main__":
    main()
