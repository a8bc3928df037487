"""Search at scale: household search by initials, full pinyin, name and ID suffix, unscoped and scoped to a
township and a county, on a ledger of ``ctx.households`` households (goal ≤ 100 ms each).

The households are bulk-inserted directly (no audit trail): this measures the search, not the loader.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from app.domain.models import Household, Region
from app.domain.name_pinyin import name_initials, name_pinyin, reversed_id
from app.domain.validators import id_check_digit
from app.ids import new_id
from app.services.search import search_households
from app.storage.database import Database, create_database, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "芳伟秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰红梅志强海燕"


def _fill(db: Database, households: int, rng: random.Random) -> tuple[str, str, list[str]]:
    node = db.node.code
    base = {"origin_node": node, "hlc": "0", "field_hlc": {}, "deleted": False, "created_at": None, "updated_at": None}
    regions, villages = [], []
    county = {"id": new_id(), "code": "331122", "name": "缙云县", "level": "county", "parent_id": None}
    regions.append(county)
    for t in range(18):
        town = {
            "id": new_id(),
            "code": f"331122{101 + t:03d}",
            "name": f"镇{t}",
            "level": "township",
            "parent_id": county["id"],
        }
        regions.append(town)
        for v in range(15):
            village = {
                "id": new_id(),
                "code": f"{town['code']}{v + 1:03d}",
                "name": f"村{t}-{v}",
                "level": "village",
                "parent_id": town["id"],
            }
            regions.append(village)
            villages.append(village["id"])
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    base.update(created_at=now, updated_at=now)
    ids: list[str] = []
    rows = []
    for i in range(households):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        first17 = f"331122{1940 + i % 60}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        number = first17 + id_check_digit(first17)
        ids.append(number)
        rows.append(
            {
                **base,
                "id": new_id(),
                "village_id": villages[i % len(villages)],
                "head_name": name,
                "head_id_number": number,
                "head_name_pinyin": name_pinyin(name),
                "head_name_initials": name_initials(name),
                "head_id_reversed": reversed_id(number),
                "category": "dibao",
                "primary_cause": "illness",
                "other_causes": [],
                "status": "active",
                "registered_on": date(2020, 1, 1),
                "relocation": False,
            }
        )
    with db.session() as s, s.begin():
        s.execute(insert(Region), [{**base, **r, "is_key_village": False} for r in regions])
        for start in range(0, len(rows), 20_000):
            s.execute(insert(Household), rows[start : start + 20_000])
    return county["id"], regions[1]["id"], ids


def run(ctx: BenchContext) -> list[BenchRow]:
    path: Path = ctx.workdir / f"search-{ctx.households}.db"
    rng = random.Random(7)
    if path.exists():
        path.unlink()
    db = create_database(path, BENCH_PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    county_id, township_id, numbers = _fill(db, ctx.households, rng)
    db.close()
    db = open_database(path, BENCH_PASSWORD)
    sample = numbers[len(numbers) // 2]
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
