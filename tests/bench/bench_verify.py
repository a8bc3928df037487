"""Benchmark of ``audit verify`` on the real demo ledger (``tests/bench/ledgers.py``, whole audit trail).

In one process, timed in turn (a b a b …, so a change of load on this shared machine weighs on both):
- one core: the chain walk hashing every entry itself, then the row check — the order of work before the
  helper process existed (with today's per-entry code);
- two cores: ``verify_ledger`` as the CLI runs it — the rows checked by a helper process on its own
  query-only connection while the chain is walked here (``app.audit_helper.RowsHelper``);
- the chain alone (what the GUI's button runs), without and with the helper sharing the runs.
Each row gives wall time and CPU time of this process *and* its helper (``RUSAGE_CHILDREN``: the helper is
joined when a walk ends). Then ``main.py audit verify`` once as a whole process, as an officer runs it: wall,
CPU and peak memory of the process and of its helper — the goal is ≤ 300 MB in all at any size.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from app.audit import verify, verify_rows
from app.services.audit_check import verify_ledger
from app.storage.database import open_database
from tests.bench.bench_storage_trail import measured_with_helpers
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow
from tests.bench.ledgers import demo_ledger

GOAL_500K_MS = 300_000  # ≤ 5 minutes at 500,000 households (issue 14)


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it has joined (the helper)."""
    import resource  # POSIX only: imported here, as the benches' other POSIX measurements are

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _in_turn(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, tuple[float, float]]:
    """(median wall ms, median CPU ms) of each variant, run a b a b …"""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            wall, cpu = time.perf_counter(), _cpu_s()
            fn()
            samples[name].append(((time.perf_counter() - wall) * 1000, (_cpu_s() - cpu) * 1000))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in samples.items()
    }


def run(ctx: BenchContext) -> list[BenchRow]:
    ledger, _ms, _reused = demo_ledger(ctx)
    db = open_database(ledger, BENCH_PASSWORD, migrate=False)
    try:
        with db.engine.connect() as conn:
            entries = int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() or 0)

        def one_core() -> None:
            with db.session() as s:
                assert verify(s, helper=False).ok and verify_rows(s) == []

        def two_cores() -> None:
            assert verify_ledger(db, helper=True, password=BENCH_PASSWORD).ok

        def chain(helper: bool) -> Callable[[], None]:
            def walk() -> None:
                with db.session() as s:
                    assert verify(s, helper=helper).ok

            return walk

        repeat = max(1, min(ctx.repeat, 3))  # each run reads the whole trail: seconds to minutes
        full = _in_turn({"one": one_core, "two": two_cores}, repeat)
        walks = _in_turn({"one": chain(False), "two": chain(True)}, repeat)
    finally:
        db.close()
    env = {**os.environ, "BANGFU_PASSWORD": BENCH_PASSWORD, "BANGFU_DATA_DIR": str(ctx.workdir / "data")}
    wall, cpu, own_mb, helper_mb = measured_with_helpers(["audit", "verify", "--db", str(ledger)], env)

    per_entry = 1000 / max(entries, 1)  # ms → µs per entry
    label = f"{entries:,} entries"
    # the 500,000-household trail has 9,347,841 entries; below ~100,000 the fixed costs (start, key) dominate
    projected = (
        f"; at this rate 500k households ≈ {wall / entries * 9_347_841 / 1000:,.0f} s" if entries > 100_000 else ""
    )
    return [
        BenchRow("audit", "verify chain + rows, two cores (verify_ledger)", full["two"][0], full["one"][0],
                 "one core, chain then rows", cpu_ms=full["two"][1],
                 note=f"{label}; one core: {full['one'][1]:,.0f} ms CPU; "
                      f"{full['two'][1] * per_entry:.1f} µs CPU per entry (two cores, with helper)"),
        BenchRow("audit", "verify chain only (GUI button), helper sharing the runs", walks["two"][0], walks["one"][0],
                 "chain, one core", cpu_ms=walks["two"][1], note=f"one core: {walks['one'][1]:,.0f} ms CPU"),
        BenchRow("audit", "audit verify (whole process)", wall, cpu_ms=cpu, goal_ms=GOAL_500K_MS,
                 note=f"peak {own_mb:,.0f} MB + helper {helper_mb:,.0f} MB (goal ≤ 300 MB){projected}"),
    ]  # fmt: skip
