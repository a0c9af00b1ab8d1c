"""Finding a story by a piece of its title or key, as the desk types it.

At 100,000 stories these lookups go through an index (FTS5 trigrams on SQLite,
pg_trgm on PostgreSQL; see bench/store.py); the answers must be exactly
those of a plain substring test, on both engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from versions.service import Archive
from versions.store import db

STORIES = {
    "port-strike": "Port strike halts container traffic in Rotterdam",
    "rate-cut": "ECB cuts rates by 25% as euro_zone growth stalls",
    "quake-peru": "Strong earthquake strikes southern Peru, at least 12 dead",
    "o-brien": 'Minister O\'Brien says "no deal" on fishing quotas',
}


def _story_text(title: str) -> bytes:
    return f"{title}\n\nLONDON, Nov 21 (Reuters) - {title}, officials said on Thursday.\n".encode()


@pytest.fixture
def archive(db_url: str) -> Archive:
    with Archive.open(db_url) as opened:
        for key, title in STORIES.items():
            (result,) = opened.ingest(_story_text(title), source=key, story=key)
            assert result.status == "added"
    return Archive.open(db_url)


def _matching(archive: Archive, text: str) -> set[str]:
    keys = {row.key for row in archive.stories(match=text)}
    assert archive.story_count(text) == len(keys)
    return keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contain", {"port-strike"}),  # inside a title
        ("ROTTERDAM", {"port-strike"}),  # case aside
        ("strike", {"port-strike", "quake-peru"}),  # title of one, key and title of another
        ("ake-pe", {"quake-peru"}),  # inside a key only
        ("25%", {"rate-cut"}),  # LIKE wildcards are plain characters
        ("euro_zone", {"rate-cut"}),
        ("o_zone", {"rate-cut"}),
        ("25%x", set()),
        ("o'brien", {"o-brien"}),  # quotes are plain characters too
        ('"no deal"', {"o-brien"}),
        ("ro", {"port-strike", "rate-cut", "quake-peru"}),  # shorter than a trigram
        ("rotterdam port", set()),
    ],
)
def test_match_finds_exactly_the_stories_holding_the_text(
    archive: Archive, text: str, expected: set[str]
) -> None:
    with archive:
        assert _matching(archive, text) == expected


def test_match_follows_the_title_of_the_latest_version(archive: Archive) -> None:
    new_title = "Dockers end strike, Rotterdam traffic resumes"
    with archive:
        (result,) = archive.ingest(_story_text(new_title), source="v2", story="port-strike")
        assert result.version == 2
        assert _matching(archive, "dockers") == {"port-strike"}
        assert _matching(archive, "halts container") == set()


def test_the_index_is_rebuilt_after_a_downgrade(archive: Archive, db_url: str) -> None:
    archive.close()
    db.downgrade(db_url, "a3f7c9e2b184-1")  # to before the story filter index
    db.upgrade(db_url)
    with Archive.open(db_url) as reopened:
        assert _matching(reopened, "earthquake") == {"quake-peru"}


def test_a_key_prefix_finds_one_story_whatever_its_case(archive: Archive, samples: Path) -> None:
    with archive:
        assert archive.story("quake").key == "quake-peru"
        assert archive.story("o-b").key == "o-brien"
        assert archive.story("QUAKE").key == "quake-peru"
        with pytest.raises(Exception, match="no story"):
            archive.story("QUAKES")


def test_a_new_story_whose_slug_is_taken_gets_the_next_free_number(
    db_url: str, samples: Path
) -> None:
    """Unrelated stories whose long headlines agree on the words the slug keeps."""
    start = "Talks continue in Brussels over the budget for the next seven years as"
    endings = ["ministers say", "farmers protest", "deadline nears"]
    bodies = [
        sorted((samples / story).glob("*.txt"))[0].read_text(encoding="utf-8").split("\n", 1)[1]
        for story in ("peru-earthquake", "skarvik-castell-deal", "biden-ukraine-missiles")
    ]
    with Archive.open(db_url) as archive:
        keys = []
        for end, body in zip(endings, bodies, strict=True):
            (result,) = archive.ingest(f"{start} {end}\n{body}".encode(), source=end)
            keys.append(result.story)
    base = "talks-continue-in-brussels-over-the-budget-for-the-next"
    assert keys == [base, f"{base}-2", f"{base}-3"]
