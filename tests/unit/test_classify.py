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


def test_a_source_becoming_two_sources_is_attribution_not_number() -> None:
    """The count of sources belongs to the attribution: no figure of the story changed."""
    assert tags("Troops moved, a source said.", "Troops moved, two sources said.") == {
        "attribution"
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


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # one source swapped for another
        (
            "Ten people died, a police spokesman said.",
            "Ten people died, the interior ministry said.",
        ),
        ("The toll rose to 40, police said.", "The toll rose to 40, the health ministry said."),
        ("Prices rose 3%, according to the central bank.", "Prices rose 3%, according to Fitch."),
        ("Sources say the deal is close.", "The company says the deal is close."),
        # the count of sources
        (
            "Workers walked out, a union official said.",
            "Workers walked out, two union officials said.",
        ),
        ("The plan is dead, an official said.", "The plan is dead, several officials said."),
        # the title of the source
        (
            "Deputy Minister Jane Doe said talks would resume.",
            "Minister Jane Doe said talks would resume.",
        ),
        (
            '"We will rebuild," said Jane Doe, a spokeswoman.',
            '"We will rebuild," said Jane Doe, a senior adviser.',
        ),
        (
            "Jane Doe, a spokeswoman, said talks would resume.",
            "Jane Doe, the party leader, said talks would resume.",
        ),
        # anonymity
        (
            "The strike was planned, a source said.",
            "The strike was planned, Defence Minister Rustem Umerov said.",
        ),
        (
            "The strike was planned, an official said.",
            "The strike was planned, an official said on condition of anonymity.",
        ),
        (
            "Talks stalled, said a diplomat who asked not to be named.",
            "Talks stalled, said French diplomat Paul Roux.",
        ),
        # how it was said
        (
            "The talks failed, the ministry said.",
            "The talks failed, the ministry said in a statement.",
        ),
        ("The talks failed, the minister said.", "The talks failed, the minister told reporters."),
        # a headline's source
        (
            "Biden lets Ukraine strike inside Russia - source",
            "Biden lets Ukraine strike inside Russia - sources",
        ),
    ],
)
def test_a_change_of_who_said_it_is_attribution_whatever_the_words(old: str, new: str) -> None:
    assert "attribution" in tags(old, new)


def test_more_sources_is_attribution_and_no_figure() -> None:
    old, new = "The plan is dead, an official said.", "The plan is dead, two officials said."
    assert tags(old, new) == {"attribution"}
    old, new = (
        "Workers walked out, a union official said.",
        "Workers walked out, three union officials said.",
    )
    assert tags(old, new) == {"attribution"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The plan is dead, the official says.", "The plan is dead, the official said."),  # tense
        ("Officials said troops moved north.", "Officials said troops moved south and east."),
        ('"We will win," she said on Monday.', '"We will win," she said on Tuesday.'),
        ("The company added 200 jobs in March.", "The firm added 200 jobs in March."),
        (
            "Troops advanced, officials said, adding that fighting continued.",
            "Troops advanced, officials said, adding that fighting eased.",
        ),
    ],
)
def test_an_edit_beside_an_unchanged_attribution_is_not_attribution(old: str, new: str) -> None:
    assert "attribution" not in tags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The blast may have killed 40 people.", "The blast killed 40 people."),
        ("At least 12 people died.", "12 people died."),
        ("The toll reportedly rose to 30.", "The toll rose to 30."),
        ("Up to 5,000 people may have been displaced.", "Up to 5,000 people were displaced."),
    ],
)
def test_a_hedge_dropped_around_an_unchanged_figure_is_not_number(old: str, new: str) -> None:
    assert "number" not in tags(old, new)


def test_a_figure_changed_inside_an_attributed_sentence_is_number_only() -> None:
    assert tags("Police said 12 people died.", "Police said 14 people died.") == {"number"}
    old, new = (
        "The toll is 40, the health ministry said.",
        "The toll is 45, the health ministry said.",
    )
    assert tags(old, new) == {"number"}
    assert tags("The vote is set for May 5.", "The vote is set for May 6.") == {"number"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Inflation slowed to three percent in October.", "Inflation slowed to 3% in October."),
        ("Turnout was 47.5 percent.", "Turnout was 47.5 per cent."),
        ("The fund manages $300bn in assets.", "The fund manages $300 billion in assets."),
        ('The situation was "very serious".', 'The situation was "very serious."'),
    ],
)
def test_the_same_figure_or_quote_written_another_way_is_cosmetic(old: str, new: str) -> None:
    assert tags(old, new) == {"cosmetic"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The project will cost £3.5bn.", "The project will cost €3.5bn."),
        ("The deal could be signed this week.", "The deal could be signed next week."),
        ("The rally drew tens of thousands of people.", "The rally drew thousands of people."),
        (
            '"We lost everything," said Amina Yusuf, 45.',
            '"We lost everything," said Amina Yusuf, 46.',
        ),
    ],
)
def test_a_changed_currency_relative_date_or_age_is_number(old: str, new: str) -> None:
    assert "number" in tags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Three were arrested, police said.",
            "Three were arrested, police said, adding that more were expected.",
        ),
        (
            "Officials said the fire was out and no one was hurt.",
            "Officials said the fire was out. No one was hurt, they said.",
        ),
    ],
)
def test_a_continuation_of_the_same_source_is_not_attribution(old: str, new: str) -> None:
    assert "attribution" not in tags(old, new)


def test_a_source_of_data_or_a_denial_is_attribution() -> None:
    assert "attribution" in tags(
        "Exports rose 8.5% in September, official data showed.",
        "Exports rose 8.5% in September, customs data showed on Monday.",
    )
    assert "attribution" in tags("The ministry denied the report.", "The army denied the report.")
    assert "attribution" not in tags("The firm added 200 jobs.", "The company added 200 jobs.")
