"""The user's settings: a TOML file in the platform's config directory.

Each setting can be overridden by the environment (`WIREDIFF_<NAME>`), and the
environment by a command-line flag where there is one (`--db`). Paths in the file
may start with `~`; relative ones are taken from the file's own directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from versions.errors import WirediffError

CONFIG_ENV = "WIREDIFF_CONFIG"
# No wire take comes near 10 MB; the engine's memory grows with the text.
DEFAULT_MAX_TAKE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database: str | None = None  # a SQLAlchemy URL or a SQLite file path
    theme: str | None = None  # a Textual theme name
    export_dir: Path | None = None  # where the UI writes exports
    user: str | None = None  # the desk editor whose follows and reading are kept


_ENV = {field.name: f"WIREDIFF_{field.name.upper()}" for field in fields(Settings)}
_ENV["database"] = "WIREDIFF_DB"


def config_path() -> Path:
    """`WIREDIFF_CONFIG`, else config.toml in the user config directory."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("wirediff")) / "config.toml"


def load(path: Path | None = None) -> Settings:
    """The file's settings under the environment's; no file means the defaults."""
    path = path or config_path()
    values = _read(path)
    for name, variable in _ENV.items():
        if os.environ.get(variable):
            values[name] = os.environ[variable]
    return Settings(
        database=values.get("database"),
        theme=values.get("theme"),
        export_dir=Path(values["export_dir"]).expanduser() if "export_dir" in values else None,
        user=values.get("user"),
    )


USER_MAX_LENGTH = 100


def editor(chosen: str | None = None, settings: Settings | None = None) -> str:
    """Whose follows and reading to use: `--user`, else `WIREDIFF_USER` or the config
    file's `user`, else the login name. Editors sharing one archive each have their own."""
    if chosen is None:
        chosen = (settings or load()).user
    if chosen is None:
        import getpass

        try:
            chosen = getpass.getuser()
        except (KeyError, OSError) as exc:
            raise WirediffError(
                "cannot tell who you are: give --user NAME, or set WIREDIFF_USER"
            ) from exc
    name = chosen.strip()
    if not name or len(name) > USER_MAX_LENGTH or not name.isprintable():
        raise WirediffError(
            f"user name {chosen!r} is not usable: 1 to {USER_MAX_LENGTH} printable characters"
        )
    return name


def _read(path: Path) -> dict[str, str]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise WirediffError(f"cannot read the config file {path}: {_reason(exc)}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WirediffError(f"the config file {path} is not valid TOML: {exc}") from exc
    known = [field.name for field in fields(Settings)]
    for key, value in data.items():
        if key not in known:
            raise WirediffError(
                f"the config file {path} has an unknown setting {key!r} "
                f"(wirediff knows {', '.join(known)})"
            )
        if not isinstance(value, str) or not value:
            raise WirediffError(f"the config file {path}: {key} must be a non-empty string")
    for key in ("database", "export_dir"):
        if key in data and "://" not in data[key]:
            data[key] = str(path.parent / Path(data[key]).expanduser())
    return data


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
