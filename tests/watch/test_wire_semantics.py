"""Kills, labels and late arrivals, end to end: files dropped into a watched folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.watch.watch_stories import Recorder, StartWatcher, Until, ninjs_item
from versions.labels import label_text
from versions.model import Status
from versions.service import Archive


def test_a_withdrawn_story_is_marked_and_keeps_its_history(
    archive: Archive,
    inbox: Path,
    recorder: Recorder,
    samples: Path,
    start_watcher: StartWatcher,
    until: Until,
) -> None:
    for path in sorted((samples / "corvane-trial-withdrawn").glob("*.txt")):
        shutil.copy(path, inbox / path.name)
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("ingested")) == 2)
    first, kill = recorder.events("ingested")
    assert (first["withdrawn"], kill["withdrawn"]) == (False, True)
    assert kill["label"] == "WITHDRAWN"
    [story] = archive.stories()
    assert story.status is Status.WITHDRAWN
    assert story.versions == 2
    assert "migraine" in archive.document(story.key, 1).text, "the killed text is kept"


def test_pubstatus_canceled_withdraws(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    (inbox / "1.json").write_bytes(ninjs_item("deal", 1, "Firm A will buy firm B."))
    (inbox / "2.json").write_bytes(
        ninjs_item("deal", 2, "This story has been withdrawn.", pubstatus="canceled")
    )
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("ingested")) == 2)
    assert recorder.events("ingested")[-1]["withdrawn"] is True
    assert archive.stories()[0].status is Status.WITHDRAWN


def test_refile_and_update_labels_are_kept_and_a_refile_is_not_substantive(
    archive: Archive,
    inbox: Path,
    recorder: Recorder,
    samples: Path,
    start_watcher: StartWatcher,
    until: Until,
) -> None:
    for path in sorted((samples / "biden-ukraine-missiles").glob("*.txt")):
        shutil.copy(path, inbox / path.name)
    start_watcher(archive, inbox, recorder.log)
    until(lambda: len(recorder.events("ingested")) == 6)
    [story] = archive.stories()
    assert [label_text(v.label) for v in archive.versions(story.key)] == [
        None,
        "UPDATE 1",
        "UPDATE 2",
        "UPDATE 3",
        "REFILE-UPDATE 3",
        "UPDATE 4",
    ]
    refile = recorder.events("ingested")[4]
    assert refile["label"] == "REFILE-UPDATE 3"
    assert refile["substantive"] is False, "re-wrapped only: word for word the same"
    assert all(e["substantive"] for i, e in enumerate(recorder.events("ingested")) if i != 4)


def test_an_older_version_arriving_late_takes_its_true_place(
    archive: Archive, inbox: Path, recorder: Recorder, start_watcher: StartWatcher, until: Until
) -> None:
    texts = {
        1: "The strike began at dawn.",
        2: "The strike began at dawn. Talks resumed at noon.",
        3: "The strike began at dawn. Talks resumed at noon. A deal was signed at night.",
    }
    start_watcher(archive, inbox, recorder.log)
    for number in (1, 3):
        (inbox / f"v{number}.json").write_bytes(ninjs_item("strike", number, texts[number]))
        until(lambda n=number: len(recorder.events("ingested")) == (1 if n == 1 else 2))
    (inbox / "v2.json").write_bytes(ninjs_item("strike", 2, texts[2]))
    until(lambda: len(recorder.events("ingested")) == 3)

    late = recorder.events("ingested")[-1]
    assert late["version"] == 2
    assert late["out_of_order"] is True
    assert late["versions"] == {"old": 1, "new": 2, "total": 3}
    assert late["counts"]["added"] == 1, "diffed against its true predecessor, version 1"
    [story] = archive.stories()
    assert [archive.document(story.key, n).text.count(".") for n in (1, 2, 3)] == [1, 2, 3]
    last = archive.versions(story.key)[2]
    assert last.counts is not None and last.counts.added == 1, "v3 is now diffed against v2"
