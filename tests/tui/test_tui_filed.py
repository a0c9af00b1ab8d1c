"""A take as filed: where it sat in its delivery, and what the wire flagged it as."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.drive import column, open_story, press, screen_text, shown
from tests.tui.sample_archive import NOW, RECEIVED, SAMPLES
from tui.app import WirediffApp
from versions.service import Archive

pytestmark = pytest.mark.anyio


async def test_the_raw_view_names_the_item_only_in_a_delivery_of_several(
    archive: Archive, tmp_path: Path
) -> None:
    app = WirediffApp(archive, now=lambda: NOW, watch=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_story(pilot, "missiles")
        await press(pilot, "home", "v", "r")
        text = screen_text(app)
        assert "bytes as received" in text
        assert "of the delivery" not in text and "in the delivery" not in text

    with Archive.open(f"sqlite:///{tmp_path / 'feed.db'}") as fed:
        feed = SAMPLES / "feeds" / "world-news.rss.xml"
        fed.ingest(feed.read_bytes(), source=str(feed), received_at=RECEIVED)
        app = WirediffApp(fed, now=lambda: NOW, watch=False)
        async with app.run_test(size=(120, 30)) as pilot:
            await open_story(pilot, "earthquake")
            await press(pilot, "home", "v", "r")
            assert "item 2 of the 4 in the delivery" in screen_text(app)


WITHDRAWAL = b"""Strong earthquake strikes southern Peru, at least 12 dead
(Story withdrawn; it was published in error)

LIMA, March 14 (Reuters) - Reuters has withdrawn this story. It was published in error.
"""


async def test_a_take_the_wire_withdrew_or_corrected_shows_as_such_without_its_label_saying_so(
    archive: Archive,
) -> None:
    (result,) = archive.ingest(WITHDRAWAL, source="kill.txt", received_at=NOW)
    assert result.status == "added" and result.version == 5
    app = WirediffApp(archive, now=lambda: NOW, watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_story(pilot, "earthquake")
        labels = [label.strip() for label in column(app, "#versions", 2)]
        assert labels[3:] == ["UPDATE 3; CORRECTED", "WITHDRAWN"], "(corrects …) and a kill"
        await press(pilot, "end", "enter")
        assert "v4 UPDATE 3; CORRECTED → v5 WITHDRAWN" in shown(app, "#summary")
