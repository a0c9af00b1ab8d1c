"""The `wirediff` command: a thin click layer over `versions.service`."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NoReturn

import click
from click.core import ParameterSource

from versions import __version__
from versions.config import DEFAULT_MAX_TAKE_SIZE
from versions.errors import WirediffError, printable

# The service (SQLAlchemy, the engine, the readers) is imported by the commands that
# use it, so that --help, --version and completion start at once.
if TYPE_CHECKING:
    from versions.export import Format
    from versions.readers import InputFormat
    from versions.service import Archive, ChangeCounts, IngestResult, StoryRow

PROGRESS_MIN_FILES = 20
FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json for scripts: shapes documented in README.md.",
)


class Failure(click.ClickException):
    """A `WirediffError` as one line on stderr, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"wirediff: {self.message}", err=True)


class Group(click.Group):
    """Errors as one line; `watch` (feeds, hooks, the file watcher) imported when run."""

    LAZY: ClassVar[dict[str, tuple[str, str]]] = {
        "watch": (
            "versions.watch.cli",
            "Ingest files dropped into DIRs and items of feeds as they come, until Ctrl-C.",
        ),
    }

    def invoke(self, ctx: click.Context) -> Any:
        url = ctx.params.get("db_url") or os.environ.get("WIREDIFF_DB")
        try:
            return super().invoke(ctx)
        except WirediffError as exc:
            raise Failure(_hide_secrets(str(exc), url)) from exc
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None  # as a shell reports SIGINT
        except BrokenPipeError:
            # `wirediff log X | head -1`: the reader has gone; stop quietly, as git does.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(141) from None
        except Exception as exc:
            # Errors of the archive itself (disk, permissions, connection) met mid-command;
            # with no database driver loaded (`--help`), there was no archive to fail.
            if not any(name in sys.modules for name in ("sqlite3", "psycopg", "sqlalchemy")):
                raise
            from versions.store import db
            from versions.store.dialect import driver_error

            if driver_error(exc) is None:
                raise

            message = db.failure(exc, db.resolve_url(url))
            raise Failure(_hide_secrets(message, url)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            module = importlib.import_module(self.LAZY[name][0])
            self.add_command(module.watch_command, name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (
                name,
                self.LAZY[name][1]
                if name in self.LAZY
                else self.commands[name].get_short_help_str(limit=formatter.width - 6 - len(name)),
            )
            for name in self.list_commands(ctx)
            if name in self.LAZY or not self.commands[name].hidden
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _hide_secrets(message: str, url: str | None) -> str:
    from versions.store.db import hide_secrets

    return hide_secrets(message, url)


def _url(ctx: click.Context) -> str | None:
    url = ctx.find_root().params.get("db_url")
    return str(url) if url else None


def _user(ctx: click.Context) -> str:
    from versions.config import editor

    chosen = ctx.find_root().params.get("user")
    return editor(str(chosen) if chosen is not None else None)


def _open(ctx: click.Context, *, create: bool = False) -> Archive:
    """Read commands never create a database: a mistyped --db must not make one."""
    from versions.service import Archive

    return Archive.open(
        _url(ctx),
        create=create,
        max_take_size=ctx.find_root().params.get("max_take_size", DEFAULT_MAX_TAKE_SIZE),
    )


_SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def _size(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    """Bytes, or a number with K, M or G (powers of 1024): 10M, 512K, 1.5G."""
    if isinstance(value, int):
        return value
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except ValueError:
        size = 0
    if size < 1:
        raise click.BadParameter(f"{value!r} is not a size such as 10M, 512K or 2000000")
    return size


def _run_tui(url: str | None, user: str | None = None, *, desk: bool = False) -> None:
    """`user`: --user, checked here so a bad name is one line before the UI starts."""
    from versions.config import editor
    from versions.service import Archive

    user = editor(user)

    # The UI only reads: say so when there is no archive instead of making one.
    Archive.open(url, create=False).close()
    # Imported on demand: the other commands must start without loading Textual.
    try:
        app = importlib.import_module("tui.app")
    except ImportError as exc:
        raise WirediffError(f"the terminal UI cannot start: {exc}") from exc
    app.run(url, user=user, desk=desk)


@click.group(
    cls=Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "-V", "--version", prog_name="wirediff")
@click.option(
    "--db",
    "db_url",
    envvar="WIREDIFF_DB",
    metavar="URL",
    help="SQLAlchemy URL: sqlite:///path/file.db or postgresql+psycopg://user@host/db "
    "(default: $WIREDIFF_DB, else wirediff.db in the user data directory).",
)
@click.option(
    "--max-take-size",
    envvar="WIREDIFF_MAX_TAKE_SIZE",
    type=str,
    callback=_size,
    default=DEFAULT_MAX_TAKE_SIZE,
    metavar="SIZE",
    help="Reject a file or feed response larger than this, unread "
    "(default: 10M, or $WIREDIFF_MAX_TAKE_SIZE; 512K, 20M, 1G…).",
)
@click.option("--no-pager", is_flag=True, help="Print long output instead of paging it.")
@click.option(
    "--user",
    metavar="NAME",
    help="The desk editor whose follows and reading to use "
    "(default: $WIREDIFF_USER, else the config file's user, else your login name).",
)
@click.pass_context
def cli(
    ctx: click.Context, db_url: str | None, max_take_size: int, no_pager: bool, user: str | None
) -> None:
    """Store every version of a wire story and show what changed between any two.

    Without a command, opens the terminal UI.
    """
    if ctx.invoked_subcommand is None:
        _run_tui(db_url, user)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--story", metavar="KEY", help="File every input under this story key.")
@click.option(
    "--input-format",
    type=click.Choice(["auto", "text", "ninjs", "newsml", "feed"]),
    default="auto",
    show_default=True,
    help="Read every input as this format; auto lets each file's content decide.",
)
@FORMAT
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    story: str | None,
    input_format: InputFormat,
    output_format: str,
) -> None:
    """Store files as versions: files, directories (recursive, name order), - for stdin.

    One line per item: story key, version and counts, "unchanged" or "rejected: reason".
    Exit status 1 when any input was rejected.
    """
    from versions.intake import input_files, start_workers

    files = input_files(paths)
    start_workers(files)  # their start-up runs beside the writer's
    from versions.ingest import check_story_key

    if story is not None:
        check_story_key(story)
    for path in paths:
        if Path(path).is_dir() and not input_files([path]):
            raise WirediffError(f"{path}: no files to ingest (hidden files are skipped)")
    rejected = False
    with _open(ctx, create=True) as archive:
        results = archive.ingest_paths(files, story=story, input_format=input_format)
        for result, echo in _with_progress(results, len(files)):
            rejected |= result.status == "rejected"
            if output_format == "json":
                echo(json.dumps(result.to_dict(), ensure_ascii=False))
            else:
                echo(_ingest_line(result))
    if rejected:
        ctx.exit(1)


def _with_progress(
    results: Iterable[IngestResult], files: int
) -> Iterator[tuple[IngestResult, Callable[[str], None]]]:
    """Each result with how to print its line; on a terminal, a long run shows a progress bar."""
    if files < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        for result in results:
            yield result, click.echo
        return
    bar = ProgressBar("ingesting", files)
    try:
        source = None
        for result in results:
            if result.source != source:  # a file's items come together
                source = result.source
                bar.advance()
            yield result, bar.print_above
    finally:
        bar.close()


class ProgressBar:
    """`ingesting  [#####-------]  42%` on the terminal's last row (stderr), with lines
    printed above it: the bar's row is emptied, the line written, the bar drawn again
    below, so the two never share a row.

    Our own rather than `click.progressbar`: that one redraws only a bar whose text
    changed, so redrawing an erased bar meant resetting its private `_last_line`.
    """

    BAR_WIDTH = 36

    def __init__(self, label: str, length: int) -> None:
        self.label = label
        self.length = max(length, 1)
        self.done = 0
        self._draw()

    def advance(self) -> None:
        self.done = min(self.done + 1, self.length)
        self._draw()

    def print_above(self, line: str) -> None:
        self._erase()
        click.echo(line)
        sys.stdout.flush()
        self._draw()

    def close(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()

    def _erase(self) -> None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()

    def _draw(self) -> None:
        percent = self.done * 100 // self.length
        # narrower on a narrow terminal: a wrapped bar would leave its first part behind
        room = shutil.get_terminal_size().columns - len(self.label) - 12
        width = max(min(self.BAR_WIDTH, room), 10)
        filled = self.done * width // self.length
        bar = "#" * filled + "-" * (width - filled)
        self._erase()
        sys.stderr.write(f"{self.label}  [{bar}]  {percent:>3}%")
        sys.stderr.flush()


def _ingest_line(result: IngestResult) -> str:
    source = printable(result.source)
    if result.status == "rejected":
        return f"{source}: rejected: {printable(result.reason or '')}"
    where = f"{source}: {result.story} v{result.version}"
    if result.status == "unchanged":
        return f"{where} unchanged"
    return f"{where} {_counts(result.counts)}"


def _counts(counts: ChangeCounts | None) -> str:
    return counts.short() if counts is not None else "new"


@cli.command()
@click.option("--match", metavar="TEXT", help="Only stories whose title or key holds TEXT.")
@click.option("--order", type=click.Choice(["updated", "title"]), default="updated")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@click.option(
    "--followed", is_flag=True, help="Only the stories you follow, with how many versions are new."
)
@FORMAT
@click.pass_context
def stories(
    ctx: click.Context,
    match: str | None,
    order: str,
    limit: int,
    followed: bool,
    output_format: str,
) -> None:
    """List stories, latest update first."""
    ordering: Literal["updated", "title"] = "title" if order == "title" else "updated"
    unread: dict[str, int] = {}
    with _open(ctx) as archive:
        if followed:
            user = _user(ctx)
            rows = archive.stories(order=ordering, match=match, limit=limit, followed_by=user)
            unread = archive.unread(user)
        else:
            rows = archive.stories(order=ordering, match=match, limit=limit)
    if output_format == "json":
        listed = [
            row.to_dict() | ({"unread": unread.get(row.key, 0)} if followed else {}) for row in rows
        ]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    if not rows:
        _note(
            f"no story title or key holds {match!r}"
            if match
            else "you follow no story: `wirediff follow STORY` follows one"
            if followed
            else "no stories yet: `wirediff ingest PATH` stores some, `wirediff demo` shows some"
        )
    _page(
        ctx,
        "\n".join(_story_line(row, unread.get(row.key, 0) if followed else None) for row in rows),
    )


def _page(ctx: click.Context, text: str) -> None:
    """Long output through a pager on a terminal, as git does (`less -FRX`: one screen
    is printed as it is); WIREDIFF_PAGER, else PAGER, chooses it; --no-pager skips it."""
    if not text:
        return
    end = "" if text.endswith("\n") else "\n"
    pager = os.environ.get("WIREDIFF_PAGER") or os.environ.get("PAGER") or "less"
    if ctx.find_root().params.get("no_pager") or not sys.stdout.isatty() or pager == "cat":
        click.echo(text + end, nl=False, color=True)
        return
    import subprocess

    env = os.environ | ({} if "LESS" in os.environ else {"LESS": "FRX"})
    try:
        subprocess.run(pager, shell=True, input=(text + end).encode(), env=env, check=False)
    except OSError:
        click.echo(text + end, nl=False, color=True)


def _local(moment: datetime) -> str:
    """Text output shows the reader's own clock, naming its zone; JSON keeps UTC."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M %Z}"


def _complete_story(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Story keys for the shell (README: Shell completion); nothing when the archive fails."""
    try:
        with _open(ctx) as archive:
            rows = archive.stories(order="title", match=incomplete or None, limit=200)
    except Exception:
        return []
    return sorted(row.key for row in rows if row.key.startswith(incomplete.lower()))


def _complete_version(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    story = ctx.params.get("story")
    if not story:
        return []
    try:
        with _open(ctx) as archive:
            numbers = [str(version.number) for version in archive.versions(story)]
    except Exception:
        return []
    return [number for number in numbers if number.startswith(incomplete)]


def _note(message: str) -> None:
    click.echo(f"wirediff: {message}", err=True)


@contextmanager
def _suggesting(archive: Archive, story: str) -> Iterator[None]:
    """An unknown key names the stories whose headline holds the word typed."""
    from versions.errors import UnknownStory

    try:
        yield
    except UnknownStory as exc:
        near = archive.stories(match=story, limit=5)
        if not near:
            raise WirediffError(f"no story key starts with {story!r}") from exc
        keys = ", ".join(row.key for row in near)
        raise WirediffError(
            f"no story key starts with {story!r}; its headline holds it: {keys}"
            if len(near) == 1
            else f"no story key starts with {story!r}; their headlines hold it: {keys}"
        ) from exc


def _story_line(row: StoryRow, unread: int | None = None) -> str:
    """`unread` given (a followed list): how many versions are new to the editor."""
    status = " WITHDRAWN" if row.status == "withdrawn" else ""
    news = "" if unread is None else f"  {unread} new" if unread else "  read"
    return (
        f"{row.key}  v{row.versions}{news}  {_local(row.last_update)}  "
        f"{_counts(row.latest)}{status}\n    {row.title}"
    )


@cli.command()
@click.argument("story", shell_complete=_complete_story)
@FORMAT
@click.pass_context
def log(ctx: click.Context, story: str, output_format: str) -> None:
    """The versions of STORY (a key or a unique key prefix)."""
    with _open(ctx) as archive, _suggesting(archive, story):
        versions = archive.versions(story)
    if output_format == "json":
        click.echo(json.dumps([v.to_dict() for v in versions], ensure_ascii=False, indent=2))
        return
    lines = []
    for version in versions:
        label = version.label or "-"
        lines.append(
            f"v{version.number}  {_local(version.created_at)}  {label:<18} "
            f"{_counts(version.counts):<16} {version.headline}"
        )
        if version.advisory:
            lines.append(f"    {version.advisory}")
    _page(ctx, "\n".join(lines))


@cli.command()
@click.argument("story", shell_complete=_complete_story)
@click.argument("old", type=int, required=False, shell_complete=_complete_version)
@click.argument("new", type=int, required=False, shell_complete=_complete_version)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="text: one sentence a line, git's word-diff marks; json: the change log (README.md).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text diff; auto: on a terminal, unless NO_COLOR is set.",
)
@click.pass_context
def diff(
    ctx: click.Context,
    story: str,
    old: int | None,
    new: int | None,
    output_format: str,
    color: str,
) -> None:
    """What changed in STORY from version OLD to NEW (default: latest against the one before)."""
    with _open(ctx) as archive, _suggesting(archive, story):
        compared = archive.comparison(story, old, new)
        reverts = archive.reverts(story) if output_format == "text" else None
    if output_format == "json":
        click.echo(json.dumps(compared.changelog.to_dict(), ensure_ascii=False, indent=2))
        return
    from versions.export import render_comparisons

    fmt: Format = "text" if output_format == "text" else _EXPORT_FORMATS[output_format]
    text = render_comparisons([compared], fmt, color=_use_color(color), reverts=reverts)
    _page(ctx, text)


def _use_color(choice: str) -> bool:
    """git's rule: `always` and `never` win; `auto` colours a terminal unless NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_EXPORT_FORMATS: dict[str, Format] = {
    "markdown": "markdown",
    "html": "html",
    "json": "json",
    "csv": "csv",
}


@cli.command()
@click.argument("story", shell_complete=_complete_story)
@click.option("--from", "first", type=click.IntRange(min=1), metavar="A", help="First version.")
@click.option("--to", "last", type=click.IntRange(min=1), metavar="B", help="Last version.")
@click.option(
    "--pair",
    type=(click.IntRange(min=1), click.IntRange(min=1)),
    metavar="A B",
    help="Only version A against version B (any two).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(_EXPORT_FORMATS)),
    help="Default: from the -o file's extension (.md, .html, .json, .csv), else markdown.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def export(
    ctx: click.Context,
    story: str,
    first: int | None,
    last: int | None,
    pair: tuple[int, int] | None,
    output_format: str | None,
    output: Path | None,
) -> None:
    """The change log of STORY to hand on: one section per consecutive pair of versions.

    By default the whole history; --from/--to bound it, --pair compares any two versions.
    JSON is a list of what `diff --format json` prints; CSV has one row per change.
    """
    if pair is not None and (first is not None or last is not None):
        raise click.UsageError("--pair cannot be combined with --from/--to")
    fmt = _export_format(output_format, output)
    with _open(ctx) as archive, _suggesting(archive, story):
        exported = archive.export(story, fmt, pair=pair, first=first, last=last)
    text = exported.text
    if output is None:
        _page(ctx, text)
        return
    try:
        # newline="": CSV rows end in \r\n as the csv module wrote them
        output.write_text(text if text.endswith("\n") else text + "\n", "utf-8", newline="")
    except OSError as exc:
        raise WirediffError(f"{output}: {exc.strerror or exc}") from exc
    pairs = f"{exported.pairs} version pair{'s' if exported.pairs != 1 else ''}"
    click.echo(f"wrote {output} ({pairs})", err=True)


_EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
}


def _export_format(chosen: str | None, output: Path | None) -> Format:
    """The format follows -o's extension unless --format says otherwise; a clash is an error."""
    implied = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if chosen is None:
        return implied or "markdown"
    if implied is not None and implied != chosen:
        raise click.UsageError(
            f"--format {chosen} does not match {output}: name the file .{_suffix(chosen)}"
            " or leave --format out"
        )
    return _EXPORT_FORMATS[chosen]


def _suffix(fmt: str) -> str:
    return "md" if fmt == "markdown" else fmt


@cli.command()
@click.argument("story")
@click.argument("version", type=click.IntRange(min=1), required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the shape in docs/blame-format.md.",
)
@click.pass_context
def blame(ctx: click.Context, story: str, version: int | None, output_format: str) -> None:
    """Each sentence of VERSION of STORY (default the latest) with the take that brought it
    in, the last take that changed it, and restored (↺) and moved (↕) marks."""
    from versions.export.blame import render_json, render_text

    with _open(ctx) as archive:
        view = archive.blame(story, version)
    if output_format == "json":
        click.echo(render_json(view))
        return
    text = render_text(view)
    click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@FORMAT
@click.pass_context
def search(ctx: click.Context, words: tuple[str, ...], limit: int, output_format: str) -> None:
    """Stories whose text holds all WORDS, newest first, with the first version holding them.

    A quoted "phrase" (quote it for the shell too: '"senior U.S. official"') must appear
    as written; when the latest version no longer holds the words, the version that
    dropped them is named.
    """
    with _open(ctx) as archive:
        hits = archive.search(" ".join(words), limit=limit)
    if output_format == "json":
        click.echo(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        _note(f"no story holds {' '.join(words)}")
        ctx.exit(1)
    _page(
        ctx,
        "\n".join(
            f"{hit.story_key} v{hit.version}"
            + (f" (dropped in v{hit.dropped_in})" if hit.dropped_in else "")
            + f"  {hit.title}\n    {hit.snippet}"
            for hit in hits
        ),
    )


@cli.command()
@click.argument("story", shell_complete=_complete_story)
@click.pass_context
def follow(ctx: click.Context, story: str) -> None:
    """Follow STORY: `stories --followed` and the UI count its new versions, `catchup`
    shows what changed since you last looked."""
    user = _user(ctx)
    with _open(ctx) as archive, _suggesting(archive, story):
        done = archive.follow(user, story)
    already = "" if done.changed else " (already)"
    click.echo(f"{user} follows {done.story_key}{already}")


@cli.command()
@click.argument("story", shell_complete=_complete_story)
@click.pass_context
def unfollow(ctx: click.Context, story: str) -> None:
    """Stop following STORY."""
    user = _user(ctx)
    with _open(ctx) as archive, _suggesting(archive, story):
        done = archive.unfollow(user, story)
    if not done.changed:
        raise WirediffError(f"{user} does not follow {done.story_key}")
    click.echo(f"{user} no longer follows {done.story_key}")


@cli.command()
@click.option("--no-mark", is_flag=True, help="Only look: leave the stories unread.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the diffs; auto: on a terminal, unless NO_COLOR is set.",
)
@FORMAT
@click.pass_context
def catchup(ctx: click.Context, no_mark: bool, color: str, output_format: str) -> None:
    """What changed in each story you follow since you last looked, newest news first:
    the diff from the last version you saw to the latest. Then counts them as read."""
    user = _user(ctx)
    with _open(ctx) as archive:
        caught = archive.catchup(user, mark=not no_mark)
    if output_format == "json":
        click.echo(json.dumps([item.to_dict() for item in caught], ensure_ascii=False, indent=2))
        return
    if not caught:
        _note(f"nothing new in the stories {user} follows")
        return
    from versions.editorial import plural
    from versions.export import render_comparisons

    sections = []
    for item in caught:
        news = plural(item.unread, "new version")
        head = f"== {item.story.key}: {news}, v{item.seen} → v{item.latest} =="
        body = render_comparisons([item.comparison], "text", color=_use_color(color))
        sections.append(f"{head}\n{body.rstrip()}\n")
    _page(ctx, "\n".join(sections))


@cli.command()
@click.pass_context
def tui(ctx: click.Context) -> None:
    """Open the terminal UI."""
    _run_tui(_url(ctx), ctx.find_root().params.get("user"))


@cli.command()
@click.pass_context
def desk(ctx: click.Context) -> None:
    """Open the terminal UI on the desk: arrivals across every story as they land, the
    stories you follow marked, most significant first on s."""
    _run_tui(_url(ctx), ctx.find_root().params.get("user"), desk=True)


@cli.command()
@click.option("--no-tui", is_flag=True, help="Only load the samples and list the stories.")
@click.pass_context
def demo(ctx: click.Context, no_tui: bool) -> None:
    """Load the samples into a fresh SQLite file and open the UI.

    The wire-text versions (samples/*/*.txt) go in first, then the same stories as ninjs,
    NewsML-G2 and RSS (samples/formats, samples/feeds), which are recognised as versions
    already stored. The file is made in a new temporary directory and its URL printed,
    unless `wirediff --db URL demo` names the database on the command line (WIREDIFF_DB
    alone does not: a demo never fills the desk's own archive by accident).
    """
    from versions import resources

    samples = resources.samples()
    if not samples.is_dir():
        raise WirediffError(f"this wirediff is incomplete (no samples at {samples}): reinstall it")
    named = ctx.find_root().get_parameter_source("db_url") is ParameterSource.COMMANDLINE
    url = _url(ctx) if named else None
    if url is None:
        import tempfile

        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='wirediff-demo-')) / 'wirediff.db'}"
    from versions.editorial import plural
    from versions.service import Archive

    with Archive.open(url) as archive:
        results = list(archive.ingest_paths(demo_files()))
        rows = archive.stories()
    added = sum(result.status == "added" for result in results)
    same = sum(result.status == "unchanged" for result in results)
    click.echo(
        f"{plural(added, 'version')} of {plural(len(rows), 'story')} in {url} "
        f"({plural(same, 'delivery')} in other formats recognised)"
    )
    if no_tui:
        for row in rows:
            click.echo(_story_line(row))
        click.echo(f"browse them with: wirediff --db {url}")
        return
    _run_tui(url, ctx.find_root().params.get("user"))


def demo_files() -> list[Path]:
    """Plain wire text first, in file order (it carries no time of its own), then the rest."""
    from versions import resources
    from versions.intake import input_files

    samples = resources.samples()
    structured = [samples / "formats", samples / "feeds"]
    return sorted(samples.glob("*/*.txt")) + [
        Path(path) for path in input_files(d for d in structured if d.is_dir())
    ]


@cli.group()
def config() -> None:
    """Settings: a TOML file (database, theme, export_dir, user); environment and flags win."""


@config.command("path")
def config_path() -> None:
    """Print where the config file is read from (WIREDIFF_CONFIG, else the user config dir)."""
    from versions.config import config_path

    click.echo(config_path())


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Migrate the database to this wirediff's schema (alembic upgrade head)."""
    from versions.service import database_url, upgrade_database

    upgrade_database(_url(ctx))
    click.echo(f"{database_url(_url(ctx))} is up to date")


def main() -> NoReturn:
    cli.main(prog_name="wirediff")
    raise SystemExit(0)


if __name__ == "__main__":
    main()
