"""Fast executemany through the dialect's own compiler and type processors, without SQLAlchemy's per-row
parameter machinery (which costs more than the database itself for 100,000 rows). Dialect-neutral: the
statement is compiled for the connection's dialect and its paramstyle.

The processing (Python values → what the driver is handed) needs a dialect but no connection, so it can be
done ahead, in another process (``app.sync.prepared``): ``processed`` makes the driver's parameters and
``insert_processed`` runs them, and ``insert_many`` is the two in one."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, Dialect, Table, insert, select
from sqlalchemy.engine import URL

from app.storage.database import insert_values

_CHUNK = 500  # ids to an IN list where no JSON array can carry them
DialectKey = tuple[str, str]  # (name, driver): which dialect's processors made a prepared row


def dialect_key(dialect: Dialect) -> DialectKey:
    return (dialect.name, dialect.driver)


@cache
def dialect_of(key: DialectKey) -> Dialect:
    """A dialect object of that name and driver, with no connection (for processing values ahead)."""
    return URL.create(f"{key[0]}+{key[1]}").get_dialect()()


def bind_processor(conn: Connection, column: ColumnElement[Any]) -> Callable[[Any], Any]:
    """The function that turns a Python value of ``column`` into what the driver is handed (identity if none):
    for a value shared by many rows or columns, process it once and pass it in ``raw``."""
    return dialect_processor(conn.dialect, column)


def dialect_processor(dialect: Dialect, column: ColumnElement[Any]) -> Callable[[Any], Any]:
    """``bind_processor`` for a dialect with no connection (``dialect_of``)."""
    proc = column.type.dialect_impl(dialect).bind_processor(dialect)
    return proc if proc is not None else (lambda v: v)


@lru_cache(maxsize=256)  # bounded: each database opened has its own dialect object
def _compiled(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> Any:
    return insert(table).compile(dialect=dialect, column_keys=list(keys))


def processed(
    dialect: Dialect, table: Table, keys: Sequence[str], rows: list[dict[str, Any]], *, raw: Collection[str] = ()
) -> list[Any]:
    """The driver's parameters for inserting ``rows`` (dicts with the keys ``keys``): positional tuples in the
    compiled statement's order (dicts for a named paramstyle). Values of the keys in ``raw`` are passed as
    they are (already processed, see ``bind_processor``)."""
    compiled = _compiled(dialect, table, tuple(keys))
    processors: dict[str, Any] = {k: p for k, p in compiled._bind_processors.items() if k not in raw}
    order = compiled.positiontup  # None for named paramstyles
    if order is None:
        named = [(k, processors.get(k)) for k in keys]
        return [{k: (p(row[k]) if p is not None else row[k]) for k, p in named} for row in rows]
    getter = itemgetter(*order)
    procs = [(i, processors[k]) for i, k in enumerate(order) if processors.get(k) is not None]
    params: list[Any] = [(getter(row),) for row in rows] if len(order) == 1 else [getter(row) for row in rows]
    if procs:
        for n, values in enumerate(params):
            values = list(values)
            for i, p in procs:
                values[i] = p(values[i])
            params[n] = tuple(values)
    return params


def insert_processed(conn: Connection, table: Table, keys: Sequence[str], params: list[Any]) -> None:
    """Insert rows given as ``processed`` made them (for this connection's dialect and these ``keys``)."""
    if not params:
        return
    compiled = _compiled(conn.dialect, table, tuple(keys))
    if compiled.positiontup is not None and conn.dialect.name == "sqlite":  # many rows a statement: ``insert_values``
        insert_values(conn, compiled.string, params)
        return
    conn.exec_driver_sql(compiled.string, params)


def present(conn: Connection, table: Table, ids: list[str]) -> list[str]:
    """Which of ``ids`` are in ``table`` (by its ``id`` column, text as it is stored). On SQLite one statement
    for any number (the ids travel as one JSON array), elsewhere in chunks of ``IN`` lists."""
    if not ids:
        return []
    column = table.c.id
    if conn.dialect.name == "sqlite":
        sql = f'SELECT "{column.name}" FROM "{table.name}" WHERE "{column.name}" IN (SELECT value FROM json_each(?))'
        return [row[0] for row in conn.exec_driver_sql(sql, (json.dumps(ids),))]
    found: list[str] = []
    for i in range(0, len(ids), _CHUNK):
        found += conn.execute(select(column).where(column.in_(ids[i : i + _CHUNK]))).scalars()
    return found


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]], *, raw: Collection[str] = ()) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in one executemany. Values of the keys in
    ``raw`` are passed to the driver as they are (already processed, see ``bind_processor``)."""
    if not rows:
        return
    keys = list(rows[0])
    insert_processed(conn, table, keys, processed(conn.dialect, table, keys, rows, raw=raw))
