"""Schema migrations with Alembic, run at open after an automatic backup (see ``open_database``).

The scripts live in ``app/storage/migrations``. A database whose revision this program does not know was
written by a newer program: it is refused (``DatabaseTooNew``) rather than touched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.errors import DatabaseTooNew

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have several heads: {heads}"
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_version(engine: Engine) -> bool:
    """True when migrations are pending; raises ``DatabaseTooNew`` for an unknown (newer) revision."""
    current = current_revision(engine)
    script = ScriptDirectory.from_config(alembic_config())
    head = head_revision()
    if current is None:
        return True
    known = {rev.revision for rev in script.walk_revisions()}
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
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
