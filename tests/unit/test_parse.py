"""Plain wire text parses into the paragraphs an editor sees, whatever the wrapping."""

from __future__ import annotations

import codecs
import textwrap
from pathlib import Path

import pytest

from versions.errors import RejectedInput
from versions.labels import WireLabel, label_text
from versions.model import Document, ParagraphKind
from versions.readers import parse, read
from versions.readers.wire import parse_wire, split_dateline

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/seed/000_abc02dacf25aa58b.txt")
SAMPLES = sorted((ROOT / "samples").glob("*/*.txt"))

K = ParagraphKind


@pytest.fixture(scope="module")
def seed() -> Document:
    if not SEED.exists():
        pytest.skip(f"seed story not found at {SEED}")
    return read(SEED.read_bytes(), SEED.name)[0]


def kinds(doc: Document) -> list[K]:
    return [p.kind for p in doc.paragraphs]


def texts(doc: Document, kind: K) -> list[str]:
    return [p.text for p in doc.paragraphs if p.kind is kind]


# --- The seed: what an editor sees ----------------------------------------------------------


def test_seed_bullets_are_rejoined_across_broken_wrapping(seed: Document) -> None:
    assert texts(seed, K.BULLET) == [
        "North Korean troops' involvement escalates conflict, prompts U.S. policy shift",
        "Biden aims to 'Trump-proof' Ukraine policy before Jan. 20 inauguration",
        "Move may come too late to alter course of war, but could help Ukraine hang on to Kursk",
    ]


def test_seed_has_no_headline_and_starts_with_its_bullets(seed: Document) -> None:
    assert seed.headline == ""
    assert kinds(seed)[:5] == [K.BULLET, K.BULLET, K.BULLET, K.BYLINE, K.DATELINE]


def test_seed_byline_dateline_and_subhead(seed: Document) -> None:
    assert seed.byline == "By Mike Stone, Humeyra Pamuk and Matt Spetalnick"
    assert seed.dateline == "WASHINGTON, Nov 21 (Reuters) -"
    assert seed.paragraphs[4].sentences == ("WASHINGTON, Nov 21 (Reuters) -",)
    assert texts(seed, K.SUBHEAD) == ["STRENGTHENING KYIV'S HAND"]


def test_seed_body_paragraphs_are_the_ones_an_editor_counts(seed: Document) -> None:
    body = texts(seed, K.TEXT)
    # Counted by hand: each starts on a new line with a capital after a sentence-ending line;
    # "Lloyd J. / Austin III" is not one of them.
    assert len(body) == 27
    assert body[0].startswith("President Joe Biden dropped his opposition")
    assert body[0].endswith("sources familiar with the matter said.")
    assert body[9] == (
        "Moscow has vowed to respond to what it sees as an escalation by the West. "
        "A U.S. official said on Thursday that Russia may have fired an intermediate-range "
        "ballistic missile during an attack on the Ukrainian city of Dnipro, in a likely "
        "warning to NATO."
    )
    assert body[10].startswith("The relaxation of U.S. conditions was conveyed")
    assert body[10].endswith("said a source familiar with the discussions.")
    assert body[-1].startswith('"Ukraine is only authorized')
    assert kinds(seed)[15] is K.SUBHEAD  # after the 10 paragraphs of the first section


def test_seed_sentences_carry_their_section_and_paragraph(seed: Document) -> None:
    sentences = seed.sentences
    assert [s.index for s in sentences] == list(range(len(sentences)))
    first_body = next(s for s in sentences if s.kind is K.TEXT)
    assert first_body.paragraph == 6
    assert first_body.text.startswith("President Joe Biden")


# --- Sentences never depend on the wrapping --------------------------------------------------


def rewrap(doc: Document, width: int) -> str:
    """The document as a wire terminal would send it, wrapped at `width` columns."""
    lines: list[str] = []
    paragraphs = list(doc.paragraphs)
    for i, paragraph in enumerate(paragraphs):
        if paragraph.kind is K.BULLET:
            lines += ["*", *textwrap.wrap(paragraph.text, width)]
            if paragraphs[i + 1].kind is not K.BULLET:
                lines.append("*")
        elif paragraph.kind is K.DATELINE:
            continue
        elif i and paragraphs[i - 1].kind is K.DATELINE:
            lines += textwrap.wrap(f"{paragraphs[i - 1].text} {paragraph.text}", width)
        elif paragraph.kind in (K.HEADLINE, K.BYLINE, K.SUBHEAD):
            lines.append(paragraph.text)
        else:
            lines += textwrap.wrap(paragraph.text, width)
    return "\n".join(lines)


def paragraph_starts(doc: Document) -> set[int]:
    return {
        s.index
        for s in doc.sentences
        if s.index == 0 or s.paragraph != doc.sentences[s.index - 1].paragraph
    }


@pytest.mark.parametrize("width", [50, 62, 72, 80])
def test_rewrapped_seed_gives_identical_sentences(seed: Document, width: int) -> None:
    rewrapped = parse(rewrap(seed, width))
    assert [(s.text, s.kind) for s in rewrapped.sentences] == [
        (s.text, s.kind) for s in seed.sentences
    ]
    # Grouping may differ only where a full line ends a sentence mid-paragraph.
    assert len(paragraph_starts(rewrapped) ^ paragraph_starts(seed)) <= 1


def test_words_broken_after_their_hyphen_are_whole_again(seed: Document) -> None:
    narrow = parse(rewrap(seed, 44))  # breaks "intermediate-/range" and "Secretary-/General"
    assert [s.text for s in narrow.sentences] == [s.text for s in seed.sentences]


def test_blank_line_paragraphs_hold_their_sentence_ending_lines(seed: Document) -> None:
    one_a_block = "\n\n".join(
        textwrap.fill(p.text, 62) for p in seed.paragraphs if p.kind is K.TEXT
    )
    doc = parse("WASHINGTON, Nov 21 (Reuters) - " + one_a_block)
    assert texts(doc, K.TEXT) == texts(seed, K.TEXT)
    short = parse("LONDON (Reuters) - Oil rose.\nIt fell later.\n\nGold fell.\n\nShares rose.")
    assert texts(short, K.TEXT) == ["Oil rose. It fell later.", "Gold fell.", "Shares rose."]


# --- Header: label, advisory, bullets, byline, dateline -------------------------------------

STORY = """\
{headline}
(Adds details of the strike, updates
throughout)
*
Bullet one
*
By Jane Doe
LONDON, March 3 (Reuters) - The first paragraph.
The second paragraph.
(Reporting by Jane Doe; Editing by John Roe)
"""


@pytest.mark.parametrize(
    ("headline", "label", "title"),
    [
        ("UPDATE 2-Storm hits coast", "UPDATE 2", "Storm hits coast"),
        ("REFILE-Storm hits coast", "REFILE", "Storm hits coast"),
        ("CORRECTED-Storm hits coast", "CORRECTED", "Storm hits coast"),
        ("WRAPUP 1-Storm hits coast", "WRAPUP 1", "Storm hits coast"),
        ("EXCLUSIVE-Storm hits coast", "EXCLUSIVE", "Storm hits coast"),
        ("RPT-Storm hits coast", "RPT", "Storm hits coast"),
        ("UPDATE 1-EXCLUSIVE-Storm hits coast", "UPDATE 1-EXCLUSIVE", "Storm hits coast"),
        ("REFILE-UPDATE 3-Storm hits coast", "REFILE-UPDATE 3", "Storm hits coast"),
        ("EU-UK talks resume", None, "EU-UK talks resume"),
        ("Storm hits coast", None, "Storm hits coast"),
    ],
)
def test_version_prefix_moves_from_headline_to_label(
    headline: str, label: str | None, title: str
) -> None:
    doc = parse(STORY.format(headline=headline))
    assert label_text(doc.meta.label) == label
    assert doc.headline == title
    found, rest = WireLabel.split(headline)
    assert (label_text(found), rest) == (label, title)


def test_header_parts_and_advisory() -> None:
    doc = parse(STORY.format(headline="UPDATE 2-Storm hits coast"))
    assert doc.meta.advisory == "(Adds details of the strike, updates throughout)"
    assert kinds(doc) == [K.HEADLINE, K.BULLET, K.BYLINE, K.DATELINE, K.TEXT, K.TEXT, K.TRAILER]
    assert "Adds details" not in doc.text
    assert doc.meta.format == "text"
    assert not doc.meta.correction and not doc.meta.withdrawn


@pytest.mark.parametrize(
    ("headline", "advisory", "correction", "withdrawn"),
    [
        ("CORRECTED-Storm hits coast", "(Corrects name in paragraph 2)", True, False),
        ("Storm hits coast", "(Corrects name in paragraph 2)", True, False),
        ("Storm hits coast", "(Updates toll; corrects spelling of name)", True, False),
        ("WITHDRAWN-Storm hits coast", "(Story withdrawn; published in error)", False, True),
        ("Storm hits coast", "(Story withdrawn; published in error)", False, True),
        ("Storm hits coast", "(Adds details of withdrawn troops)", False, False),
    ],
)
def test_corrections_and_withdrawals_are_flagged(
    headline: str, advisory: str, correction: bool, withdrawn: bool
) -> None:
    doc = parse(f"{headline}\n{advisory}\nLONDON, March 3 (Reuters) - Text.")
    assert (doc.meta.correction, doc.meta.withdrawn) == (correction, withdrawn)
    assert doc.meta.advisory == advisory


@pytest.mark.parametrize("notice", ["KILL - KILL - KILL", "STORY WITHDRAWN", "KILL"])
def test_kill_notices_flag_the_item_and_are_not_story_text(notice: str) -> None:
    doc = parse(f"Storm hits coast\n{notice}\nLONDON, March 3 (Reuters) - Text.")
    assert doc.meta.withdrawn
    assert notice not in doc.text
    assert texts(doc, K.TEXT) == ["Text."]


def test_prefixed_bullets_and_a_byline_wrapped_before_the_dateline() -> None:
    doc = parse(
        "Storm hits coast\n* Thousands flee\n* Power cut to\nmillions\n"
        "By Jane Doe, John Roe and\nMary Major\nLONDON, March 3 (Reuters) - Text."
    )
    assert texts(doc, K.BULLET) == ["Thousands flee", "Power cut to millions"]
    assert doc.byline == "By Jane Doe, John Roe and Mary Major"


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("KYIV, Ukraine (AP) — Russia", "KYIV, Ukraine (AP) —"),
        ("NEW YORK/LONDON, Nov 21 (Reuters) - Oil", "NEW YORK/LONDON, Nov 21 (Reuters) -"),
        ("LONDON (Reuters) - Oil", "LONDON (Reuters) -"),
        (
            "SAN JUAN, Puerto Rico, Sept. 3 (Reuters) -- Oil",
            "SAN JUAN, Puerto Rico, Sept. 3 (Reuters) --",
        ),
    ],
)
def test_dateline_forms(opening: str, dateline: str) -> None:
    found, rest = split_dateline(f"{opening} rose on Monday.")
    assert found == dateline
    assert rest.endswith("rose on Monday.")
    doc = parse(f"Markets\nBy Jane Doe\n{opening} rose on Monday.")
    assert doc.dateline == dateline


def test_a_capitalised_opening_word_is_not_a_dateline() -> None:
    assert split_dateline("NATO allies met on Monday - officials said.") == (
        None,
        "NATO allies met on Monday - officials said.",
    )


# --- Trailer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trailer",
    [
        "(Reporting by Mike Stone and Matt\nSpetalnick; Editing by Don Durfee)",
        "(Reporting by X; Writing by Y; Editing by Z)",
        "Reporting by Jane Doe\nEditing by John Roe",
    ],
)
def test_trailer_is_its_own_paragraph(trailer: str) -> None:
    doc = parse(f"LONDON, March 3 (Reuters) - Oil rose.\nIt fell later.\n{trailer}")
    assert kinds(doc)[-1] is K.TRAILER
    assert texts(doc, K.TRAILER) == [" ".join(trailer.split())]
    assert texts(doc, K.TEXT) == ["Oil rose.", "It fell later."]


def test_trailer_lines_after_the_credits_are_trailer_paragraphs() -> None:
    doc = parse(
        "LONDON (Reuters) - Oil rose.\n(Reporting by A in\nLondon)\n(Editing by B)\n\n"
        "Our Standards: The Thomson Reuters Trust Principles."
    )
    assert texts(doc, K.TRAILER) == [
        "(Reporting by A in London)",
        "(Editing by B)",
        "Our Standards: The Thomson Reuters Trust Principles.",
    ]


def test_agency_contributor_line_is_a_trailer() -> None:
    doc = parse(
        "KYIV, Ukraine (AP) — Russia fired missiles.\n"
        "Associated Press writer Jane Doe in London contributed to this report."
    )
    assert kinds(doc) == [K.DATELINE, K.TEXT, K.TRAILER]


# --- Bytes and whitespace --------------------------------------------------------------------

PLAIN = (
    "Storm hits coast\nBy Jane Doe\n"
    "LONDON, March 3 (Reuters) - \u201cWe fled,\u201d she said \u2014 again.\nIt\u00a0rained."
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PLAIN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PLAIN.encode("utf-8"), "utf-8-sig"),
        (PLAIN.encode("utf-16"), "utf-16"),
        (PLAIN.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
        (PLAIN.replace("\n", "\r").encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_and_line_ends_give_the_same_story(data: bytes, encoding: str) -> None:
    doc = read(data, "story.txt")[0]
    assert doc.meta.encoding == encoding
    assert texts(doc, K.TEXT) == ["\u201cWe fled,\u201d she said \u2014 again.", "It rained."]
    assert doc.headline == "Storm hits coast"


def test_latin1_bytes_decode_as_latin1() -> None:
    doc = read(
        "Séisme au Pérou\nBy Lucía Paredes\nLIMA, March 14 (Reuters) - Ça va.".encode("latin-1")
    )[0]
    assert doc.meta.encoding == "latin-1"
    assert doc.byline == "By Lucía Paredes"


def test_tabs_zero_width_and_indents_do_not_show() -> None:
    doc = parse(
        "Storm\thits coast\nBy Jane Doe\n"
        "\tLONDON, March 3 (Reuters) - It\u200b rained.\n  It  poured."
    )
    assert doc.headline == "Storm hits coast"
    assert texts(doc, K.TEXT) == ["It rained.", "It poured."]


@pytest.mark.parametrize("text", ["", "   \n\n", "*\n*\n", "(Adds details)\n"])
def test_no_story_text_is_rejected_naming_the_file(text: str) -> None:
    with pytest.raises(RejectedInput, match=r"^story\.txt: \S"):
        read(text.encode(), "story.txt")
    with pytest.raises(RejectedInput, match=r"^story\.txt: \S"):
        parse_wire(text, source="story.txt")


def test_a_bare_kill_notice_is_a_withdrawn_item_without_text() -> None:
    doc = parse("KILL - KILL - KILL\n")
    assert doc.meta.withdrawn
    assert doc.paragraphs == ()


# --- The sample stories ----------------------------------------------------------------------


@pytest.mark.skipif(not SAMPLES, reason="no samples/*/*.txt yet")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_version_parses_with_its_dateline(path: Path) -> None:
    doc = read(path.read_bytes(), str(path))[0]
    assert doc.dateline.endswith("(Reuters) -")
    assert doc.headline
    assert kinds(doc)[-1] is K.TRAILER
    assert not any(p.text.isupper() for p in doc.paragraphs if p.kind is K.TEXT)
    label = path.stem.split("-", 1)[1].replace("-", " ").upper()
    if label not in ("FIRST TAKE",):
        assert doc.meta.label is not None and label.split()[0] in doc.meta.label.text
    assert doc.meta.withdrawn == ("withdrawn" in path.name)
    assert doc.meta.correction == (
        "corrected" in path.name or "corrects" in (doc.meta.advisory or "")
    )
