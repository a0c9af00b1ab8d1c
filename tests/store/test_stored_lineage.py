"""Lineage stored at ingest: blame of any version, restored text, late arrivals, the migration."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect

from versions.cli import cli
from versions.export.blame import render_json
from versions.service import Archive
from versions.store import db

LINEAGE_REVISION = "c5d1e7a94b32"
START = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)

KURSK = "Russia has sent 8,000 North Korean troops to Kursk, officials said."
PENTAGON = "The Pentagon declined to comment on the new policy on Thursday."
TALKS = "Talks between the two governments stalled last month in Geneva."
DNIPRO = "A U.S. official said Russia fired a ballistic missile at Dnipro."
STRIKE = "Ukraine struck an arms depot inside Russia on Tuesday."


def _ninjs(
    version: int, paragraphs: list[str], uri: str = "urn:x:kursk", label: str | None = None
) -> bytes:
    headline = "North Korean troops reach Kursk front"
    item = {
        "uri": uri,
        "version": str(version),
        "versioncreated": (START + timedelta(hours=version)).isoformat(),
        "pubstatus": "usable",
        "headline": f"{label}-{headline}" if label else headline,
        "body_text": "\n\n".join(paragraphs),
    }
    return json.dumps(item).encode()


# v4 removes the Pentagon line; v6 restores it: removed in one take, restored two takes later
TAKES = [
    [KURSK],
    [KURSK, PENTAGON],
    [KURSK, PENTAGON, TALKS],
    [KURSK, TALKS],
    [KURSK, TALKS, DNIPRO],
    [KURSK, PENTAGON, TALKS, DNIPRO.replace("A U.S.", "A senior U.S.")],
    [KURSK, PENTAGON, TALKS, DNIPRO.replace("A U.S.", "A senior U.S."), STRIKE],
]


def _sentence(data: dict[str, object], text: str) -> dict[str, object]:
    sentences = data["sentences"]
    assert isinstance(sentences, list)
    (found,) = [s for s in sentences if s["text"] == text]
    assert isinstance(found, dict)
    return found


def _blame_json(archive: Archive, story: str, number: int | None = None) -> dict[str, object]:
    data = json.loads(render_json(archive.blame(story, number)))
    assert isinstance(data, dict)
    return data


def test_seed_story_blame_shows_the_dnipro_sentence_entering_in_v3_reattributed_in_v6(
    db_url: str, samples: Path
) -> None:
    files = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", db_url, "ingest", *map(str, files)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", db_url, "blame", "biden"])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "Dnipro" in line]
    assert line.startswith("v3   UPDATE 2")
    assert "~v6" in line and "A senior U.S. official said" in line

    result = runner.invoke(cli, ["--db", db_url, "blame", "biden", "3", "--format", "json"])
    data = json.loads(result.output)
    (dnipro,) = [s for s in data["sentences"] if "Dnipro" in s["text"]]
    assert (dnipro["origin"], dnipro["began"], dnipro["last_changed"]) == ("added", 3, None)


def test_a_sentence_removed_and_restored_two_takes_later_shows_both_dates(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        for number, paragraphs in enumerate(TAKES, start=1):
            (result,) = archive.ingest(_ninjs(number, paragraphs), source=f"v{number}")
            assert result.status == "added"
        key = archive.stories()[0].key

        data = _blame_json(archive, key, 6)
        assert _sentence(data, PENTAGON)["restored"] == {
            "restored_in": 6,
            "removed_in": 4,
            "earlier": {"version": 3, "index": 2},
        }
        assert _sentence(data, PENTAGON)["began"] == 2
        removed = _blame_json(archive, key, 4)["removed"]
        assert isinstance(removed, list)
        assert [(r["text"], r["removed_in"], r["began"]) for r in removed] == [(PENTAGON, 4, 2)]

        text = CliRunner().invoke(cli, ["--db", db_url, "blame", key]).output
        assert (
            "restored in v6 (2024-11-21 15:00), removed in v4 (2024-11-21 13:00), "
            "first in v2 (2024-11-21 11:00)"
        ) in text
        dnipro = _sentence(_blame_json(archive, key), DNIPRO.replace("A U.S.", "A senior U.S."))
        assert (dnipro["began"], dnipro["edits"]) == (5, [6])


def test_a_late_take_recomputes_the_lineage_of_the_takes_after_it(db_url: str) -> None:
    with Archive.open(db_url) as in_order:
        for number, paragraphs in enumerate(TAKES, start=1):
            in_order.ingest(_ninjs(number, paragraphs), source=f"v{number}")
        key = in_order.stories()[0].key
        expected = [_blame_json(in_order, key, n) for n in range(1, len(TAKES) + 1)]
    with Archive.open(db_url) as late:  # the same takes as a second story, 2 and 4 arriving last
        order = [1, 3, 5, 6, 7, 2, 4]
        for number in order:
            late.ingest(_ninjs(number, TAKES[number - 1], "urn:x:late"), source=f"late{number}")
        late_key = next(s.key for s in late.stories() if s.key != key)
        assert [v.number for v in late.versions(late_key)] == list(range(1, 8))
        for number, want in enumerate(expected, start=1):
            got = _blame_json(late, late_key, number)
            assert got["sentences"] == want["sentences"], number
            assert got["removed"] == want["removed"], number


def test_lineage_traced_from_memory_equals_lineage_read_back_and_survives_a_second_writer(
    db_url: str,
) -> None:
    """Ingest keeps each story's last take in memory; the result must not depend on it."""

    for number, paragraphs in enumerate(TAKES, start=1):  # nothing kept: a process per take
        with Archive.open(db_url) as fresh:
            fresh.ingest(_ninjs(number, paragraphs, "urn:x:fresh"), source=f"f{number}")
    with Archive.open(db_url) as one:  # everything kept
        for number, paragraphs in enumerate(TAKES, start=1):
            one.ingest(_ninjs(number, paragraphs, "urn:x:one"), source=f"o{number}")
    with Archive.open(db_url) as first, Archive.open(db_url) as second:
        for number, paragraphs in enumerate(TAKES, start=1):  # each one's memory goes stale
            writer = first if number in (1, 2, 5) else second
            writer.ingest(_ninjs(number, paragraphs, "urn:x:two"), source=f"t{number}")
    with Archive.open(db_url) as archive:
        by_uri = {}
        for story in archive.stories():
            raw = archive.raw(story.key, 1)
            by_uri[json.loads(raw)["uri"]] = story.key
        expected = [_blame_json(archive, by_uri["urn:x:fresh"], n) for n in range(1, 8)]
        for uri in ("urn:x:one", "urn:x:two"):
            for number, want in enumerate(expected, start=1):
                got = _blame_json(archive, by_uri[uri], number)
                assert got["sentences"] == want["sentences"], (uri, number)
                assert got["removed"] == want["removed"], (uri, number)
        restored = _sentence(_blame_json(archive, by_uri["urn:x:two"], 6), PENTAGON)["restored"]
        assert restored == {
            "restored_in": 6,
            "removed_in": 4,
            "earlier": {"version": 3, "index": 2},
        }


def test_blame_of_an_unknown_version_is_one_clear_line(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        archive.ingest(_ninjs(1, TAKES[0]), source="v1")
    result = CliRunner().invoke(cli, ["--db", db_url, "blame", "north", "9"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("wirediff: ") and "no version 9" in result.output


def test_upgrade_fills_lineage_for_stored_stories_and_downgrade_removes_it(
    db_url: str, samples: Path
) -> None:
    files = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(files))
        for number, paragraphs in enumerate(TAKES, start=1):
            archive.ingest(_ninjs(number, paragraphs), source=f"v{number}")
        keys = [row.key for row in archive.stories()]
        before = {
            (key, n): _blame_json(archive, key, n)
            for key in keys
            for n in range(1, archive.story(key).versions + 1)
        }

    db.downgrade(db_url, f"{LINEAGE_REVISION}-1")
    engine = db.make_engine(db_url)
    try:
        assert "lineage" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    db.upgrade(db_url)

    with Archive.open(db_url) as archive:
        for (key, n), want in before.items():
            assert _blame_json(archive, key, n) == want


def test_search_names_the_take_that_first_carried_a_phrase_and_the_one_that_dropped_it(
    db_url: str, samples: Path
) -> None:
    files = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(files))
        (hit,) = archive.search('"A U.S. official said"')
        assert (hit.version, hit.dropped_in) == (3, 6)
        assert "A U.S. official said" in hit.snippet
        (hit,) = archive.search('Dnipro "senior U.S. official said on Thursday"')
        assert (hit.version, hit.dropped_in) == (6, None)
        # the words of a phrase, apart, are not the phrase
        assert archive.search('"official said Dnipro"') == []
        assert len(archive.search("official said Dnipro")) == 1

    result = CliRunner().invoke(cli, ["--db", db_url, "search", '"did not immediately respond"'])
    assert result.exit_code == 0
    assert " v1 (dropped in v6)  Biden lets Ukraine" in result.output.splitlines()[0]


def test_exports_carry_lineage_and_the_html_the_grid(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        for number, paragraphs in enumerate(TAKES, start=1):
            archive.ingest(_ninjs(number, paragraphs), source=f"v{number}")
        key = archive.stories()[0].key
        exported = json.loads(archive.export(key, "json").text)
        restored = [s for s in exported[4]["lineage"]["sentences"] if s["origin"] == "restored"]
        assert [(s["text"], s["began"]) for s in restored] == [(PENTAGON, 2)]
        page = archive.export(key, "html").text
        assert page.count("<tr><th>v") == len(TAKES)
        assert '<span class="cell restored"' in page and "<script" not in page
        markdown = archive.export(key, "markdown").text
        assert "## The story take by take" in markdown
        assert "removed in v4, restored in v6" in markdown
        assert "lineage" not in archive.export(key, "csv").text


def test_a_take_returning_to_an_earlier_text_is_a_revert_in_blame_and_exports(
    db_url: str,
) -> None:
    reverted = [TAKES[0], TAKES[1], TAKES[2], TAKES[1]]  # v4 undoes v3
    with Archive.open(db_url) as archive:
        for number, paragraphs in enumerate(reverted, start=1):
            label = f"UPDATE {number - 1}" if number > 1 else None
            (result,) = archive.ingest(_ninjs(number, paragraphs, label=label), source=f"{number}")
            assert result.status == "added"  # a revert under a new label is a new take
        key = archive.stories()[0].key
        assert _blame_json(archive, key)["reverts_to"] == 2
        assert _blame_json(archive, key, 3)["reverts_to"] is None
        text = CliRunner().invoke(cli, ["--db", db_url, "blame", key]).output
        assert "v4 returns to the text of v2: a revert" in text.splitlines()[2]
        markdown = archive.export(key, "markdown").text
        section = markdown.split("→ v4 (UPDATE 3)")[1].split("## ")[0]
        assert "**v4 returns to the text of v2: a revert**" in section
        restored = _sentence(_blame_json(archive, key), PENTAGON)
        assert restored["began"] == 2 and restored["origin"] == "equal"


def test_a_revert_under_the_label_of_the_take_it_returns_to_is_a_new_version(
    db_url: str,
) -> None:
    """The wire refiles v2's text under v2's label after v3: a revert, not a duplicate of v2.
    The same item delivered again, or twice in a row, still stores once."""
    labels = [None, "UPDATE 1", "UPDATE 2", "UPDATE 1"]
    reverted = [TAKES[0], TAKES[1], TAKES[2], TAKES[1]]
    items = [
        _ninjs(number, paragraphs, label=label)
        for number, (paragraphs, label) in enumerate(zip(reverted, labels, strict=True), start=1)
    ]
    with Archive.open(db_url) as archive:
        for number, item in enumerate(items, start=1):
            (result,) = archive.ingest(item, source=f"take {number}")
            assert (result.status, result.version) == ("added", number)
        key = archive.stories()[0].key
        assert archive.reverts(key) == {4: 2}
        assert _blame_json(archive, key)["reverts_to"] == 2
        diff = ["--db", db_url, "diff", key, "--color", "never"]
        lines = CliRunner().invoke(cli, diff).output.splitlines()
        assert lines[1] == "↺ v4 returns to the text of v2: a revert"
        assert "revert" not in CliRunner().invoke(cli, [*diff, "2", "3"]).output
        again = [archive.ingest(item, source="again")[0] for item in items]
        assert [(r.status, r.version) for r in again] == [("unchanged", n) for n in (1, 2, 3, 4)]
        (twice,) = archive.ingest(_ninjs(5, TAKES[1], label="UPDATE 1"), source="take 5")
        assert (twice.status, twice.version) == ("unchanged", 4)  # v4's text right after v4
        assert len(archive.versions(key)) == 4
