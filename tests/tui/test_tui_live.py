"""A second process stores a version while the app runs: the update shows, in place."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from tests.tui.sample_archive import NOW, seed_key

from tui.app import WirediffApp
from tui.screens.stories import StoriesScreen
from tui.screens.story import StoryScreen
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


def notifications(app: WirediffApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def wait_for(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


async def test_a_version_ingested_elsewhere_appears_without_moving_the_reader(
    db_url: str,
) -> None:
    with Archive.open(db_url) as archive:
        app = WirediffApp(archive, now=lambda: NOW, poll_interval=0.2)
        key = seed_key(archive)
        async with app.run_test(size=(100, 30)) as pilot:
            stories = app.screen
            assert isinstance(stories, StoriesScreen)
            keys = [row.key for row in stories.rows]
            other = next(k for k in keys if k != key)
            for _ in range(keys.index(other)):
                await pilot.press("down")
            before = len(archive.versions(key))

            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-c", INGEST, db_url, key],
                cwd=ROOT,
                check=True,
                timeout=60,
            )

            assert await wait_for(lambda: any("UPDATE" in m for m in notifications(app)))
            message = next(m for m in notifications(app) if "UPDATE" in m)
            assert f"v{before + 1}" in message
            assert "Biden" in message
            assert await wait_for(lambda: stories.rows[0].key == key), "updated story on top"
            table = stories.query_one("#stories")
            assert stories.rows[table.cursor_row].key == other, "the cursor stayed on its story"
            assert next(r for r in stories.rows if r.key == key).versions == before + 1

            # an open story's timeline grows too, keeping the highlighted version
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StoryScreen)
            await pilot.press("escape")
            row = [r.key for r in stories.rows].index(key)
            await pilot.press("ctrl+home", *["down"] * row, "enter")
            await pilot.pause()
            story = app.screen
            assert isinstance(story, StoryScreen) and story.story_key == key
            await pilot.press("ctrl+home", "down")
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-c", INGEST, db_url, key],
                cwd=ROOT,
                check=True,
                timeout=60,
            )
            assert await wait_for(lambda: len(story.versions) == before + 2)
            assert story.highlighted() == 2
            assert story.mark_b == before + 2
