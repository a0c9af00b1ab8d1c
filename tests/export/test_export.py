"""Exports of change logs: golden files, escaping, CSV round trip, HTML in a real browser."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.export.export_cases import (
    GOLDEN,
    dnipro_documents,
    dnipro_pair,
    golden_outputs,
    hostile,
)
from versions.export import render
from versions.export.csvfmt import HEADER

OUTPUTS = golden_outputs()


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_matches_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_bytes().decode("utf-8")
    assert OUTPUTS[name] == expected, (
        f"{name} differs from its golden file; if the change is intended, run "
        "tests/export/regenerate.py and read the new file before keeping it"
    )


def test_golden_files_have_no_strays() -> None:
    on_disk = {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file()}
    assert on_disk == set(OUTPUTS)


def test_json_is_the_documented_changelog_list() -> None:
    old, new = dnipro_documents()
    changelog = dnipro_pair()
    exported = json.loads(render([changelog, changelog], "json", documents=[(old, new)] * 2))
    assert exported == [changelog.to_dict(), changelog.to_dict()]


def test_csv_round_trips_through_the_csv_module() -> None:
    changelog = hostile()
    rows = list(csv.reader(io.StringIO(render([changelog], "csv"), newline="")))
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 1 + len(changelog.changes)
    for row, change in zip(rows[1:], changelog.changes, strict=True):
        story, old_version, new_version, section, kind, tags, old, new = row
        assert (story, old_version, new_version) == ("peru-quake", "v1", "v2 (UPDATE 1)")
        assert (section, kind) == (change.section, change.kind)
        assert tags.split("; ") == [str(tag) for tag in change.tags] or not change.tags
        if not new.startswith("'="):
            assert old.split("\n") == list(change.old) or not change.old
            assert new.split("\n") == list(change.new) or not change.new


def test_csv_defuses_formulas() -> None:
    rows = list(csv.reader(io.StringIO(render([hostile()], "csv"))))
    added = next(row for row in rows if row[4] == "added")
    assert added[7].startswith("'=HYPERLINK")


def test_story_text_is_never_markup() -> None:
    changelog = hostile()
    page = render([changelog], "html")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    markdown = render([changelog], "markdown")
    assert not re.search(r"(?<!\\)<", markdown), "every < in story text is backslash-escaped"
    assert r"\<script\>" in markdown
    for text in (page, markdown, render([changelog], "text")):
        assert "\x1b" not in text, "story text must not carry terminal escapes"


def test_colour_only_when_asked() -> None:
    changelog = dnipro_pair()
    plain = render([changelog], "text")
    coloured = render([changelog], "text", color=True)
    assert "\x1b[" not in plain
    assert "(70 miles)" not in plain and "([-70-]{+68+} miles)" in plain
    assert "(\x1b[31m70\x1b[m\x1b[32m68\x1b[m miles)" in coloured


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match="markdown, html, json, csv, text"):
        render([dnipro_pair()], "pdf")  # type: ignore[arg-type]


def test_documents_must_match_changelogs() -> None:
    with pytest.raises(ValueError, match="one \\(old, new\\) pair per change log"):
        render([dnipro_pair(), dnipro_pair()], "markdown", documents=[dnipro_documents()])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _chromium(*args: str) -> str:
    assert CHROMIUM is not None
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@needs_chromium
def test_html_renders_in_chromium_and_hostile_text_stays_text(tmp_path: Path) -> None:
    page = tmp_path / "changelog.html"
    page.write_text(render([hostile(), dnipro_pair()], "html"), encoding="utf-8")
    dom = _chromium("--dump-dom", page.as_uri())
    assert "<h2>v1 → v2 (UPDATE 1)</h2>" in dom
    assert "<ins>68</ins>" in dom and "<del>70</del>" in dom
    lowered = dom.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=" in dom
    assert "<title>Change log: Quake in Peru &lt;script&gt;" in dom  # onerror never ran


@needs_chromium
def test_html_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "changelog.html"
    page.write_text(render([dnipro_pair(), hostile()], "html", documents=None), encoding="utf-8")
    shot = tmp_path / "changelog.png"
    _chromium(f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri())
    assert shot.stat().st_size > 10_000


def test_provenance_sections_show_story_text_as_data() -> None:
    from datetime import UTC, datetime

    from tests.export.export_cases import IMG, SCRIPT
    from versions import compare
    from versions.blame import Provenance, Take
    from versions.lineage import trace
    from versions.model import Document, Paragraph, ParagraphKind

    old = Document((Paragraph(ParagraphKind.TEXT, (f"Officials said {SCRIPT} at dawn.",)),))
    new = Document(
        (
            Paragraph(ParagraphKind.TEXT, (f"Officials said {SCRIPT} at dawn.",)),
            Paragraph(ParagraphKind.TEXT, (f"A witness saw {IMG} later.",)),
        )
    )
    when = datetime(2024, 11, 21, tzinfo=UTC)
    provenance = Provenance(
        "k",
        "t",
        {1: Take(1, "<b>FLASH</b>", when), 2: Take(2, "UPDATE 1", when)},
        {1: old, 2: new},
        {take.number: take for take in trace([old, new])},
        {},
    )
    changelog = compare(old, new)
    page = render([changelog], "html", documents=[(old, new)], provenance=provenance)
    assert "<script>" not in page and "<img" not in page and "<b>FLASH" not in page
    assert '<span class="cell added"' in page and "&lt;script&gt;" in page
    markdown = render([changelog], "markdown", documents=[(old, new)], provenance=provenance)
    assert not re.search(r"(?<!\\)<", markdown.split("## Where v2")[1])
