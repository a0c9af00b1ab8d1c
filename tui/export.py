"""Exports from the diff screen: which ones there are, and writing one without overwriting."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Literal

from versions.export import Format

Scope = Literal["pair", "history"]
FORMAT_NAMES: dict[Format, str] = {
    "markdown": "Markdown",
    "html": "HTML",
    "json": "JSON",
    "csv": "CSV",
}
SCOPE_NAMES: dict[Scope, str] = {"pair": "pair", "history": "whole history"}


def write_new(directory: Path, filename: str, text: str) -> Path:
    """Write `text` to `directory/filename`, or to `name-1.ext`, `name-2.ext`… if it exists."""
    stem, dot, extension = filename.rpartition(".")
    number = 0
    while True:
        name = filename if number == 0 else f"{stem}-{number}{dot}{extension}"
        path = directory / name
        try:
            # newline="": CSV rows end in \r\n as the csv module wrote them
            with path.open("x", encoding="utf-8", newline="") as file:
                file.write(text if text.endswith("\n") else text + "\n")
        except FileExistsError:
            number += 1
            continue
        return path


def written_words(error: OSError, folder: Path) -> str:
    """Why a file could not be written in `folder`, in words an editor can act on."""
    if isinstance(error, FileNotFoundError):
        return f"The folder {folder} does not exist. Choose another with x (Export as…)."
    if isinstance(error, NotADirectoryError):
        return f"{folder} is a file, not a folder. Choose a folder with x (Export as…)."
    if isinstance(error, PermissionError):
        return f"You may not write in {folder}. Choose another folder with x (Export as…)."
    if error.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full."
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only disk. Choose another folder with x (Export as…)."
    reason = error.strerror or str(error)
    return f"Could not write in {folder}: {reason[:1].lower()}{reason[1:]}."
