"""The placement rules, from tables: no database, only the values the store would read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from versions import story_match
from versions.model import Document, ItemMeta, Paragraph, ParagraphKind
from versions.placement import (
    Candidate,
    StoredVersion,
    choose_story,
    learned_identity,
    position,
    repeat_of,
    same_item,
    texts_to_compare,
)

T0 = datetime(2024, 11, 21, 6, 0, tzinfo=UTC)


def _hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def _stored(
    number: int,
    *,
    label: str | None = None,
    guid: str | None = None,
    agency_version: int | None = None,
    fmt: str = "text",
    created: datetime = T0,
    summary: str = "",
) -> StoredVersion:
    return StoredVersion(
        id=100 + number,
        number=number,
        label=label,
        guid=guid,
        agency_version=agency_version,
        format=fmt,
        created_at=created,
        summary=summary,
    )


def _document(*texts: str, bullets: tuple[str, ...] = (), **meta: object) -> Document:
    paragraphs = [Paragraph(ParagraphKind.HEADLINE, ("Quake hits Peru",))]
    paragraphs += [Paragraph(ParagraphKind.BULLET, (b,)) for b in bullets]
    paragraphs += [Paragraph(ParagraphKind.TEXT, (t,)) for t in texts]
    return Document(tuple(paragraphs), ItemMeta(**meta))  # type: ignore[arg-type]


# position: (stored versions, the item's meta, its creation time, expected number)
POSITIONS = [
    pytest.param([], ItemMeta(), T0, 1, id="first version"),
    pytest.param([_stored(1), _stored(2)], ItemMeta(), _hours(5), 3, id="plain text goes last"),
    pytest.param(
        [_stored(1, agency_version=1), _stored(2, agency_version=3)],
        ItemMeta(version=2),
        _hours(5),
        2,
        id="agency number 2 goes before 3",
    ),
    pytest.param(
        [_stored(1, created=_hours(1)), _stored(2, created=_hours(3))],
        ItemMeta(created=_hours(2)),
        _hours(2),
        2,
        id="creation time between the two",
    ),
    pytest.param(
        [_stored(1, created=_hours(1)), _stored(2, created=_hours(3))],
        ItemMeta(created=_hours(4)),
        _hours(4),
        3,
        id="latest creation time goes last",
    ),
    pytest.param(
        [_stored(1, agency_version=4)],
        ItemMeta(version=2, created=_hours(9)),
        _hours(9),
        1,
        id="the agency number wins over a later time",
    ),
]


@pytest.mark.parametrize(("existing", "meta", "created", "expected"), POSITIONS)
def test_position(
    existing: list[StoredVersion], meta: ItemMeta, created: datetime, expected: int
) -> None:
    assert position(existing, meta, created) == expected


# same_item: (stored, the new item, texts of the stored versions, the number it repeats or None)
SAME_ITEMS = [
    pytest.param(
        [_stored(1, guid="g", agency_version=1), _stored(2, guid="g", agency_version=2)],
        _document("Body.", guid="g", version=2, format="ninjs"),
        {},
        2,
        id="same guid and agency number",
    ),
    pytest.param(
        [_stored(1, guid="g", agency_version=1)],
        _document("Body.", guid="g", version=2),
        {},
        None,
        id="same guid, new agency number: an update",
    ),
    pytest.param(
        [_stored(1, guid="g", fmt="ninjs", created=T0)],
        _document("Body.", guid="g", created=T0, format="rss"),
        {},
        1,
        id="same guid and time in another format",
    ),
    pytest.param(
        [_stored(1, guid="g", fmt="rss", created=T0)],
        _document("Body.", guid="g", created=T0, format="rss"),
        {},
        None,
        id="a feed item edited in place keeps its time and format: an update",
    ),
    pytest.param(
        [_stored(1, summary="Bullet one")],
        _document("Body.", format="rss"),
        {101: "Quake hits Peru\nBullet one\nBody."},
        1,
        id="the feed dropped the bullets",
    ),
    pytest.param(
        [_stored(1, summary="Bullet one")],
        _document("Other body.", format="rss"),
        {101: "Quake hits Peru\nBullet one\nBody."},
        None,
        id="no bullets and another text",
    ),
    pytest.param(
        [_stored(1, label="REFILE", summary="Bullet one")],
        _document("Body.", format="rss"),
        {101: "Quake hits Peru\nBullet one\nBody."},
        None,
        id="another label is another version",
    ),
]


@pytest.mark.parametrize(("existing", "document", "texts", "expected"), SAME_ITEMS)
def test_same_item(
    existing: list[StoredVersion],
    document: Document,
    texts: dict[int, str],
    expected: int | None,
) -> None:
    assert set(texts_to_compare(existing, document)) <= set(texts)
    found = same_item(existing, document, texts)
    assert (found.number if found else None) == expected


def test_only_versions_with_bullets_on_one_side_have_their_text_read() -> None:
    existing = [_stored(1, summary="Bullet"), _stored(2), _stored(3, label="REFILE", summary="B")]
    assert texts_to_compare(existing, _document("Body.")) == [101]
    assert texts_to_compare(existing, _document("Body.", bullets=("Bullet",))) == [102]


LEARNED = [
    pytest.param(_stored(1), ItemMeta(guid="g", version=3), {"guid": "g", "agency_version": 3}),
    pytest.param(_stored(1, guid="old"), ItemMeta(guid="g", version=3), {"agency_version": 3}),
    pytest.param(_stored(1, guid="g", agency_version=2), ItemMeta(guid="g", version=3), {}),
    pytest.param(_stored(1), ItemMeta(), {}),
]


@pytest.mark.parametrize(("stored", "meta", "expected"), LEARNED)
def test_a_version_delivered_again_learns_only_what_it_lacked(
    stored: StoredVersion, meta: ItemMeta, expected: dict[str, object]
) -> None:
    assert learned_identity(stored, meta) == expected


def _signature(agree: int) -> tuple[int, ...]:
    """A signature agreeing with `BASE` in its first `agree` values."""
    return tuple(v if i < agree else v + 1 for i, v in enumerate(BASE))


BASE = tuple(range(1, story_match.PERMUTATIONS + 1))
HALF = story_match.PERMUTATIONS // 2
TENTH = story_match.PERMUTATIONS // 10

# choose_story: (candidates, the item's guid, the story chosen)
CHOICES = [
    pytest.param([], None, None, id="no candidate"),
    pytest.param([Candidate(1, _signature(HALF), "x", None)], None, 1, id="similar enough"),
    pytest.param([Candidate(1, _signature(TENTH), "x", None)], None, None, id="below threshold"),
    pytest.param(
        [Candidate(1, _signature(TENTH), "quake hits peru", None)],
        None,
        1,
        id="the same headline counts as 0.5",
    ),
    pytest.param(
        [Candidate(1, _signature(HALF), "x", None), Candidate(2, _signature(60), "x", None)],
        None,
        2,
        id="the best story wins",
    ),
    pytest.param(
        [
            Candidate(1, _signature(60), "x", "other-guid"),
            Candidate(2, _signature(HALF), "x", None),
        ],
        "new-guid",
        2,
        id="a new guid never joins a story under another guid",
    ),
    pytest.param(
        [Candidate(1, _signature(60), "x", "other-guid")],
        None,
        1,
        id="an item without guid may join a story with one",
    ),
]


@pytest.mark.parametrize(("candidates", "guid", "expected"), CHOICES)
def test_choose_story(candidates: list[Candidate], guid: str | None, expected: int | None) -> None:
    assert choose_story(candidates, BASE, "quake hits peru", guid) == expected


# repeat_of: (stored versions, the matches among them (same label and text), the item's meta,
# its creation time, the number of the version it repeats, or None for a new version)
_NINJS = [_stored(n, guid="urn:x", agency_version=n, created=_hours(n)) for n in (1, 2, 3)]
_FEED = [_stored(n, guid="urn:f", created=_hours(n)) for n in (1, 2, 3)]  # no version numbers
_PLAIN = [_stored(n, created=_hours(n)) for n in (1, 2, 3)]
REPEATS = [
    pytest.param(
        _NINJS,
        [_NINJS[2]],
        ItemMeta(guid="urn:x", version=4),
        _hours(4),
        3,
        id="the last take's text again, a new agency version: delivered twice in a row",
    ),
    pytest.param(
        _NINJS,
        [_NINJS[1]],
        ItemMeta(guid="urn:x", version=4),
        _hours(4),
        None,
        id="v2's text after v3, a new agency version: a revert",
    ),
    pytest.param(
        _NINJS,
        [_NINJS[1]],
        ItemMeta(guid="urn:x", version=2),
        _hours(2),
        2,
        id="v2 itself delivered again: the same agency version",
    ),
    pytest.param(
        _FEED,
        [_FEED[0]],
        ItemMeta(guid="urn:f", created=_hours(4)),
        _hours(4),
        None,
        id="v1's text after others under its guid, filed at a later time: a revert",
    ),
    pytest.param(
        _FEED,
        [_FEED[0]],
        ItemMeta(guid="urn:f", created=_hours(1)),
        _hours(1),
        1,
        id="v1 itself again: the same creation time",
    ),
    pytest.param(
        _FEED,
        [_FEED[1]],
        ItemMeta(guid="urn:f", created=_hours(1.5)),
        _hours(1.5),
        2,
        id="filed just before the take it repeats: next to itself, one version",
    ),
    pytest.param(
        _PLAIN,
        [_PLAIN[0]],
        ItemMeta(),
        _hours(9),
        1,
        id="plain text without a time: the same file again, nothing tells a revert apart",
    ),
    pytest.param(
        _PLAIN,
        [_PLAIN[0]],
        ItemMeta(created=_hours(4)),
        _hours(4),
        1,
        id="plain text with a time: nothing on v1 tells a revert from v1 again",
    ),
    pytest.param(
        _PLAIN,
        [_PLAIN[0]],
        ItemMeta(guid="urn:x", version=1, created=_hours(7)),
        _hours(7),
        1,
        id="a take stored as plain text, delivered again as ninjs: its text again",
    ),
    pytest.param(
        [*_NINJS, _stored(4, guid="urn:x", agency_version=4, created=_hours(4))],
        [_NINJS[1], _stored(4, guid="urn:x", agency_version=4, created=_hours(4))],
        ItemMeta(guid="urn:x", version=4),
        _hours(4),
        4,
        id="a stored revert delivered again: found among several matches",
    ),
    pytest.param(_NINJS, [], ItemMeta(guid="urn:x", version=4), _hours(4), None, id="no match"),
]


@pytest.mark.parametrize(("existing", "matches", "meta", "created", "expected"), REPEATS)
def test_repeat_of(
    existing: list[StoredVersion],
    matches: list[StoredVersion],
    meta: ItemMeta,
    created: datetime,
    expected: int | None,
) -> None:
    repeated = repeat_of(existing, matches, meta, created)
    assert (repeated.number if repeated else None) == expected
