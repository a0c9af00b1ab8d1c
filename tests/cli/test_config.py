"""The config file: read from the user's config directory, overridden by environment and flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from versions import config
from versions.errors import WirediffError

WIREDIFF = Path(sys.executable).parent / "wirediff"
STORY = Path(__file__).resolve().parents[2] / "samples" / "peru-earthquake" / "01-first-take.txt"


def wirediff(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WIREDIFF_")}
    environ |= {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [str(WIREDIFF), *args],
        capture_output=True,
        text=True,
        cwd=home,
        env=environ | env,
        timeout=120,
        check=False,
    )


def write_config(home: Path, text: str) -> Path:
    path = home / "config" / "wirediff" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_path_names_the_file_in_the_user_config_dir(tmp_path: Path) -> None:
    result = wirediff(tmp_path, "config", "path")
    assert result.stdout == f"{tmp_path}/config/wirediff/config.toml\n"
    named = wirediff(tmp_path, "config", "path", WIREDIFF_CONFIG=str(tmp_path / "x.toml"))
    assert named.stdout == f"{tmp_path}/x.toml\n"


def test_the_configured_database_is_used_and_env_and_flag_override_it(tmp_path: Path) -> None:
    write_config(tmp_path, 'database = "archive.db"  # next to the config file\n')
    configured = tmp_path / "config" / "wirediff" / "archive.db"
    assert wirediff(tmp_path, "ingest", str(STORY)).returncode == 0
    assert configured.is_file()
    assert "v1" in wirediff(tmp_path, "stories").stdout

    from_env = wirediff(tmp_path, "stories", WIREDIFF_DB=str(tmp_path / "env.db"))
    assert "no wirediff database at sqlite:///" + str(tmp_path / "env.db") in from_env.stderr
    from_flag = wirediff(tmp_path, "--db", str(tmp_path / "flag.db"), "stories")
    assert str(tmp_path / "flag.db") in from_flag.stderr


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("database = \n", "is not valid TOML"),
        ('databse = "x.db"\n', "unknown setting 'databse' (wirediff knows database, theme"),
        ("theme = 3\n", "theme must be a non-empty string"),
    ],
)
def test_a_bad_config_file_is_one_line(tmp_path: Path, text: str, reason: str) -> None:
    path = write_config(tmp_path, text)
    result = wirediff(tmp_path, "stories")
    assert result.returncode == 1
    assert result.stderr.startswith("wirediff: the config file ")
    assert str(path) in result.stderr and reason in result.stderr
    assert result.stderr.count("\n") == 1


def test_settings_from_the_file_under_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "gruvbox"\nexport_dir = "~/exports"\n', encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WIREDIFF_THEME", raising=False)
    monkeypatch.delenv("WIREDIFF_EXPORT_DIR", raising=False)
    monkeypatch.delenv("WIREDIFF_DB", raising=False)
    assert config.load(path) == config.Settings(
        theme="gruvbox", export_dir=tmp_path / "home" / "exports"
    )
    monkeypatch.setenv("WIREDIFF_THEME", "nord")
    assert config.load(path).theme == "nord"
    assert config.load(tmp_path / "none.toml") == config.Settings(theme="nord")


def test_an_unreadable_config_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(WirediffError, match="cannot read the config file"):
        config.load(tmp_path)  # a directory


def test_watch_terms_and_notify_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'watch_terms = ["levee", "evacuat*", "death toll"]\n'
        "[notify]\nmin_significance = 40\nfollowed_only = true\n",
        encoding="utf-8",
    )
    settings = config.load(path)
    assert settings.watch_terms == ("levee", "evacuat*", "death toll")
    assert settings.notify == config.Notify(min_significance=40, followed_only=True)
    defaults = config.load(tmp_path / "none.toml")
    assert "evacuat*" in defaults.watch_terms
    assert defaults.notify == config.Notify(min_significance=1, followed_only=False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('watch_terms = "killed"\n', "watch_terms must be a list of strings"),
        ('watch_terms = ["*"]\n', "watch term '*': it needs a letter or digit"),
        ("[notify]\nmin_significance = 101\n", "min_significance must be a whole number 0-100"),
        ('[notify]\nfollowed_only = "yes"\n', "followed_only must be true or false"),
        ("[notify]\nbell = true\n", "unknown setting notify.bell"),
        ("notify = 3\n", "notify must be a table"),
    ],
)
def test_bad_watch_settings_are_one_line(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WirediffError, match="the config file") as raised:
        config.load(path)
    assert reason in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("notify", "score", "followed", "announced"),
    [
        (config.Notify(), 0, False, False),  # a REFILE: never
        (config.Notify(), 0, True, False),
        (config.Notify(), 1, False, True),
        (config.Notify(min_significance=40), 39, False, False),
        (config.Notify(min_significance=40), 40, False, True),
        (config.Notify(min_significance=40), 5, True, True),  # followed: whatever the score
        (config.Notify(followed_only=True), 100, False, False),
        (config.Notify(followed_only=True), 3, True, True),
    ],
)
def test_which_arrivals_are_announced(
    notify: config.Notify, score: int, followed: bool, announced: bool
) -> None:
    assert notify.announces(score, followed=followed) is announced
