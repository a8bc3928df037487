"""Fresh ledgers for tests, copied from a migrated template instead of running every migration per test.

Running the Alembic migrations costs about a second a ledger; copying an already migrated, closed SQLCipher
file and opening it costs one key derivation. The copy is the real thing: the same encrypted file format, the
same password, opened through ``open_database`` as a user's ledger is. Templates live in one temporary folder
per test process and are keyed on (migration head, password): a branch that adds a migration gets a new
template on its first use, never a stale one.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

from app.storage.database import Database, create_database, open_database
from app.storage.migrate import head_revision

_folder: Path | None = None
_templates: dict[tuple[str, str], Path] = {}


def _template(password: str) -> Path:
    global _folder
    key = (head_revision(), password)
    if key not in _templates:
        if _folder is None:
            _folder = Path(tempfile.mkdtemp(prefix="bangfu-ledger-templates-"))
            atexit.register(shutil.rmtree, _folder, True)
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()[:12]
        path = _folder / f"{key[0]}-{digest}.db"
        database = create_database(path, password)
        database.close()  # closing checkpoints the WAL: the template is one self-contained file
        _templates[key] = path
    return _templates[key]


def fresh_ledger(path: Path, password: str) -> Database:
    """A new, empty, migrated encrypted ledger at ``path`` (no node identity yet), as ``create_database``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(password), path)
    return open_database(path, password)
