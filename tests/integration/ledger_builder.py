"""A tiny hand-built ledger whose indicator values are known exactly (used by the indicator/anomaly tests).

Township 331122101 (壶镇镇) with villages 岩背村 (v1), 金竹村 (v2, key village) and 好溪村 (v3, weak):

| household | village | status | category | cadre pairing | per-capita income 2024 → 2025 | members |
|---|---|---|---|---|---|---|
| A | v1 | active | other | cadre 1 | 10,000 → 12,000 | head (able, unemployed), child 10 dropped out |
| B | v1 | active | dibao | cadre 1 | — → 20,000 | head (able, employed), child 8 in primary |
| C | v1 | active | marginal | none | 14,000 → 14,000 | head (unable), no doctor contract |
| D | v1 | exited 2025-03-01 | other | ended at exit | — | head |
| E | v2 | active | other | cadre 2 (an earlier one ended) | — → 16,000 | head (able, employed) |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
from app.domain.validators import id_check_digit
from app.services.uow import UnitOfWork

TODAY = date(2026, 6, 1)
YEAR = 2025  # reference date 2025-12-31


def resident_id(county: str, birth: date, order: int) -> str:
    first17 = f"{county}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


@dataclass
class Ledger:
    households: dict[str, str] = field(default_factory=dict)
    cadres: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    township: str = ""
    department: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    projects: list[str] = field(default_factory=list)


def _member(hid: str, name: str, number: str, birth: date, **kw: Any) -> Member:
    base: dict[str, Any] = {"relation": "head", "labour": "able", "employment": "none", "doctor_contract": True}
    base.update(kw)
    return Member(household_id=hid, name=name, id_number=number, birth_date=birth, **base)


def build(db: Any, places: Any) -> Ledger:
    ledger = Ledger(villages=list(places.village_ids), township=places.township_id)
    v1, v2, v3 = places.village_ids
    with UnitOfWork(db) as uow:
        dept = uow.add(Department(name="缙云县农业农村局", level="county", kind="party_gov"))
        ledger.department = dept.id
        c1 = uow.add(Cadre(name="李明", department_id=dept.id))
        c2 = uow.add(Cadre(name="周芳", department_id=dept.id))
        c0 = uow.add(Cadre(name="吴强", department_id=dept.id, status="left"))
        leader = uow.add(Cadre(name="王书记", department_id=dept.id, is_leader=True))
        ledger.cadres = [c1.id, c2.id, c0.id, leader.id]
        for vid, fen in [(v1, 20_000_000), (v2, 15_000_000), (v3, 5_000_000)]:
            uow.add(VillageIncome(village_id=vid, year=YEAR, income_fen=fen))
        spec = [
            ("A", v1, "active", "other", None),
            ("B", v1, "active", "dibao", None),
            ("C", v1, "active", "dibao_edge", None),
            ("D", v1, "exited", "other", date(2025, 3, 1)),
            ("E", v2, "active", "other", None),
        ]
        for n, (key, vid, status, category, status_date) in enumerate(spec, start=1):
            number = resident_id("331122", date(1970, 1, n), 11 + 2 * n)
            ledger.ids[key] = number
            hh = uow.add(
                Household(
                    village_id=vid, head_name=f"户主{key}", head_id_number=number, category=category,
                    primary_cause="illness", status=status, status_date=status_date,
                )
            )  # fmt: skip
            ledger.households[key] = hh.id
        uow.session.flush()  # parents first: the ORM orders inserts by relationships, and these have none
        h = ledger.households
        uow.add(_member(h["A"], "户主A", ledger.ids["A"], date(1970, 1, 1)))
        uow.add(_member(h["A"], "孩子A", resident_id("331122", date(2015, 6, 1), 21), date(2015, 6, 1),
                        relation="child", labour="none", school_stage="dropped_out"))  # fmt: skip
        uow.add(_member(h["B"], "户主B", ledger.ids["B"], date(1970, 1, 2), employment="in_county"))
        uow.add(_member(h["B"], "孩子B", resident_id("331122", date(2017, 3, 1), 22), date(2017, 3, 1),
                        relation="child", labour="none", school_stage="primary"))  # fmt: skip
        uow.add(_member(h["C"], "户主C", ledger.ids["C"], date(1970, 1, 3), labour="none", doctor_contract=False))
        uow.add(_member(h["D"], "户主D", ledger.ids["D"], date(1970, 1, 4)))
        uow.add(_member(h["E"], "户主E", ledger.ids["E"], date(1970, 1, 5), employment="out_county"))
        for key, year, yuan in [("A", 2024, 10_000), ("A", 2025, 12_000), ("B", 2025, 20_000),
                                ("C", 2024, 14_000), ("C", 2025, 14_000), ("E", 2025, 16_000)]:  # fmt: skip
            persons = {"A": 2, "B": 2}.get(key, 1)  # the members listed above
            uow.add(IncomeRecord(household_id=h[key], year=year, total_fen=yuan * 100 * persons, persons=persons))
        start = date(2024, 1, 1)
        for key, cadre, end, reason in [("A", c1, None, None), ("B", c1, None, None),
                                        ("D", c1, date(2025, 3, 1), "household_exited"),
                                        ("E", c0, date(2024, 6, 1), "cadre_left"), ("E", c2, None, None)]:  # fmt: skip
            uow.add(Pairing(kind="household_cadre", subject_household_id=h[key], helper_cadre_id=cadre.id,
                            start_date=start if end or key != "E" else date(2024, 6, 1), end_date=end,
                            end_reason=reason))  # fmt: skip
        uow.add(Pairing(kind="township_leader", subject_region_id=places.township_id, helper_cadre_id=leader.id,
                        start_date=start))  # fmt: skip
        uow.add(Pairing(kind="village_department", subject_region_id=v3, helper_department_id=dept.id,
                        start_date=start))  # fmt: skip
        uow.add(Visit(cadre_id=c1.id, household_id=h["A"], visit_date=date(2025, 12, 15), mode="home",
                      follow_up="送药", follow_up_due=date(2025, 12, 20), follow_up_closed_on=date(2025, 12, 18)))  # fmt: skip
        uow.add(Visit(cadre_id=c1.id, household_id=h["B"], visit_date=date(2025, 10, 1), mode="phone",
                      follow_up="申请救助", follow_up_due=date(2025, 11, 1)))  # fmt: skip
        uow.add(Visit(cadre_id=c2.id, household_id=h["E"], visit_date=date(2025, 9, 1), mode="home"))
        p1 = uow.add(Project(name="岩背村光伏", category="solar", fund_source="special", year=YEAR,
                             place_level="village", region_id=v1, budget_fen=10_000_000, allocated_fen=8_000_000,
                             stage="done", planned_end_date=date(2025, 10, 1)))  # fmt: skip
        p2 = uow.add(Project(name="金竹村道路", category="infrastructure", fund_source="liangshan", year=YEAR,
                             place_level="village", region_id=v2, budget_fen=5_000_000, stage="implement",
                             planned_end_date=date(2025, 9, 30)))  # fmt: skip
        ledger.projects = [p1.id, p2.id]
        for day, amount in [(date(2025, 5, 1), 3_000_000), (date(2025, 8, 1), 2_000_000)]:
            uow.add(ProjectProgress(project_id=p1.id, entry_date=day, percent=50, amount_fen=amount))
    return ledger


def add_second_township(db: Any, county_id: str) -> tuple[str, str]:
    """Township 331122102 (新建镇) with one village; returns (township id, village id)."""
    with UnitOfWork(db) as uow:
        town = uow.add(Region(code="331122102", name="新建镇", level="township", parent_id=county_id))
        village = uow.add(Region(code="331122102201", name="新建村", level="village", parent_id=town.id))
    return town.id, village.id
