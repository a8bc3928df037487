"""Schema migrations with Alembic, run at open after an automatic backup (see ``open_database``).

The scripts live in ``app/storage/migrations``. A database whose revision this program does not know was
written by a newer program: it is refused (``DatabaseTooNew``) rather than touched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.errors import DatabaseTooNew
from app.storage.database import bulk_write_cache

MIGRATION_CACHE_MB = 256  # page cache while migrating (see ``upgrade``)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def scripts() -> ScriptDirectory:
    """The revision scripts, read once per process and location.

    Alembic compiles every revision file each time it builds its map (~0.1 s, paid at every open and every
    sync package); the scripts do not change while the program runs."""
    return _scripts_at(MIGRATIONS)


@functools.lru_cache(maxsize=4)
def _scripts_at(location: Path) -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    return ScriptDirectory.from_config(cfg)


def head_revision() -> str:
    heads = scripts().get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_version(engine: Engine) -> bool:
    """True when migrations are pending; raises ``DatabaseTooNew`` for an unknown (newer) revision."""
    current = current_revision(engine)
    head = head_revision()
    if current is None:
        return True
    known = {rev.revision for rev in scripts().walk_revisions()}
    if current not in known:
        raise DatabaseTooNew(current, head)
    return current != head


def upgrade(engine: Engine, backup: Callable[[], None] | None) -> None:
    """Bring the schema to head; ``backup`` runs first when anything is pending on an existing database."""
    pending = check_version(engine)
    if not pending:
        return
    if backup is not None and current_revision(engine) is not None:
        backup()
    cfg = alembic_config()
    # The usual cache of a city's ledger is up to 1 GiB, all of it filled by a migration that rewrites the
    # trail (0008 at 500,000 households: 1.78 GB peak); a rewrite reads each page once, so 256 MiB will do.
    with engine.begin() as conn, bulk_write_cache(conn, MIGRATION_CACHE_MB):
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
