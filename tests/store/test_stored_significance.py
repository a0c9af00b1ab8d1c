"""A stored version scores the same when read back as when it arrived, on both engines."""

from __future__ import annotations

from pathlib import Path

from versions.service import Archive
from versions.significance import Significance

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_read_back_scores_equal_the_scores_at_arrival(db_url: str) -> None:
    at_arrival: dict[tuple[str, int], Significance] = {}
    with Archive.open(db_url) as archive:
        for story in ("biden-ukraine-missiles", "skarvik-castell-deal", "corvane-trial-withdrawn"):
            for path in sorted((SAMPLES / story).glob("*.txt")):
                for result in archive.ingest(path.read_bytes(), source=path.name):
                    assert result.story is not None and result.version is not None
                    assert result.significance is not None
                    at_arrival[(result.story, result.version)] = result.significance
        arrivals = archive.arrivals()
        read_back = archive.significance(arrivals)
    assert len(arrivals) == len(at_arrival) == 12
    assert {(row.story_key, row.number): read_back[row.id] for row in arrivals} == at_arrival
    ranked = sorted(arrivals, key=lambda row: -read_back[row.id].score)
    assert [(row.story_key[:6], row.number) for row in ranked[:2]] == [
        ("corvan", 2),  # withdrawn
        ("skarvi", 3),  # corrected
    ]


def test_watch_terms_are_the_archives_unless_given(db_url: str) -> None:
    story = SAMPLES / "skarvik-castell-deal"
    with Archive.open(db_url, watch_terms=["trucking"]) as archive:
        for path in sorted(story.glob("*.txt"))[:2]:
            [result] = archive.ingest(path.read_bytes(), source=path.name)
        assert result.significance is not None
        assert "watch term: trucking" in result.significance.reasons
        rows = archive.versions(result.story or "")
        assert "watch term: trucking" in archive.significance(rows)[rows[1].id].reasons
        plain = archive.significance(rows, watch_terms=())[rows[1].id]
        assert not any("watch term" in reason for reason in plain.reasons)
