"""A directory ingest compares takes in worker processes; what it stores and reports is
what ingest stores and reports when it compares them itself, row for row."""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select

from bench.corpus import story_takes
from versions import ingest, intake, take_chain
from versions.service import Archive


def _takes(folder: Path) -> list[Path]:
    """Stories whose takes come in order, one after another (a transaction holds more
    takes of one story than are sent to the workers at once), and stories whose takes
    carry the agency's version and come out of order (one placed before the others
    traces the story again, after the takes of its story the transaction placed)."""
    folder.mkdir()
    first, second = story_takes(6, 2, sentences=12)
    paragraphs = second.split("\n\n")
    dropped = "\n\n".join(paragraphs[:3] + paragraphs[4:]).replace("UPDATE 1-", "UPDATE 2-")
    restored = second.replace("UPDATE 1-", "UPDATE 3-") + "\nA closing line comes in.\n"
    paths = []
    for take, text in enumerate((first, second, dropped, restored)):  # a paragraph comes back
        paths.append(folder / f"r-{take}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    for story in range(3):
        for take, text in enumerate(story_takes(story, 12, sentences=12)):
            paths.append(folder / f"s{story}-{take:02d}.txt")
            paths[-1].write_text(text, encoding="utf-8")
    for story in range(3, 6):
        takes = story_takes(story, 5, sentences=12)
        for arrival, take in enumerate((2, 3, 1, 4, 0)):
            paths.append(folder / f"s{story}-{arrival:02d}.json")
            paths[-1].write_text(_ninjs(story, take, takes[take]), encoding="utf-8")
    return paths


def _ninjs(story: int, take: int, text: str) -> str:
    headline, *paragraphs = (" ".join(p.split()) for p in text.split("\n\n"))
    return json.dumps(
        {
            "uri": f"urn:example:{story}",
            "type": "text",
            "version": str(take + 1),
            "versioncreated": f"2026-03-03T{10 + take:02d}:00:00Z",
            "headlines": [{"role": "main", "value": headline}],
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "value": "".join(f"<p>{p}</p>" for p in paragraphs),
                }
            ],
        }
    )


def _ingest(url: str, paths: list[Path], pooled: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What ingest reports, with arrival times one second apart from a fixed start, and
    how many takes were compared in this process."""
    ticks = count()
    start = datetime(2026, 3, 3, tzinfo=UTC)
    monkeypatch.setattr(ingest, "_now", lambda: start + timedelta(seconds=next(ticks)))
    monkeypatch.setattr(intake, "POOL_MIN_FILES", 1 if pooled else len(paths) + 1)
    compared_here: list[int] = []
    original = take_chain.compare_chains

    @functools.wraps(original)
    def counted(chains: list[take_chain.TakeChain]) -> list[list[take_chain.ComparedTake]]:
        compared_here.append(sum(len(chain.takes) for chain in chains))
        return original(chains)

    monkeypatch.setattr(take_chain, "compare_chains", counted)
    with Archive.open(url) as archive:
        reported = [
            (
                result.to_dict(),
                result.significance,
                result.comparison.changelog if result.comparison else None,
            )
            for result in archive.ingest_paths(paths)
        ]
    monkeypatch.setattr(take_chain, "compare_chains", original)
    return reported, sum(compared_here)


def _tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(url)
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        rows = {
            name: sorted(map(tuple, connection.execute(select(table))), key=repr)
            for name, table in tables.tables.items()
        }
    engine.dispose()
    return rows


def test_pooled_ingest_stores_what_inline_ingest_stores(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [*_takes(tmp_path / "takes"), *sorted(samples.glob("*/*.txt"))]
    pooled_url = f"sqlite:///{tmp_path / 'pooled.db'}"
    inline_url = f"sqlite:///{tmp_path / 'inline.db'}"

    pooled, compared_by_writer = _ingest(pooled_url, paths, True, monkeypatch)
    inline, compared_inline = _ingest(inline_url, paths, False, monkeypatch)

    # the workers compared every take placed last (a worker runs the module's own function)
    assert compared_by_writer == 0 and compared_inline > len(paths) / 2
    assert pooled == inline
    statuses = [result["status"] for result, _, _ in pooled]
    assert statuses.count("added") == len(paths), statuses
    stored, expected = _tables(pooled_url), _tables(inline_url)
    assert stored.keys() == expected.keys()
    for name in stored:
        assert stored[name] == expected[name], name
    assert len(stored["lineage"]) == len(stored["sentence"])
    assert stored["removal"], "takes removed sentences"
    assert any(row[2] == "restored" for row in stored["lineage"]), "a take restored sentences"
