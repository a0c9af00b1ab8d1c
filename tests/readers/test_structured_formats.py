"""ninjs, NewsML-G2 and RSS deliveries read like the plain wire text of the same version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from versions.errors import RejectedInput
from versions.labels import label_text
from versions.model import Document, ParagraphKind, Section
from versions.readers import InputFormat, read

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FORMATS = SAMPLES / "formats"
FEED = SAMPLES / "feeds" / "world-news.rss.xml"
FIXTURES = ROOT / "tests" / "fixtures" / "formats"
BIDEN = SAMPLES / "biden-ukraine-missiles"
PERU = SAMPLES / "peru-earthquake"
BIDEN_URI = "urn:newsml:example.com:20241121:biden-ukraine-missiles"
PERU_URI = "urn:newsml:example.com:20250314:peru-earthquake"
BODY_SECTIONS = (Section.DATELINE, Section.BODY, Section.TRAILER)


def read_file(path: Path) -> list[Document]:
    return read(path.read_bytes(), str(path))


def plain(path: Path) -> Document:
    [document] = read_file(path)
    assert document.meta.format == "text"
    return document


def sentences(
    document: Document, sections: tuple[Section, ...] = tuple(Section)
) -> list[tuple[Section, ParagraphKind, str]]:
    return [(s.section, s.kind, s.text) for s in document.sentences if s.section in sections]


@pytest.mark.parametrize(
    ("structured", "twin"),
    [
        ("biden-ukraine-missiles-v2.ninjs.json", "02-update-1.txt"),
        ("biden-ukraine-missiles-v3.ninjs.json", "03-update-2.txt"),
        ("biden-ukraine-missiles-v3.newsml.xml", "03-update-2.txt"),
        ("biden-ukraine-missiles-v4.newsml.xml", "04-update-3.txt"),
    ],
)
def test_ninjs_and_newsml_read_like_their_plain_text_twin(structured: str, twin: str) -> None:
    [document] = read_file(FORMATS / structured)
    text = plain(BIDEN / twin)
    assert sentences(document) == sentences(text)
    assert document.meta.label == text.meta.label
    assert document.meta.advisory == text.meta.advisory
    assert any(p.kind is ParagraphKind.SUBHEAD for p in document.paragraphs)


@pytest.mark.parametrize(
    ("index", "twin"),
    [
        (0, BIDEN / "01-first-take.txt"),
        (1, PERU / "01-first-take.txt"),
        (2, BIDEN / "02-update-1.txt"),
        (3, PERU / "02-update-1.txt"),
    ],
)
def test_feed_item_body_reads_like_its_plain_text_twin(index: int, twin: Path) -> None:
    document = read_file(FEED)[index]
    text = plain(twin)
    assert sentences(document, BODY_SECTIONS) == sentences(text, BODY_SECTIONS)
    assert document.headline == text.headline
    assert document.meta.label == text.meta.label


def test_feed_gives_one_version_per_item_keyed_by_guid() -> None:
    documents = read_file(FEED)
    assert [(d.meta.guid, d.meta.created) for d in documents] == [
        (BIDEN_URI, datetime(2024, 11, 21, 17, 5, tzinfo=UTC)),
        (PERU_URI, datetime(2025, 3, 14, 10, 20, tzinfo=UTC)),
        (BIDEN_URI, datetime(2024, 11, 21, 18, 12, tzinfo=UTC)),
        (PERU_URI, datetime(2025, 3, 14, 12, 45, tzinfo=UTC)),
    ]
    assert {d.meta.format for d in documents} == {"rss"}
    assert [d.meta.version for d in documents] == [None] * 4


def test_ninjs_item_carries_its_key_version_and_times() -> None:
    [document] = read_file(FORMATS / "biden-ukraine-missiles-v3.ninjs.json")
    meta = document.meta
    assert (meta.guid, meta.version, meta.format) == (BIDEN_URI, 3, "ninjs")
    assert meta.created == datetime(2024, 11, 21, 19, 40, tzinfo=UTC)
    assert meta.first_created == datetime(2024, 11, 21, 17, 5, tzinfo=UTC)
    assert (meta.withdrawn, meta.correction) == (False, False)
    assert meta.ednote == meta.advisory


def test_one_version_delivered_as_ninjs_and_newsml_reads_the_same() -> None:
    [ninjs] = read_file(FORMATS / "biden-ukraine-missiles-v3.ninjs.json")
    [newsml] = read_file(FORMATS / "biden-ukraine-missiles-v3.newsml.xml")
    assert ninjs.paragraphs == newsml.paragraphs
    assert ninjs.text == newsml.text
    for field in ("guid", "version", "created", "first_created", "label", "ednote"):
        assert getattr(ninjs.meta, field) == getattr(newsml.meta, field), field


def test_newsml_message_yields_its_news_items() -> None:
    [document] = read_file(FORMATS / "biden-ukraine-missiles-v4.newsml.xml")
    assert (document.meta.guid, document.meta.version, document.meta.format) == (
        BIDEN_URI,
        4,
        "newsml",
    )
    assert document.dateline == "WASHINGTON, Nov 21 (Reuters) -"


def test_newsml_correction_signal_and_plain_inline_data() -> None:
    [document] = read_file(FIXTURES / "newsml-correction-inlinedata.xml")
    assert document.meta.correction
    assert label_text(document.meta.label) == "CORRECTED"
    assert document.meta.ednote == "(Corrects deal value in paragraph 1)"
    assert document.dateline == "OSLO, Jan 9 (Reuters)"
    assert [p.text for p in document.paragraphs if p.kind is ParagraphKind.TEXT] == [
        "Norway's Skarvik Shipping agreed to buy Castell Logistics for 3.9 billion euros.",
        "The deal is Skarvik's largest.",
    ]


def test_ninjs_1x_fields() -> None:
    [document] = read_file(FIXTURES / "ninjs-1x.json")
    kinds = [p.kind for p in document.paragraphs]
    assert kinds == [
        ParagraphKind.HEADLINE,
        ParagraphKind.BULLET,
        ParagraphKind.BULLET,
        ParagraphKind.BYLINE,
        ParagraphKind.DATELINE,
        ParagraphKind.TEXT,
        ParagraphKind.TEXT,
        ParagraphKind.TRAILER,
    ]
    assert document.headline == "Strong earthquake strikes southern Peru, at least 27 dead"
    assert label_text(document.meta.label) == "UPDATE 1"
    assert document.meta.version == 2


def test_canceled_ninjs_marks_the_story_withdrawn() -> None:
    [document] = read_file(FIXTURES / "ninjs-canceled.json")
    assert document.meta.withdrawn
    assert label_text(document.meta.label) == "WITHDRAWN"
    assert document.headline == "Corvane says late-stage migraine drug trial meets main goal"


def test_format_is_detected_by_content_not_by_name(tmp_path: Path) -> None:
    disguised = tmp_path / "story.txt"
    disguised.write_bytes((FORMATS / "biden-ukraine-missiles-v2.ninjs.json").read_bytes())
    [document] = read_file(disguised)
    assert document.meta.format == "ninjs"
    plain_named_json = tmp_path / "story.json"
    plain_named_json.write_bytes((BIDEN / "02-update-1.txt").read_bytes())
    [document] = read_file(plain_named_json)
    assert document.meta.format == "text"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("billion-laughs.xml", "XML entities are not allowed (possible entity-expansion attack)"),
        ("external-entity.xml", "XML external entities are not allowed"),
        ("malformed.xml", "malformed XML: mismatched tag: line 5"),
        ("malformed.json", "malformed JSON"),
        ("ninjs-no-body.json", "ninjs item has no body"),
    ],
)
def test_bad_files_are_rejected_naming_the_file(name: str, reason: str) -> None:
    path = FIXTURES / name
    with pytest.raises(RejectedInput) as caught:
        read_file(path)
    assert caught.value.source == str(path)
    assert reason in caught.value.reason
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "headline",
    ["[FLASH] Quake hits Chile", "{Draft} Mayor resigns", "<b>Headline</b>", "[1/3] Floods"],
)
def test_wire_text_that_opens_with_a_bracket_is_wire_text(headline: str) -> None:
    take = f"{headline}\n\nSANTIAGO, Nov 30 (Reuters) - A strong quake hit Chile on Sunday.\n"
    [document] = read(take.encode(), "incoming/flash.txt")
    assert document.meta.format == "text"
    assert document.headline == headline  # as filed: data, never markup
    assert document.paragraphs[-1].text.endswith("hit Chile on Sunday.")
    [alone] = read(headline.encode(), "incoming/headline-only.txt")
    assert (alone.meta.format, alone.headline or alone.paragraphs[0].text) == ("text", headline)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"uri": "urn:x", "body_text": "Cut off', "malformed JSON: Unterminated string"),
        (b'[{"uri": "urn:x"},', "malformed JSON"),
        (b'<?xml version="1.0"?>\n<p>Unclosed', "malformed XML: no element found"),
        (b"<rss version='2.0'><channel><item></channel></rss>", "malformed XML: mismatched tag"),
        (b'<newsMessage xmlns="urn:x"><itemSet>', "malformed XML: no element found"),
        (b"<feed><entry>Half an Atom feed", "malformed XML"),
    ],
)
def test_a_broken_structured_document_is_rejected_with_its_parse_error(
    data: bytes, reason: str
) -> None:
    """Not filed as a story made of its own markup: the desk needs to know it broke."""
    with pytest.raises(RejectedInput) as caught:
        read(data, "incoming/broken")
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("path", "input_format", "outcome"),
    [
        (FORMATS / "biden-ukraine-missiles-v2.ninjs.json", "text", "text"),
        (FORMATS / "biden-ukraine-missiles-v2.ninjs.json", "ninjs", "ninjs"),
        (FORMATS / "biden-ukraine-missiles-v3.newsml.xml", "newsml", "newsml"),
        (FEED, "feed", "rss"),
        (BIDEN / "01-first-take.txt", "ninjs", "malformed JSON: Expecting value"),
        (BIDEN / "01-first-take.txt", "newsml", "malformed XML: syntax error"),
        (FEED, "newsml", "XML with root <rss> is not NewsML-G2"),
        (FORMATS / "biden-ukraine-missiles-v3.newsml.xml", "feed", "is not RSS or Atom"),
        (FIXTURES / "billion-laughs.xml", "text", "text"),  # read as words, never expanded
    ],
)
def test_a_forced_input_format_reads_as_that_format_or_says_why_not(
    path: Path, input_format: InputFormat, outcome: str
) -> None:
    try:
        documents = read(path.read_bytes(), str(path), input_format)
    except RejectedInput as rejected:
        assert outcome in rejected.reason
    else:
        assert {document.meta.format for document in documents} == {outcome}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"headline": "no uri"}', "without a ninjs `uri`"),
        (b"[1, 2]", "JSON that is not a ninjs object"),
        (b'{"uri": "urn:x", "version": "two", "body_text": "Text."}', "version is not"),
        (
            b'{"uri": "urn:x", "versioncreated": "yesterday", "body_text": "Text."}',
            "versioncreated is not an ISO 8601 date-time",
        ),
        (b"<html><body><p>Hello</p></body></html>", "root <html> is not NewsML-G2, RSS or Atom"),
        (
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x" version="1"/>',
            "no inlineXML or inlineData body",
        ),
        (b'<rss version="2.0"><channel><title>t</title></channel></rss>', "no readable item"),
    ],
)
def test_structurally_wrong_items_are_rejected(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        read(data, "incoming/item")
    assert caught.value.source.startswith("incoming/item")
    assert reason in caught.value.reason


def test_html_body_is_data_and_subheads_are_kept() -> None:
    item = {
        "uri": "urn:x",
        "bodies": [
            {
                "contenttype": "text/html",
                "value": "<p>LONDON, May 2 (Reuters) - Shares &lt;b&gt; rose &amp; fell.</p>"
                "<script>alert('x')</script><h2>MARKET VIEW</h2><p>Traders were calm.<br>"
                "Very calm.</p>",
            }
        ],
    }
    [document] = read(json.dumps(item).encode(), "item.json")
    assert [(p.kind, p.text) for p in document.paragraphs] == [
        (ParagraphKind.DATELINE, "LONDON, May 2 (Reuters) -"),
        (ParagraphKind.TEXT, "Shares <b> rose & fell."),
        (ParagraphKind.SUBHEAD, "MARKET VIEW"),
        (ParagraphKind.TEXT, "Traders were calm. Very calm."),
    ]


def test_atom_entry_uses_id_updated_and_content() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire</title><id>urn:feed</id><updated>2025-01-01T10:00:00Z</updated>
  <entry>
    <title>REFILE-Ships collide off Rotterdam</title>
    <id>urn:example:ships</id>
    <published>2025-01-01T08:00:00Z</published>
    <updated>2025-01-01T09:30:00Z</updated>
    <content type="html">&lt;p&gt;Two ships collided on Wednesday.&lt;/p&gt;</content>
  </entry>
</feed>"""
    [document] = read(atom, "atom.xml")
    assert document.meta.guid == "urn:example:ships"
    assert document.meta.created == datetime(2025, 1, 1, 9, 30, tzinfo=UTC)
    assert document.meta.first_created == datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    assert label_text(document.meta.label) == "REFILE"
    assert document.headline == "Ships collide off Rotterdam"
    assert sentences(document, (Section.BODY,)) == [
        (Section.BODY, ParagraphKind.TEXT, "Two ships collided on Wednesday.")
    ]


def _ninjs_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((FIXTURES / "ninjs-schema-2.1.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.mark.parametrize("path", sorted(FORMATS.glob("*.ninjs.json")), ids=lambda p: p.name)
def test_ninjs_samples_are_valid_iptc_ninjs(path: Path) -> None:
    errors = [e.message for e in _ninjs_validator().iter_errors(json.loads(path.read_text()))]
    assert errors == []


def test_ninjs_schema_catches_a_1x_field_in_a_2x_item() -> None:
    errors = list(_ninjs_validator().iter_errors({"uri": "urn:x", "headline": "1.x spelling"}))
    assert errors


def test_kill_line_in_a_structured_body_withdraws_the_story() -> None:
    item = {
        "uri": "urn:example:corvane-trial",
        "headlines": [{"value": "Corvane says late-stage migraine drug trial meets main goal"}],
        "body_html": "<p>STORY WITHDRAWN</p><p>BOSTON, Feb 12 (Reuters) - Reuters has withdrawn"
        " the story.</p><p>(Editing by Arun Mehta)</p>",
    }
    [document] = read(json.dumps(item).encode(), "kill.json")
    assert document.meta.withdrawn
    assert "STORY WITHDRAWN" not in document.text
    assert document.paragraphs[-1].kind is ParagraphKind.TRAILER


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x"><contentSet>'
        b"<inlineXML>" + b"<div>" * 50_000 + b"<p>x</p>" + b"</div>" * 50_000 + b"</inlineXML>"
        b"</contentSet></newsItem>",
    ],
    ids=["json", "xhtml"],
)
def test_absurdly_nested_input_is_rejected_not_a_crash(data: bytes) -> None:
    with pytest.raises(RejectedInput) as caught:
        read(data, "deep")
    assert (caught.value.source, caught.value.reason) == (
        "deep",
        "nested too deeply to be a news item",
    )
