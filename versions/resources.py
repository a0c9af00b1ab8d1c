"""Files shipped inside the package: the Alembic migrations and the sample stories.

In a checkout `versions/migrations` and `versions/samples` are symlinks to the
top-level `alembic/` and `samples/` (the source of truth); the wheel holds copies.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _packaged(name: str) -> Path:
    # Installed packages live on the file system (pip, pipx): the Traversable is a Path.
    return Path(str(files("versions") / name))


def migrations() -> Path:
    return _packaged("migrations")


def samples() -> Path:
    return _packaged("samples")
