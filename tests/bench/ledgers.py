"""The real demo ledgers the benchmarks run on: ``app.demo`` output with its whole audit trail, built once
per size and kept in ``--workdir`` (``ledger-N.db`` + a ``.done`` marker holding the generation time), so
re-runs reuse them. A city node: all nine counties, so the whole-database scope is the city's households.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.demo import generate
from app.storage.database import create_database, open_database
from tests.bench.baselines import export_plain_copy
from tests.bench.harness import BENCH_PASSWORD, BenchContext

SEED = 1


def demo_ledger(ctx: BenchContext) -> tuple[Path, float | None, bool]:
    """(path, generation ms or None when made some other way, reused from an earlier run)."""
    n = ctx.households
    path = ctx.workdir / f"ledger-{n}.db"
    marker = path.with_suffix(".done")
    if marker.exists():
        return path, json.loads(marker.read_text())["ms"], True
    for suffix in ("", "-wal", "-shm"):  # an interrupted generation: start again
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    db = create_database(path, BENCH_PASSWORD)
    try:
        db.set_node("331100", "丽水市", "city")
        ms, result = BenchContext.once_ms(lambda: generate(db, households=n, seed=SEED))
    finally:
        db.close()
    marker.write_text(json.dumps({"ms": ms, "counts": result.counts}))
    return path, ms, False


def plain_demo_ledger(ctx: BenchContext) -> Path:
    """An unencrypted copy of the demo ledger with the very same rows (ids included): the baseline."""
    path, _ms, _reused = demo_ledger(ctx)
    plain = path.with_name(path.stem + "-plain.db")
    if not plain.exists():
        db = open_database(path, BENCH_PASSWORD)
        try:
            export_plain_copy(db, plain)
        finally:
            db.close()
    return plain
