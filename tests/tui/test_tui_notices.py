"""Arrivals told as notices only when worth it: a followed story's, or significant enough."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.tui.sample_archive import NOW
from tests.tui.test_tui_live import wait_for
from tui.app import WirediffApp
from tui.workspace import Settings
from versions.config import Notify
from versions.service import Archive

pytestmark = pytest.mark.anyio

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BIDEN = sorted((SAMPLES / "biden-ukraine-missiles").glob("*.txt"))
CORVANE = sorted((SAMPLES / "corvane-trial-withdrawn").glob("*.txt"))


def _ingest(archive: Archive, *paths: Path) -> None:
    for path in paths:
        for result in archive.ingest(path.read_bytes(), source=path.name):
            assert result.status == "added", result


async def test_only_followed_or_significant_arrivals_are_told_with_their_score(
    tmp_path: Path,
) -> None:
    with Archive.open(f"sqlite:///{tmp_path / 'desk.db'}") as archive:
        _ingest(archive, BIDEN[0], CORVANE[0])
        archive.follow("ana", "corvane")
        settings = Settings(notify=Notify(min_significance=50))
        app = WirediffApp(
            archive, now=lambda: NOW, poll_interval=0.2, user="ana", settings=settings
        )
        async with app.run_test(size=(120, 40)):
            await asyncio.sleep(0.5)
            # Biden v2 scores 79, v3 25, v4 1; Corvane's withdrawal is followed (and 100)
            await asyncio.to_thread(_ingest, archive, *BIDEN[1:4], CORVANE[1])
            assert await wait_for(lambda: len(app._notifications) >= 2)
            await asyncio.sleep(1.0)  # nothing more comes
            told = {str(n.title): (str(n.message), n.severity) for n in app._notifications}
    assert len(app._notifications) == 2
    update, severity = told["Wire"]
    assert update.startswith("UPDATE 1 — Biden lets Ukraine strike deep into Russia")
    assert update.splitlines()[-1].startswith("significance 79 (headline changed, attribution")
    assert severity == "information"
    withdrawn, severity = told["★ Followed story"]
    assert withdrawn.splitlines()[-1] == "significance 100 (withdrawn)"
    assert severity == "warning"
