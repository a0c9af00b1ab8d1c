"""A short paragraph replaced in its own slot is that paragraph rewritten, not removed + added.

Subheads, trailers, bylines and one-line paragraphs (a contributor line) are
rewritten wholesale between takes; an editor reads "the subhead changed",
whatever words the two share.
"""

import pytest

from versions import compare
from versions.model import ChangeKind, Document, Paragraph, ParagraphKind

K = ParagraphKind
LEAD = "KYIV, March 3 (Reuters) - Fighting spread across the north on Monday, the army said."
BEFORE = "Residents fled south along the main highway as shelling intensified overnight."
AFTER = "The regional governor ordered an evacuation of three border villages on Tuesday."
CLOSING = "Aid agencies said they had not been able to reach the area for two days."


def story(*paragraphs: tuple[ParagraphKind, str]) -> Document:
    return Document(tuple(Paragraph(kind, (text,)) for kind, text in paragraphs))


def around(
    kind: ParagraphKind, text: str, *, trailer: str = "(Reporting by Olena Harmash)"
) -> Document:
    return story(
        (K.HEADLINE, "Fighting spreads in northern Ukraine"),
        (K.BYLINE, "By Olena Harmash"),
        (K.DATELINE, LEAD),
        (K.TEXT, BEFORE),
        (kind, text),
        (K.TEXT, AFTER),
        (K.TEXT, CLOSING),
        (K.TRAILER, trailer),
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("FIGHTING SPREADS NORTH", "ARMY PUSHES INTO HILLS"),  # no word in common
        ("TOWNS CUT OFF", "AID CONVOY TURNED BACK"),
        ("EVACUATION ORDERED", "GOVERNOR ORDERS VILLAGES CLEARED"),  # one stem, no shared word
        ("WHAT HAPPENS NEXT", "WHAT COMES NEXT FOR KYIV"),  # some overlap
    ],
)
def test_subhead_reworded_in_place_is_changed(old: str, new: str) -> None:
    (change,) = compare(around(K.SUBHEAD, old), around(K.SUBHEAD, new)).changes
    assert (change.kind, change.old, change.new) == (ChangeKind.CHANGED, (old,), (new,))
    assert "".join(t for op, t in change.inline if op <= 0) == old
    assert "".join(t for op, t in change.inline if op >= 0) == new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Police declined to comment.", "The ministry has opened an inquiry."),
        (
            "Associated Press writer Jane Doe in Paris contributed to this report.",
            "AP reporters Tom Lee in Rome and Ann Kim in Seoul contributed.",
        ),
        ("Oil prices were steady.", "Markets in Kyiv stayed shut."),
    ],
)
def test_short_paragraph_replaced_in_its_slot_is_changed(old: str, new: str) -> None:
    (change,) = compare(around(K.TEXT, old), around(K.TEXT, new)).changes
    assert (change.kind, change.old, change.new) == (ChangeKind.CHANGED, (old,), (new,))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("(Reporting by Olena Harmash)", "(Writing by Tom Balmforth; Editing by Mark Heinrich)"),
        (
            "(Reporting by Olena Harmash; Editing by Gareth Jones)",
            "(Additional reporting by Max Hunder in Kharkiv; editing by Alex Richardson)",
        ),
    ],
)
def test_trailer_rewritten_at_the_end_is_changed(old: str, new: str) -> None:
    subhead = (K.SUBHEAD, "ARMY ADVANCES")
    (change,) = compare(around(*subhead, trailer=old), around(*subhead, trailer=new)).changes
    assert (change.section, change.kind) == ("trailer", ChangeKind.CHANGED)


def test_byline_rewritten_is_changed() -> None:
    old = around(K.SUBHEAD, "ARMY ADVANCES")
    new = Document((old.paragraphs[0], Paragraph(K.BYLINE, ("By Tom Balmforth and Max Hunder",)),
                    *old.paragraphs[2:]))  # fmt: skip
    (change,) = compare(old, new).changes
    assert (change.section, change.kind) == ("byline", ChangeKind.CHANGED)


def test_subhead_and_short_paragraph_replaced_together_pair_in_order() -> None:
    old = story((K.TEXT, BEFORE), (K.SUBHEAD, "TOWNS CUT OFF"), (K.TEXT, "Roads were closed."),
                (K.TEXT, AFTER))  # fmt: skip
    new = story((K.TEXT, BEFORE), (K.SUBHEAD, "ARMY PUSHES INTO HILLS"),
                (K.TEXT, "Drones hit a depot."), (K.TEXT, AFTER))  # fmt: skip
    changes = compare(old, new).changes
    assert [(c.kind, c.old, c.new) for c in changes] == [
        (ChangeKind.CHANGED, ("TOWNS CUT OFF",), ("ARMY PUSHES INTO HILLS",)),
        (ChangeKind.CHANGED, ("Roads were closed.",), ("Drones hit a depot.",)),
    ]


def test_long_paragraph_replaced_by_an_unrelated_one_is_removed_and_added() -> None:
    old = (
        "Separately, the central bank held its key interest rate at 13% for a third straight"
        " month, citing inflation risks."
    )
    new = (
        "A Ukrainian drone struck an oil refinery in Russia's Krasnodar region overnight,"
        " the regional governor wrote on Telegram."
    )
    kinds = [c.kind for c in compare(around(K.TEXT, old), around(K.TEXT, new)).changes]
    assert sorted(kinds) == [ChangeKind.ADDED, ChangeKind.REMOVED]


def test_subhead_replaced_by_a_text_paragraph_is_removed_and_added() -> None:
    log = compare(around(K.SUBHEAD, "TOWNS CUT OFF"), around(K.TEXT, "Towns were quiet."))
    assert sorted(c.kind for c in log.changes) == [ChangeKind.ADDED, ChangeKind.REMOVED]


def test_subhead_dropped_and_another_added_elsewhere_is_removed_and_added() -> None:
    old = story((K.TEXT, BEFORE), (K.SUBHEAD, "TOWNS CUT OFF"), (K.TEXT, AFTER), (K.TEXT, CLOSING))
    new = story((K.TEXT, BEFORE), (K.TEXT, AFTER), (K.SUBHEAD, "ARMY ADVANCES"), (K.TEXT, CLOSING))
    log = compare(old, new)
    assert sorted(c.kind for c in log.changes) == [ChangeKind.ADDED, ChangeKind.REMOVED]


def test_subhead_replaced_next_to_an_edited_paragraph_is_still_changed() -> None:
    """The neighbours need only be paired, not untouched: the update often edits both."""
    old = story((K.TEXT, BEFORE), (K.SUBHEAD, "TOWNS CUT OFF"), (K.TEXT, AFTER))
    edited = AFTER.replace("three", "four")
    new = story((K.TEXT, BEFORE), (K.SUBHEAD, "ARMY PUSHES INTO HILLS"), (K.TEXT, edited))
    kinds = [(c.kind, c.old) for c in compare(old, new).changes]
    assert kinds == [
        (ChangeKind.CHANGED, ("TOWNS CUT OFF",)),
        (ChangeKind.CHANGED, (AFTER,)),
    ]
