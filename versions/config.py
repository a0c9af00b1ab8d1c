"""The user's settings: a TOML file in the platform's config directory.

Each setting can be overridden by the environment (`WIREDIFF_<NAME>`), and the
environment by a command-line flag where there is one (`--db`). Paths in the file
may start with `~`; relative ones are taken from the file's own directory. A `[keys]`
table remaps the UI's key bindings (binding id → keys). The UI writes one setting back,
the theme the reader picked (`save_theme`), leaving the rest of the file as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from versions.editorial import DEFAULT_WATCH_TERMS, check_watch_term
from versions.errors import WirediffError

CONFIG_ENV = "WIREDIFF_CONFIG"
# No wire take comes near 10 MB; the engine's memory grows with the text.
DEFAULT_MAX_TAKE_SIZE = 10 * 1024 * 1024


# Every take that shows a change is announced unless the editor raises the bar; 0 is
# never announced (a REFILE, a cosmetic fix).
DEFAULT_MIN_SIGNIFICANCE = 1


@dataclass(frozen=True)
class Notify:
    """`[notify]`: which arrivals ring the bell, pop a notice or run `--exec`."""

    min_significance: int = DEFAULT_MIN_SIGNIFICANCE  # 0-100, see docs/significance.md
    followed_only: bool = False  # only the stories the editor follows

    def announces(self, score: int, *, followed: bool) -> bool:
        """Whether an arrival is worth interrupting the editor for: never one that shows no
        change (score 0); a followed story's always; another's from `min_significance` up,
        unless `followed_only`."""
        if score <= 0:
            return False
        if followed:
            return True
        return not self.followed_only and score >= self.min_significance


@dataclass(frozen=True)
class Settings:
    database: str | None = None  # a SQLAlchemy URL or a SQLite file path
    theme: str | None = None  # a Textual theme name
    export_dir: Path | None = None  # where the UI writes exports
    user: str | None = None  # the desk editor whose follows and reading are kept
    watch_terms: tuple[str, ...] = DEFAULT_WATCH_TERMS  # what makes an arrival matter
    notify: Notify = field(default_factory=Notify)
    keys: Mapping[str, str] = field(default_factory=dict)  # [keys]: "diff.next" → "n,j"


# Settings the environment can override: the plain strings.
_STRINGS = ("database", "theme", "export_dir", "user")
_ENV = {name: f"WIREDIFF_{name.upper()}" for name in _STRINGS}
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
        watch_terms=values.get("watch_terms", DEFAULT_WATCH_TERMS),
        notify=values.get("notify", Notify()),
        keys=values.get("keys", {}),
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


def _read(path: Path) -> dict[str, Any]:
    text = _text(path)
    if text is None:
        return {}
    data = _parsed(text, path)
    known = [field.name for field in fields(Settings)]
    for key, value in data.items():
        if key not in known:
            raise WirediffError(
                f"the config file {path} has an unknown setting {key!r} "
                f"(wirediff knows {', '.join(known)})"
            )
        if key == "watch_terms":
            data[key] = _watch_terms(path, value)
        elif key == "notify":
            data[key] = _notify(path, value)
        elif key == "keys":
            data[key] = _keys(path, value)
        elif not isinstance(value, str) or not value:
            raise WirediffError(f"the config file {path}: {key} must be a non-empty string")
    for key in ("database", "export_dir"):
        if key in data and "://" not in data[key]:
            data[key] = str(path.parent / Path(data[key]).expanduser())
    return data


def _watch_terms(path: Path, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(term, str) for term in value):
        raise WirediffError(f"the config file {path}: watch_terms must be a list of strings")
    for term in value:
        reason = check_watch_term(term)
        if reason:
            raise WirediffError(f"the config file {path}: watch term {term!r}: {reason}")
    return tuple(term.strip() for term in value)


def _notify(path: Path, value: object) -> Notify:
    if not isinstance(value, dict):
        raise WirediffError(f"the config file {path}: notify must be a table ([notify])")
    known = [field.name for field in fields(Notify)]
    for key in value:
        if key not in known:
            raise WirediffError(
                f"the config file {path} has an unknown setting notify.{key} "
                f"(wirediff knows {', '.join(known)})"
            )
    minimum = value.get("min_significance", DEFAULT_MIN_SIGNIFICANCE)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or not 0 <= minimum <= 100:
        raise WirediffError(
            f"the config file {path}: notify.min_significance must be a whole number 0-100"
        )
    followed_only = value.get("followed_only", False)
    if not isinstance(followed_only, bool):
        raise WirediffError(f"the config file {path}: notify.followed_only must be true or false")
    return Notify(min_significance=minimum, followed_only=followed_only)


def _keys(path: Path, table: object, prefix: str = "") -> dict[str, str]:
    """Binding id → keys. `diff.next = "n,j"` is a dotted key, a table in TOML: its
    parts are joined back into the id; `"diff.next" = "n,j"` means the same."""
    if not isinstance(table, dict):
        raise WirediffError(
            f'the config file {path}: keys must be a table ([keys], then diff.next = "n,j")'
        )
    keys: dict[str, str] = {}
    for name, value in table.items():
        binding = f"{prefix}{name}"
        if isinstance(value, dict):
            keys |= _keys(path, value, f"{binding}.")
        elif isinstance(value, str) and value.strip():
            keys[binding] = value
        else:
            raise WirediffError(
                f'the config file {path}: keys.{binding} must be keys as a string, like "n,j"'
            )
    return keys


def _text(path: Path) -> str | None:
    """The file's text; None when there is no file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise WirediffError(f"cannot read the config file {path}: {_reason(exc)}") from exc


def _parsed(text: str, path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WirediffError(f"the config file {path} is not valid TOML: {exc}") from exc


# A top-level `theme = "…"` line: what comes before the value and after it (a comment).
_THEME_LINE = re.compile(r"^(?P<before>\s*theme\s*=\s*)(?:\"[^\"\n]*\"|'[^'\n]*')(?P<after>.*)$")
_TOP_LEVEL_KEY = re.compile(r"^\s*[\w\"'-]+\s*=")
_TABLE_HEADER = re.compile(r"^\s*\[")


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Set `theme` in the config file and leave everything else in it as it was: other
    settings, comments, the `[keys]` table, the order of lines.

    Only the one line is written (no TOML library writes a file back with its comments),
    and the result is parsed before it replaces the file, atomically: a file this cannot
    edit safely is left alone and the reason raised as a `WirediffError`.
    """
    path = path or config_path()
    text = _text(path) or ""
    before = _parsed(text, path)
    edited = _with_theme(text, '"' + theme.replace("\\", "\\\\").replace('"', '\\"') + '"')
    try:
        safe = edited is not None and _parsed(edited, path) == before | {"theme": theme}
    except WirediffError:
        safe = False
    if edited is None or not safe:
        raise WirediffError(
            f"the config file {path}: its theme line is not one wirediff can rewrite; "
            f"set theme = {theme!r} in it by hand"
        )
    _replace(path, edited)
    return path


def _with_theme(text: str, value: str) -> str | None:
    """`text` with its top-level theme line set to `value` (a TOML string), or one added
    after the last top-level setting; None when the line is not a one-line string."""
    lines = text.splitlines(keepends=True)
    top = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line)), len(lines))
    at = next((i for i in range(top) if re.match(r"^\s*theme\s*=", lines[i])), None)
    if at is not None:
        match = _THEME_LINE.match(lines[at].rstrip("\r\n"))
        if match is None:
            return None
        lines[at] = f"{match['before']}{value}{match['after']}\n"
    else:
        settings = [i for i in range(top) if _TOP_LEVEL_KEY.match(lines[i])]
        at = settings[-1] + 1 if settings else 0
        if at and not lines[at - 1].endswith("\n"):
            lines[at - 1] += "\n"
        lines.insert(at, f"theme = {value}\n")
    return "".join(lines)


def _replace(path: Path, text: str) -> None:
    """Write `text` beside the file and rename it over the file: a crash leaves the old file
    or the new, never half of one. A symlinked file (dotfiles) is written where it points,
    with its permissions."""
    import stat
    import tempfile

    target = path.resolve()
    scratch: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=".config-", delete=False
        ) as file:
            scratch = Path(file.name)
            file.write(text)
        if target.exists():
            scratch.chmod(stat.S_IMODE(target.stat().st_mode))
        os.replace(scratch, target)
    except OSError as exc:
        if scratch is not None:
            scratch.unlink(missing_ok=True)
        raise WirediffError(f"cannot write the config file {path}: {_reason(exc)}") from exc


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
