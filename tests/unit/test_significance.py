"""Which arrival an editor should read first: the significance score and its reasons."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from versions.compare import compare
from versions.comparison import Comparison
from versions.editorial import check_watch_term
from versions.model import ChangeLog, Document
from versions.readers import parse
from versions.significance import (
    CORRECTED_FLOOR,
    Significance,
    WatchTerms,
    significance,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

BASE = """\
Flood waters rise in river town of Elmsford
By Ana Ruiz
ELMSFORD, May 2 (Reuters) - Flood waters rose through the river town of Elmsford on
Thursday, cutting roads and forcing families onto rooftops, the mayor said.
The river was expected to crest on Friday, the regional water board said.
Rescue boats were working through the night, said fire chief Tom Marsh.
Schools across the county were closed, the county office said.
The town last flooded in 1998, when the river rose 4 metres.
Residents said the warning had come late.
(Reporting by Ana Ruiz; Editing by Ben Hale)
"""


def _take(text: str) -> Document:
    return parse(text)


def _scored(
    old_text: str, new_text: str, *, withdrawn: bool | None = None, corrected: bool | None = None
) -> Significance:
    old, new = _take(old_text), _take(new_text)
    pair = Comparison(compare(old, new), old, new)
    return significance(pair, withdrawn=withdrawn, corrected=corrected)


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new)


def test_a_take_with_nothing_shown_scores_zero() -> None:
    assert _scored(BASE, BASE) == Significance(0, ())
    rewrapped = BASE.replace("on\nThursday", "on Thursday")
    assert _scored(BASE, rewrapped).score == 0


def test_cosmetic_and_credit_changes_score_zero() -> None:
    cosmetic = _edit("the mayor said.", "the mayor  said .")
    assert _scored(BASE, cosmetic).score == 0
    credits = _edit("Editing by Ben Hale", "Editing by Ben Hale and Cy Moss")
    assert _scored(BASE, credits).score == 0
    byline = _edit("By Ana Ruiz", "By Ana Ruiz and Lu Chen")
    assert _scored(BASE, byline).score == 0


def test_withdrawn_scores_most_whatever_else_changed() -> None:
    assert _scored(BASE, BASE, withdrawn=True) == Significance(100, ("withdrawn",))
    withdrawn = parse(
        "WITHDRAWN-Flood waters rise in river town of Elmsford\n"
        "ELMSFORD, May 2 (Reuters) - Reuters has withdrawn this story.\n"
    )
    old = _take(BASE)
    assert significance(Comparison(compare(old, withdrawn), old, withdrawn)).score == 100


def test_a_correction_outranks_every_plain_update() -> None:
    small_fix = _edit("fire chief Tom Marsh", "fire chief Tom March")
    corrected = _scored(BASE, small_fix, corrected=True)
    assert corrected.reasons[0] == "corrected"
    assert corrected.score >= CORRECTED_FLOOR
    everything = _edit("Flood waters rise in river town", "Flood kills 3 in river town")
    killed = "At least 3 people were killed.\nThe river was expected"
    everything = everything.replace("The river was expected", killed)
    assert corrected.score > _scored(BASE, everything).score
    assert _scored(BASE, everything, corrected=True).score <= 99


def test_a_corrected_typo_is_still_only_cosmetic() -> None:
    typo = _edit("the mayor said", "the mayor sayd")
    fixed = _scored(typo, BASE, corrected=True)
    assert fixed == Significance(0, ("corrected", "cosmetic only"))


def test_the_same_figure_change_counts_more_in_the_lead() -> None:
    in_lead = _scored(BASE, _edit("on\nThursday,", "on\nThursday, cutting 12 roads,"))
    lower = _scored(BASE, _edit("rose 4 metres", "rose 5 metres"))
    assert "figure in ¶1" in in_lead.reasons
    assert "figure in ¶5" in lower.reasons
    assert in_lead.score > lower.score > 0


def test_attribution_change_is_a_reason_with_its_paragraph() -> None:
    result = _scored(BASE, _edit("the regional water board said", "the army said"))
    assert result.reasons[0] == "attribution in ¶2"
    assert result.score > _scored(BASE, _edit("Residents said", "Residents told Reuters")).score


def test_headline_change_outranks_a_body_edit() -> None:
    headline = _scored(BASE, _edit("Flood waters rise in", "Flood waters swamp"))
    assert headline.reasons[0] == "headline changed"
    body = _scored(BASE, _edit("Schools across", "Schools and offices across"))
    assert headline.score > body.score > 0


def test_watch_terms_added_and_dropped_are_named() -> None:
    added = _scored(BASE, _edit("Residents said", "Two people were killed, residents said"))
    assert "watch term: killed" in added.reasons
    plain = _scored(BASE, _edit("Residents said", "Two people were stranded, residents said"))
    assert added.score > plain.score
    evacuated = _scored(BASE, _edit("Residents said", "Residents were evacuated and said"))
    assert "watch term: evacuated" in evacuated.reasons
    dropped = _scored(
        _edit("Residents said", "Two people died, residents said"),
        _edit("Residents said", "Two people were missing, residents said"),
    )
    assert "watch term dropped: died" in dropped.reasons


def test_a_term_that_stays_is_not_a_reason() -> None:
    before = _edit("Residents said", "Two people were killed, residents said")
    after = _edit("Residents said", "Two people were killed, neighbours said")
    assert not any("watch term" in reason for reason in _scored(before, after).reasons)


def test_watch_terms_come_from_the_caller() -> None:
    text = _edit("Residents said", "The levee breached, residents said")
    old, new = _take(BASE), _take(text)
    pair = Comparison(compare(old, new), old, new)
    assert "watch term: levee" not in significance(pair).reasons
    assert "watch term: levee" in significance(pair, watch_terms=["levee"]).reasons
    assert not any("watch" in r for r in significance(pair, watch_terms=[]).reasons)


def test_a_new_story_ranks_with_its_watch_terms() -> None:
    plain = significance(None, first_take=_take(BASE))
    assert plain == Significance(30, ("new story",))
    deadly = _take(BASE.replace("Flood waters rise in", "Flood kills 3 in"))
    assert significance(None, first_take=deadly).reasons == ("new story", "watch term: kills")
    assert significance(None, first_take=deadly).score > plain.score
    assert significance(None).score == plain.score  # no document: a new story all the same
    deep = _take(BASE.replace("Residents said", "Two died, residents said"))
    assert significance(None, first_take=deep).score == plain.score  # ¶6: not the lead


def test_a_comparison_without_documents_still_scores() -> None:
    old, new = _take(BASE), _take(_edit("rose 4 metres", "rose 5 metres"))
    changelog: ChangeLog = compare(old, new)
    alone = significance(Comparison(changelog))
    assert alone.score > 0
    assert any(reason.startswith("figure in ¶") for reason in alone.reasons)


@pytest.mark.parametrize(
    ("terms", "text", "matched"),
    [
        (("evacuat*",), "Thousands were EVACUATED", {0: ["evacuated"]}),
        (("dead",), "the deadline passed", {}),
        (("death toll",), "the death\ntoll rose; death tolls", {0: ["death toll"]}),
        (("kill*", "dead"), "killing; dead, killed", {0: ["killing", "killed"], 1: ["dead"]}),
        (("state of emerg*",), "a State of Emergency", {0: ["state of emergency"]}),
        (("nuclear",), "a nuclear-armed power", {0: ["nuclear"]}),
    ],
)
def test_watch_terms_match_whole_words(
    terms: tuple[str, ...], text: str, matched: dict[int, list[str]]
) -> None:
    assert WatchTerms.of(terms).find(text) == matched


def test_unusable_watch_terms_are_refused_with_a_reason() -> None:
    assert check_watch_term("evacuat*") is None
    assert check_watch_term("*") == "it needs a letter or digit"
    assert check_watch_term("ev*ac") == "`*` may only end it"


def _sample_scores() -> dict[tuple[str, int], Significance]:
    scores = {}
    for story in sorted(p for p in SAMPLES.iterdir() if p.is_dir() and p.name[0] != "f"):
        takes = sorted(story.glob("*.txt"))
        if not takes:
            continue
        documents = [parse(path.read_bytes()) for path in takes]
        scores[(story.name, 1)] = significance(None, first_take=documents[0])
        for number, (old, new) in enumerate(itertools.pairwise(documents), start=2):
            scores[(story.name, number)] = significance(Comparison(compare(old, new), old, new))
    return scores


def test_the_samples_burst_is_ordered_as_an_editor_would_read_it() -> None:
    scores = _sample_scores()
    biden = {n: scores[("biden-ukraine-missiles", n)] for n in range(1, 7)}
    peru = {n: scores[("peru-earthquake", n)] for n in range(1, 5)}
    skarvik = {n: scores[("skarvik-castell-deal", n)] for n in range(1, 5)}
    corvane = {n: scores[("corvane-trial-withdrawn", n)] for n in range(1, 3)}

    assert corvane[2] == Significance(100, ("withdrawn",))
    # corrections (the deal's value in euros; Peru v4's advisory "corrects prime minister's
    # quote") come before every plain update and new story
    corrections = [skarvik[3], peru[4]]
    assert skarvik[3].reasons[:3] == ("corrected", "headline changed", "figure in headline, ¶1")
    assert peru[4].reasons[0] == "corrected"
    plain = [s for s in scores.values() if s not in (*corrections, corvane[2])]
    assert min(s.score for s in corrections) > max(s.score for s in plain)
    # a rising death toll in headline and lead beats any body-only update
    assert "figure in headline, ¶1" in peru[2].reasons
    assert peru[2].score > max(biden[3].score, biden[6].score, skarvik[4].score)
    # a new story with deaths in its headline ranks above a new story without
    assert peru[1].score > skarvik[1].score
    # the Dnipro strike paragraph (v3) and the new attribution of it (v6) beat the REFILE
    assert "adds 1 paragraph" in biden[3].reasons
    assert "attribution in ¶8" in biden[6].reasons
    assert biden[3].score > biden[4].score > biden[5].score == 0
    assert biden[6].score > biden[4].score
    assert biden[5] == Significance(0, ())
