"""Excel at scale: import of a 100,000-row township roster (households + head members + departments + cadres
+ pairings, audited, through the services' checks), export of ``ctx.households`` households to the officers'
layout, and reading the same large sheet with python-calamine and with openpyxl in the same run (the reason
``app.io.sheets`` reads with calamine). Goals: import ≤ 20 s CPU and ≤ 500 MB, export ≤ 20 s CPU.

The import is measured twice: in this process (``ExcelImport.run`` alone: its CPU time leaves out the child
that parses the sheet), and as a user runs it, ``main.py import-excel`` as a whole process (interpreter start,
imports, the parse child, key derivation, commit; CPU of the process and its helper, peak memory of each).
Its baseline is the floor under it: the very rows it wrote (households, members, departments, cadres,
pairings, audit entries), read back and inserted into a copy of the same empty ledger by raw ``executemany``
in one transaction — same encrypted file, same indexes and triggers, same page cache, no Python work.

The roster file is generated here in the real layout (title, 填报 line, merged two-row header, 合计 row,
注 footnote) and kept in ``ctx.workdir`` between runs. ``BANGFU_EXCEL_BENCH_ONLY=import`` runs only the two
import rows (the 100,000-row figures without the openpyxl read and the export).
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from app.domain.models import Region
from app.domain.validators import id_check_digit
from app.io.importer import ExcelImport
from app.io.ledgers import export_ledger
from app.io.sheets import read_workbook
from app.io.xlsx import Column, WorkbookWriter
from app.services import officers
from app.services.uow import UnitOfWork
from app.storage.database import Database, _connect_raw, _on_connect, create_database, open_database
from tests.bench.baselines import open_read_only, read_sheet_openpyxl
from tests.bench.bench_storage_trail import measured_with_helpers
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

ROSTER_ROWS = int(os.environ.get("BANGFU_EXCEL_BENCH_ROWS", "100000"))  # small in the CI run of the benches
ONLY = os.environ.get("BANGFU_EXCEL_BENCH_ONLY", "")  # "import": only the import rows
ACTOR = "bench"
IMPORTED_TABLES = ("department", "cadre", "household", "member", "pairing", "audit_entry")  # in foreign-key order
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
GIVEN = "芳伟秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国玉红梅志海燕"
CATEGORIES = ("低保", "低保边缘户", "特困", "其他")
CAUSES = ("因病", "因残、缺劳力", "因学/因病", "缺技术", "缺资金，缺土地", "发展动力不足")
TOWNSHIPS, VILLAGES_PER_TOWN, HOUSEHOLDS_PER_CADRE = 18, 15, 8
COLUMNS = (
    Column("序号", kind="int"),
    Column("乡镇"),
    Column("行政村"),
    Column("户主姓名"),
    Column("身份证号码"),
    Column("联系电话"),
    Column("低收入农户类型"),
    Column("致贫原因"),
    Column("姓名", group="结对帮扶干部"),
    Column("工作单位", group="结对帮扶干部"),
    Column("职务", group="结对帮扶干部"),
    Column("联系电话", group="结对帮扶干部"),
    Column("结对时间"),
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def roster_rows(count: int, seed: int = 7) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(count):
        t, v = i % TOWNSHIPS, (i // TOWNSHIPS) % VILLAGES_PER_TOWN
        first17 = f"33112219{40 + i % 60:02d}{1 + i % 12:02d}{1 + i % 28:02d}{i % 997:03d}"[:17]
        number = first17 + id_check_digit(first17)
        cadre = i // HOUSEHOLDS_PER_CADRE
        rng_c = random.Random(cadre)
        rows.append([
            i + 1, f"镇{t}", f"村{t}-{v}", _name(rng), number.lower() if i % 50 == 0 else number,
            f"13{rng.randrange(10**9):09d}", rng.choice(CATEGORIES), rng.choice(CAUSES),
            _name(rng_c), f"缙云县第{cadre % 300}局", "科员", f"139{cadre:08d}", f"2017.{1 + i % 9}.{1 + i % 28}",
        ])  # fmt: skip
    return rows


def write_roster(path: Path, count: int) -> Path:
    """The roster in the officers' layout, with a 合计 row and a 注 footnote after the data."""
    rows = roster_rows(count)
    rows.append(["合计", "", f"{count}户"])
    rows.append(["注：本表由乡镇指定专人填报。"])
    with WorkbookWriter(path) as writer:
        writer.table_sheet("花名册", "缙云县低收入农户结对帮扶花名册", COLUMNS, rows, subtitle="填报单位：缙云县扶贫办")
    return path


def new_ledger(path: Path) -> Database:
    """An empty county ledger with 18 townships of 15 villages, named as ``roster_rows`` writes them."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    db = create_database(path, BENCH_PASSWORD)
    db.set_node("331122", "缙云县", "county")
    with UnitOfWork(db) as uow:
        county = uow.add(Region(code="331122", name="缙云县", level="county"))
        for t in range(TOWNSHIPS):
            town = uow.add(Region(code=f"331122{101 + t:03d}", name=f"镇{t}", level="township", parent_id=county.id))
            for v in range(VILLAGES_PER_TOWN):
                code = f"{town.code}{v + 1:03d}"
                uow.add(Region(code=code, name=f"村{t}-{v}", level="village", parent_id=town.id))
    return db


def _set_cap(db: Database) -> None:
    from app.services import settings

    with UnitOfWork(db) as uow:
        settings.put(uow.session, "cadre_household_cap", HOUSEHOLDS_PER_CADRE + 2)


def empty_ledger(workdir: Path) -> Path:
    """The empty county ledger of ``new_ledger`` with its one officer, made once and copied for every import."""
    template = workdir / "import-template.db"
    if not template.exists():
        db = new_ledger(template)
        _set_cap(db)
        officers.add(db, ACTOR)
        db.close()
    return template


def fresh_copy(template: Path, path: Path) -> Path:
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    shutil.copyfile(template, path)
    return path


def _raw(path: Path) -> Any:
    conn = _connect_raw(path, BENCH_PASSWORD)
    _on_connect(conn, None)  # the ledger's pragmas, as every connection of the program has them
    return conn


def raw_insert_ms(imported: Path, template: Path, target: Path) -> float:
    """CPU ms of inserting the rows an import wrote (see the module's docstring) by raw ``executemany``, with
    the import's page cache, one transaction, commit included; reading them back is not counted."""
    from app.io.importer import IMPORT_CACHE_MB

    fresh_copy(template, target)
    source, sink = _raw(imported), _raw(target)
    try:
        first_seq = sink.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()[0]
        sink.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_MB * 1024}")
        spent = 0.0
        sink.execute("BEGIN")
        for table in IMPORTED_TABLES:
            names = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            where = f" WHERE seq > {int(first_seq)}" if table == "audit_entry" else ""
            rows = source.execute(f"SELECT {', '.join(names)} FROM {table}{where}").fetchall()
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            started = time.process_time()
            sink.executemany(sql, rows)
            spent += time.process_time() - started
            del rows
        started = time.process_time()
        sink.execute("COMMIT")
        return (spent + time.process_time() - started) * 1000
    finally:
        source.close()
        sink.close()


def whole_process_rows(ctx: BenchContext, roster: Path, repeat: int) -> list[BenchRow]:
    """``main.py import-excel`` as a user runs it, beside the raw floor of the same rows."""
    template = empty_ledger(ctx.workdir)
    env = {**os.environ, "BANGFU_PASSWORD": BENCH_PASSWORD, "BANGFU_ACTOR": ACTOR}
    runs, floors = [], []
    for _ in range(repeat):
        db = fresh_copy(template, ctx.workdir / "import-cli.db")
        runs.append(measured_with_helpers(["import-excel", "--db", str(db), "--kind", "roster", str(roster)], env))
        floors.append(raw_insert_ms(db, template, ctx.workdir / "import-raw.db"))
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    peak, helper = max(r[2] for r in runs), max(r[3] for r in runs)
    floor = statistics.median(floors)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [
        BenchRow(
            "excel",
            f"import-excel {ROSTER_ROWS:,}-row roster (whole process)",
            wall,
            floor,
            "raw executemany, same rows (CPU)",
            goal_ms=20_000,
            note=f"ratio: CPU to the floor's CPU; peak {peak:,.0f} MB, parse child {helper:,.0f} MB; "
            f"goal CPU ≤ 20 s, ≤ 500 MB; load {load}",
            cpu_ms=cpu,
            baseline_is_cpu=True,
        )
    ]


def run(ctx: BenchContext) -> list[BenchRow]:
    rows: list[BenchRow] = []
    roster = ctx.workdir / f"roster-{ROSTER_ROWS}.xlsx"
    if not roster.exists():
        write_roster(roster, ROSTER_ROWS)

    repeat = max(1, min(ctx.repeat, 3))
    if ONLY != "import":
        calamine = ctx.median_ms(lambda: read_workbook(roster).sheet(), repeat=repeat, warmup=0)
        openpyxl_ms = ctx.median_ms(lambda: read_sheet_openpyxl(roster), repeat=1, warmup=0)
        rows.append(BenchRow("excel", f"read {ROSTER_ROWS:,}-row sheet: calamine", calamine, openpyxl_ms, "openpyxl"))

    # Wall and CPU time of the import alone: the fresh ledger it goes into is made before the clock starts.
    walls, cpus = [], []
    for _ in range(repeat):
        db = new_ledger(ctx.workdir / "import.db")
        _set_cap(db)
        try:
            wall, cpu, report = ctx.wall_and_cpu_ms(lambda d=db: ExcelImport(roster, "roster").run(d))
            assert report.applied and report.ok, report.issues[:3]
        finally:
            db.close()
        walls.append(wall)
        cpus.append(cpu)
    rows.append(
        BenchRow(
            "excel",
            f"import {ROSTER_ROWS:,}-row roster (dry-run + apply)",
            statistics.median(walls),
            goal_ms=20_000,
            note="households+members+depts+cadres+pairings, audited; CPU without the parse child",
            cpu_ms=statistics.median(cpus),
        )
    )
    rows += whole_process_rows(ctx, roster, repeat)
    if ONLY == "import":
        return rows

    # The demo ledger of tests/bench/ledgers.py when --workdir holds a finished one (read in place, never
    # written: other benches may read it at the same time); else a roster of that size imported here.
    shared = ctx.workdir / f"ledger-{ctx.households}.db"
    if shared.with_suffix(".done").exists():
        db = open_read_only(shared, BENCH_PASSWORD)
    else:
        big = ctx.workdir / f"export-{ctx.households}.db"
        if not big.exists():
            source = ctx.workdir / f"roster-{ctx.households}.xlsx"
            if not source.exists():
                write_roster(source, ctx.households)
            db = new_ledger(big)
            _set_cap(db)
            ExcelImport(source, "roster").run(db)
            db.close()
        db = open_database(big, BENCH_PASSWORD)
    try:
        out = ctx.workdir / "households.xlsx"
        runs = [ctx.wall_and_cpu_ms(lambda: export_ledger(db, "households", out)) for _ in range(repeat)]
    finally:
        db.close()
    rows.append(
        BenchRow(
            "excel",
            f"export {ctx.households:,} households (roster layout)",
            statistics.median(r[0] for r in runs),
            goal_ms=20_000,
            note="xlsxwriter; goal is CPU time",
            cpu_ms=statistics.median(r[1] for r in runs),
        )
    )
    return rows
