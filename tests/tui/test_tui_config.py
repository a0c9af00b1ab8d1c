"""The config file drives the UI: `[keys]` remaps bindings, and the theme picked is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.drive import notices, open_seed_diff, press, screen_text, settle, shown
from tui.app import configured
from versions import config
from versions.service import Archive

pytestmark = pytest.mark.anyio

DESK = """\
# the night desk
theme = "textual-light"  # easy on the eyes

[keys]
diff.next = "space"
"stories.search" = "ctrl+f"
"diff.nxt" = "x"
"""


async def test_the_config_file_remaps_keys_and_remembers_the_theme_picked(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(DESK, encoding="utf-8")
    monkeypatch.setenv(config.CONFIG_ENV, str(path))
    app = configured(archive, config.load())
    app.watching = False  # `settle` waits for every worker
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert any("diff.nxt" in notice for notice in notices(app)), "a misspelt id is said"
        await settle(pilot)
        assert app.theme == "textual-light"
        await press(pilot, "ctrl+f")
        assert "Search the archive" in screen_text(app)
        await press(pilot, "escape")
        await open_seed_diff(pilot, 1, 2)
        await press(pilot, "space")
        assert shown(app, "#diff-status").startswith(" change 1 of ")
        assert "space Next change" in screen_text(app)
        await press(pilot, "ctrl+t")
    assert path.read_text(encoding="utf-8") == DESK.replace(
        'theme = "textual-light"', 'theme = "textual-dark"'
    )
    assert config.load().theme == "textual-dark"
