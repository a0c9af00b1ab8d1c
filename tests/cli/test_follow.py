"""`follow`, `unfollow`, `stories --followed` and `catchup`, per editor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from versions.cli import cli

PERU = "strong-earthquake-strikes-southern-peru-at-least-12-dead"
BIDEN = "biden-lets-ukraine-use-u-s-missiles-to-strike-deep-inside"


def run(db_url: str, *args: str, user: str | None = "ana") -> tuple[int, str, str]:
    given = ["--user", user] if user else []
    result = CliRunner().invoke(cli, ["--db", db_url, *given, *args])
    return result.exit_code, result.stdout, result.stderr


def _ingest(db_url: str, *paths: Path) -> None:
    code, _, err = run(db_url, "ingest", *map(str, paths))
    assert code == 0, err


@pytest.fixture
def peru(samples: Path) -> list[Path]:
    return sorted((samples / "peru-earthquake").glob("*.txt"))


def test_follow_then_catchup_shows_the_diff_since_last_looked(
    db_url: str, samples: Path, peru: list[Path]
) -> None:
    biden = sorted((samples / "biden-ukraine-missiles").glob("*.txt"))
    _ingest(db_url, peru[0], biden[0])
    assert run(db_url, "follow", "strong") == (0, f"ana follows {PERU}\n", "")
    assert run(db_url, "follow", PERU)[1] == f"ana follows {PERU} (already)\n"
    run(db_url, "follow", "biden", user="bob")
    _ingest(db_url, *peru[1:3])

    code, out, _ = run(db_url, "stories", "--followed")
    assert code == 0
    assert out.splitlines()[0].startswith(f"{PERU}  v3  2 new  ")
    assert BIDEN not in out
    code, out, _ = run(db_url, "stories", "--followed", user="bob")
    assert out.splitlines()[0].startswith(f"{BIDEN}  v1  read  ")

    code, out, _ = run(db_url, "catchup", "--no-mark", "--color", "never")
    assert out.splitlines()[0] == f"== {PERU}: 2 new versions, v1 → v3 =="
    assert "[-12-]{+41+}" in out  # v1's figure against v3's: the whole news, not v2 → v3
    code, out, _ = run(db_url, "catchup", "--format", "json")
    (caught,) = json.loads(out)
    assert (caught["story"], caught["seen"], caught["latest"], caught["unread"]) == (PERU, 1, 3, 2)
    assert caught["changes"]["from"]["version"] == 1

    code, out, err = run(db_url, "catchup")
    assert (code, out, err) == (0, "", "wirediff: nothing new in the stories ana follows\n")
    assert "read" in run(db_url, "stories", "--followed")[1].splitlines()[0]


def test_unknown_and_unfollowed_stories_get_one_line(db_url: str, peru: list[Path]) -> None:
    _ingest(db_url, peru[0])
    assert run(db_url, "follow", "zzz") == (1, "", "wirediff: no story key starts with 'zzz'\n")
    code, _, err = run(db_url, "unfollow", PERU)
    assert (code, err) == (1, f"wirediff: ana does not follow {PERU}\n")
    run(db_url, "follow", PERU)
    assert run(db_url, "unfollow", "strong")[1] == f"ana no longer follows {PERU}\n"
    code, out, err = run(db_url, "stories", "--followed")
    assert (code, out) == (0, "")
    assert err == "wirediff: you follow no story: `wirediff follow STORY` follows one\n"


def test_the_editor_comes_from_the_environment_then_the_config_file(
    db_url: str, peru: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('user = "desk-night"\n')
    monkeypatch.setenv("WIREDIFF_CONFIG", str(config))
    monkeypatch.delenv("WIREDIFF_USER", raising=False)
    _ingest(db_url, peru[0])
    assert run(db_url, "follow", PERU, user=None)[1] == f"desk-night follows {PERU}\n"
    monkeypatch.setenv("WIREDIFF_USER", "carla")
    assert run(db_url, "follow", PERU, user=None)[1] == f"carla follows {PERU}\n"
    assert run(db_url, "follow", PERU, user="dan")[1] == f"dan follows {PERU}\n"
    code, out, _ = run(db_url, "stories", "--followed", "--format", "json", user="dan")
    assert [(row["key"], row["unread"]) for row in json.loads(out)] == [(PERU, 0)]
    code, _, err = run(db_url, "follow", PERU, user=" ")
    assert code == 1 and err.startswith("wirediff: user name ' ' is not usable")


def test_the_desk_refuses_a_bad_user_name_in_one_line(db_url: str, peru: list[Path]) -> None:
    _ingest(db_url, peru[0])
    code, _, err = run(db_url, "desk", user="\x1b[31m")
    assert code == 1
    assert err.startswith("wirediff: user name ") and err.count("\n") == 1
