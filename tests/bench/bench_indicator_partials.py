"""The household indicators read from per-village partial sums (``app.services.indicator_partials``).

Per indicator, on a ledger given by path (it is migrated to the head and written: give it a copy):

- ``full``: the partials emptied, the first call (what an officer meets once a day, when "today" moves),
  storing the sums included;
- ``first``: the first call on a database opened just before, with the partials current;
- ``warm``: the median of repeated calls (``cache=False``: the in-memory result cache is bypassed);
- ``1 write``: after one write in one village (a household's note), the call that recomputes and stores that
  village;
- ``base warm`` / ``base first``: the same-run baseline, the direct whole-ledger SQL of a git revision before the
  partials (``--baseline-rev``, default 64393f1), loaded from git into a module of its own (never shipped).

And the cost the stamp triggers add to writes, same run, triggers present against dropped: a
``--roster-rows`` Excel roster import into a fresh county ledger, and a sync import of one township package.

    .venv/bin/python -m tests.bench.bench_indicator_partials --db /tmp/copy-of-ledger.db [--password-file F]
    .venv/bin/python -m tests.bench.bench_indicator_partials --writes-only --workdir /tmp/partials/bench

Benchmarks never assert; times are wall milliseconds (CPU beside them where it differs).
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import text

from app.services.indicators import VILLAGE_SUMMED, clear_cache, compute
from app.storage.database import Database, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

REPO = Path(__file__).resolve().parents[2]
BASELINE_REVISION = "64393f1"  # the last revision computing the household indicators by direct whole-ledger SQL
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stamp_village_%'"


def _ms(fn: Callable[[], Any]) -> tuple[float, float]:
    gc.collect()  # a full collection falling inside a 3 ms call would time the heap, not the call
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def baseline_module(revision: str) -> ModuleType:
    """``app/services/indicators.py`` as it was at ``revision``, importable beside the current one."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:app/services/indicators.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="bangfu-baseline-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "indicators_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("indicators_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["indicators_baseline"] = module
    spec.loader.exec_module(module)
    return module


def _empty_partials(db: Database, key: str | None = None) -> None:
    with db.engine.begin() as conn:
        where = "" if key is None else " WHERE key = :key"
        conn.execute(text(f"DELETE FROM indicator_partials{where}"), {"key": key})


def _write_one_village(db: Database, household_id: str, n: int) -> None:
    # A raw update is enough here: the triggers stamp the village whatever path writes.
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE household SET note = :note WHERE id = :id"), {"note": f"bench {n}", "id": household_id}
        )


def _in_session(db: Database, fn: Callable[..., Any], key: str) -> Any:
    """One figure in a session of its own, as a dashboard task computes it: storing the recomputed villages'
    sums (when the session ends) is part of the time."""
    with db.session() as s:
        return fn(s, key, cache=False)


def indicator_rows(path: Path, password: str, baseline: ModuleType | None, repeat: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with open_database(path, password) as db, db.engine.connect() as conn:  # migrates a copy made before 0011
        household_id = conn.execute(text("SELECT id FROM household LIMIT 1")).scalar_one()
    for key in VILLAGE_SUMMED:
        row: dict[str, Any] = {"indicator": key}
        with open_database(path, password) as db:
            _empty_partials(db, key)
        with open_database(path, password) as db:
            row["full"] = _ms(lambda db=db, key=key: _in_session(db, compute, key))
        with open_database(path, password) as db, db.session() as s:
            row["first"] = _ms(lambda s=s, key=key: compute(s, key, cache=False))
            row["warm"] = statistics.median(_ms(lambda s=s, key=key: compute(s, key, cache=False))[0]
                                            for _ in range(repeat))  # fmt: skip
        with open_database(path, password) as db:
            samples = []
            for n in range(repeat):
                _write_one_village(db, household_id, n)
                samples.append(_ms(lambda db=db, key=key: _in_session(db, compute, key))[0])
            row["1 write"] = statistics.median(samples)
        if baseline is not None:
            with open_database(path, password) as db, db.session() as s:
                row["base first"] = _ms(lambda s=s, key=key: baseline.compute(s, key, cache=False))
                row["base warm"] = statistics.median(
                    _ms(lambda s=s, key=key: baseline.compute(s, key, cache=False))[0] for _ in range(repeat)
                )
        clear_cache()
        results.append(row)
        _print_row(row)
    return results


def _print_row(row: dict[str, Any]) -> None:
    def cell(value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, tuple):
            return f"{value[0]:.0f} ({value[1]:.0f} cpu)"
        return f"{value:.1f}"

    names = ["full", "first", "warm", "1 write", "base first", "base warm"]
    print(
        f"{row['indicator']:<22}" + "".join(f"{n}: {cell(row.get(n)):<18}" for n in names), file=sys.stderr, flush=True
    )


# ------------------------------------------------------------------------------------------ write cost


def _drop_triggers(db: Database) -> None:
    with db.engine.begin() as conn:
        for (name,) in conn.execute(text(TRIGGERS)).all():
            conn.execute(text(f"DROP TRIGGER {name}"))


def roster_import_cost(workdir: Path, rows: int, repeat: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) ms of an Excel roster import into a fresh county ledger, with the triggers and without."""
    from app.io.importer import ExcelImport
    from tests.bench.bench_excel import _set_cap, new_ledger, write_roster

    roster = workdir / f"roster-{rows}.xlsx"
    if not roster.exists():
        write_roster(roster, rows)
    samples: dict[str, list[tuple[float, float]]] = {"triggers": [], "no triggers": []}
    for _ in range(repeat):
        for label in samples:  # alternate, so the load of the machine falls on both alike
            db = new_ledger(workdir / "import.db")
            _set_cap(db)
            if label == "no triggers":
                _drop_triggers(db)
            try:
                samples[label].append(_ms(lambda d=db: ExcelImport(roster, "roster").run(d)))
            finally:
                db.close()
    return _medians(samples)


def _medians(samples: dict[str, list[tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()}


def sync_import_cost(workdir: Path, households: int, repeat: int) -> dict[str, tuple[float, float]]:
    """(wall, CPU) ms of one township package imported into a city ledger, with the triggers and without."""
    from app.sync import importer
    from tests.bench.bench_sync import _fresh_city, _township
    from tests.integration.sync.support import CITY, make_node, seed_reference

    work = workdir / "sync"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    city = make_node(work / "city", CITY, "丽水市", "city")
    ref = seed_reference(city)
    town = _township(work, city, "331122101", ref, households, 1)
    package = town.export(CITY)
    city.db.close()
    template = work / "city-template.db"
    shutil.copyfile(city.path, template)
    scratch = work / "scratch"
    scratch.mkdir()
    samples: dict[str, list[tuple[float, float]]] = {"triggers": [], "no triggers": []}
    for _ in range(repeat):
        for label in samples:
            node = _fresh_city(template, scratch)
            if label == "no triggers":
                _drop_triggers(node.db)
            try:
                samples[label].append(_ms(lambda n=node: importer.import_file(n.db, package)))
            finally:
                node.db.close()
    return _medians(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a ledger to time the indicators on (a COPY: it is written)")
    parser.add_argument("--password-file", type=Path)
    parser.add_argument(
        "--baseline-rev", default=BASELINE_REVISION, help="git revision of the direct-SQL baseline ('' = none)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bangfu-bench-partials")
    parser.add_argument("--roster-rows", type=int, default=10_000)
    parser.add_argument("--sync-households", type=int, default=3_000)
    parser.add_argument("--writes-only", action="store_true", help="only the trigger cost on imports")
    parser.add_argument("--no-writes", action="store_true", help="skip the trigger cost on imports")
    args = parser.parse_args(argv)
    password = args.password_file.read_text(encoding="utf-8").strip() if args.password_file else BENCH_PASSWORD
    if args.db and not args.writes_only:
        baseline = baseline_module(args.baseline_rev) if args.baseline_rev else None
        print(f"indicators on {args.db} (ms; full/first: wall (cpu))", flush=True)
        indicator_rows(args.db, password, baseline, args.repeat)
    if not args.no_writes:
        args.workdir.mkdir(parents=True, exist_ok=True)
        repeat = max(1, min(args.repeat, 3))
        roster = roster_import_cost(args.workdir, args.roster_rows, repeat)
        print(f"Excel roster import, {args.roster_rows:,} rows, CPU ms: {_ratio(roster)}", flush=True)
        sync = sync_import_cost(args.workdir, args.sync_households, repeat)
        print(f"sync import, one township of {args.sync_households:,} households, CPU ms: {_ratio(sync)}", flush=True)
    return 0


def _ratio(samples: dict[str, tuple[float, float]]) -> str:
    present, dropped = samples["triggers"][1], samples["no triggers"][1]
    return f"triggers {present:.0f}, dropped {dropped:.0f}, ratio {present / dropped:.3f}"


# ------------------------------------------------------------------------------------------ tests/bench/run.py


def run(ctx: BenchContext) -> list[BenchRow]:
    """The same figures as rows of ``tests/bench/run.py``, on a copy of its demo ledger (``ctx.households``)."""
    from tests.bench.ledgers import demo_ledger

    source, _, _ = demo_ledger(ctx)
    copy = ctx.workdir / "partials-ledger.db"
    for suffix in ("", "-wal", "-shm"):
        copy.with_name(copy.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    try:
        baseline: ModuleType | None = baseline_module(BASELINE_REVISION)
    except (OSError, subprocess.CalledProcessError):  # no git, or not this repository's history
        baseline = None
    repeat = max(1, min(ctx.repeat, 5))
    rows: list[BenchRow] = []
    for r in indicator_rows(copy, BENCH_PASSWORD, baseline, repeat):
        key = r["indicator"]
        base_first = r["base first"][0] if "base first" in r else None
        base_warm = r.get("base warm")
        rows += [
            BenchRow("partials", f"{key}: full recompute (partials emptied)", r["full"][0], base_first,
                     "direct SQL, first call", cpu_ms=r["full"][1]),
            BenchRow("partials", f"{key}: first call after opening", r["first"][0], base_first,
                     "direct SQL, first call", goal_ms=300, cpu_ms=r["first"][1]),
            BenchRow("partials", f"{key}: warm", r["warm"], base_warm, "direct SQL, warm", goal_ms=100),
            BenchRow("partials", f"{key}: after one write in one village", r["1 write"], base_warm,
                     "direct SQL, warm", goal_ms=100),
        ]  # fmt: skip
    for suffix in ("", "-wal", "-shm"):
        copy.with_name(copy.name + suffix).unlink(missing_ok=True)
    roster_rows = int(os.environ.get("BANGFU_EXCEL_BENCH_ROWS", "10000"))
    sync_households = int(os.environ.get("BANGFU_SYNC_BENCH_HOUSEHOLDS", "3000"))
    work = ctx.workdir / "partials"
    work.mkdir(parents=True, exist_ok=True)
    for name, cost in [
        (f"Excel roster import, {roster_rows:,} rows", roster_import_cost(work, roster_rows, min(repeat, 3))),
        (
            f"sync import, township of {sync_households:,} households",
            sync_import_cost(work, sync_households, min(repeat, 2)),
        ),
    ]:
        (wall, cpu), (base_wall, base_cpu) = cost["triggers"], cost["no triggers"]
        rows.append(BenchRow("partials", f"{name}: with stamp triggers", cpu, base_cpu, "triggers dropped (CPU)",
                             note=f"CPU ms; wall {wall:,.0f} vs {base_wall:,.0f}", cpu_ms=cpu))  # fmt: skip
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
