"""The UI writes one setting back, the theme: the rest of the file stays as the editor wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from versions import config
from versions.errors import WirediffError

DESK = """\
# the night desk's settings
database = "archive.db"   # beside this file
theme = 'textual-light'   # easy on the eyes
export_dir = "exports"

[keys]
diff.next = "n,j"         # dotted, as TOML allows
"stories.search" = "ctrl+f"
"""


def test_the_theme_line_is_rewritten_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(DESK, encoding="utf-8")
    path.chmod(0o640)
    config.save_theme("nord", path)
    assert path.read_text(encoding="utf-8") == DESK.replace(
        "theme = 'textual-light'", 'theme = "nord"'
    )
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    settings = config.load(path)
    assert settings.theme == "nord"
    assert settings.keys == {"diff.next": "n,j", "stories.search": "ctrl+f"}
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"], "no scratch file left"


def test_a_theme_is_added_among_the_top_level_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('database = "a.db"\n\n[keys]\n"diff.next" = "space"\n', encoding="utf-8")
    config.save_theme("gruvbox", path)
    assert path.read_text(encoding="utf-8") == (
        'database = "a.db"\ntheme = "gruvbox"\n\n[keys]\n"diff.next" = "space"\n'
    )
    fresh = tmp_path / "new" / "config.toml"
    config.save_theme("gruvbox", fresh)
    assert fresh.read_text(encoding="utf-8") == 'theme = "gruvbox"\n'


def test_a_symlinked_config_is_written_where_it_points(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "wirediff.toml"
    dotfiles.parent.mkdir()
    dotfiles.write_text('theme = "nord"\n', encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(dotfiles)
    config.save_theme("dracula", link)
    assert link.is_symlink()
    assert dotfiles.read_text(encoding="utf-8") == 'theme = "dracula"\n'


@pytest.mark.parametrize(
    "text",
    [
        'theme = """textual-light"""\n',  # a form the one-line writer does not edit
        "theme = \n",  # not TOML at all
    ],
)
def test_a_file_it_cannot_edit_safely_is_left_alone(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WirediffError, match=str(path)):
        config.save_theme("nord", path)
    assert path.read_text(encoding="utf-8") == text


def test_keys_must_be_strings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keys]\ndiff.next = 3\n", encoding="utf-8")
    with pytest.raises(WirediffError, match=r"keys\.diff\.next must be keys as a string"):
        config.load(path)
