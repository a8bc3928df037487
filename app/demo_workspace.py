"""The throw-away folder of ``--demo``: made at start, removed at exit and on SIGTERM, and — when the program
died all the same (SIGKILL, a power cut) — by the next start. A running demo holds a lock file inside its
folder (released by the system when the process dies), so a start never removes a live demo's folder."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from filelock import FileLock, Timeout

PREFIX = "bangfu-demo-"
OWNER = ".owner.lock"
BIRTH_SECONDS = 60


def sweep_stale(root: Path | None = None) -> list[Path]:
    """Remove the demo folders under ``root`` (the temporary folder) whose program is gone."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(PREFIX + "*"):
        if not folder.is_dir() or _being_made(folder):
            continue
        lock = FileLock(folder / OWNER)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # a demo that is running
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _being_made(folder: Path) -> bool:
    """A folder another start has just made and not yet locked (``mkdtemp``, then the lock): left alone, or
    this sweep would take the free lock and remove a live demo's folder. One left so by a crash is swept once
    it is older than ``BIRTH_SECONDS``."""
    try:
        return not (folder / OWNER).exists() and time.time() - folder.stat().st_mtime < BIRTH_SECONDS
    except OSError:
        return True  # gone or unreadable meanwhile: not ours to remove now


class DemoWorkspace:
    """A fresh demo folder, owned by this process until ``remove()``; stale ones are swept first."""

    def __init__(self, root: Path | None = None) -> None:
        sweep_stale(root)
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        self._lock = FileLock(self.path / OWNER)
        self._lock.acquire(timeout=0)

    def remove(self) -> None:
        self._lock.release()
        shutil.rmtree(self.path, ignore_errors=True)
