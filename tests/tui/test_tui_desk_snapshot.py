"""The desk screen on the samples, most significant first, one story followed with news.

Hand-checked: the withdrawn take on top (100), the corrections next, REFILE at 0 last;
★ on the followed story's takes, its new take's headline bold; the advisory under each
headline, the wire's in italics, wirediff's marked "auto:".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from tests.tui.drive import press, settle
from tests.tui.sample_archive import NOW
from tests.tui.test_tui_desk import EXTRA
from tui.app import WirediffApp
from versions.service import Archive


def test_desk_most_significant_first(snap_compare: Any, archive: Archive) -> None:
    key = next(row.key for row in archive.stories() if "Peru" in row.title)
    archive.follow("ana", key)
    latest = archive.versions(key)[-1].number
    text = archive.document(key, latest).text + EXTRA.format(n=1)
    archive.ingest(text.encode(), source="take", story=key, received_at=NOW - timedelta(minutes=5))
    app = WirediffApp(archive, now=lambda: NOW, watch=False, user="ana")

    async def desk(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await press(pilot, "d", "s")

    assert snap_compare(app, terminal_size=(120, 40), run_before=desk)
