"""Each editor's desk in the archive: follows, the version last seen, unread counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from versions.errors import UnknownStory, UnknownVersion
from versions.service import Archive
from versions.store import db

PERU = "strong-earthquake-strikes-southern-peru-at-least-12-dead"
BIDEN = "biden-lets-ukraine-use-u-s-missiles-to-strike-deep-inside"


def _takes(samples: Path, story: str) -> list[Path]:
    return sorted((samples / story).glob("*.txt"))


def test_follow_counts_only_what_arrives_after(db_url: str, samples: Path) -> None:
    peru = _takes(samples, "peru-earthquake")
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(peru[:2]))
        assert archive.follow("ana", "strong").changed
        assert archive.followed("ana") == {PERU}
        assert archive.last_seen("ana", PERU) == 2
        assert archive.unread("ana") == {}

        list(archive.ingest_paths(peru[2:]))
        assert archive.unread("ana") == {PERU: len(peru) - 2}


def test_two_editors_keep_their_own_follows_and_reading(db_url: str, samples: Path) -> None:
    peru = _takes(samples, "peru-earthquake")
    biden = _takes(samples, "biden-ukraine-missiles")
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([peru[0], biden[0]]))
        archive.follow("ana", PERU)
        archive.follow("bob", BIDEN)
        archive.follow("bob", PERU)
        list(archive.ingest_paths([peru[1], biden[1], biden[2]]))

        assert archive.unread("ana") == {PERU: 1}
        assert archive.unread("bob") == {PERU: 1, BIDEN: 2}
        assert archive.mark_seen("bob", BIDEN, 3)
        assert archive.unread("bob") == {PERU: 1}
        assert archive.unread("ana") == {PERU: 1}
        assert archive.followed("carla") == frozenset()
        assert [row.key for row in archive.stories(followed_by="ana")] == [PERU]


def test_seen_never_moves_backwards(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(_takes(samples, "peru-earthquake")))
        archive.follow("ana", PERU)
        assert not archive.mark_seen("ana", PERU, 2)
        assert archive.last_seen("ana", PERU) == 4
        with pytest.raises(UnknownVersion):
            archive.mark_seen("ana", PERU, 9)
        with pytest.raises(UnknownStory):
            archive.follow("ana", "no-such-story")


def test_following_twice_and_unfollowing(db_url: str, samples: Path) -> None:
    peru = _takes(samples, "peru-earthquake")
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(peru[:1]))
        assert archive.follow("ana", PERU).changed
        assert not archive.follow("ana", PERU).changed
        assert archive.unfollow("ana", PERU).changed
        assert not archive.unfollow("ana", PERU).changed
        assert archive.followed("ana") == frozenset()
        list(archive.ingest_paths(peru[1:]))
        # unfollowed: no news counted, but what was read is still known on a new follow
        assert archive.unread("ana") == {}
        archive.follow("ana", PERU)
        assert archive.unread("ana") == {PERU: len(peru) - 1}


def test_seen_is_kept_by_version_when_an_earlier_take_arrives_late(
    db_url: str, samples: Path
) -> None:
    """Take 2 arriving after take 3 renumbers take 3: the editor still read take 3."""
    peru = _takes(samples, "peru-earthquake")
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([peru[0], peru[2]]))
        archive.follow("ana", PERU)
        seen = archive.versions(PERU)[-1]
        list(archive.ingest_paths([peru[1]]))
        numbers = {row.id: row.number for row in archive.versions(PERU)}
        assert archive.last_seen("ana", PERU) == numbers[seen.id]


def test_catchup_diffs_from_the_last_seen_version_and_marks_it_read(
    db_url: str, samples: Path
) -> None:
    peru = _takes(samples, "peru-earthquake")
    biden = _takes(samples, "biden-ukraine-missiles")
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([peru[0], biden[0]]))
        archive.follow("ana", PERU)
        archive.follow("ana", BIDEN)
        list(archive.ingest_paths(peru[1:3]))

        (peek,) = archive.catchup("ana", mark=False)
        assert (peek.story.key, peek.seen, peek.latest, peek.unread) == (PERU, 1, 3, 2)
        changelog = peek.comparison.changelog
        assert changelog.old.version == 1 and changelog.new.version == 3
        assert archive.unread("ana") == {PERU: 2}

        (caught,) = archive.catchup("ana")
        assert caught.to_dict()["changes"] == peek.to_dict()["changes"]
        assert archive.unread("ana") == {}
        assert archive.catchup("ana") == []


def test_a_deleted_story_takes_its_follows_with_it(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths(_takes(samples, "peru-earthquake")[:1]))
        archive.follow("ana", PERU)
    engine = db.make_engine(db_url)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.exec_driver_sql("DELETE FROM story")
    finally:
        engine.dispose()
    with Archive.open(db_url) as archive:
        assert archive.followed("ana") == frozenset()
        assert archive.unread("ana") == {}
