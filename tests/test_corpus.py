"""Golden change logs of the sample stories, checked by hand against samples/README.md.

Each consecutive version pair of each story under samples/ has its change log
in tests/corpus/<story>/<old>--<new>.json. A difference means the diff an
editor sees has changed: if it is intended, regenerate with
`.venv/bin/python tests/corpus/regenerate.py` and read the new files against
samples/README.md before keeping them.
"""

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"


def _regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_regenerate", CORPUS / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


regenerate = _regenerate()
STORIES = regenerate.stories()


@pytest.mark.parametrize("story", STORIES, ids=[s.name for s in STORIES])
def test_change_logs_match_the_golden_files(story: Path) -> None:
    logs = regenerate.change_logs(story)
    golden = sorted((CORPUS / story.name).glob("*.json"))
    assert [p.name for p in golden] == sorted(logs), (
        "a version pair has no golden file, or a golden file no pair"
    )
    for path in golden:
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert logs[path.name] == expected, f"{story.name}/{path.name} differs from its golden file"


def test_refile_reports_no_change_at_all() -> None:
    log = json.loads(
        (CORPUS / "biden-ukraine-missiles/04-update-3--05-refile.json").read_text(encoding="utf-8")
    )
    assert log["changes"] == []
    assert log["to"]["label"] == "REFILE-UPDATE 3"
