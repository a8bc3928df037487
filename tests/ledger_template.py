"""Fresh ledgers for tests, copied from a migrated template instead of running every migration per test.

Running the Alembic migrations costs about a second a ledger; copying an already migrated, closed SQLCipher
file and opening it costs one key derivation. The copy is the real thing: the same encrypted file format, the
same password, opened through ``open_database`` as a user's ledger is. A template may also hold data that
many tests start from (``build``, e.g. the UI tests' small township), made once instead of once a test.
Templates live in one temporary folder per test process and are keyed on (migration head, password, name):
a branch that adds a migration gets a new template on its first use, never a stale one.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.storage.database import Database, create_database, open_database
from app.storage.migrate import head_revision

_folder: Path | None = None
_templates: dict[tuple[str, str, str], Path] = {}


def _template(password: str, name: str, build: Callable[[Database], None] | None) -> Path:
    global _folder
    key = (head_revision(), password, name)
    if key not in _templates:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="bangfu-ledger-templates-"))
            atexit.register(shutil.rmtree, _folder, True)
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()[:12]
        path = _folder / f"{key[0]}-{digest}-{name}.db"
        database = create_database(path, password)
        try:
            if build is not None:
                build(database)
        finally:
            database.close()  # closing checkpoints the WAL: the template is one self-contained file
        _templates[key] = path
    return _templates[key]


def fresh_ledger(
    path: Path, password: str, *, name: str = "empty", build: Callable[[Database], None] | None = None
) -> Database:
    """A new migrated encrypted ledger at ``path``: empty (no node identity yet), as ``create_database``
    makes it, or what ``build`` wrote into the template called ``name`` (built on first use)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(password, name, build), path)
    return open_database(path, password)
