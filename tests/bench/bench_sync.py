"""Sync benchmark: a township of 3,000 households with a year of visits exported and imported, against raw
``executemany`` of the same rows into the same encrypted database as the baseline; and a city hub taking
packages from several townships, extrapolated to the monthly round of 170.

Sizes: ``BANGFU_SYNC_BENCH_HOUSEHOLDS`` (default 3000) and ``BANGFU_SYNC_BENCH_HUB`` (townships actually
generated for the hub round, default 5: each costs a database and 51k rows to make).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.domain.models import SYNCED_MODELS, Region
from app.storage.database import open_database
from app.sync import importer
from tests.bench.harness import BenchContext, BenchRow
from tests.bench.sync_data import fill_township
from tests.integration.sync.support import CITY, PASSWORD, Node, make_node, onboard, seed_reference

HUB_TARGET = 170


def _township(folder: Path, city: Node, code: str, ref: dict[str, str], households: int, seed: int) -> Node:
    town = make_node(folder / code, code, f"乡镇{code[-3:]}", "township")
    onboard(city, town)
    town.take(city.export(code))
    with town.db.session() as s:
        region = s.query(Region.id).filter_by(code=code[:6]).scalar()  # villages hang under the county region
    fill_township(town.db, region, [ref[f"cadre{i}"] for i in range(4)], households, seed, township=code)
    return town


def _fresh_city(template: Path, work: Path) -> Node:
    path = work / "city.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return Node(open_database(path, PASSWORD), CITY, path, work)


def _raw_rows(town: Node, city_ids: dict[str, str]) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The township's rows exactly as stored (synced tables + its audit trail), for the baseline."""
    out = []
    with town.db.engine.connect() as conn:
        for table in [m.__tablename__ for m in SYNCED_MODELS] + ["audit_entry"]:  # type: ignore[attr-defined]
            result = conn.execute(text(f"SELECT * FROM {table}"))
            names = list(result.keys())
            columns = [c for c in names if c != "seq"]
            rows = [tuple(r._mapping[c] for c in columns) for r in result]
            owner = columns.index("node" if table == "audit_entry" else "origin_node")
            rows = [r for r in rows if r[owner] == town.code]  # the city holds the rest already
            if table == "region":  # and its own city/county/township rows (the import aliases the township's)
                code_of = {r[columns.index("id")]: r[columns.index("code")] for r in rows}
                parent = columns.index("parent_id")
                rows = [
                    (*r[:parent], city_ids[code_of[r[parent]]], *r[parent + 1 :])
                    for r in rows
                    if r[columns.index("level")] == "village"
                ]
            out.append((table, columns, rows))
    return out


def _raw_insert(city: Node, rows: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> None:
    with city.db.engine.begin() as conn:  # one transaction, like the import
        for table, columns, values in rows:
            if values:
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                conn.exec_driver_sql(sql, values)


def run(ctx: BenchContext) -> list[BenchRow]:
    households = int(os.environ.get("BANGFU_SYNC_BENCH_HOUSEHOLDS", "3000"))
    hub_count = int(os.environ.get("BANGFU_SYNC_BENCH_HUB", "5"))
    repeat = max(1, min(ctx.repeat, 3))
    work = ctx.workdir / "sync"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    city = make_node(work / "city", CITY, "丽水市", "city")
    ref = seed_reference(city)
    towns = [_township(work, city, f"331122{101 + n:03d}", ref, households, n) for n in range(max(1, hub_count))]
    first = towns[0]
    packages = [t.export(CITY) for t in towns]
    city.db.close()
    template = work / "city-template.db"
    shutil.copyfile(city.path, template)
    rows: list[BenchRow] = []
    with open_database(template, PASSWORD) as probe, probe.engine.connect() as conn:
        city_ids = {code: rid for rid, code in conn.execute(text("SELECT id, code FROM region"))}
    raw = _raw_rows(first, city_ids)
    label = f"{households:,} households, {sum(len(r[2]) for r in raw):,} rows incl. audit"

    export_ms = ctx.median_ms(lambda: first.export(CITY), repeat=repeat, warmup=0)
    size = packages[0].stat().st_size
    rows.append(BenchRow("sync", "export one township", export_ms, note=f"{label}; package {size / 1e6:.1f} MB"))

    scratch = work / "scratch"
    scratch.mkdir()
    import_samples, raw_samples, dry_samples, raw_cpu = [], [], [], []
    for _ in range(repeat):
        node = _fresh_city(template, scratch)
        start = time.perf_counter()
        importer.import_file(node.db, packages[0])
        import_samples.append((time.perf_counter() - start) * 1000)
        node.db.close()
        node = _fresh_city(template, scratch)
        start = time.perf_counter()
        importer.import_file(node.db, packages[0], dry_run=True)
        dry_samples.append((time.perf_counter() - start) * 1000)
        start, cpu = time.perf_counter(), time.process_time()
        _raw_insert(node, raw)
        raw_samples.append((time.perf_counter() - start) * 1000)
        raw_cpu.append((time.process_time() - cpu) * 1000)
        node.db.close()
    baseline = statistics.median(raw_samples)
    rows.append(BenchRow("sync", "import one township", statistics.median(import_samples), baseline,
                         "raw executemany", goal_ms=3 * baseline, note=label))  # fmt: skip
    rows.append(BenchRow("sync", "dry run (preview) one township", statistics.median(dry_samples), baseline,
                         "raw executemany"))  # fmt: skip
    rows += _hub_round(template, scratch, work, packages, baseline, statistics.median(raw_cpu))
    for t in towns:
        t.db.close()
    return rows


def _hub_round(
    template: Path, scratch: Path, work: Path, packages: list[Path], raw_ms: float, raw_cpu_ms: float
) -> list[BenchRow]:
    """Every package into one city database, as a hub takes its inbox (the next package is parsed in a helper
    process while one applies); then extrapolate to the monthly 170. Per package: wall and CPU of the applying
    process (the helper's CPU apart), beside the same run's raw executemany of one township's rows."""
    hub = _fresh_city(template, scratch)
    inbox = work / "inbox"
    inbox.mkdir()
    for path in packages:
        shutil.copy(path, inbox / path.name)
    walls: list[float] = []
    cpus: list[float] = []
    cpu_start, helper_start, load = time.process_time(), _children_cpu(), os.getloadavg()
    marks = [(time.perf_counter(), cpu_start)]

    def lap(_report: object) -> None:
        marks.append((time.perf_counter(), time.process_time()))
        walls.append((marks[-1][0] - marks[-2][0]) * 1000)
        cpus.append((marks[-1][1] - marks[-2][1]) * 1000)

    reports = importer.import_folder(hub.db, inbox, each=lap)
    wall_s = time.perf_counter() - marks[0][0]
    cpu_s, helper_s = time.process_time() - cpu_start, _children_cpu() - helper_start
    assert [r.status for r in reports] == ["applied"] * len(packages), [r.status for r in reports]
    hub.db.close()
    n = len(walls)
    print(f"  hub round per package, ms: wall {[round(w) for w in walls]}, applying CPU {[round(c) for c in cpus]}",
          file=sys.stderr, flush=True)  # fmt: skip
    # The first package is parsed in this process (nothing before it to overlap with): the steady per-package
    # figures, and the line fitted to find growth, are those of packages 2..n, which the helper parsed ahead.
    steady_wall = statistics.median(walls[1:] or walls)
    steady_cpu = statistics.median(cpus[1:] or cpus)
    second_ms, growth = _linear_fit(walls[1:] or walls)
    _, cpu_growth = _linear_fit(cpus[1:] or cpus)
    load_note = f"load {load[0]:.2f} → {os.getloadavg()[0]:.2f}"
    rows = [
        BenchRow("sync", f"hub round: {n} packages measured", wall_s * 1000, cpu_ms=cpu_s * 1000,
                 note=f"helper process CPU {helper_s:,.1f} s; {load_note}"),
        BenchRow("sync", "hub round: per package, wall", steady_wall, raw_ms, "raw executemany",
                 note=f"median of packages 2–{n}; package 1 {walls[0]:,.0f}, 2 {walls[min(1, n - 1)]:,.0f}, {n} "
                      f"{walls[-1]:,.0f}; fitted {growth:+,.1f} ms per package; {load_note}"),
        BenchRow("sync", "hub round: per package, CPU of the applying process", steady_cpu, raw_cpu_ms,
                 "raw executemany CPU", cpu_ms=steady_cpu,
                 note=f"package 1 {cpus[0]:,.0f}, 2 {cpus[min(1, n - 1)]:,.0f}, {n} {cpus[-1]:,.0f}; fitted "
                      f"{cpu_growth:+,.1f} ms per package"),
    ]  # fmt: skip
    # Package k ≥ 2 costs about second + growth × (k − 2) (least squares over the measured ones: the hub grows
    # with every package it takes), so the round of HUB_TARGET costs package 1 + (HUB_TARGET − 1) × second +
    # growth × (HUB_TARGET − 1)(HUB_TARGET − 2)/2. A falling line over a handful of packages is noise (the hub
    # cannot get faster as it fills): flat then.
    rest = HUB_TARGET - 1
    flat = walls[0] + rest * steady_wall
    projected = flat if growth <= 0 else walls[0] + rest * second_ms + growth * rest * (rest - 1) / 2
    rows.append(BenchRow("sync", f"hub round: {HUB_TARGET} packages projected", projected, goal_ms=300_000,
                         note=f"measured growth {growth:+,.1f} ms per package (fitted over 2–{n}); flat would be "
                              f"{flat / 60_000:,.1f} min"))  # fmt: skip
    rows.append(BenchRow("sync", f"hub baseline: {HUB_TARGET} × raw executemany", HUB_TARGET * raw_ms,
                         note="the floor for the same rows on this machine"))  # fmt: skip
    return rows


def _children_cpu() -> float:
    """CPU seconds of finished child processes (the round's helper, once it has exited)."""
    try:
        import resource  # POSIX only
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _linear_fit(samples: list[float]) -> tuple[float, float]:
    """(value at package 0, growth per package) of the least-squares line through the samples."""
    n = len(samples)
    if n < 2:
        return (samples[0] if samples else 0.0), 0.0
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(samples)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(samples)) / sum((x - mean_x) ** 2 for x in range(n))
    return mean_y - slope * mean_x, slope
