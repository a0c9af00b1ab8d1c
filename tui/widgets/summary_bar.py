"""One line counting each kind of change, the tags, and what is hidden."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.text import EVENT_BADGE, KIND_BADGE, TAG_BADGE, badge, plain
from versions.editorial import (
    FLAGGED,
    KIND_SIGN,
    NO_CHANGE,
    counted_kinds,
    revert_note,
    shown_label,
)
from versions.lineage import Event
from versions.model import ChangeLog, Tag, VersionRef


def version_label(ref: VersionRef) -> Text:
    text = Text()
    text.append(f"v{ref.version}" if ref.version is not None else "v?", "bold")
    label = shown_label(ref.label, withdrawn=ref.withdrawn, correction=ref.correction)
    if label:
        text.append(" ")
        text.append_text(plain(label, "bold white on red" if ref.withdrawn else ""))
    return text


def summary_text(
    changelog: ChangeLog,
    *,
    hidden_cosmetic: int,
    only: str | None,
    side_by_side: bool,
    changes_only: bool = False,
    reverts_to: int | None = None,
) -> Text:
    """`reverts_to`: the earlier version whose text the new one returns to, if it does."""
    text = version_label(changelog.old)
    text.append(" → ")
    text.append_text(version_label(changelog.new))
    text.append("  ")
    if reverts_to is not None and changelog.new.version is not None:
        style = EVENT_BADGE[Event.RESTORED][1]
        text.append_text(badge(f"↺ {revert_note(changelog.new.version, reverts_to)}", style))
        text.append(" ")
    for kind, count in counted_kinds(changelog.summary):
        text.append(f"{KIND_SIGN[kind]}{count}", KIND_BADGE[kind][1])
        text.append(" ")
    if not changelog.changes:
        text.append(f"{NO_CHANGE} ", "dim")
    tags = changelog.tag_counts()
    for tag in FLAGGED:
        if tags[str(tag)]:
            label, style = TAG_BADGE[tag]
            text.append_text(badge(f"{label} {tags[str(tag)]}", style))
            text.append(" ")
    if hidden_cosmetic:
        text.append(f" {hidden_cosmetic} cosmetic hidden (c) ", "italic dim")
    elif tags[str(Tag.COSMETIC)]:
        text.append(f" {tags[str(Tag.COSMETIC)]} cosmetic shown (c) ", "italic dim")
    if only:
        text.append(f" only: {only} (f) ", "bold reverse")
    text.append(" side by side " if side_by_side else " inline ", "dim")
    if changes_only:
        text.append(" changes only (o) ", "dim")
    return text


class SummaryBar(Static):
    def show(
        self,
        changelog: ChangeLog,
        *,
        hidden_cosmetic: int,
        only: str | None,
        side_by_side: bool,
        changes_only: bool,
        reverts_to: int | None = None,
    ) -> None:
        self.update(
            summary_text(
                changelog,
                hidden_cosmetic=hidden_cosmetic,
                only=only,
                side_by_side=side_by_side,
                changes_only=changes_only,
                reverts_to=reverts_to,
            )
        )
