"""Storage benchmark of the audit trail: bytes per household and per entry of a real demo ledger in the compact
form (revision 0008) beside the very same entries in the form before it (the ledger taken down to 0007 by the
migration's own downgrade), both VACUUMed; what the trail is of the whole; demo generation, the upgrade of the
old form and ``audit verify`` as whole processes, with their peak memory.

Size: ``BANGFU_TRAIL_BENCH_HOUSEHOLDS`` (default 5000; the ledger is kept in ``--workdir`` between runs).
Processes run as the officer does them (``main.py demo``, ``main.py audit verify``), each measured for wall
time, CPU time and peak resident memory of that process alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from alembic import command
from sqlalchemy import text

import app.storage.migrate as migrate
from app.storage.database import _connect_raw, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

ROOT = Path(__file__).resolve().parents[2]
ACTOR = "bench"
# Runs main.py in this interpreter and reports, when it ends, the peak memory of the process and the largest
# peak of a helper process it started (``audit verify``'s hasher), and the CPU time of all of them. Peaks are
# VmHWM from /proc, not ``ru_maxrss``: Linux carries the maxrss of the forking process over the exec, so a
# process started by this (large) bench process would report the bench's size. Helpers are sampled while they
# run (every 0.2 s: they grow to a flat size in their first second).
_MEASURED = """
import glob, resource, runpy, sys, threading, time
def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return 0
helpers = [0]
def sample():
    while True:
        for path in glob.glob("/proc/self/task/*/children"):
            try:
                with open(path) as children:
                    pids = children.read().split()
            except OSError:  # the thread ended meanwhile
                continue
            for pid in pids:
                helpers[0] = max(helpers[0], hwm(pid))
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    u, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = u.ru_utime + u.ru_stime + c.ru_utime + c.ru_stime
    sys.stderr.write(f"\\nMEASURED {hwm('self') or u.ru_maxrss} {helpers[0]} {cpu}\\n")
"""


def measured_process(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall ms, CPU ms, peak MB) of ``main.py ARGS`` run as its own process (CPU with its helpers')."""
    wall, cpu, peak, _helpers = measured_with_helpers(args, env)
    return wall, cpu, peak


def measured_with_helpers(args: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(wall ms, CPU ms of the process and its helpers, peak MB of the process, largest peak MB of a helper)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(ROOT / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = (time.perf_counter() - start) * 1000
    line = next((x for x in done.stderr.splitlines() if x.startswith("MEASURED ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"main.py {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    _, rss_kb, helpers_kb, cpu_s = line.split()
    return wall, float(cpu_s) * 1000, int(rss_kb) / 1024, int(helpers_kb) / 1024


def _vacuumed_size(path: Path, *first: str) -> int:
    conn = _connect_raw(path, BENCH_PASSWORD)
    try:
        conn.isolation_level = None  # VACUUM runs outside a transaction
        for sql in (*first, "PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM"):
            conn.execute(sql)
    finally:
        conn.close()
    return path.stat().st_size


def _without_trail(path: Path) -> int:
    return _vacuumed_size(path, "DELETE FROM audit_entry")


def _to_old_form(path: Path) -> None:
    with open_database(path, BENCH_PASSWORD, migrate=False) as db, db.engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_official_regions")


def run(ctx: BenchContext) -> list[BenchRow]:
    households = int(os.environ.get("BANGFU_TRAIL_BENCH_HOUSEHOLDS", "5000"))
    work = ctx.workdir / "trail"
    work.mkdir(parents=True, exist_ok=True)
    secret = work / "password"
    secret.write_text(BENCH_PASSWORD, encoding="utf-8")
    env = {**os.environ, "BANGFU_DATA_DIR": str(work / "data"), "BANGFU_ACTOR": ACTOR}
    ledger = work / f"demo-{households}.db"
    marker = ledger.with_suffix(".json")
    if not marker.exists():
        for suffix in ("", "-wal", "-shm"):
            ledger.with_name(ledger.name + suffix).unlink(missing_ok=True)
        demo = measured_process(
            ["demo", "--db", str(ledger), "--password-file", str(secret), "--households", str(households)], env
        )
        marker.write_text(json.dumps({"demo": demo}), encoding="utf-8")
    demo_wall, demo_cpu, demo_mb = json.loads(marker.read_text(encoding="utf-8"))["demo"]

    with open_database(ledger, BENCH_PASSWORD, migrate=False) as db, db.engine.connect() as conn:
        entries = int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() or 0)
        counted = int(conn.execute(text("SELECT count(*) FROM household")).scalar() or 0)

    compact, old, bare = (work / f"{name}.db" for name in ("compact", "old-form", "no-trail"))
    for copy in (compact, old, bare):
        shutil.copyfile(ledger, copy)
    compact_bytes = _vacuumed_size(compact)
    bare_bytes = _without_trail(bare)
    _to_old_form(old)
    old_bytes = _vacuumed_size(old)

    # The upgrade an existing ledger goes through at its first open (after its automatic backup).
    upgraded = work / "upgraded.db"
    shutil.copyfile(old, upgraded)
    up_wall, up_cpu, up_mb = measured_process(
        ["audit", "verify", "--db", str(upgraded), "--password-file", str(secret)], env
    )
    verify_wall, verify_cpu, verify_mb = measured_process(
        ["audit", "verify", "--db", str(compact), "--password-file", str(secret)], env
    )

    def per(total: int, count: int) -> float:
        return total / max(count, 1)

    kb = 1024
    label = f"{counted:,} households, {entries:,} entries ({entries / max(counted, 1):.1f} per household)"
    old_trail, new_trail = old_bytes - bare_bytes, compact_bytes - bare_bytes
    rows = [
        BenchRow("storage", "ledger KB per household (VACUUMed)", per(compact_bytes, counted) / kb,
                 per(old_bytes, counted) / kb, "form before 0008", note=f"{label}; figures in KB, not ms"),
        BenchRow("storage", "audit trail KB per household", per(new_trail, counted) / kb, per(old_trail, counted) / kb,
                 "form before 0008", note=f"rest (data tables): {per(bare_bytes, counted) / kb:.1f} KB per household"),
        BenchRow("storage", "audit trail bytes per entry", per(new_trail, entries), per(old_trail, entries),
                 "form before 0008", note="bytes, not ms; table and its indexes"),
        BenchRow("storage", f"demo generation {households:,} households (whole process)", demo_wall, cpu_ms=demo_cpu,
                 note=f"peak {demo_mb:,.0f} MB"),
        BenchRow("storage", "upgrade of the old form to 0008 + audit verify (whole process)", up_wall, verify_wall,
                 "audit verify alone", cpu_ms=up_cpu, note=f"peak {up_mb:,.0f} MB"),
        BenchRow("storage", "audit verify (whole process)", verify_wall, cpu_ms=verify_cpu,
                 note=f"peak {verify_mb:,.0f} MB; {entries:,} entries"),
    ]  # fmt: skip
    for path in (compact, old, bare, upgraded):
        for suffix in ("", "-wal", "-shm", ".lock"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    return rows
