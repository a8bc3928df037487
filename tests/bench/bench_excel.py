"""Excel at scale: import of a 100,000-row township roster (households + departments + cadres + pairings,
audited, through the services' checks), export of ``ctx.households`` households to the officers' layout,
and reading the same large sheet with python-calamine and with openpyxl in the same run (the reason
``app.io.sheets`` reads with calamine). Goals: import ≤ 20 s, export ≤ 20 s (medians).

The roster file is generated here in the real layout (title, 填报 line, merged two-row header, 合计 row,
注 footnote) and kept in ``ctx.workdir`` between runs.
"""

from __future__ import annotations

import os
import random
import statistics
from pathlib import Path

from app.domain.models import Region
from app.domain.validators import id_check_digit
from app.io.importer import ExcelImport
from app.io.ledgers import export_ledger
from app.io.sheets import read_workbook
from app.io.xlsx import Column, WorkbookWriter
from app.services.uow import UnitOfWork
from app.storage.database import Database, create_database, open_database
from tests.bench.baselines import open_read_only, read_sheet_openpyxl
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

ROSTER_ROWS = int(os.environ.get("BANGFU_EXCEL_BENCH_ROWS", "100000"))  # small in the CI run of the benches
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


def run(ctx: BenchContext) -> list[BenchRow]:
    rows: list[BenchRow] = []
    roster = ctx.workdir / f"roster-{ROSTER_ROWS}.xlsx"
    if not roster.exists():
        write_roster(roster, ROSTER_ROWS)

    repeat = max(1, min(ctx.repeat, 3))
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
            note="households+depts+cadres+pairings, audited; goal is CPU time",
            cpu_ms=statistics.median(cpus),
        )
    )

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
