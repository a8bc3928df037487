"""Where the program keeps its files. One injectable function (``set_data_dir``) so tests and ``--data-dir`` move them.

The folders are the owner's only (0700 on POSIX) and the ledger, its backups and logs are created 0600:
the file is encrypted, but its size, its backups' names and the logs are nobody else's business either.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_override: Path | None = None

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it readable by the owner only (POSIX)."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix" and path.stat().st_uid == os.getuid():  # a folder someone else lent us stays theirs
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make an existing file readable by the owner only (POSIX); Windows' per-user folders already are."""
    if os.name == "posix":
        try:
            os.chmod(path, PRIVATE_FILE_MODE)
        except PermissionError:  # a FAT-formatted USB stick has no owner bits to set
            pass
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file that is the owner's from the first byte (no window in which it is 0644)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    global _override
    _override = Path(path) if path else None


def data_dir() -> Path:
    """Per-user data folder (``%LOCALAPPDATA%\\Bangfu`` on Windows); never the install folder."""
    env = os.environ.get("BANGFU_DATA_DIR")
    path = _override or (Path(env) if env else Path(platformdirs.user_data_dir("Bangfu", appauthor=False)))
    return private_dir(path)


def default_database() -> Path:
    return data_dir() / "bangfu.db"


def backups_dir() -> Path:
    return private_dir(data_dir() / "backups")


def logs_dir() -> Path:
    return private_dir(data_dir() / "logs")


def resources_dir() -> Path:
    """The ``resources/`` folder, also inside a PyInstaller bundle (``sys._MEIPASS``)."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"
