"""Ledger benchmarks: demo generation at ``ctx.households``, every indicator, the anomaly report and the
household search on it, each on SQLCipher beside the same data unencrypted (ratio = the cost of encryption).

The baseline is an unencrypted export of the generated ledger (same rows, same ids) opened through the same
SQLite library without a key (``tests/bench/plain.py``). Encrypted and plain runs alternate. "cold" is the
first call after opening the database in a fresh connection, as an officer meets it after unlocking: the
page cache is empty and the key derivation is not counted. The ledgers are ``tests/bench/ledgers.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.services import charts
from app.services.anomalies import find_anomalies
from app.services.indicators import SPECS, clear_cache, compute, compute_all, indicator_rows
from app.services.search import search_households
from app.storage.database import Database, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow
from tests.bench.ledgers import demo_ledger, plain_demo_ledger
from tests.bench.plain import open_plain

GOAL_MS = 100.0
COLD_GOAL_MS = 300.0
TOWNSHIP = "331122101"  # 壶镇镇
SEARCHES = [("name 陈伟", "陈伟"), ("initials cw", "cw"), ("pinyin chenw", "chenw"), ("ID suffix 1234", "1234")]


@contextmanager
def _encrypted(path: Path) -> Iterator[Database]:
    db = open_database(path, BENCH_PASSWORD)
    try:
        yield db
    finally:
        db.close()


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
    # The dashboard's charts; the income chart's five tiles computed afresh (on the dashboard this year's point
    # is the tile's cached answer).
    work["chart: coverage by village (dated)"] = lambda: charts.coverage_by_village(session)
    work["chart: income, five years"] = lambda: (clear_cache(), charts.income_trend(session))
    work["anomaly report (whole database)"] = lambda: find_anomalies(session)
    for label, query in SEARCHES:
        work[f"search {label}"] = lambda query=query: search_households(session, query)
    return work


def _cold_ms(open_db: Callable[[], Any], key: str) -> float:
    """The first ``compute`` of one indicator on a database opened just before (opening not counted)."""
    with open_db() as db, db.session() as session:
        ms, _ = BenchContext.once_ms(lambda: compute(session, key, cache=False))
    return ms


def run(ctx: BenchContext) -> list[BenchRow]:
    n = ctx.households
    enc_path, enc_ms, enc_reused = demo_ledger(ctx)
    plain_path = plain_demo_ledger(ctx)
    rows: list[BenchRow] = []
    if enc_ms is not None:
        note = "cached from an earlier run" if enc_reused else "one run"
        rows.append(BenchRow("ledger", f"demo --households {n:,} (city node, SQLCipher)", enc_ms, note=note))

    # Cold first: before anything below has warmed the OS file cache for these files more than a run does.
    cold_total = {"enc": 0.0, "plain": 0.0}
    for key in SPECS:
        samples: dict[str, list[float]] = {"enc": [], "plain": []}
        for _ in range(max(1, min(3, ctx.repeat))):
            samples["enc"].append(_cold_ms(lambda: _encrypted(enc_path), key))
            samples["plain"].append(_cold_ms(lambda: open_plain(plain_path), key))
        enc_cold, plain_cold = (sorted(v)[len(v) // 2] for v in (samples["enc"], samples["plain"]))
        cold_total["enc"] += enc_cold
        cold_total["plain"] += plain_cold
        rows.append(BenchRow("ledger", f"cold: indicator {key} (first call after opening)", enc_cold, plain_cold,
                             "same SQLite, no key", goal_ms=COLD_GOAL_MS))  # fmt: skip

    with _encrypted(enc_path) as enc, open_plain(plain_path) as plain:
        enc_work, plain_work = _workload(enc), _workload(plain)
        total_enc = total_plain = 0.0
        for name, fn in enc_work.items():
            once = name.startswith("anomaly")  # seconds at scale: one timed run each
            medians = ctx.alternating_ms(
                {"enc": fn, "plain": plain_work[name]}, repeat=1 if once else None, warmup=0 if once else 1
            )
            goal = GOAL_MS if name.startswith(("indicator ", "search ")) else None
            rows.append(BenchRow("ledger", name, medians["enc"], medians["plain"], "same SQLite, no key", goal_ms=goal))
            if name.startswith("indicator "):
                total_enc += medians["enc"]
                total_plain += medians["plain"]
        rows.append(BenchRow("ledger", "sum of indicator medians (workload)", total_enc, total_plain,
                             "same SQLite, no key", note="goal: ratio ≤ 1.5×"))  # fmt: skip
    rows.append(BenchRow("ledger", "sum of cold indicator calls", cold_total["enc"], cold_total["plain"],
                         "same SQLite, no key"))  # fmt: skip
    return rows
