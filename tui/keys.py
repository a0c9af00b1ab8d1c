"""The actions a screen answers to, with the keys the reader has bound to them.

Read from the screen's active bindings, so a key remapped in the config file
(`[keys]`, binding id → keys) shows as remapped in the footer, the help and the palette.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class KeyAction:
    keys: str  # as shown: "n", "q Esc"
    description: str
    action: str
    namespace: DOMNode


def _ours(node: DOMNode) -> bool:
    return isinstance(node, App) or type(node).__module__.startswith("tui.")


def key_actions(screen: Screen[object]) -> list[KeyAction]:
    """wirediff's actions on `screen` (and the app's), one per action, in binding order."""
    app = screen.app
    keys: dict[tuple[int, str], list[str]] = {}
    first: dict[tuple[int, str], tuple[str, DOMNode]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not _ours(active.node):
            continue
        slot = (id(active.node), binding.action)
        keys.setdefault(slot, []).append(app.get_key_display(binding))
        first.setdefault(slot, (binding.description, active.node))
    return [
        KeyAction(" ".join(keys[slot]), description, slot[1], node)
        for slot, (description, node) in first.items()
    ]


def binding_ids(*roots: type[DOMNode]) -> set[str]:
    """The ids of every binding wirediff's own classes under `roots` declare: what a
    `[keys]` table in the config file can name."""
    ids: set[str] = set()
    seen: set[type[DOMNode]] = set()
    classes = list(roots)
    while classes:
        cls = classes.pop()
        if cls in seen:
            continue
        seen.add(cls)
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui."):
            bindings = cls.__dict__.get("BINDINGS", [])
            ids.update(b.id for b in bindings if isinstance(b, Binding) and b.id)
    return ids
