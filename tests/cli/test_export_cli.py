"""`wirediff export` and the shell `diff` as desk editors use them to hand on change logs."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from versions.cli import cli
from versions.export import safe_filename

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b["


def run(db_url: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db_url, *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def biden(db_url: str, samples: Path) -> str:
    """The six-version seed story, stored; its key."""
    code, out, _ = run(db_url, "ingest", str(samples / "biden-ukraine-missiles"))
    assert code == 0, out
    return out.split(": ")[1].split(" ")[0]


def test_markdown_export_has_one_section_per_update_with_editor_paragraph_numbers(
    db_url: str, biden: str
) -> None:
    code, out, _ = run(db_url, "export", biden)
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## v1 → v2 (UPDATE 1)",
        "## v2 (UPDATE 1) → v3 (UPDATE 2)",
        "## v3 (UPDATE 2) → v4 (UPDATE 3)",
        "## v4 (UPDATE 3) → v5 (REFILE-UPDATE 3)",
        "## v5 (REFILE-UPDATE 3) → v6 (UPDATE 4)",
        "## The story take by take",
        "## Where v6's sentences came from",
    ]
    # counted as the agency's own advisory counts them: "(Adds Russian missile report in
    # paragraph 11, updates attribution in paragraph 3)" — the dateline paragraph is 1
    assert "Dnipro missile report in paragraph 11" in out
    assert "attribution in paragraphs 3 and 22" in out


def test_from_and_to_bound_the_history(db_url: str, biden: str) -> None:
    code, out, _ = run(db_url, "export", biden[:6], "--from", "3", "--to", "5")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("## ")] == [
        "## v3 (UPDATE 2) → v4 (UPDATE 3)",
        "## v4 (UPDATE 3) → v5 (REFILE-UPDATE 3)",
        "## The story take by take",
        "## Where v5's sentences came from",
    ]
    assert "\nv3  " in out and "\nv2  " not in out  # the grid covers the versions exported


def test_pair_compares_any_two_versions(db_url: str, biden: str) -> None:
    code, out, _ = run(db_url, "export", biden, "--pair", "1", "6", "--format", "json")
    (changelog,) = json.loads(out)
    assert code == 0
    assert (changelog["from"]["version"], changelog["to"]["version"]) == (1, 6)
    assert changelog["changes"]


def test_json_export_is_a_list_of_what_diff_prints(db_url: str, biden: str) -> None:
    code, out, _ = run(db_url, "export", biden, "--format", "json")
    exported = json.loads(out)
    assert code == 0
    assert [(c["from"]["version"], c["to"]["version"]) for c in exported] == [
        (1, 2),
        (2, 3),
        (3, 4),
        (4, 5),
        (5, 6),
    ]
    _, diff_out, _ = run(db_url, "diff", biden, "2", "3", "--format", "json")
    lineage = exported[1].pop("lineage")
    assert exported[1] == json.loads(diff_out)
    (dnipro,) = [s for s in lineage["sentences"] if "Dnipro" in s["text"]]
    assert (dnipro["origin"], dnipro["began"]) == ("added", 3)


def test_csv_export_round_trips_one_row_per_change(db_url: str, biden: str) -> None:
    code, out, _ = run(db_url, "export", biden, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    _, json_out, _ = run(db_url, "export", biden, "--format", "json")
    assert code == 0
    assert len(rows) == sum(len(c["changes"]) for c in json.loads(json_out))
    assert {row["story"] for row in rows} == {biden}
    assert {row["kind"] for row in rows} >= {"added", "changed", "moved"}
    dnipro = [row for row in rows if "Dnipro" in row["new"] and row["kind"] == "added"]
    assert dnipro and dnipro[0]["from"].startswith("v2") and dnipro[0]["to"].startswith("v3")


def test_output_file_gets_the_export_and_stdout_stays_empty(
    db_url: str, biden: str, tmp_path: Path
) -> None:
    target = tmp_path / "for-the-archive.html"
    code, out, err = run(db_url, "export", biden, "--format", "html", "-o", str(target))
    assert code == 0
    assert out == ""
    assert err == f"wrote {target} (5 version pairs)\n"
    page = target.read_text("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert page.count("<h2") == 5 + 2  # the pairs, the grid, the provenance section
    _, to_stdout, _ = run(db_url, "export", biden, "--format", "html")
    assert page.rstrip("\n") == to_stdout.rstrip("\n")


def test_csv_file_keeps_the_csv_line_ends(db_url: str, biden: str, tmp_path: Path) -> None:
    target = tmp_path / "changes.csv"
    assert run(db_url, "export", biden, "--format", "csv", "-o", str(target))[0] == 0
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["story", "from", "to", "section", "kind", "tags", "old", "new"]
    assert all(len(row) == 8 for row in rows)


def test_export_errors_are_one_line(db_url: str, biden: str, tmp_path: Path) -> None:
    code, _, err = run(db_url, "export", biden, "--from", "4", "--to", "4")
    assert code == 1 and err.startswith("wirediff: ") and "nothing to compare" in err
    code, _, err = run(db_url, "export", biden, "--pair", "1", "9")
    assert code == 1 and "no version 9" in err
    code, _, err = run(db_url, "export", biden, "-o", str(tmp_path / "missing" / "x.md"))
    assert code == 1 and err.startswith(f"wirediff: {tmp_path / 'missing' / 'x.md'}: ")
    assert len(err.splitlines()) == 1
    assert run(db_url, "export", biden, "--pair", "1", "2", "--from", "1")[0] == 2


def test_diff_colours_only_when_asked_or_on_a_terminal(db_url: str, biden: str) -> None:
    code, coloured, _ = run(db_url, "diff", biden, "3", "4", "--color", "always")
    assert code == 0
    assert f"{ESC}32m" in coloured and f"{ESC}36m@@ " in coloured
    # piped (CliRunner's stdout is not a terminal): plain, git's word-diff marks instead
    code, piped, _ = run(db_url, "diff", biden, "3", "4")
    assert code == 0 and ESC not in piped and "{+" in piped
    _, never, _ = run(db_url, "diff", biden, "3", "4", "--color", "never")
    assert never == piped
    # --color always is asked for on the command line: it wins over NO_COLOR, as in git
    _, forced, _ = run(db_url, "diff", biden, "3", "4", "--color", "always", env={"NO_COLOR": "1"})
    assert forced == coloured


@pytest.mark.parametrize(("no_color", "expect_color"), [(None, True), ("1", False), ("", True)])
def test_diff_on_a_terminal_honours_no_color(
    sqlite_url: str, samples: Path, no_color: str | None, expect_color: bool
) -> None:
    """A real pseudo-terminal: colour by default, none when NO_COLOR holds anything."""
    run(sqlite_url, "ingest", str(samples / "biden-ukraine-missiles"))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    env["PYTHONPATH"] = str(ROOT)
    env["WIREDIFF_PAGER"] = "cat"  # the colour is under test here, not the pager
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "versions.cli", "--db", sqlite_url, "diff", "biden", "3", "4"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        os.close(follower)
        follower = -1
        output = _read_all(leader)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert process.returncode == 0, process.stderr
    assert "@@ " in output
    assert (ESC in output) is expect_color


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(("fmt", "start"), [("markdown", "# "), ("html", "<!")])
def test_diff_in_markdown_and_html(db_url: str, biden: str, fmt: str, start: str) -> None:
    code, out, _ = run(db_url, "diff", biden, "--format", fmt)
    assert code == 0
    assert out.lstrip().startswith(start)
    assert "v5 (REFILE-UPDATE 3) → v6 (UPDATE 4)" in out


def test_export_file_names_are_safe_and_say_what_they_hold() -> None:
    assert safe_filename("biden-lets-ukraine", "markdown", (2, 3)) == (
        "wirediff-biden-lets-ukraine-v2-v3.md"
    )
    name = safe_filename("../../etc/Pass wd", "html", (1, 6))
    assert name == "wirediff-etc-pass-wd-v1-v6.html"
    assert "/" not in safe_filename("a/b\\c", "csv", (1, 2))
    assert safe_filename("///", "json", (1, 2)) == "wirediff-story-v1-v2.json"
    assert len(safe_filename("x" * 500, "text", (1, 2))) < 120
