"""A second process stores a version while the app runs: the update shows, in place."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.tui.drive import cells, column, notices, shown
from tests.tui.sample_archive import NOW, seed_key
from tui.app import WirediffApp
from versions.service import Archive

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]

INGEST = """
import sys
from versions.service import Archive
url, key = sys.argv[1], sys.argv[2]
with Archive.open(url) as archive:
    latest = archive.versions(key)[-1].number
    text = archive.document(key, latest).text
    text += "\\nKyiv said on Friday that a second senior U.S. official confirmed the decision."
    [result] = archive.ingest(text.encode(), source="second-process", story=key)
    assert result.status == "added", result
"""


async def wait_for(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await asyncio.sleep(0.1)
    return bool(condition())


def ingest_elsewhere(db_url: str, key: str) -> None:
    subprocess.run([sys.executable, "-c", INGEST, db_url, key], cwd=ROOT, check=True, timeout=60)


async def test_a_version_ingested_elsewhere_appears_without_moving_the_reader(
    db_url: str,
) -> None:
    with Archive.open(db_url) as archive:
        app = WirediffApp(archive, now=lambda: NOW, poll_interval=0.2)
        key = seed_key(archive)
        seed = archive.story(key).title
        async with app.run_test(size=(100, 30)) as pilot:
            assert await wait_for(lambda: bool(column(app, "#stories", 0)))
            titles = column(app, "#stories", 0)
            other = next(t for t in titles if t != seed)
            await pilot.press(*["down"] * titles.index(other))
            before = len(archive.versions(key))

            await asyncio.to_thread(ingest_elsewhere, db_url, key)

            assert await wait_for(lambda: any("UPDATE" in m for m in notices(app)))
            message = next(m for m in notices(app) if "UPDATE" in m)
            assert f"v{before + 1}" in message
            assert "Biden" in message
            assert await wait_for(lambda: column(app, "#stories", 0)[0].startswith(seed)), "on top"
            table = app.screen.query_one("#stories", DataTable)
            assert cells(table, table.cursor_row)[0] == other, "the cursor stayed on its story"
            assert cells(table, 0)[1] == str(before + 1)

            # an open timeline grows too, keeping the highlighted version and the marks
            await pilot.press("home", "enter")
            assert await wait_for(
                lambda: app.screen.query_one("#versions", DataTable).row_count > 0
            )
            await pilot.press("home", "a", "down", "down", "b", "up")  # A=v1 B=v3, on v2
            assert shown(app, "#story-hint").startswith(" A=v1 B=v3")
            await asyncio.to_thread(ingest_elsewhere, db_url, key)
            timeline = app.screen.query_one("#versions", DataTable)
            assert await wait_for(lambda: timeline.row_count == before + 2)
            assert cells(timeline, timeline.cursor_row)[1] == "v2"
            assert shown(app, "#story-hint").startswith(" A=v1 B=v3"), "marks kept"
            assert await wait_for(
                lambda: any(
                    f"v{before + 2} arrived; your marks stay A=v1 B=v3" in m for m in notices(app)
                )
            )
