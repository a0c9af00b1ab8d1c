"""Tags: what kind of edit a change is, as a desk editor would name it."""

import pytest

from versions.align import word_diff
from versions.classify import classify
from versions.model import ChangeKind, Tag


def tags(old: str, new: str) -> set[str]:
    return {str(t) for t in classify(ChangeKind.CHANGED, old, new, tuple(word_diff(old, new)))}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "A U.S. official said the plan was dead.",
            "A senior U.S. official said the plan was dead.",
        ),
        ("The plan is dead, a source said.", "The plan is dead, a source told Reuters."),
        (
            "The plan is dead, a source familiar with the matter said.",
            "The plan is dead, White House spokesperson John Kirby said.",
        ),
        (
            "The plan is dead, the official told Reuters.",
            "The plan is dead, the official told CNN.",
        ),
        (
            "The plan is dead, according to the ministry.",
            "The plan is dead, according to the army.",
        ),
    ],
)
def test_edits_to_who_said_it_are_attribution(old: str, new: str) -> None:
    assert "attribution" in tags(old, new)


def test_a_source_becoming_two_sources_is_attribution_and_number() -> None:
    assert tags("Troops moved, a source said.", "Troops moved, two sources said.") == {
        "attribution",
        "number",
    }


def test_edit_away_from_the_attribution_is_not_attribution() -> None:
    old = "Troops moved into the northern town on Monday, a source said."
    new = "Troops moved into the southern town on Monday, a source said."
    assert tags(old, new) == set()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Russia sent 8,000 troops.", "Russia sent 10,000 troops."),
        ("The quake struck 113 km (70 miles) away.", "The quake struck 110 km (68 miles) away."),
        ("The vote is on Nov. 12.", "The vote is on Nov. 13."),
        ("Three people died.", "Four people died."),
        ("Prices rose 2.5% in March.", "Prices rose 2.5% in April."),
    ],
)
def test_changed_figures_dates_and_units_are_number(old: str, new: str) -> None:
    assert tags(old, new) == {"number"}


def test_changed_words_inside_quotation_marks_are_quote() -> None:
    assert tags('He said "we will win" at the rally.', 'He said "we shall win" at the rally.') == {
        "quote"
    }
    assert tags("He said “we will win” at the rally.", "He said “we shall win” at the rally.") == {
        "quote"
    }


def test_quoted_passage_added_inside_a_sentence_is_quote() -> None:
    old = "The minister defended the plan on Monday."
    new = 'The minister defended the plan, calling it "the only way," on Monday.'
    assert "quote" in tags(old, new)


def test_edit_outside_the_quotation_is_not_quote() -> None:
    old = '"We will win," he told a rally in Kyiv.'
    new = '"We will win," he told a rally in Lviv.'
    assert "quote" not in tags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('He called it "historic" on Monday.', "He called it “historic” on Monday."),
        ("The talks - long stalled - resumed.", "The talks — long stalled — resumed."),
        ("The Talks resumed in Geneva.", "The talks resumed in Geneva."),
        ("The talks resumed in Geneva, on Monday.", "The talks resumed in Geneva on Monday."),
        ("Kosovo officialy remains a province.", "Kosovo officially remains a province."),
    ],
)
def test_typography_case_punctuation_and_typos_are_cosmetic_only(old: str, new: str) -> None:
    assert tags(old, new) == {"cosmetic"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Sales will increase next year.", "Sales will decrease next year."),
        ("A deal is likely this week.", "A deal is unlikely this week."),
        ("The report was written by Jon Smith.", "The report was written by Jon Smyth."),
        ("The aid is now available.", "The aid is not available."),
        ("He said it was true.", 'He said "it was true."'),
    ],
)
def test_meaningful_small_edits_are_not_cosmetic(old: str, new: str) -> None:
    assert "cosmetic" not in tags(old, new)


def test_removed_sentence_holding_a_quote_is_tagged_quote() -> None:
    removed = '"We will not back down," the minister said.'
    assert classify(ChangeKind.REMOVED, removed, "", ()) == (Tag.QUOTE,)
    assert classify(ChangeKind.ADDED, "", "The minister spoke on Monday.", ()) == ()
