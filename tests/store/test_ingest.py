"""Ingest: what gets stored, in which story, in which order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from versions.errors import AmbiguousStory, UnknownStory, UnknownVersion
from versions.labels import label_text
from versions.model import Status
from versions.readers import read
from versions.service import Archive
from versions.store.pieces import text_pieces


def _sample_files(samples: Path, story: str) -> list[Path]:
    return sorted((samples / story).glob("*.txt"))


def test_the_same_file_twice_is_stored_once(db_url: str, samples: Path) -> None:
    path = _sample_files(samples, "peru-earthquake")[0]
    with Archive.open(db_url) as archive:
        first, second = list(archive.ingest_paths([path, path]))
        assert (first.status, first.version) == ("added", 1)
        assert (second.status, second.story, second.version) == ("unchanged", first.story, 1)
        assert len(archive.versions(first.story or "")) == 1


def test_a_refile_with_the_same_text_is_a_new_version_with_no_change(
    db_url: str, samples: Path
) -> None:
    files = _sample_files(samples, "biden-ukraine-missiles")
    with Archive.open(db_url) as archive:
        results = list(archive.ingest_paths(files))
        refile = results[4]
        assert (refile.status, refile.version) == ("added", 5)
        assert refile.counts is not None and refile.counts.short() == "no change"
        assert label_text(archive.versions(refile.story or "")[4].label) == "REFILE-UPDATE 3"


def test_interleaved_stories_are_threaded_into_their_own_stories(
    db_url: str, samples: Path
) -> None:
    """Versions of three stories arriving mixed up, with no --story, end up where they belong."""
    stories = ["biden-ukraine-missiles", "peru-earthquake", "skarvik-castell-deal"]
    files = {name: _sample_files(samples, name) for name in stories}
    interleaved = [
        path
        for round_ in range(max(len(f) for f in files.values()))
        for name in stories
        for path in files[name][round_ : round_ + 1]
    ]
    with Archive.open(db_url) as archive:
        results = list(archive.ingest_paths(interleaved))

        assert all(r.status == "added" for r in results), results
        by_source = {r.source: r for r in results}
        assert archive.story_count() == 3
        for name in stories:
            mine = [by_source[str(path)] for path in files[name]]
            assert len({r.story for r in mine}) == 1
            assert [r.version for r in mine] == list(range(1, len(mine) + 1))
            assert len(archive.versions(mine[0].story or "")) == len(mine)


def test_a_rejected_file_leaves_the_stored_stories_untouched(
    db_url: str, samples: Path, tmp_path: Path
) -> None:
    good = _sample_files(samples, "peru-earthquake")
    bad = tmp_path / "broken.json"
    bad.write_bytes(b'{"uri": "urn:x", "headline": ')
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(good[:2]))
        before = archive.stories()
        versions_before = archive.versions(before[0].key)

        results = list(archive.ingest_paths([bad, good[2]]))

        assert results[0].status == "rejected"
        assert results[0].reason and "JSON" in results[0].reason
        assert results[1].status == "added" and results[1].version == 3
        assert archive.story_count() == 1
        assert archive.versions(before[0].key)[:2] == versions_before


def test_an_explicit_story_key_wins_over_threading(db_url: str, samples: Path) -> None:
    peru = _sample_files(samples, "peru-earthquake")[0]
    skarvik = _sample_files(samples, "skarvik-castell-deal")[0]
    with Archive.open(db_url) as archive:
        results = list(archive.ingest_paths([peru, skarvik], story="desk-pick"))
        assert [(r.story, r.version) for r in results] == [("desk-pick", 1), ("desk-pick", 2)]


def test_raw_bytes_and_parsed_sentences_are_kept(db_url: str, samples: Path) -> None:
    path = _sample_files(samples, "biden-ukraine-missiles")[3]
    data = path.read_bytes()
    with Archive.open(db_url) as archive:
        (result,) = archive.ingest(data, source=str(path))
        key = result.story or ""
        assert archive.raw(key, 1) == data
        stored = archive.document(key, 1)
        parsed = read(data, str(path))[0]
        assert stored.paragraphs == parsed.paragraphs
        assert stored.meta.label == parsed.meta.label


def _ninjs(uri: str, version: int, created: datetime, body: str, status: str = "usable") -> bytes:
    item = {
        "uri": uri,
        "version": str(version),
        "versioncreated": created.isoformat(),
        "pubstatus": status,
        "headline": "Floods cut off mountain villages in northern Italy",
        "body_text": body,
    }
    return json.dumps(item).encode()


_BODIES = [
    "Floods cut off three villages in the Aosta valley on Monday, officials said.",
    "Floods cut off three villages in the Aosta valley on Monday, officials said. "
    "Rescue teams reached one of them by helicopter.",
    "Floods cut off five villages in the Aosta valley on Monday, officials said. "
    "Rescue teams reached two of them by helicopter. Two people are missing.",
]


def test_a_late_item_is_put_in_its_true_order(db_url: str) -> None:
    start = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)
    items = {
        n: _ninjs("urn:x:floods", n, start + timedelta(hours=n), _BODIES[n - 1]) for n in (1, 2, 3)
    }
    with Archive.open(db_url) as archive:
        archive.ingest(items[1], source="v1")
        archive.ingest(items[3], source="v3")
        (late,) = archive.ingest(items[2], source="v2")

        assert (late.status, late.version) == ("added", 2)
        versions = archive.versions(late.story or "")
        assert [v.created_at for v in versions] == [start + timedelta(hours=n) for n in (1, 2, 3)]
        # the summaries stored at ingest match a fresh comparison of the neighbours
        for version in versions[1:]:
            fresh = archive.compare(late.story or "", version.number - 1, version.number)
            assert version.counts is not None
            assert version.counts.added == fresh.summary["added"]
            assert version.counts.changed == fresh.summary["changed"]


def test_a_withdrawn_item_marks_the_story_and_keeps_its_history(db_url: str) -> None:
    created = datetime(2024, 11, 21, 9, 0, tzinfo=UTC)
    with Archive.open(db_url) as archive:
        archive.ingest(_ninjs("urn:x:floods", 1, created, _BODIES[0]), source="v1")
        (result,) = archive.ingest(
            _ninjs("urn:x:floods", 2, created + timedelta(hours=1), "", status="canceled"),
            source="kill",
        )
        story = archive.story(result.story or "")
        assert story.status is Status.WITHDRAWN
        assert story.versions == 2


def test_stories_are_found_by_key_or_unique_prefix(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([samples]))
        keys = [s.key for s in archive.stories(order="title")]
        peru = next(key for key in keys if "peru" in key)
        assert archive.story(peru[:12]).key == peru
        with pytest.raises(UnknownStory):
            archive.story("no-such-story")
        with pytest.raises(AmbiguousStory):
            archive.story("")
        with pytest.raises(UnknownVersion):
            archive.document(peru, 99)


def test_listing_filters_and_orders(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([samples]))
        updated = archive.stories()
        assert [s.last_update for s in updated] == sorted(
            (s.last_update for s in updated), reverse=True
        )
        titles = [s.title for s in archive.stories(order="title")]
        assert titles == sorted(titles)
        assert [s.key for s in archive.stories(match="PERU")] == [
            s.key for s in updated if "peru" in s.key
        ]
        assert archive.story_count("peru") == 1
        assert archive.stories(limit=2, offset=1) == updated[1:3]
        latest = updated[0]
        assert latest.latest == archive.versions(latest.key)[-1].counts


def test_search_returns_the_first_version_with_the_words(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        results = list(archive.ingest_paths(_sample_files(samples, "peru-earthquake")))
        texts = [archive.document(results[0].story or "", n).text for n in range(1, 5)]
        word = next(
            w for w in ("aftershock", "aftershocks", "hospital", "rescue") if w in texts[-1].lower()
        )
        first = next(n for n, t in enumerate(texts, start=1) if word in t.lower())
        (hit,) = archive.search(word)
        assert hit.version == first
        assert word in hit.snippet.lower()
        assert archive.search("zzzunknownword") == []


def long_take() -> str:
    """A take of about 100 KB, "zanzibar" in its first paragraphs and "quokka" in its last."""
    paragraphs = [
        f"Delegates from region {n} met in the hall and talked it over." for n in range(1_500)
    ]
    paragraphs[3] += " A zanzibar envoy spoke first."
    paragraphs[-3] += " The quokka delegation left last."
    head = ["Long summit report on the talks", "OSLO, March 3 (Reuters) - Start."]
    return "\n\n".join([*head, *paragraphs]) + "\n"


def test_search_finds_the_words_of_a_long_take_in_whichever_piece_holds_them(
    db_url: str,
) -> None:
    with Archive.open(db_url) as archive:
        (result,) = archive.ingest(long_take().encode(), source="long.txt")
        pieces = text_pieces(archive.document(result.story or "", 1).text)
        assert len(pieces) > 1 and "zanzibar" in pieces[0] and "quokka" in pieces[-1]
        for query in ("zanzibar quokka", 'the "zanzibar envoy" quokka', '"quokka delegation"'):
            assert [hit.story_key for hit in archive.search(query)] == [result.story], query
        for query in ("zanzibar wombat", '"quokka envoy" zanzibar'):
            assert archive.search(query) == [], query


def test_another_connection_s_ingest_changes_the_token(db_url: str, samples: Path) -> None:
    files = _sample_files(samples, "skarvik-castell-deal")
    with Archive.open(db_url) as watcher, Archive.open(db_url) as writer:
        writer.ingest_paths([files[0]])  # a generator: nothing stored yet
        token = watcher.change_token()
        mark = watcher.latest_version_id()
        list(writer.ingest_paths(files[:2]))
        assert watcher.change_token() != token
        assert [v.number for v in watcher.versions_since(mark)] == [1, 2]
