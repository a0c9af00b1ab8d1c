"""The `wirediff` command as scripts and editors use it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from versions.cli import cli
from versions.labels import label_text
from versions.readers import read
from versions.service import Archive


def run(db_url: str, *args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_prints_one_line_per_file_and_exits_0(db_url: str, samples: Path) -> None:
    files = sorted(str(p) for p in (samples / "peru-earthquake").glob("*.txt"))
    code, out, _ = run(db_url, "ingest", *files)
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == len(files)
    assert lines[0].endswith(" v1 new")
    assert " v2 +" in lines[1]

    code, out, _ = run(db_url, "ingest", files[0])
    assert code == 0 and out.strip().endswith("v1 unchanged")


def test_ingest_json_lines_and_exit_1_on_a_rejected_file(
    db_url: str, samples: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<html><body>not a story</body></html>")
    good = sorted((samples / "skarvik-castell-deal").glob("*.txt"))[0]
    code, out, err = run(db_url, "ingest", "--format", "json", str(good), str(bad))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert err == ""
    assert [row["status"] for row in rows] == ["added", "rejected"]
    assert set(rows[0]) == {"path", "story", "version", "status", "reason", "counts"}
    assert rows[1]["path"] == str(bad) and "html" in rows[1]["reason"]


def test_ingest_reads_stdin(db_url: str, samples: Path) -> None:
    data = sorted((samples / "peru-earthquake").glob("*.txt"))[0].read_bytes()
    code, out, _ = run(db_url, "ingest", "--story", "quake", "-", input=data)
    assert (code, out) == (0, "-: quake v1 new\n")


def test_stories_log_and_diff_as_json(db_url: str, samples: Path) -> None:
    run(db_url, "ingest", str(samples / "skarvik-castell-deal"))

    code, out, _ = run(db_url, "stories", "--format", "json")
    (story,) = json.loads(out)
    assert code == 0
    assert set(story) == {"key", "title", "versions", "first_seen", "last_update", "status"}
    assert story["versions"] == 4

    prefix = story["key"][:5]
    code, out, _ = run(db_url, "log", prefix, "--format", "json")
    versions = json.loads(out)
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    assert versions[0]["counts"] is None
    assert versions[2]["label"].startswith("CORRECTED")
    assert set(versions[1]["counts"]) >= {"added", "changed", "removed", "tags"}

    code, out, _ = run(db_url, "diff", prefix, "2", "3", "--format", "json")
    changelog = json.loads(out)
    assert changelog["from"]["version"] == 2 and changelog["to"]["version"] == 3
    assert changelog["story"]["key"] == story["key"]
    assert changelog["summary"]["changed"] == versions[2]["counts"]["changed"]

    code, out, _ = run(db_url, "diff", prefix)
    assert code == 0
    assert out.startswith(f"{story['title']}: v3 (CORRECTED-UPDATE 1) → v4 (UPDATE 2)\n")


def test_errors_are_one_line_on_stderr(db_url: str, samples: Path) -> None:
    run(db_url, "ingest", str(samples / "peru-earthquake"))
    code, out, err = run(db_url, "log", "no-such-story")
    assert (code, out) == (1, "")
    assert err == "wirediff: no story key starts with 'no-such-story'\n"

    code, _, err = run(db_url, "diff", "strong", "1", "9")
    assert code == 1 and err.startswith("wirediff: ") and "no version 9" in err


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(cli, ["ingest"]).exit_code == 2
    assert CliRunner().invoke(cli, ["nonsense"]).exit_code == 2


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["ingest"],
        ["stories"],
        ["log"],
        ["diff"],
        ["export"],
        ["blame"],
        ["search"],
        ["demo"],
        ["db"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_search_names_the_first_version(db_url: str, samples: Path) -> None:
    run(db_url, "ingest", str(samples / "peru-earthquake"), str(samples / "skarvik-castell-deal"))
    code, out, _ = run(db_url, "search", "Castell")
    assert code == 0
    assert out.startswith("skarvik") and " v1 " in out.splitlines()[0]


def test_db_upgrade_creates_the_schema(db_url: str) -> None:
    code, out, _ = run(db_url, "db", "upgrade")
    assert code == 0 and "up to date" in out
    code, out, _ = run(db_url, "stories", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_demo_loads_the_samples_without_the_ui(samples: Path, tmp_path: Path) -> None:
    demo_db = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(cli, ["--db", demo_db, "demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    stories = {p.parent.name for p in samples.glob("*/*.txt")}
    first = result.stdout.splitlines()[0]
    assert f"of {len(stories)} stories" in first

    # every ninjs, NewsML-G2 and RSS item is a twin of a stored wire-text version
    structured = [p for d in ("formats", "feeds") for p in (samples / d).glob("*") if p.is_file()]
    twins = sum(len(read(p.read_bytes(), str(p))) for p in structured)
    assert first.startswith(f"{len(list(samples.glob('*/*.txt')))} versions ")
    assert f"({twins} deliveries in other formats recognised)" in first
    url = result.stdout.splitlines()[-1].removeprefix("browse them with: wirediff --db ")
    assert url == demo_db
    with Archive.open(url) as archive:
        labels = [label_text(v.label) for v in archive.versions("biden")]
    assert labels == [None, "UPDATE 1", "UPDATE 2", "UPDATE 3", "REFILE-UPDATE 3", "UPDATE 4"]


def test_the_installed_command_runs(tmp_path: Path, samples: Path) -> None:
    """One real process: the console script when installed, else `python -m versions.cli`."""
    script = shutil.which("wirediff", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "versions.cli"]
    env = os.environ | {"WIREDIFF_DB": f"sqlite:///{tmp_path / 'w.db'}"}
    files = sorted(str(p) for p in (samples / "peru-earthquake").glob("*.txt"))
    ingest = subprocess.run(
        [*command, "ingest", *files], capture_output=True, text=True, env=env, check=False
    )
    assert ingest.returncode == 0, ingest.stderr
    log = subprocess.run(
        [*command, "log", "str"], capture_output=True, text=True, env=env, check=False
    )
    assert log.returncode == 0, log.stderr
    assert len([line for line in log.stdout.splitlines() if line.startswith("v")]) == len(files)


def test_demo_never_fills_the_archive_named_only_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = f"sqlite:///{tmp_path / 'desk.db'}"
    monkeypatch.setenv("WIREDIFF_DB", desk)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = CliRunner().invoke(cli, ["demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    url = result.stdout.splitlines()[-1].removeprefix("browse them with: wirediff --db ")
    assert url.startswith(f"sqlite:///{tmp_path}/wirediff-demo-")
    assert not (tmp_path / "desk.db").exists()
