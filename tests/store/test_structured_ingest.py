"""One version delivered several ways (wire text, ninjs, NewsML-G2, a feed item) is stored once,
in its story and in its place; the delivery's bytes are kept with the item's position in it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from versions.cli import cli
from versions.labels import label_text
from versions.readers import read
from versions.service import Archive
from versions.store import db

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
NINJS_V2 = "formats/biden-ukraine-missiles-v2.ninjs.json"
NINJS_V3 = "formats/biden-ukraine-missiles-v3.ninjs.json"
NEWSML_V3 = "formats/biden-ukraine-missiles-v3.newsml.xml"
NEWSML_V4 = "formats/biden-ukraine-missiles-v4.newsml.xml"
FEED = "feeds/world-news.rss.xml"
BIDEN_LABELS = [None, "UPDATE 1", "UPDATE 2", "UPDATE 3", "REFILE-UPDATE 3", "UPDATE 4"]


def _bytes(samples: Path, name: str) -> bytes:
    return (samples / name).read_bytes()


def _reworded(data: bytes) -> bytes:
    """The same item as another system renders it: one body word differs."""
    edited = data.replace(b"Vladivostok", b"Vladivostock", 1)
    assert edited != data
    return edited


def test_ninjs_and_newsml_of_one_version_are_stored_once(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        (first,) = archive.ingest(_bytes(samples, NINJS_V3), source="v3.json")
        # same guid and version number: the same item, even where the renderings differ
        (twin,) = archive.ingest(_reworded(_bytes(samples, NEWSML_V3)), source="v3.xml")
        (next_version,) = archive.ingest(_bytes(samples, NEWSML_V4), source="v4.xml")

        assert first.status == "added"
        assert (twin.status, twin.story, twin.version) == ("unchanged", first.story, 1)
        assert (next_version.status, next_version.version) == ("added", 2)
        assert [v.format for v in archive.versions(first.story or "")] == ["ninjs", "newsml"]


def test_a_feed_item_without_version_number_is_known_by_guid_time_and_label(
    db_url: str, samples: Path
) -> None:
    """The feed's UPDATE 1 has no version number; its ninjs twin has the same guid, time, label."""
    with Archive.open(db_url) as archive:
        stored = archive.ingest(_bytes(samples, FEED), source="feed.xml")
        (twin,) = archive.ingest(_reworded(_bytes(samples, NINJS_V2)), source="v2.json")

        assert [r.status for r in stored] == ["added"] * 4
        assert (twin.status, twin.story, twin.version) == ("unchanged", stored[2].story, 2)


def test_a_feed_item_edited_in_place_is_an_update(db_url: str, samples: Path) -> None:
    """Same guid, time and label in the same format but a new text: never swallowed."""
    feed = _bytes(samples, FEED)
    with Archive.open(db_url) as archive:
        archive.ingest(feed, source="feed.xml")
        edited = feed.replace(b"The election of Trump", b"The November election of Trump")
        assert edited.count(b"November election") == 1  # in the feed's UPDATE 1 only
        again = archive.ingest(edited, source="feed-edited.xml")
        assert [r.status for r in again] == ["unchanged", "unchanged", "added", "unchanged"]
        assert again[2].version == 3
        assert archive.compare("biden", 2, 3).summary["changed"] == 1


def test_a_feed_item_is_a_twin_of_its_wire_text_even_without_the_summary_bullets(
    db_url: str, samples: Path
) -> None:
    """Feeds drop the bullets: same label, same text otherwise → the same version."""
    with Archive.open(db_url) as archive:
        for name in ("01-first-take.txt", "02-update-1.txt", "03-update-2.txt"):
            archive.ingest(_bytes(samples, f"biden-ukraine-missiles/{name}"), source=name)
        results = archive.ingest(_bytes(samples, FEED), source="feed.xml")

        biden = [r for r in results if r.story and r.story.startswith("biden")]
        assert [(r.status, r.version) for r in biden] == [("unchanged", 1), ("unchanged", 2)]
        assert len(archive.versions("biden")) == 3


def test_a_later_rendering_is_recognised_through_the_identity_learnt_from_its_twin(
    db_url: str, samples: Path
) -> None:
    """Plain text first: the ninjs twin tells the stored version its guid and number."""
    with Archive.open(db_url) as archive:
        archive.ingest(_bytes(samples, "biden-ukraine-missiles/03-update-2.txt"), source="p3")
        (ninjs,) = archive.ingest(_bytes(samples, NINJS_V3), source="v3.json")
        (newsml,) = archive.ingest(_reworded(_bytes(samples, NEWSML_V3)), source="v3.xml")

        assert (ninjs.status, newsml.status) == ("unchanged", "unchanged")
        assert len(archive.versions("biden")) == 1


def test_the_same_guid_with_a_new_text_is_a_new_version(db_url: str, samples: Path) -> None:
    """Dedupe never swallows an update: v3 → v4 of one guid are two versions."""
    with Archive.open(db_url) as archive:
        archive.ingest(_bytes(samples, NEWSML_V4), source="v4.xml")
        (older,) = archive.ingest(_bytes(samples, NINJS_V3), source="v3.json")
        assert (older.status, older.version) == ("added", 1)
        assert [label_text(v.label) for v in archive.versions("biden")] == ["UPDATE 2", "UPDATE 3"]


def test_each_feed_item_keeps_the_whole_delivery_and_its_position(
    db_url: str, samples: Path
) -> None:
    feed = _bytes(samples, FEED)
    with Archive.open(db_url) as archive:
        results = archive.ingest(feed, source="feed.xml")
        items = read(feed)
        for position, result in enumerate(results):
            story = result.story or ""
            row = archive.versions(story)[(result.version or 0) - 1]
            assert row.item_index == position
            raw = archive.raw(story, row.number)
            assert raw == feed
            assert read(raw)[position].text == archive.document(story, row.number).text
        assert items[0].meta.guid != items[1].meta.guid


def test_a_mixed_folder_threads_every_item_into_its_story_in_order(
    db_url: str, samples: Path, tmp_path: Path
) -> None:
    """All four formats and a bad file, older versions delivered late, in one ingest."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    deliveries = {
        "1-world.rss.xml": samples / FEED,
        "2-biden-v4.xml": samples / NEWSML_V4,
        "3-biden-v3.xml": samples / NEWSML_V3,
        "4-biden-v2.json": samples / NINJS_V2,  # twin of the feed's UPDATE 1
        "5-biden-refile.txt": samples / "biden-ukraine-missiles/05-refile.txt",
        "6-biden-update-4.txt": samples / "biden-ukraine-missiles/06-update-4.txt",
        "7-peru-update-2.txt": samples / "peru-earthquake/03-update-2.txt",
        "8-bomb.xml": FIXTURES / "billion-laughs.xml",
        "9-skarvik.txt": samples / "skarvik-castell-deal/01-first-take.txt",
    }
    for name, source in deliveries.items():
        shutil.copy(source, folder / name)

    result = CliRunner().invoke(cli, ["--db", db_url, "ingest", str(folder)])
    lines = result.stdout.splitlines()

    assert result.exit_code == 1
    rejected = [line for line in lines if "rejected" in line]
    assert len(rejected) == 1 and rejected[0].startswith(f"{folder / '8-bomb.xml'}: rejected: ")
    assert "entit" in rejected[0]  # the reason names what is wrong with it
    assert len(lines) == 4 + 8  # the feed's four items, then one line per other file
    assert "4-biden-v2.json: biden" in lines[6] and lines[6].endswith(" v2 unchanged")

    with Archive.open(db_url) as archive:
        assert sorted(s.key.split("-")[0] for s in archive.stories()) == [
            "biden",
            "skarvik",
            "strong",
        ]
        biden = archive.versions("biden")
        assert [label_text(v.label) for v in biden] == BIDEN_LABELS
        assert [v.format for v in biden] == ["rss", "rss", "newsml", "newsml", "text", "text"]
        peru = archive.versions("strong")
        assert [label_text(v.label) for v in peru] == [None, "UPDATE 1", "UPDATE 2"]
        assert archive.versions("skarvik")[0].label is None


def test_json_lines_say_which_delivery_was_recognised(db_url: str, samples: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--db", db_url, "ingest", str(samples / "biden-ukraine-missiles")])
    result = runner.invoke(
        cli, ["--db", db_url, "ingest", "--format", "json", str(samples / "formats")]
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert [(row["status"], row["version"]) for row in rows] == [
        ("unchanged", 2),
        ("unchanged", 3),
        ("unchanged", 3),
        ("unchanged", 4),
    ]


def test_item_positions_survive_downgrade_and_upgrade(db_url: str, samples: Path) -> None:
    """Dropping the column keeps the stories; after the upgrade old rows say "unknown"."""
    with Archive.open(db_url) as archive:
        archive.ingest(_bytes(samples, FEED), source="feed.xml")
        before = {s.key: archive.compare(s.key).to_dict() for s in archive.stories()}

    db.downgrade(db_url, "ee97140b5a4c-1")  # to before version.item_index
    db.upgrade(db_url)

    with Archive.open(db_url) as archive:
        assert {s.key: archive.compare(s.key).to_dict() for s in archive.stories()} == before
        assert {v.item_index for key in before for v in archive.versions(key)} == {None}
        (added,) = archive.ingest(_bytes(samples, NEWSML_V4), source="v4.xml")
        assert archive.versions(added.story or "")[-1].item_index == 0
