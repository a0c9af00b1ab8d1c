"""What each command may load: the prompt answers at once when --help needs no engine.

Start-up times themselves are measured in bench/startup.py, not here; this guards
the import graph that makes them small, so a stray top-level import shows up as a
failing test instead of a slower prompt.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from versions.cli import Group, cli

HEAVY = (
    "sqlalchemy",
    "alembic",
    "textual",
    "tui",
    "feedparser",
    "defusedxml",
    "charset_normalizer",
    "watchfiles",
    "psycopg",
    "diff_match_patch",
    "versions.service",
    "versions.ingest",
    "versions.store",
    "versions.compare",
    "versions.watch",
)
# Reading stored stories needs the store, never the ingest half of the service, the
# readers' format libraries, the file watcher, the UI, the migration tool or SQLAlchemy
# (reads are plain SQL on the driver; SQLAlchemy alone was half of their start-up).
NEVER_FOR_READING = (
    "versions.ingest",
    "sqlalchemy",
    "alembic",
    "textual",
    "tui",
    "feedparser",
    "defusedxml",
    "charset_normalizer",
    "watchfiles",
)
# Listing stories and versions reads rows and nothing more: no comparison engine, no
# lineage or blame, no ingest, no exporters.
NEVER_FOR_LISTING = (
    *NEVER_FOR_READING,
    "diff_match_patch",
    "versions.compare",
    "versions.align",
    "versions.classify",
    "versions.lineage",
    "versions.blame",
    "versions.significance",
    "versions.intake",
    "versions.readers",
    "versions.placement",
    "versions.story_match",
    "versions.export",
    "versions.store.writer",
    "versions.store.lineage",
    "multiprocessing",
)
# A diff compares two stored versions and prints them as text: the engine, not ingest,
# blame or the other export formats.
NEVER_FOR_DIFF = (
    *NEVER_FOR_READING,
    "versions.blame",
    "versions.export.html",
    "versions.export.markdown",
    "versions.export.csvfmt",
    "versions.intake",
    "versions.readers",
    "versions.placement",
    "versions.story_match",
    "versions.store.writer",
    "multiprocessing",
)


def loaded_by(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules loaded by a command that ran to its end (a failing one loads less)."""
    code = (
        "import sys\n"
        "from versions.cli import cli\n"
        "status = 0\n"
        "try:\n"
        f"    cli.main({list(args)!r}, prog_name='wirediff')\n"
        "except SystemExit as exit:\n"
        "    status = exit.code or 0\n"
        "print(status, ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True
    )
    status, *modules = result.stderr.split("\n")[-2].split()
    assert status == "0", result.stderr
    return set(modules)


def _under(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == r or m.startswith(f"{r}.") for r in roots))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["stories", "--help"]])
def test_help_and_version_load_no_engine(args: list[str]) -> None:
    assert _under(loaded_by(*args), HEAVY) == []


def test_reading_the_archive_loads_neither_migrations_nor_readers(
    tmp_path: Path, samples: Path
) -> None:
    db = str(tmp_path / "wire.db")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "versions.cli",
            "--db",
            db,
            "ingest",
            str(samples / "peru-earthquake"),
        ],
        capture_output=True,
        check=True,
    )
    for command in (
        ["stories"],
        ["log", "strong"],
        ["diff", "strong"],
        ["search", "quake"],
        ["export", "strong"],
        ["export", "strong", "--format", "html"],
        ["blame", "strong"],
        ["stories", "--followed"],
    ):
        assert _under(loaded_by("--db", db, *command), NEVER_FOR_READING) == [], command
    for command in (["stories"], ["log", "strong"]):
        assert _under(loaded_by("--db", db, *command), NEVER_FOR_LISTING) == [], command
    assert _under(loaded_by("--db", db, "diff", "strong"), NEVER_FOR_DIFF) == []


def test_the_lazy_watch_command_is_listed_with_its_own_summary() -> None:
    import click

    from versions.watch.cli import watch_command

    _module, summary = Group.LAZY["watch"]
    assert watch_command.help is not None
    assert summary == watch_command.help.split("\n")[0]
    assert isinstance(cli.get_command(click.Context(cli), "watch"), click.Command)


def test_the_public_names_load_on_first_use_whatever_came_first() -> None:
    code = (
        "import versions.service, versions\n"  # the submodule versions.compare is loaded first
        "old = versions.parse('Quake hits Peru\\n\\nLIMA - One died.')\n"
        "new = versions.parse('Quake hits Peru\\n\\nLIMA - Two died.')\n"
        "print(versions.compare(old, new).summary['changed'], versions.Tag.NUMBER)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "1 number\n"
