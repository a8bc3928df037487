"""The plain baseline of the benchmarks: the same SQLite library, opened without a key.

Python's own ``sqlite3`` is another SQLite build (another version, another query planner), so a ratio
against it mixes planner changes with the cost of encryption. ``sqlcipher3`` opened with no ``PRAGMA key``
is the very library the ledger runs on, writing an ordinary unencrypted file: the ratio is encryption only.
Benchmarks only — a plain copy of a ledger is readable by anyone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from app.storage.database import Database, _on_connect


def connect_plain(path: Path | str) -> Any:
    """A raw connection to an unencrypted file through SQLCipher's SQLite (no key given)."""
    return sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)


@contextlib.contextmanager
def plain_engine(path: Path | str) -> Iterator[Engine]:
    """An engine on an unencrypted file with the ledger's own pragmas and driver, minus the key."""
    first = connect_plain(path)
    first.execute("PRAGMA journal_mode = WAL")  # as create_database does, outside any transaction
    first.close()
    engine = create_engine(
        "sqlite://", module=sqlcipher3, creator=lambda: connect_plain(path), poolclass=QueuePool, pool_size=2
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # the same transaction handling as the ledger's engine
        conn.exec_driver_sql("BEGIN")

    try:
        yield engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def open_plain(path: Path | str) -> Iterator[Database]:
    """A plain copy opened as a ``Database`` (schema already at head), for the same service calls."""
    with plain_engine(path) as engine:
        yield Database.from_engine(engine)
