"""Issue 16's "done when": two editors on one PostgreSQL archive follow different stories
and see different unread counts and notices as a third process ingests."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.drive import column
from tests.tui.test_tui_live import wait_for
from tui.app import WirediffApp
from versions.service import Archive

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
PERU = "strong-earthquake-strikes-southern-peru-at-least-12-dead"
BIDEN = "biden-lets-ukraine-use-u-s-missiles-to-strike-deep-inside"


def wirediff(url: str, *args: str) -> str:
    """The `wirediff` command in a process of its own."""
    command = [sys.executable, "-m", "versions.cli", "--db", url, *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def marks(app: WirediffApp) -> dict[str, str]:
    """Each listed headline's follow mark: "★2", "★" or ""."""
    found = {}
    for title in column(app, "#stories", 0):
        mark, _, headline = title.partition(" ")
        found[headline if mark.startswith("★") else title] = mark if mark.startswith("★") else ""
    return found


def told(app: WirediffApp, title: str) -> list[str]:
    return [str(n.message) for n in app._notifications if str(n.title) == title]


async def test_two_editors_see_their_own_news_as_a_third_process_ingests(
    postgres_url: str, samples: Path
) -> None:
    peru = sorted((samples / "peru-earthquake").glob("*.txt"))
    biden = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    wirediff(postgres_url, "ingest", str(peru[0]), str(biden[0]))
    wirediff(postgres_url, "--user", "ana", "follow", PERU)
    wirediff(postgres_url, "--user", "bob", "follow", BIDEN)

    with Archive.open(postgres_url) as ana_archive, Archive.open(postgres_url) as bob_archive:
        ana = WirediffApp(ana_archive, poll_interval=0.2, user="ana")
        bob = WirediffApp(bob_archive, poll_interval=0.2, user="bob")
        async with ana.run_test(size=(120, 40)), bob.run_test(size=(120, 40)):
            assert await wait_for(lambda: len(marks(ana)) == 2 and len(marks(bob)) == 2)
            assert sorted(marks(ana).values()) == ["", "★"]

            # the third process: two takes of Peru, one of Biden
            await asyncio.to_thread(
                wirediff, postgres_url, "ingest", str(peru[1]), str(peru[2]), str(biden[1])
            )

            peru_title = ana_archive.story(PERU).title
            biden_title = ana_archive.story(BIDEN).title
            assert await wait_for(lambda: marks(ana).get(peru_title) == "★2"), marks(ana)
            assert await wait_for(lambda: marks(bob).get(biden_title) == "★1"), marks(bob)
            assert marks(ana)[biden_title] == "" and marks(bob)[peru_title] == ""

            assert await wait_for(lambda: len(ana._notifications) >= 3)
            assert await wait_for(lambda: len(bob._notifications) >= 3)
            assert len(told(ana, "★ Followed story")) == 2
            assert all("Peru" in message for message in told(ana, "★ Followed story"))
            assert len(told(bob, "★ Followed story")) == 1
            assert "Biden" in told(bob, "★ Followed story")[0]

    # the same state from the command line, on any machine of the team
    assert "  v3  2 new  " in wirediff(postgres_url, "--user", "ana", "stories", "--followed")
    assert "  v2  1 new  " in wirediff(postgres_url, "--user", "bob", "stories", "--followed")


async def test_the_desk_on_postgresql_shows_a_take_another_process_stores(
    postgres_url: str, samples: Path
) -> None:
    peru = sorted((samples / "peru-earthquake").glob("*.txt"))
    wirediff(postgres_url, "ingest", str(peru[0]))
    wirediff(postgres_url, "--user", "ana", "follow", PERU)
    with Archive.open(postgres_url) as archive:
        app = WirediffApp(archive, poll_interval=0.2, user="ana", desk=True)
        async with app.run_test(size=(120, 40)):
            assert await wait_for(lambda: len(column(app, "#arrivals", 3)) == 1)
            await asyncio.to_thread(wirediff, postgres_url, "ingest", str(peru[1]))
            assert await wait_for(lambda: len(column(app, "#arrivals", 3)) == 2)
            assert column(app, "#arrivals", 0) == ["★", "★"]
            assert await wait_for(lambda: column(app, "#arrivals", 1)[0] not in ("·", ""))
            assert column(app, "#arrivals", 4)[0].startswith("UPDATE 1")
