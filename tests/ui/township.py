"""A small fixed township for the UI tests: 6 villages, 14 cadres, 60 households of which a known few are
unpaired, not visited, with open follow-ups, and four projects at known stages — so a test can say what the
screen must show. (``--demo`` uses ``app.demo.generate``; its random shape suits a tour, not assertions.)
Bulk rows go through ``UnitOfWork.insert_rows``, stamped and audited like everything else."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.domain.models import (
    Cadre,
    Department,
    Household,
    IncomeRecord,
    Member,
    Pairing,
    Project,
    ProjectProgress,
    Region,
    VillageIncome,
    Visit,
)
from app.domain.name_pinyin import name_initials, name_pinyin
from app.domain.validators import id_check_digit
from app.ids import new_id
from app.services.uow import UnitOfWork
from app.storage.database import Database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾潘田董袁蒋"
GIVEN = "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文"
VILLAGES = ["岩背村", "金竹村", "好溪村", "溶江村", "潜明村", "方川村"]


def _person_id(rng: random.Random, county: str) -> str:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    first17 = f"{county}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_digit(first17)


def fill(db: Database, households: int = 60, seed: int = 7) -> None:
    rng = random.Random(seed)
    today = date.today()
    with UnitOfWork(db, actor="demo") as uow:
        county = uow.add(Region(code="331122", name="缙云县", level="county"))
        town = uow.add(Region(code="331122101", name="壶镇镇", level="township", parent_id=county.id))
        villages = [
            uow.add(
                Region(
                    code=f"331122101{n + 1:03d}",
                    name=name,
                    level="village",
                    parent_id=town.id,
                    is_key_village=n in (1, 4),
                )
            )
            for n, name in enumerate(VILLAGES)
        ]
        uow.insert_rows(
            VillageIncome,
            [
                {"village_id": v.id, "year": today.year - back, "income_fen": rng.randrange(40_000, 260_000) * 100}
                for v in villages
                for back in (1, 2)
            ],
        )
        uow.session.flush()
        depts = [
            uow.add(Department(name=name, level=level, kind=kind))
            for name, level, kind in [
                ("缙云县农业农村局", "county", "party_gov"),
                ("缙云县人民医院", "county", "institution"),
                ("壶镇镇人民政府", "township", "party_gov"),
                ("缙云县供电公司", "county", "state_enterprise"),
            ]
        ]
        cadres = []
        for i in range(14):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            cadres.append(
                uow.add(
                    Cadre(
                        name=name,
                        name_initials=name_initials(name),
                        department_id=depts[i % 4].id,
                        post="科员" if i else "镇长",
                        phone=f"139{rng.randrange(10**7, 10**8)}",
                        is_leader=i == 0,
                    )
                )
            )
        uow.session.flush()  # ORM objects without relationship() are not ordered by foreign key
        uow.add(
            Pairing(
                kind="township_leader",
                subject_region_id=town.id,
                helper_cadre_id=cadres[0].id,
                start_date=today - timedelta(days=400),
            )
        )
        for v, d in zip(villages[:3], depts, strict=False):
            uow.add(
                Pairing(
                    kind="village_department",
                    subject_region_id=v.id,
                    helper_department_id=d.id,
                    start_date=today - timedelta(days=380),
                )
            )
        hh_rows: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        pairings: list[dict[str, Any]] = []
        visits: list[dict[str, Any]] = []
        incomes: list[dict[str, Any]] = []
        for i in range(households):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + ("" if i % 3 else rng.choice(GIVEN))
            number = _person_id(rng, "331122")
            hid = new_id()
            hh_rows.append(
                {
                    "id": hid,
                    "village_id": rng.choice(villages).id,
                    "head_name": name,
                    "head_id_number": number,
                    "head_name_pinyin": name_pinyin(name),  # what the household service stores
                    "head_name_initials": name_initials(name),
                    "head_id_reversed": number[::-1],
                    "phone": f"138{rng.randrange(10**7, 10**8)}",
                    "category": rng.choice(["dibao", "dibao_edge", "tekun", "other", "other"]),
                    "primary_cause": rng.choice(["illness", "disability", "no_labour", "no_skills", "schooling"]),
                    "other_causes": [],
                    "status": "active" if i % 17 else "exited",
                    "relocation": False,
                    "registered_on": date(2017, 10, 1),
                }
            )
            members.append(
                {
                    "household_id": hid,
                    "name": name,
                    "id_number": number,
                    "relation": "head",
                    "health": rng.choice(["healthy", "chronic", "serious"]),
                    "labour": "able",
                    "employment": rng.choice(["in_county", "none", "public_welfare"]),
                    "school_stage": "not_student",
                    "doctor_contract": rng.random() < 0.85,
                }
            )
            incomes.append(
                {
                    "household_id": hid,
                    "year": today.year - 1,
                    "total_fen": rng.randrange(8_000, 18_000) * 100,
                    "persons": 1,
                }
            )
            if i % 9 and i % 17:
                cadre = cadres[1 + i % 13]
                start = today - timedelta(days=rng.randrange(60, 600))
                pairings.append(
                    {
                        "kind": "household_cadre",
                        "subject_household_id": hid,
                        "helper_cadre_id": cadre.id,
                        "start_date": start,
                    }
                )
                if i % 4:
                    visit_date = today - timedelta(days=rng.randrange(1, 50))
                    due = visit_date + timedelta(days=rng.randrange(-5, 30)) if i % 5 == 0 else None
                    visits.append(
                        {
                            "cadre_id": cadre.id,
                            "household_id": hid,
                            "visit_date": visit_date,
                            "mode": rng.choice(["home", "phone"]),
                            "findings": "医药费负担较重",
                            "measures": "协助申请医疗救助",
                            "follow_up": "跟进救助审批" if due else None,
                            "follow_up_due": due,
                        }
                    )
        uow.insert_rows(Household, hh_rows)
        uow.insert_rows(Member, members)
        uow.insert_rows(IncomeRecord, incomes)
        uow.insert_rows(Pairing, pairings)
        uow.insert_rows(Visit, visits)
        for n, (name, category, stage, budget) in enumerate(
            [
                ("岩背村高山茶园提升工程", "industry", "implement", 800_000),
                ("金竹村来料加工点", "piecework", "done", 120_000),
                ("好溪村光伏小康电站", "solar", "accept", 450_000),
                ("溶江村民宿改造", "eco_tourism", "approve", 300_000),
            ]
        ):
            project = uow.add(
                Project(
                    name=name,
                    category=category,
                    fund_source="special",
                    year=today.year,
                    place_level="village",
                    region_id=villages[n].id,
                    budget_fen=budget * 100,
                    allocated_fen=budget * 80,
                    stage=stage,
                    start_date=today - timedelta(days=200),
                    planned_end_date=today + timedelta(days=(n - 1) * 60),
                )
            )
            uow.add(
                ProjectProgress(
                    project_id=project.id,
                    entry_date=today - timedelta(days=30),
                    percent=40 + n * 15,
                    amount_fen=budget * (40 + n * 25),
                )
            )
