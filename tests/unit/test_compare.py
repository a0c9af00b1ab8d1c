"""compare(): the change log an editor reads, in the documented JSON shape."""

from versions import compare
from versions.labels import WireLabel
from versions.model import Document, ItemMeta, Paragraph, ParagraphKind, VersionRef

K = ParagraphKind


def story(*paragraphs: tuple[ParagraphKind, list[str]]) -> Document:
    return Document(tuple(Paragraph(kind, tuple(sentences)) for kind, sentences in paragraphs))


OLD = story(
    (K.HEADLINE, ["Biden lets Ukraine strike deep inside Russia"]),
    (K.BYLINE, ["By Mike Stone"]),
    (
        K.DATELINE,
        ["WASHINGTON, Nov 21 (Reuters) - Biden relented, a U.S. official said."],
    ),
    (K.TEXT, ["Russia has sent 8,000 North Korean troops to Kursk.", "The move alarmed Kyiv."]),
    (K.TEXT, ["The Pentagon declined to comment.", "Talks stalled last month."]),
    (K.TRAILER, ["(Reporting by Mike Stone; Editing by Don Durfee)"]),
)


def test_unchanged_story_has_no_changes() -> None:
    log = compare(OLD, OLD)
    assert log.changes == ()
    assert set(log.summary.values()) == {0}


def test_refile_rewrapped_and_regrouped_is_no_change() -> None:
    rewrapped = story(
        (K.HEADLINE, ["Biden lets Ukraine strike  deep inside Russia"]),
        (K.BYLINE, ["By Mike\u00a0Stone"]),
        (
            K.DATELINE,
            ["WASHINGTON, Nov 21 (Reuters) - Biden\nrelented, a U.S. official said."],
        ),
        (K.TEXT, ["Russia has sent 8,000 North Korean troops to Kursk."]),
        (K.TEXT, ["The move alarmed Kyiv.", "The Pentagon declined to comment."]),
        (K.TEXT, ["Talks stalled last month."]),
        (K.TRAILER, ["(Reporting by Mike Stone; Editing by Don Durfee)"]),
    )
    assert compare(OLD, rewrapped).changes == ()


def test_senior_official_change_is_marked_inline_and_tagged_attribution() -> None:
    new = story(
        *[(p.kind, list(p.sentences)) for p in OLD.paragraphs[:2]],
        (
            K.DATELINE,
            ["WASHINGTON, Nov 21 (Reuters) - Biden relented, a senior U.S. official said."],
        ),
        *[(p.kind, list(p.sentences)) for p in OLD.paragraphs[3:]],
    )
    (change,) = compare(OLD, new).changes
    assert change.to_dict() == {
        "section": "dateline",
        "kind": "changed",
        "old": ["WASHINGTON, Nov 21 (Reuters) - Biden relented, a U.S. official said."],
        "new": ["WASHINGTON, Nov 21 (Reuters) - Biden relented, a senior U.S. official said."],
        "old_index": [2],
        "new_index": [2],
        "tags": ["attribution"],
        "inline": [
            [0, "WASHINGTON, Nov 21 (Reuters) - Biden relented, a "],
            [1, "senior "],
            [0, "U.S. official said."],
        ],
    }
    assert change.old_paragraphs == change.new_paragraphs == (3,)


def test_full_change_log_shape_order_and_summary() -> None:
    new = story(
        (K.HEADLINE, ["Biden lets Ukraine strike deep inside Russia"]),
        (K.BULLET, ["Kremlin vows response"]),
        (K.BYLINE, ["By Mike Stone"]),
        (
            K.DATELINE,
            ["WASHINGTON, Nov 21 (Reuters) - Biden relented, a U.S. official said."],
        ),
        (K.TEXT, ["Talks stalled last month."]),
        (
            K.TEXT,
            ["Russia has sent 10,000 North Korean troops to Kursk.", "The move alarmed Kyiv."],
        ),
        (K.TRAILER, ["(Reporting by Mike Stone; Editing by Don Durfee)"]),
    )
    log = compare(
        OLD,
        new,
        story_key="biden-ukraine",
        story_title="Biden lets Ukraine strike deep inside Russia",
        old_ref=VersionRef(1, None),
        new_ref=VersionRef(2, WireLabel.parse("UPDATE 1")),
    )
    data = log.to_dict()
    assert data["story"] == {
        "key": "biden-ukraine",
        "title": "Biden lets Ukraine strike deep inside Russia",
    }
    assert data["from"] == {"version": 1, "label": None}
    assert data["to"] == {"version": 2, "label": "UPDATE 1"}
    assert [(c["section"], c["kind"], c["tags"]) for c in data["changes"]] == [
        ("headline", "added", []),
        ("body", "moved", []),
        ("body", "changed", ["number"]),
        ("body", "removed", []),
    ]
    assert data["changes"][1]["inline"] == []
    assert data["summary"] == {
        "added": 1,
        "removed": 1,
        "changed": 1,
        "moved": 1,
        "split": 0,
        "merged": 0,
    }


def test_removed_sentence_is_listed_where_it_was() -> None:
    new = story(
        *[
            (p.kind, [s for s in p.sentences if s != "The move alarmed Kyiv."])
            for p in OLD.paragraphs
        ]
    )
    log = compare(OLD, new)
    assert [(c.kind, c.old_index) for c in log.changes] == [("removed", (4,))]
    assert log.changes[0].old_paragraphs == (4,)


def test_split_and_merged_carry_an_inline_diff_over_all_their_sentences() -> None:
    old = story(
        (
            K.TEXT,
            ["The army moved north on Monday and the rebels withdrew from the town overnight."],
        )
    )
    new = story(
        (
            K.TEXT,
            ["The army moved north on Monday.", "The rebels withdrew from the town overnight."],
        )
    )
    (split,) = compare(old, new).changes
    assert split.kind == "split"
    assert "".join(t for op, t in split.inline if op <= 0) == " ".join(split.old)
    assert "".join(t for op, t in split.inline if op >= 0) == " ".join(split.new)
    (merged,) = compare(new, old).changes
    assert merged.kind == "merged"
    assert merged.old_index == (0, 1)


def test_sentence_moved_from_dateline_lead_into_body_is_reported_in_body() -> None:
    lead = "WASHINGTON, Nov 21 (Reuters) - Biden dropped his opposition to strikes, aides said."
    old = story((K.DATELINE, [lead]), (K.TEXT, ["Kyiv welcomed it.", "Moscow did not."]))
    new = story(
        (K.DATELINE, ["WASHINGTON, Nov 22 (Reuters) - Ukraine fired U.S. missiles into Russia."]),
        (K.TEXT, ["Kyiv welcomed it.", "Moscow did not."]),
        (K.TEXT, ["Biden dropped his opposition to strikes on Thursday, aides said."]),
    )
    kinds = {(c.section, c.kind) for c in compare(old, new).changes}
    assert ("body", "moved") in kinds
    assert ("dateline", "added") in kinds


def test_documents_rebuilt_from_sentence_rows_compare_the_same() -> None:
    new = story(
        (K.HEADLINE, ["Biden lets Ukraine strike deep inside Russia"]),
        (K.TEXT, ["Russia has sent 10,000 North Korean troops to Kursk. Kyiv was alarmed."]),
    )
    rebuilt_old = Document.from_sentences(OLD.sentences, ItemMeta())
    rebuilt_new = Document.from_sentences(new.sentences, ItemMeta())
    assert compare(rebuilt_old, rebuilt_new).to_dict() == compare(OLD, new).to_dict()


def test_cosmetic_curly_quote_change_is_reported_as_cosmetic() -> None:
    old = story((K.TEXT, ['He called the strike "historic" on Monday.']))
    new = story((K.TEXT, ["He called the strike “historic” on Monday."]))
    (change,) = compare(old, new).changes
    assert (change.kind, change.tags) == ("changed", ("cosmetic",))
    assert [-1, '"'] in change.to_dict()["inline"]


def test_split_keeping_its_attribution_is_not_attribution() -> None:
    """The sentence was cut in two; "officials said" is still there, said by the same officials."""
    for joined, halves in [
        (
            "Troops crossed the border at dawn and shelled the town of Vovchansk, officials said.",
            [
                "Troops crossed the border at dawn, officials said.",
                "They shelled the town of Vovchansk.",
            ],
        ),
        (
            "Officials said troops crossed the border at dawn and shelled the town of Vovchansk.",
            [
                "Officials said troops crossed the border at dawn.",
                "They then shelled the town of Vovchansk.",
            ],
        ),
        (
            "Rescuers pulled 12 people from the rubble on Monday and found 3 bodies, police said.",
            [
                "Rescuers pulled 12 people from the rubble on Monday, police said.",
                "They found 3 bodies.",
            ],
        ),
    ]:
        (change,) = compare(story((K.TEXT, [joined])), story((K.TEXT, halves))).changes
        assert change.kind == "split"
        assert change.tags == ()


def test_split_that_changes_the_source_is_attribution() -> None:
    old = story(
        (K.TEXT, ["Troops crossed the border at dawn and shelled the town, officials said."])
    )
    new = story(
        (
            K.TEXT,
            [
                "Troops crossed the border at dawn, officials said.",
                "They shelled the town, residents said.",
            ],
        )
    )
    (change,) = compare(old, new).changes
    assert (change.kind, change.tags) == ("split", ("attribution",))


def test_added_sentence_keeps_the_quote_flag_describing_its_content() -> None:
    old = story((K.TEXT, ["Troops crossed the border at dawn, officials said."]))
    new = story(
        (
            K.TEXT,
            [
                "Troops crossed the border at dawn, officials said.",
                '"We are ready," the general said.',
            ],
        )
    )
    (change,) = compare(old, new).changes
    assert (change.kind, change.tags) == ("added", ("quote",))
