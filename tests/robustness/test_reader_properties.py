"""Properties (hypothesis): the readers read or reject any bytes and never raise anything
else, on arbitrary nesting and on any date a wire system could write.

The contract is `versions.readers.read`'s: documents, or `RejectedInput` with a one-line
reason naming the source. The long variants (`-m long`) try ten times as many examples.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versions.errors import RejectedInput
from versions.readers import read
from versions.service import Archive

G2 = "http://iptc.org/std/nar/2006-10-01/"
NINJS_KEYS = [
    "uri", "guid", "version", "versioncreated", "firstcreated", "headline", "headlines",
    "body_text", "body_html", "bodies", "byline", "by", "description_text", "descriptions",
    "pubstatus", "ednote", "type", "role", "value", "contenttype", "language", "subject",
]  # fmt: skip
XML_NAMES = [
    "newsItem", "itemMeta", "contentMeta", "contentSet", "inlineXML", "inlineData",
    "versionCreated", "firstCreated", "pubStatus", "headline", "edNote", "p", "h1", "rss",
    "channel", "item", "title", "description", "pubDate", "guid", "feed", "entry", "x",
]  # fmt: skip
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_reject(data: bytes) -> list[Any]:
    try:
        documents = read(data, "in.bin")
    except RejectedInput as error:
        assert str(error).startswith("in.bin")
        assert "\n" not in error.reason
        return []
    assert documents
    return documents


offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.datetimes(timezones=st.none() | st.just(UTC) | offsets)
date_texts = st.one_of(
    moments.map(lambda moment: moment.isoformat()),
    st.sampled_from(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0000-00-00", "", "Z"]
    ),
    st.text(max_size=30),
)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars | date_texts,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(NINJS_KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


def _element(name: str, children: list[str], text: str, date: str) -> str:
    inside = escape(text) + "".join(children)
    return f"<{name} guid={quoteattr(date)} version={quoteattr(text[:5])}>{inside}</{name}>"


xml_trees = st.recursive(
    st.builds(_element, st.sampled_from(XML_NAMES), st.just([]), st.text(max_size=30), date_texts),
    lambda inner: st.builds(
        _element, st.sampled_from(XML_NAMES), st.lists(inner, max_size=4), st.text(), date_texts
    ),
    max_leaves=30,
)


def _xml_document(tree: str, root: str) -> bytes:
    if root == "newsItem":
        return f'<newsItem xmlns="{G2}" guid="urn:x">{tree}</newsItem>'.encode()
    return f'<{root} version="2.0">{tree}</{root}>'.encode()


@QUICK
@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_rejected(data: bytes) -> None:
    read_or_reject(data)


@QUICK
@given(json_values)
def test_any_json_is_read_or_rejected(value: Any) -> None:
    read_or_reject(json.dumps(value).encode())


@QUICK
@given(xml_trees, st.sampled_from(["newsItem", "rss", "feed", "other"]))
def test_any_xml_nesting_is_read_or_rejected(tree: str, root: str) -> None:
    read_or_reject(_xml_document(tree, root))


@QUICK
@given(st.integers(min_value=1, max_value=50_000), st.sampled_from(["json", "object", "xml"]))
def test_any_depth_of_nesting_is_read_or_rejected(depth: int, kind: str) -> None:
    if kind == "object":
        data = '{"a":' * depth + "1" + "}" * depth
    elif kind == "xml":
        data = "<rss>" + "<x>" * depth + "</x>" * depth + "</rss>"
    else:
        data = "[" * depth + "]" * depth
    read_or_reject(data.encode())


def _ninjs(created: str) -> bytes:
    return json.dumps(
        {
            "uri": "urn:test:quake",
            "versioncreated": created,
            "headline": "Quake strikes the coast",
            "body_text": "An earthquake struck the coast. Many people were hurt.",
        }
    ).encode()


@QUICK
@given(moments)
def test_any_date_is_kept_as_its_utc_instant_or_rejected_as_out_of_range(
    moment: datetime,
) -> None:
    documents = read_or_reject(_ninjs(moment.isoformat()))
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        utc = aware.astimezone(UTC)
    except OverflowError:
        assert documents == []
        with pytest.raises(RejectedInput, match="out of range"):
            read(_ninjs(moment.isoformat()), "in.bin")
        return
    assert documents[0].meta.created == utc


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("properties") / "wirediff.db"
    with Archive.open(f"sqlite:///{path}") as opened:
        yield opened


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(date_texts)
def test_the_archive_stores_or_rejects_any_date_and_never_raises(
    archive: Archive, created: str
) -> None:
    (result,) = archive.ingest(_ninjs(created), source="in.json")
    assert result.status in ("added", "unchanged", "rejected")
    assert result.status != "rejected" or (result.reason and "\n" not in result.reason)


@pytest.mark.long
@LONG
@given(st.binary(max_size=20_000))
def test_long_any_bytes_are_read_or_rejected(data: bytes) -> None:
    read_or_reject(data)


@pytest.mark.long
@LONG
@given(json_values)
def test_long_any_json_is_read_or_rejected(value: Any) -> None:
    read_or_reject(json.dumps(value).encode())


@pytest.mark.long
@LONG
@given(xml_trees, st.sampled_from(["newsItem", "rss", "feed"]))
def test_long_any_xml_nesting_is_read_or_rejected(tree: str, root: str) -> None:
    read_or_reject(_xml_document(tree, root))
