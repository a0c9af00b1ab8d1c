"""Write the change log on screen to a file in the working directory."""

from __future__ import annotations

import re
from pathlib import Path

from versions.model import ChangeLog

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def markdown(changelog: ChangeLog) -> str:
    """A plain Markdown change log; stands in until `versions.export` renders one."""
    old, new = changelog.old, changelog.new
    lines = [
        f"# {changelog.story_title or changelog.story_key or 'Story'}",
        "",
        f"Version {old.version} ({old.label or 'no label'}) → "
        f"version {new.version} ({new.label or 'no label'})",
        "",
        ", ".join(f"{count} {kind}" for kind, count in changelog.summary.items()),
        "",
    ]
    for change in changelog.changes:
        tags = f" [{', '.join(map(str, change.tags))}]" if change.tags else ""
        lines.append(f"## {change.kind} ({change.section}){tags}")
        lines.append("")
        lines.extend(f"- old: {text}" for text in change.old)
        lines.extend(f"- new: {text}" for text in change.new)
        lines.append("")
    return "\n".join(lines)


def render(changelog: ChangeLog) -> str:
    try:
        from versions.export import render as render_export  # type: ignore[attr-defined]
    except ImportError:
        return markdown(changelog)
    return str(render_export([changelog], "markdown"))


def export_changelog(changelog: ChangeLog, directory: Path) -> Path:
    """Write to `<story>-v<old>-v<new>.md` in `directory`, never over an existing file."""
    stem = _UNSAFE.sub("-", f"{changelog.story_key or 'story'}")[:80].strip("-.") or "story"
    stem = f"{stem}-v{changelog.old.version}-v{changelog.new.version}"
    text = render(changelog)
    number = 1
    while True:
        path = directory / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            number += 1
            continue
        return path
