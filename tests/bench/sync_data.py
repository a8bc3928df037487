"""Synthetic township data for the sync benchmark: households, members, pairings and a year of visits,
written through ``UnitOfWork.insert_rows`` (stamped and audited like real edits, so the change feed is real)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.domain.models import Household, Member, Pairing, Region, Visit
from app.ids import new_id
from app.services.uow import UnitOfWork
from app.storage.database import Database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def resident_id(rng: random.Random) -> str:
    body = f"331122{rng.randint(1940, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def township_rows(
    township_region: str, cadre_ids: list[str], households: int, seed: int, villages: int = 12, township: str = ""
) -> dict[type, list[dict[str, Any]]]:
    """``township``: its division code, which its villages' codes start with (sync checks they lie inside)."""
    rng = random.Random(seed)
    village_rows = [
        {"id": new_id(), "code": f"{township}{100 + n:03d}" if township else f"{seed:09d}{n:03d}", "name": f"村{n}", "level": "village",
         "parent_id": township_region}
        for n in range(villages)
    ]  # fmt: skip
    hh, members, pairings, visits = [], [], [], []
    for n in range(households):
        hid = new_id()
        head = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        hh.append(
            {"id": hid, "village_id": rng.choice(village_rows)["id"], "head_name": head,
             "head_id_number": resident_id(rng), "phone": f"13{rng.randint(100000000, 999999999)}",
             "category": rng.choice(["dibao", "dibao_edge", "tekun", "other"]), "primary_cause": "illness",
             "other_causes": [], "status": "active", "address": f"{n}号"}
        )  # fmt: skip
        for m in range(rng.randint(1, 5)):
            members.append({"id": new_id(), "household_id": hid, "name": head if m == 0 else f"成员{m}",
                            "relation": "self" if m == 0 else "child"})  # fmt: skip
        cadre = cadre_ids[n % len(cadre_ids)]
        pairings.append({"id": new_id(), "kind": "household_cadre", "subject_household_id": hid,
                         "helper_cadre_id": cadre, "start_date": date(2025, 1, 1)})  # fmt: skip
        for month in range(12):
            visits.append(
                {"id": new_id(), "cadre_id": cadre, "household_id": hid,
                 "visit_date": date(2025, month + 1, 1) + timedelta(days=rng.randint(0, 27)), "mode": "home",
                 "findings": "收入稳定，孩子上学正常", "measures": "联系就业岗位"}
            )  # fmt: skip
    return {Region: village_rows, Household: hh, Member: members, Pairing: pairings, Visit: visits}


def fill_township(
    db: Database, township_region: str, cadre_ids: list[str], households: int, seed: int, township: str = ""
) -> int:
    rows = township_rows(township_region, cadre_ids, households, seed, township=township)
    with UnitOfWork(db) as uow:
        for model, items in rows.items():
            uow.insert_rows(model, items)
    return sum(len(v) for v in rows.values())
