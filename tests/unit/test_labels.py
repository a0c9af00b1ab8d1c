"""A wire label is read once into what it means, whatever order its parts come in."""

from __future__ import annotations

import pytest

from versions.advisory import advisory_line
from versions.compare import compare
from versions.export.layout import version_name
from versions.labels import WireLabel
from versions.model import VersionRef
from versions.readers import parse


def test_a_chained_label_says_each_of_its_parts() -> None:
    label = WireLabel.parse("REFILE-UPDATE 3")
    assert (label.text, label.update, label.refile) == ("REFILE-UPDATE 3", 3, True)
    assert not (label.correction or label.withdrawn or label.urgent)
    corrected = WireLabel.parse("CORRECTED-UPDATE 1")
    assert (corrected.update, corrected.correction, corrected.refile) == (1, True, False)
    assert WireLabel.parse("UPDATE").update is None


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("CORRECTION", "correction"),
        ("WITHDRAWN", "withdrawn"),
        ("RPT", "refile"),
        ("REPEAT", "refile"),
        ("URGENT", "urgent"),
        ("EXCLUSIVE", "exclusive"),
        ("WRAPUP 2", "wrapup"),
    ],
)
def test_each_label_word_has_its_meaning(text: str, meaning: str) -> None:
    label = WireLabel.parse(text)
    flags = ("refile", "correction", "withdrawn", "urgent", "exclusive", "wrapup")
    assert [name for name in flags if getattr(label, name)] == [meaning]


def test_the_reader_parses_the_label_once_and_the_meta_carries_it() -> None:
    doc = parse("CORRECTED-UPDATE 2-Storm hits coast\n\nLONDON (Reuters) - A storm hit.\n")
    assert doc.meta.label == WireLabel.parse("CORRECTED-UPDATE 2")
    assert doc.meta.label is not None and doc.meta.label.update == 2
    assert doc.meta.correction and not doc.meta.withdrawn
    assert doc.headline == "Storm hits coast"
    assert parse("WITHDRAWN-Storm hits coast\n\nLONDON (Reuters) - A storm hit.\n").meta.withdrawn


def test_a_headline_only_starting_like_a_label_keeps_its_words() -> None:
    assert WireLabel.split("UPDATES to follow-Storm") == (None, "UPDATES to follow-Storm")
    assert WireLabel.split("EU-UK talks resume") == (None, "EU-UK talks resume")


def test_a_withdrawal_without_a_label_is_named_and_advised_as_one() -> None:
    old = parse("Storm hits coast\n\nLONDON (Reuters) - A storm hit the coast on Monday.\n")
    new = parse(
        "Storm hits coast\n(Story withdrawn)\n\nLONDON (Reuters) - Reuters has withdrawn this.\n"
    )
    assert new.meta.label is None and new.meta.withdrawn
    log = compare(old, new, old_ref=VersionRef.of(1, old.meta), new_ref=VersionRef.of(2, new.meta))
    assert advisory_line(log, old, new) == "(Withdraws story)"
    assert version_name(log.new) == "v2 (WITHDRAWN)"
    assert version_name(log.old) == "v1"
