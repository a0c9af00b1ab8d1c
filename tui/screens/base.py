"""What every full screen shares: the app, typed, for its archive and its clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from tui.app import WirediffApp


class WirediffScreen(Screen[None]):
    @property
    def wirediff(self) -> WirediffApp:
        from tui.app import WirediffApp  # tui.app imports the screens

        assert isinstance(self.app, WirediffApp)
        return self.app
