"""Restore-and-fork benchmark (issue 9, point 5): what healing a restored township costs, against an ordinary
package of the same edits.

A township of ``BANGFU_FORK_BENCH_HOUSEHOLDS`` households (default 1000) syncs, takes a backup, edits every
household's phone (synced, then lost by the restore), then edits every household's address after the restore.
Measured as dry runs (everything but the commit, rolled back, so each repetition sees the same state):
- the township's import of the city's package that returns the lost edits and forks (re-appends its own);
- the city's import of the forked package;
against the city's import of the ordinary package of the phone edits. And the one pass over the entries that
every package now costs (does it hold our own chain?), on the hub-sized package.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from sqlalchemy import select

from app.domain.models import Household, Region
from app.services.uow import UnitOfWork
from app.sync import importer
from app.sync.errors import PackageRefused
from tests.bench.harness import BenchContext, BenchRow
from tests.bench.sync_data import fill_township
from tests.integration.sync.support import CITY, Node, make_node, onboard, seed_reference


def _edit_all(node: Node, **values: str) -> int:
    with UnitOfWork(node.db) as uow:
        rows = list(uow.session.scalars(select(Household)))
        for n, hh in enumerate(rows):
            uow.update(hh, **{k: f"{v}{n:05d}" for k, v in values.items()})
    return len(rows)


def run(ctx: BenchContext) -> list[BenchRow]:
    households = int(os.environ.get("BANGFU_FORK_BENCH_HOUSEHOLDS", "1000"))
    repeat = max(1, min(ctx.repeat, 5))
    work = ctx.workdir / "fork"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    city = make_node(work / "city", CITY, "丽水市", "city")
    ref = seed_reference(city)
    code = "331122101"
    town = make_node(work / code, code, "乡镇101", "township")
    onboard(city, town)
    town.take(city.export(code))
    with town.db.session() as s:
        region = s.query(Region.id).filter_by(code=code[:6]).scalar()
    fill_township(town.db, region, [ref[f"cadre{i}"] for i in range(4)], households, 1, township=code)
    city.take(town.export(CITY))
    town.take(city.export(code))

    town.db.close()
    backup = work / "town-backup.db"
    shutil.copyfile(town.path, backup)
    town.reopen()
    edited = _edit_all(town, phone="139")
    ordinary = town.export(CITY)
    ordinary_ms = ctx.median_ms(lambda: importer.import_file(city.db, ordinary, dry_run=True), repeat=repeat)
    city.take(ordinary)
    town.db.close()
    Path(town.path).unlink()
    Path(str(town.path) + "-wal").unlink(missing_ok=True)
    shutil.copyfile(backup, town.path)
    town.reopen()
    _edit_all(town, address="丽水市某村")
    try:
        city.take(town.export(CITY))
    except PackageRefused:
        pass  # diverged: the receipt that starts the fork goes back with the city's next package
    down = city.export(code)
    fork_ms = ctx.median_ms(lambda: importer.import_file(town.db, down, dry_run=True), repeat=repeat)
    if not any(w.get("kind") == "forked" for w in town.take(down).warnings):
        raise RuntimeError("the township did not fork: nothing to measure")
    forked = town.export(CITY)
    city_ms = ctx.median_ms(lambda: importer.import_file(city.db, forked, dry_run=True), repeat=repeat)

    entries = [{"node": f"33112210{n % 9}"} for n in range(50_000)]
    start = time.perf_counter()
    for _ in range(repeat):
        any(e["node"] == "331100" for e in entries)
    check_ms = (time.perf_counter() - start) * 1000 / repeat
    label = f"{households:,} households; {edited:,} edits lost, {edited:,} kept on the fork"
    rows = [
        BenchRow("fork", "ordinary package: city imports the edits", ordinary_ms, note=label),
        BenchRow(
            "fork",
            "township imports the returned edits and forks",
            fork_ms,
            ordinary_ms,
            "ordinary package",
            note=label,
        ),
        BenchRow("fork", "city imports the forked package", city_ms, ordinary_ms, "ordinary package", note=label),
        BenchRow(
            "fork",
            "own-chain check per package, 50,000 entries",
            check_ms,
            note="the only cost the fork adds to an ordinary import, and only down the tree",
        ),
    ]
    town.db.close()
    city.db.close()
    return rows
