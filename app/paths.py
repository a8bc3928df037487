"""Where the program keeps its files. One injectable function (``set_data_dir``) so tests and ``--data-dir`` move them."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    global _override
    _override = Path(path) if path else None


def data_dir() -> Path:
    """Per-user data folder (``%LOCALAPPDATA%\\Bangfu`` on Windows); never the install folder."""
    env = os.environ.get("BANGFU_DATA_DIR")
    path = _override or (Path(env) if env else Path(platformdirs.user_data_dir("Bangfu", appauthor=False)))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / "bangfu.db"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The ``resources/`` folder, also inside a PyInstaller bundle (``sys._MEIPASS``)."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"
