"""Baselines the benchmarks compare against; test code only, never shipped (the frozen self-test checks that
no decrypting export is in the program).

- ``plain_sqlite_engine``: an unencrypted SQLite engine with the ledger's pragmas.
- ``export_plain_copy``: a DECRYPTED copy of an encrypted ledger (``sqlcipher_export``), so the plain-SQLite
  baseline has exactly the same rows. Readable by anyone: benchmark data only, never users' data.
- ``read_sheet_openpyxl``: the rows of a sheet through openpyxl, against python-calamine.
- ``open_read_only``: a shared benchmark ledger opened for reading without a copy and without writing a byte
  (no lock, no WAL, no checkpoint), so several benches may read /work/benchdata's ledgers at once.
- ``pivot_in_python``: the report's 分村/分户类别 pivots with dicts and ``Counter``, against pandas
  (``app.io.report_pivots``); the tests also hold the two to the same result.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from app.io.report import ListTable
from app.io.report_pivots import Pivot, PivotBy, pivot_input
from app.services.indicators import Indicator
from app.storage.database import Database, DatabaseExists, _on_connect, _quote


def open_read_only(path: Path | str, password: str) -> Database:
    """The ledger at ``path`` as an immutable SQLite file (``mode=ro&immutable=1``): reads only, no lock file,
    no -wal/-shm beside it. Only for a ledger nothing writes while it is open (a finished bench ledger)."""
    import sqlcipher3
    from sqlalchemy.pool import QueuePool

    uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"

    def connect() -> Any:
        conn = sqlcipher3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA key = {_quote(password)}")
        return conn

    engine = create_engine("sqlite://", module=sqlcipher3, creator=connect, poolclass=QueuePool, pool_size=2)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return Database(engine, Path(path), None)


@contextlib.contextmanager
def plain_sqlite_engine(path: Path | str) -> Iterator[Engine]:
    """An unencrypted SQLite engine with the same pragmas: the baseline of the benchmarks only."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode = WAL")
    try:
        yield engine
    finally:
        engine.dispose()


def export_plain_copy(db: Database, dest: Path | str) -> Path:
    """An unencrypted copy of an encrypted ledger (``sqlcipher_export``): the benchmarks' plain-SQLite
    baseline with exactly the same rows. Never for users' data — the copy is readable by anyone."""
    dest = Path(dest)
    if dest.exists():
        raise DatabaseExists()
    raw = db.engine.raw_connection()  # the driver connection is in autocommit: DETACH needs no open transaction
    try:
        cursor = raw.cursor()
        cursor.execute(f"ATTACH DATABASE {_quote(str(dest))} AS plain KEY ''")
        try:
            cursor.execute("SELECT sqlcipher_export('plain')").fetchall()
        finally:
            cursor.execute("DETACH DATABASE plain")
    finally:
        raw.close()
    return dest


def read_sheet_openpyxl(path: Path | str, name: str | None = None) -> list[list[Any]]:
    """The same rows through openpyxl's read-only mode (.xlsx only); for the benchmark comparison."""
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        ws = book[name] if name else book.worksheets[0]
        return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def pivot_in_python(by: PivotBy, red: Sequence[Indicator], tables: dict[str, ListTable]) -> Pivot | None:
    """``app.io.report_pivots.pivot`` without pandas: one ``Counter`` per indicator, summed by hand."""
    given = pivot_input(by, red, tables)
    if not given.names:
        return None
    counters = [Counter(column) for column in given.groups]
    groups = set().union(*counters)
    counted = [(group, tuple(c[group] for c in counters)) for group in groups]
    lines = [(group, (*counts, sum(counts))) for group, counts in counted]
    lines.sort(key=lambda line: (-line[1][-1], line[0]))
    totals = tuple(sum(column) for column in zip(*(counts for _, counts in lines), strict=True))
    return Pivot(by, given.names, tuple(lines), totals, given.left_out)
