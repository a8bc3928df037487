"""Search at scale: household search by initials, full pinyin, name and ID suffix, unscoped and scoped to a
township and a county, on the real demo ledger of ``ctx.households`` households (with its audit trail, as an
officer's file is; ``tests/bench/ledgers.py``), goal ≤ 100 ms each.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.domain.models import Household, Region
from app.services.search import search_households
from app.storage.database import open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow
from tests.bench.ledgers import demo_ledger


def run(ctx: BenchContext) -> list[BenchRow]:
    path, _ms, _reused = demo_ledger(ctx)
    db = open_database(path, BENCH_PASSWORD)
    with db.session() as s:
        county_id = s.scalar(select(Region.id).where(Region.code == "331122"))
        township_id = s.scalar(select(Region.id).where(Region.code == "331122101"))
        middle = (s.scalar(select(func.count()).select_from(Household)) or 1) // 2
        sample = s.scalar(select(Household.head_id_number).order_by(Household.id).offset(middle).limit(1)) or ""
    rows = []
    try:
        with db.session() as session:
            for label, query in (
                ("initials wf", "wf"),
                ("initials zxh", "zxh"),
                ("full pinyin wangfang", "wangfang"),
                ("name 王芳", "王芳"),
                ("ID suffix 6 digits", sample[-6:]),
                ("ID suffix 4 digits", sample[-4:]),
            ):
                for scope, region in (("all", None), ("township", township_id), ("county", county_id)):
                    ms = ctx.median_ms(lambda q=query, r=region: search_households(session, q, region_id=r))
                    hits = len(search_households(session, query, region_id=region))
                    rows.append(BenchRow("search", f"{label} ({scope})", ms, goal_ms=100, note=f"{hits} hits"))
    finally:
        db.close()
    return rows
