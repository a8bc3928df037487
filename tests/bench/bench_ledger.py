"""Ledger benchmarks: demo generation at ``ctx.households``, every indicator, the anomaly report and the
household search on it, each on SQLCipher beside the same data on plain SQLite (ratio = the cost of
encryption). The plain database is an unencrypted export of the generated one: same rows, same ids.

The generated databases are cached in ``ctx.workdir`` (``ledger-N.db`` + a ``.done`` marker holding the
generation time), so re-runs with the same ``--workdir`` reuse them. A city node is generated: all nine
counties, so the whole-database scope is the city's 200,000 households.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.demo import generate
from app.services.anomalies import find_anomalies
from app.services.indicators import SPECS, compute, compute_all, indicator_rows
from app.services.search import search_households
from app.storage.database import Database, create_database, open_database
from tests.bench.baselines import export_plain_copy, plain_sqlite_engine
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

SEED = 1
GOAL_MS = 100.0
TOWNSHIP = "331122101"  # 壶镇镇
SEARCHES = [("name 陈伟", "陈伟"), ("initials cw", "cw"), ("pinyin chenw", "chenw"), ("ID suffix 1234", "1234")]


@contextmanager
def _encrypted(path: Path) -> Iterator[Database]:
    db = open_database(path, BENCH_PASSWORD) if path.exists() else create_database(path, BENCH_PASSWORD)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def _plain(path: Path) -> Iterator[Database]:
    with plain_sqlite_engine(path) as engine:
        yield Database.from_engine(engine)


def _ensure_demo(db: Database, marker: Path, households: int) -> tuple[float | None, bool]:
    """Generate once; returns (milliseconds, reused)."""
    if marker.exists():  # ms is null when the cached database was made some other way (not timed)
        return json.loads(marker.read_text())["ms"], True
    if not db.has_node:
        db.set_node("331100", "丽水市", "city")
    ms, result = BenchContext.once_ms(lambda: generate(db, households=households, seed=SEED))
    marker.write_text(json.dumps({"ms": ms, "counts": result.counts}))
    return ms, False


def _workload(db: Database) -> dict[str, Callable[[], Any]]:
    """The timed read operations, by name; the same on both databases."""
    session = db.session()
    work: dict[str, Callable[[], Any]] = {}
    for key in SPECS:
        work[f"indicator {key}"] = lambda key=key: compute(session, key, cache=False)
    work[f"all indicators, township {TOWNSHIP}"] = lambda: [compute(session, k, TOWNSHIP, cache=False) for k in SPECS]
    work["all indicators, whole database, unchanged data (cached)"] = lambda: compute_all(session)
    work["list: uncovered households (page 1)"] = lambda: indicator_rows(session, "coverage_households", limit=50)
    work["list: overdue follow-ups (page 1)"] = lambda: indicator_rows(session, "followups_overdue", limit=50)
    work["anomaly report (whole database)"] = lambda: find_anomalies(session)
    for label, query in SEARCHES:
        work[f"search {label}"] = lambda query=query: search_households(session, query)
    return work


def run(ctx: BenchContext) -> list[BenchRow]:
    n = ctx.households
    enc_path, plain_path = ctx.workdir / f"ledger-{n}.db", ctx.workdir / f"ledger-{n}-plain.db"
    rows: list[BenchRow] = []
    with _encrypted(enc_path) as enc:
        enc_ms, enc_reused = _ensure_demo(enc, enc_path.with_suffix(".done"), n)
        if not plain_path.exists():
            # The baseline holds the very same rows (ids included), so the ratio compares like with like.
            export_plain_copy(enc, plain_path)
    if enc_ms is not None:
        note = "cached from an earlier run" if enc_reused else "one run"
        rows.append(BenchRow("ledger", f"demo --households {n:,} (city node, SQLCipher)", enc_ms, note=note))
    with _encrypted(enc_path) as enc, _plain(plain_path) as plain:
        enc_work, plain_work = _workload(enc), _workload(plain)
        total_enc = total_plain = 0.0
        for name, fn in enc_work.items():
            once = name.startswith("anomaly")  # seconds at scale: one timed run each
            enc_median = ctx.median_ms(fn, repeat=1 if once else None, warmup=0 if once else 1)
            plain_median = ctx.median_ms(plain_work[name], repeat=1 if once else None, warmup=0 if once else 1)
            goal = GOAL_MS if name.startswith(("indicator ", "search ")) else None
            rows.append(BenchRow("ledger", name, enc_median, plain_median, "plain SQLite", goal_ms=goal))
            if name.startswith("indicator "):
                total_enc += enc_median
                total_plain += plain_median
        rows.append(BenchRow("ledger", "sum of indicator medians (workload)", total_enc, total_plain, "plain SQLite",
                             note="goal: ratio ≤ 1.5×"))  # fmt: skip
    return rows
