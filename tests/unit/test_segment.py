"""Sentence segmenter: gold-set accuracy floors and the news cases wirediff depends on."""

import json
import textwrap
from pathlib import Path

import pytest

from versions.segment import split_sentences

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEGMENTATION_DATA = SHARED / "eval-data" / "segmentation"
SEED_STORY = SHARED / "seed" / "000_abc02dacf25aa58b.txt"


def _read_shared(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"shared evaluation data not found at {path} (expected beside the repo)")
    return path.read_text(encoding="utf-8")


def _gum_paragraphs() -> list[list[str]]:
    lines = _read_shared(SEGMENTATION_DATA / "gum_news_sentences.jsonl").splitlines()
    return [paragraph for line in lines for paragraph in json.loads(line)["paragraphs"]]


def _cut_offsets(sentences: list[str]) -> set[int]:
    """Offsets of the boundaries between sentences once joined with single spaces."""
    offsets = set()
    position = 0
    for sentence in sentences:
        position += len(" ".join(sentence.split())) + 1
        offsets.add(position - 1)
    offsets.discard(position - 1)
    return offsets


def test_pysbd_golden_rules_at_least_47_of_48() -> None:
    cases = json.loads(_read_shared(SEGMENTATION_DATA / "pysbd_golden_en_rules.json"))
    failures = [case for case in cases if split_sentences(case["text"]) != case["expected"]]
    passed = len(cases) - len(failures)
    assert passed >= 47, f"golden rules {passed}/{len(cases)}; failing: " + "; ".join(
        repr(case["text"]) for case in failures
    )


def test_gum_news_boundary_f1_at_least_0_97() -> None:
    true_positives = predicted = gold = 0
    for paragraph in _gum_paragraphs():
        gold_cuts = _cut_offsets(paragraph)
        predicted_cuts = _cut_offsets(split_sentences(" ".join(paragraph)))
        true_positives += len(gold_cuts & predicted_cuts)
        predicted += len(predicted_cuts)
        gold += len(gold_cuts)
    precision, recall = true_positives / predicted, true_positives / gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.97, f"GUM boundary F1 {f1:.4f} (P {precision:.4f}, R {recall:.4f})"


def test_only_whitespace_changes() -> None:
    """Joining the sentences gives back the paragraph with whitespace runs collapsed."""
    for paragraph in _gum_paragraphs():
        text = "\n".join(paragraph)
        assert " ".join(split_sentences(text)) == " ".join(text.split())


@pytest.mark.parametrize("width", [12, 30, 45, 60, 72, 100, 10_000])
def test_rewrapping_gives_identical_sentences(width: int) -> None:
    story = " ".join(_read_shared(SEED_STORY).split())
    rewrapped = textwrap.fill(story, width=width, break_long_words=False, break_on_hyphens=False)
    assert split_sentences(rewrapped) == split_sentences(story)
    assert split_sentences(rewrapped.replace("\n", "\r\n\t ")) == split_sentences(story)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The relaxation of U.S. conditions was conveyed to Ukraine during a Nov. 12 call"
            " between Secretary of Defense Lloyd J.\nAustin III and Ukrainian Minister of"
            " Defense Rustem Umerov, said a source familiar with the discussions.",
            [
                "The relaxation of U.S. conditions was conveyed to Ukraine during a Nov. 12 call"
                " between Secretary of Defense Lloyd J. Austin III and Ukrainian Minister of"
                " Defense Rustem Umerov, said a source familiar with the discussions."
            ],
            id="initial-and-month-mid-sentence",
        ),
        pytest.param(
            "It took on added urgency following Donald Trump's Nov. 5 election win, sources"
            " said. Biden for months resisted pleas to ease limits on the use of U.S.-supplied"
            " ATACMs missiles.",
            [
                "It took on added urgency following Donald Trump's Nov. 5 election win, sources"
                " said.",
                "Biden for months resisted pleas to ease limits on the use of U.S.-supplied"
                " ATACMs missiles.",
            ],
            id="nov-5-and-us-supplied",
        ),
        pytest.param(
            "Ukraine fired U.S. ATACMS missiles on an arms depot about 110 km (70 miles) inside"
            " Russia. Biden's easing of weapons restrictions appeared to open the door.",
            [
                "Ukraine fired U.S. ATACMS missiles on an arms depot about 110 km (70 miles)"
                " inside Russia.",
                "Biden's easing of weapons restrictions appeared to open the door.",
            ],
            id="parenthesised-conversion",
        ),
        pytest.param(
            "Trump has criticized military aid to the U.S. The next day the U.S. military"
            " said nothing.",
            [
                "Trump has criticized military aid to the U.S.",
                "The next day the U.S. military said nothing.",
            ],
            id="us-at-sentence-end",
        ),
        pytest.param(
            "The polls close at 5 p.m. He said turnout was high. They open at 7 a.m. ET on"
            " Friday. At 5 a.m. Mr. Smith voted.",
            [
                "The polls close at 5 p.m.",
                "He said turnout was high.",
                "They open at 7 a.m. ET on Friday.",
                "At 5 a.m. Mr. Smith voted.",
            ],
            id="am-pm",
        ),
        pytest.param(
            "Ford Motor Co. Chief Executive Jim Farley met Gen. Mark Milley and Sen. Ann Lee,"
            " D-Calif., in St. Louis. Shares of Acme Inc. fell 3.5%. They sold Acme Inc. The"
            " deal was No. 1 on the list.",
            [
                "Ford Motor Co. Chief Executive Jim Farley met Gen. Mark Milley and Sen. Ann Lee,"
                " D-Calif., in St. Louis.",
                "Shares of Acme Inc. fell 3.5%.",
                "They sold Acme Inc.",
                "The deal was No. 1 on the list.",
            ],
            id="company-and-title-abbreviations",
        ),
        pytest.param(
            "WASHINGTON, Nov 21 (Reuters) - President Joe Biden dropped his opposition, sources"
            ' said. "It is time," an aide said. "We will act." (The aide spoke anonymously.)'
            " “Curly quotes end too.” He left.",
            [
                "WASHINGTON, Nov 21 (Reuters) - President Joe Biden dropped his opposition,"
                " sources said.",
                '"It is time," an aide said.',
                '"We will act."',
                "(The aide spoke anonymously.)",
                "“Curly quotes end too.”",
                "He left.",
            ],
            id="dateline-quotes-parentheses",
        ),
        pytest.param(
            "J.R.R. Tolkien wrote it... The rest is history. Mail jane.doe@example.com or see"
            " https://example.com/a.html. Thanks.",
            [
                "J.R.R. Tolkien wrote it...",
                "The rest is history.",
                "Mail jane.doe@example.com or see https://example.com/a.html.",
                "Thanks.",
            ],
            id="initials-ellipsis-email-url",
        ),
        pytest.param("  \n\t ", [], id="blank"),
    ],
)
def test_news_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
