"""Following stories and the desk screen, driven by keys as an editor would."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widgets import DataTable

from tests.tui.drive import cells, column, notices, press, screen_text, settle, shown
from tests.tui.sample_archive import NOW
from tests.tui.test_tui_live import wait_for
from tui.app import WirediffApp
from tui.screens.desk import DeskScreen
from tui.screens.diff import DiffScreen
from tui.screens.stories import StoriesScreen
from versions.service import Archive

pytestmark = pytest.mark.anyio

EXTRA = "\nKyiv said on Friday that a second senior U.S. official confirmed the decision {n}."


def new_take(archive: Archive, key: str, n: int = 1) -> None:
    """Another take of the story: the latest text with one sentence more, above the trailer
    (after it, the sentence would read as credits: significance 0, never told)."""
    latest = archive.versions(key)[-1].number
    *body, trailer = archive.document(key, latest).text.splitlines()
    text = "\n".join([*body, EXTRA.format(n=n).strip(), trailer])
    [result] = archive.ingest(text.encode(), source=f"take-{n}", story=key)
    assert result.status == "added", result


def titles(app: WirediffApp) -> list[str]:
    return column(app, "#stories", 0)


async def test_follow_from_the_list_then_open_on_what_changed_since_last_looked(
    archive: Archive,
) -> None:
    app = WirediffApp(archive, now=lambda: NOW, watch=False, user="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        key = app.screen.rows[0].key  # type: ignore[attr-defined]
        latest = archive.story(key).versions
        await press(pilot, "f")
        assert await wait_for(lambda: titles(app)[0].startswith("★ "))
        assert archive.followed("ana") == {key}
        assert archive.followed("bob") == frozenset()
        assert "★ 1 followed" in shown(app, "#stories-status")

        new_take(archive, key, 1)
        new_take(archive, key, 2)
        app.screen.post_message(_changed(archive, key))
        assert await wait_for(lambda: titles(app)[0].startswith("★2 ")), "two versions new to ana"
        assert "1 with news" in shown(app, "#stories-status")

        await press(pilot, "enter")  # the diff since ana last looked, over the timeline
        assert await wait_for(lambda: isinstance(app.screen, DiffScreen))
        assert await wait_for(lambda: app.screen.sub_title == f"v{latest} → v{latest + 2}")
        assert f"2 new versions since you last looked: v{latest} → v{latest + 2}" in notices(app)
        assert await wait_for(lambda: archive.unread("ana") == {})
        await press(pilot, "q", "q")
        assert isinstance(app.screen, StoriesScreen)
        assert await wait_for(lambda: titles(app)[0].startswith("★ ")), "read: the count is gone"

        await press(pilot, "f")
        assert await wait_for(lambda: not titles(app)[0].startswith("★"))
        assert archive.followed("ana") == frozenset()


async def test_follow_and_unfollow_on_the_timeline(archive: Archive) -> None:
    app = WirediffApp(archive, now=lambda: NOW, watch=False, user="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        key = app.screen.rows[0].key  # type: ignore[attr-defined]
        await press(pilot, "enter", "f")
        assert "★ followed" in shown(app, "#story-head")
        assert archive.followed("ana") == {key}
        await press(pilot, "f")
        assert "followed" not in shown(app, "#story-head")
        assert archive.followed("ana") == frozenset()


async def test_the_desk_lists_arrivals_sorts_filters_and_opens_a_take(archive: Archive) -> None:
    every = len(archive.arrivals())
    app = WirediffApp(archive, now=lambda: NOW, watch=False, user="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        assert isinstance(app.screen, DeskScreen)
        table = app.screen.query_one("#arrivals", DataTable)
        assert table.row_count == every
        newest = archive.arrivals(1)[0]
        assert cells(table, 0)[3].startswith(newest.headline)

        await press(pilot, "s")  # most significant first: the withdrawn story leads
        assert "most significant first" in shown(app, "#desk-head")
        top = cells(table, 0)
        assert top[1] == "100" and "WITHDRAWN" in top[4]
        scores = [int(cells(table, row)[1]) for row in range(table.row_count)]
        assert scores == sorted(scores, reverse=True)

        await press(pilot, "3")  # significant only
        assert 0 < table.row_count < every
        assert all(int(cells(table, row)[1]) >= 40 for row in range(table.row_count))

        await press(pilot, "2")  # followed: none yet
        assert table.row_count == 0
        assert "Nothing here with this filter" in shown(app, "#arrival-detail")

        await press(pilot, "1", "s", "f")  # follow the newest arrival's story
        assert archive.followed("ana") == {newest.story_key}
        await press(pilot, "2")
        assert table.row_count == len(archive.versions(newest.story_key))
        assert all(cells(table, row)[0] == "★" for row in range(table.row_count))

        await press(pilot, "home", "enter")
        assert isinstance(app.screen, DiffScreen)
        assert app.screen.pair == (newest.number - 1, newest.number)
        await press(pilot, "escape")
        assert isinstance(app.screen, DeskScreen)
        assert app.screen.show == "followed", "the desk keeps its filter"


async def test_the_desk_shows_takes_as_they_land_with_wire_text_as_text(
    archive: Archive,
) -> None:
    app = WirediffApp(archive, now=lambda: NOW, poll_interval=0.2, user="ana", desk=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(lambda: isinstance(app.screen, DeskScreen))
        table = app.screen.query_one("#arrivals", DataTable)
        assert await wait_for(lambda: table.row_count > 0)
        before = table.row_count
        hostile = b"[bold red]Markup[/bold red] [@click=app.quit]storm[/] hits coast\n\n"
        hostile += b"A storm hit the coast on Friday, officials said.\n"
        await asyncio.to_thread(archive.ingest, hostile, source="hostile")

        assert await wait_for(lambda: table.row_count == before + 1)
        assert cells(table, 0)[3].startswith("[bold red]Markup[/bold red] [@click=app.quit]storm")
        assert "[bold red]Markup" in screen_text(app)
        assert any("Markup" in message for message in notices(app))
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, StoriesScreen), "the list is under the desk"


async def test_an_arrival_on_a_followed_story_is_told_as_followed(archive: Archive) -> None:
    app = WirediffApp(archive, now=lambda: NOW, poll_interval=0.2, user="ana")
    key = archive.stories()[0].key
    other = archive.stories()[1].key
    archive.follow("ana", key)
    async with app.run_test(size=(120, 40)):
        assert await wait_for(lambda: bool(titles(app)))
        await asyncio.to_thread(new_take, archive, key)
        await asyncio.to_thread(new_take, archive, other)
        assert await wait_for(lambda: len(app._notifications) >= 2)
        by_title = {str(n.title): str(n.message) for n in app._notifications}
        assert archive.story(key).title in by_title["★ Followed story"]
        assert archive.story(other).title in by_title["Wire"]
        assert await wait_for(
            lambda: titles(app)[0].startswith("★1 ") or titles(app)[1].startswith("★1 ")
        )


def _changed(archive: Archive, key: str) -> Any:
    """What the app tells screens when the watcher sees new versions (it is off here)."""
    from tui.messages import ArchiveChanged

    return ArchiveChanged(archive.versions(key)[-2:])
