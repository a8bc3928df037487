"""Every output file (exports, reports, templates, error workbooks) is written under a temporary name in the
destination folder and renamed when complete: after a full disk, a crash or kill -9 no truncated file stands
under the final name. Libraries' own temporary files (XlsxWriter's constant-memory rows hold full resident IDs)
go to a private folder next to it, never to the system temp folder.

A kill -9 cannot clean up after itself, so the leftovers carry a fixed prefix and the next write of the same
file removes them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.io.errors import CannotWrite

PREFIX = ".~bangfu-"


@dataclass(frozen=True)
class AtomicTarget:
    """``part``: write here; ``workdir``: a private folder for a library's temporary files."""

    final: Path
    part: Path
    workdir: Path


def begin(path: Path | str) -> AtomicTarget:
    """Make the temporary name and work folder for ``path`` (removing a killed run's leftovers)."""
    final = Path(path)
    folder = final.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{PREFIX}{final.name}.*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{final.name}.", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise cannot_write(exc) from None
    return AtomicTarget(final, workdir.with_suffix(".part"), workdir)


def commit(target: AtomicTarget) -> None:
    """Flush the finished part to disk and rename it over the final name; then drop the work folder."""
    try:
        with target.part.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(target.part, target.final)
    except OSError as exc:
        discard(target)
        raise cannot_write(exc) from None
    shutil.rmtree(target.workdir, ignore_errors=True)


def discard(target: AtomicTarget) -> None:
    with contextlib.suppress(OSError):
        target.part.unlink(missing_ok=True)
    shutil.rmtree(target.workdir, ignore_errors=True)


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[AtomicTarget]:
    """``with atomic_output(dest) as t: write(t.part)`` — renamed to ``dest`` only if the block succeeds."""
    target = begin(path)
    try:
        yield target
    except OSError as exc:
        discard(target)
        raise cannot_write(exc) from None
    except BaseException:
        discard(target)
        raise
    commit(target)


def cannot_write(exc: OSError) -> CannotWrite:
    """The one message for a failed write (disk full, no permission, file held open)."""
    return CannotWrite(exc.strerror or "写入失败", exc.strerror or type(exc).__name__)
