"""Fast executemany through the dialect's own compiler and type processors, without SQLAlchemy's per-row
parameter machinery (which costs more than the database itself for 100,000 rows). Dialect-neutral: the
statement is compiled for the connection's dialect and its paramstyle."""

from __future__ import annotations

from collections.abc import Callable, Collection
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, insert

from app.storage.database import insert_values


def bind_processor(conn: Connection, column: ColumnElement[Any]) -> Callable[[Any], Any]:
    """The function that turns a Python value of ``column`` into what the driver is handed (identity if none):
    for a value shared by many rows or columns, process it once and pass it in ``raw``."""
    proc = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return proc if proc is not None else (lambda v: v)


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]], *, raw: Collection[str] = ()) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in one executemany. Values of the keys in
    ``raw`` are passed to the driver as they are (already processed, see ``bind_processor``)."""
    if not rows:
        return
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    processors: dict[str, Any] = {k: p for k, p in compiled._bind_processors.items() if k not in raw}
    order = compiled.positiontup  # None for named paramstyles
    if order is not None:
        getter = itemgetter(*order)
        procs = [(i, processors[k]) for i, k in enumerate(order) if processors.get(k) is not None]
        params: list[Any] = [(getter(row),) for row in rows] if len(order) == 1 else [getter(row) for row in rows]
        if procs:
            for n, values in enumerate(params):
                values = list(values)
                for i, p in procs:
                    values[i] = p(values[i])
                params[n] = tuple(values)
        if conn.dialect.name == "sqlite":  # many rows to a statement: see ``insert_values``
            insert_values(conn, compiled.string, params)
            return
    else:
        named = [(k, processors.get(k)) for k in keys]
        params = [{k: (p(row[k]) if p is not None else row[k]) for k, p in named} for row in rows]
    conn.exec_driver_sql(compiled.string, params)
