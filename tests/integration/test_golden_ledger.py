"""A hand-computed golden ledger: 15 households in three villages of 壶镇镇, every indicator worked out by hand
as the policy words it (per person, per reference date), for the current year (today = 2026-06-30), a past
year (2025 → 31 December 2025) and one village (金竹村, 2026). ``stats --json`` must print these figures.

Settings are the defaults: visit cadence 30 days, income target 13,000 元, growth target 10 % and rural average
9 %, weak village below 100,000 元.

Villages: v1 岩背村 …001, v2 金竹村 …002 (key village), v3 好溪村 …003.
Collective income: 2026 v1 200,000, v2 —, v3 80,000 (weak); 2025 v1 150,000, v2 90,000 (weak), v3 —.
Village–department pairings: v2 2024-01-01 → ended 2026-03-01; v3 from 2025-06-01. Township leader since 2024.
Cadres: 李明 c1, 周芳 c2 (serving), 吴强 c3 (left 2026-02-01, his pairings ended that day).

| hh | v | category | register | members (birth; labour/employment/doctor) | cadre | visits | income 2025 / 2024 |
|---|---|---|---|---|---|---|---|
| H01 | 1 | other | 2019 → | head 1975 able/in_county/✓, spouse 1978 able/none/✓, child 2019-08-31 primary ✓ | c1 | 2026-06-10 (follow-up due 06-20, open) | 60,000/3 · 54,000/3 |
| H02 | 1 | other | 2019 → | head 1960 able/none/✗ | c1 | 2026-05-31 | 11,000/1 · 10,000/1 |
| H03 | 1 | 低保 | 2019 → | head 1950 none/none/✓, grandchild 2020-03-15 preschool ✓ | c1 | — | 8,000/2 · — |
| H04 | 1 | other | 2019 → exited 2026-03-15 | head 1965 able/out_county/✓ | c2, ended 2026-03-15 | 2025-12-20 | 30,000/1 · 25,000/1 |
| H05 | 1 | 低边 | 2026-05-10 → | head 1980 able/未填/未填 | c2 from 2026-05-20 | — | — |
| H06 | 2 | other | 2019 → | head 1955 weak/public_welfare/✓, spouse 1957 none/none/✓ | c3 → c2 from 2026-02-10 | 2026-06-01 | 26,000/2 · 22,000/2 |
| H07 | 2 | 特困 | 2019 → | head 1940 none/none/✓ | c3 (ended 2026-02-01) | 2025-12-15 (due 12-25, closed 2026-01-05) | 9,000/1 · 8,500/1 |
| H08 | 2 | other | 2019 → | head 1982 able/未填/✓, child 2012-09-01 dropped out ✓ | c2 | 2026-05-30 | 20,000/2 · — |
| H09 | 2 | other | 2019 → | (no members) | c2 | — | — |
| H10 | 2 | other | 2019 → | head 1970 able/none/✓, child 2010-07-01 junior ✓ | c1, and c2 from 2025-06-01 | 2026-06-20 | 24,000/2 · 20,000/2 |
| H11 | 3 | other | 2019 → | head 1985 able/self_employed/✓, spouse 1986 able/none/未填, child 2020-08-31 preschool ✓ | c1 | 2026-06-30 | 45,000/3 · 40,000/3 |
| H12 | 3 | other | 2019 → | head 1990 able/out_county/✓, child born 2026-01-20 ✓ | c2 | — | 14,000/1 · 12,000/1 |
| H13 | 3 | 低保 | 2019 → moved out 2025-08-01 | head 1945 none/none/✓ | c1, ended 2025-08-01 | — | — · 7,000/1 |
| H14 | 3 | other | 2019 → | head 1968 able/none/✓, parent 1938 none/none/✓ died 2026-01-10 | c1 | 2026-06-15 (due 06-30, open) | 18,000/2 · 16,000/2 |
| H15 | 3 | other | 2019 → | head 1975 未填/未填/✓ (as a roster import leaves it) | — | — | 13,000/1 · — |

Projects: P1 v1 2026 产业 budget 100,000, 实施, planned end 2026-06-29, spent 30,000 (03-01) + 10,000 (06-30);
P2 v3 2025 光伏 budget 50,000, 完成, planned end 2025-10-31, spent 20,000 + 25,000; P3 v2 2025 设施 budget
20,000, 实施, planned end 2025-12-30, spent 5,000 (2025-06-01).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import (
    Cadre,
    Department,
    Household,
    IncomeRecord,
    Member,
    Pairing,
    Project,
    ProjectProgress,
    VillageIncome,
    Visit,
)
from app.services.indicators import compute_all, indicator_rows
from app.services.uow import UnitOfWork
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 6, 30)
V2 = "331122101002"
D = date

# ---------------------------------------------------------------- the hand figures
#
# key: (value, numerator, denominator, missing, ok). Money numerators/denominators in fen.
# On the register on 2026-06-30: H01 H02 H03 H05 H06 H07 H08 H09 H10 H11 H12 H14 H15 (13; H04 left 03-15,
# H13 moved out 2025-08-01). On 2025-12-31: the same but H04 instead of H05 (registered 2026-05-10) (13).

CURRENT = {
    # 1 township, its leader paired since 2024: 1/1.
    "coverage_townships": (100.0, 1, 1, None, True),
    # Key or weak in 2026: v2 (key), v3 (80,000 < 100,000). v2's department left on 2026-03-01, v3 paired: 1/2.
    "coverage_villages": (50.0, 1, 2, 0, False),
    # Exactly one cadre on 06-30: all but H07 (c3 left), H10 (two cadres), H15 (none): 10/13 = 76.9 %.
    "coverage_households": (76.9, 10, 13, None, False),
    # No 2026 income is recorded yet: nothing to divide; the 12 non-低保 households are 数据不全.
    "income_average": (None, 0, 0, 12, None),
    "income_growth": (None, None, None, 12, None),
    # Villages with a 2026 record: v1, v3; weak: v3 → 1 of 2 known; v2 unknown.
    "weak_villages": (1.0, 1, 2, 1, False),
    # Members on 06-30. With labour (someone able, employment known or someone employed): H01, H02, H10, H11,
    # H12, H14 = 6. Nobody employed: H02, H10, H14 (H14's parent died in January) = 3. Unknown: H05 and H08
    # (able, employment 未填), H09 (no members), H15 (labour 未填) = 4.
    "labour_without_job": (3.0, 3, 6, 4, False),
    # School age on 06-30 (born 2010-06-30 < b ≤ 2019-08-31): H01's child (primary), H08's (dropped out),
    # H10's (junior, 16 on 2026-07-01). H03's grandchild, six in March but born after 31 August 2019,
    # starts in September 2026; H11's (2020-08-31) too. Out of school: 1 of 3.
    "school_dropouts": (1.0, 1, 3, 0, False),
    # Members on 06-30: 3+1+2+1+2+1+2+0+2+3+2+1+1 = 21; 未填: H05 head, H11 spouse → 19 known; H02's head
    # unsigned → 18/19 = 94.7 %; 2 households incomplete.
    "doctor_contract": (94.7, 18, 19, 2, False),
    # Paired on 06-30: the 10 covered + H10 = 11. Visited 2026-05-31 … 06-30: H01, H02 (exactly 30 days),
    # H06, H10, H11, H14 = 6/11 = 54.5 % (H08's 05-30 is 31 days ago).
    "visits_on_time": (54.5, 6, 11, None, False),
    # H01's follow-up (due 06-20, open); H14's is due today, not overdue; H07's was closed in January.
    "followups_overdue": (1.0, 1, None, None, False),
    # 2026 projects: P1 40,000 of 100,000 = 40 %.
    "project_disbursement": (40.0, 4_000_000, 10_000_000, None, None),
    # Open projects: P1, P3; both past their planned end on 06-30.
    "projects_overdue": (2.0, 2, 2, None, False),
    "projects_by_category": (1.0, 4_000_000, 10_000_000, None, None),
    "projects_by_stage": (1.0, 4_000_000, 10_000_000, None, None),
}

PAST = {
    "coverage_townships": (100.0, 1, 1, None, True),
    # 2025: v2 key (and weak, 90,000), paired until 2026-03-01; v3 has no 2025 record (unknown): 1/1.
    "coverage_villages": (100.0, 1, 1, 1, True),
    # On 2025-12-31 all but H10 (two cadres) and H15 (none) had exactly one: 11/13 = 84.6 %.
    "coverage_households": (84.6, 11, 13, None, False),
    # Non-低保 on 2025-12-31 with a 2025 record: H01 60,000/3, H02 11,000/1, H04 30,000/1, H06 26,000/2,
    # H07 9,000/1, H08 20,000/2, H10 24,000/2, H11 45,000/3, H12 14,000/1 (born 2026 not counted), H14 18,000/2,
    # H15 13,000/1. Σ = 270,000 元, Σ persons = 19 → 270,000 ÷ 19 = 14,210.53 元 ≥ 13,000 (met). H09: 数据不全.
    # (The mean of the 11 household figures would be 156,000 ÷ 11 = 14,181.82: not the policy's figure.)
    "income_average": (14210.53, 27_000_000, 19, 1, True),
    # Both years: H01, H02, H04, H06, H07, H10, H11, H12, H14 (16 persons both years).
    # 2025: 237,000 ÷ 16 = 14,812.50; 2024: 207,500 ÷ 16 = 12,968.75;
    # (14,812.50 − 12,968.75) ÷ 12,968.75 = 14.2 % ≥ 10 % and > 9 % → met. H08, H09, H15 lack a year: 3.
    "income_growth": (14.2, 1_481_250, 1_296_875, 3, True),
    # 2025 records: v1 150,000, v2 90,000 (weak); v3 unknown.
    "weak_villages": (1.0, 1, 2, 1, False),
    # Members on 2025-12-31: H04's head (able, working) joins those with labour; H05 not yet registered;
    # H14's parent still alive. With labour: H01, H02, H04, H10, H11, H12, H14 = 7; jobless H02, H10, H14;
    # unknown H08, H09, H15.
    "labour_without_job": (3.0, 3, 7, 3, False),
    # School age on 2025-12-31 (2009-12-31 < b ≤ 2019-08-31): the same three children; one out.
    "school_dropouts": (1.0, 1, 3, 0, False),
    # Members: 3+1+2+1+2+1+2+0+2+3+1+2+1 = 21 (H12's child not born, H14's parent alive, H04 instead of H05);
    # 未填: H11's spouse → 20 known, 19 signed = 95.0 %.
    "doctor_contract": (95.0, 19, 20, 1, False),
    # Paired: the 11 covered + H10 = 12. Visited 2025-12-01 … 12-31: H04 (12-20), H07 (12-15) → 2/12.
    "visits_on_time": (16.7, 2, 12, None, False),
    # H07's follow-up was due 12-25 and closed only on 2026-01-05.
    "followups_overdue": (1.0, 1, None, None, False),
    # 2025 projects: P2 45,000 of 50,000 + P3 5,000 of 20,000 = 50,000 ÷ 70,000 = 71.4 %.
    "project_disbursement": (71.4, 5_000_000, 7_000_000, None, None),
    # Open: P1, P3; on 2025-12-31 only P3 (planned 12-30) is past due.
    "projects_overdue": (1.0, 1, 2, None, False),
    "projects_by_category": (2.0, 5_000_000, 7_000_000, None, None),
    "projects_by_stage": (2.0, 5_000_000, 7_000_000, None, None),
}

VILLAGE = {
    # No township inside a village.
    "coverage_townships": (None, 0, 0, None, None),
    # 金竹村 is key; its department left on 2026-03-01: 0/1.
    "coverage_villages": (0.0, 0, 1, 0, False),
    # H06 ✓, H07 ✗, H08 ✓, H09 ✓, H10 ✗ → 3/5.
    "coverage_households": (60.0, 3, 5, None, False),
    "income_average": (None, 0, 0, 5, None),
    "income_growth": (None, None, None, 5, None),
    # No 2026 collective-income record: unknown, not "not weak" — and no verdict.
    "weak_villages": (0.0, 0, 0, 1, None),
    # H10 jobless (1 of 1 with labour); H08 (employment 未填) and H09 (no members) unknown.
    "labour_without_job": (1.0, 1, 1, 2, False),
    # H08's child out, H10's in.
    "school_dropouts": (1.0, 1, 2, 0, False),
    # H06 2 + H07 1 + H08 2 + H10 2 = 7, all signed.
    "doctor_contract": (100.0, 7, 7, 0, True),
    # Paired: H06, H08, H09, H10; visited H06 (06-01), H10 (06-20) → 2/4.
    "visits_on_time": (50.0, 2, 4, None, False),
    "followups_overdue": (0.0, 0, None, None, True),
    "project_disbursement": (None, 0, 0, None, None),
    # Only P3 is in 金竹村: open and overdue.
    "projects_overdue": (1.0, 1, 1, None, False),
    "projects_by_category": (0.0, 0, 0, None, None),
    "projects_by_stage": (0.0, 0, 0, None, None),
}


# ---------------------------------------------------------------- the ledger


def _person(hid: str, name: str, relation: str, birth: date, labour: Any, employment: Any, doctor: Any,
            stage: str | None = None, **kw: Any) -> Member:  # fmt: skip
    return Member(household_id=hid, name=name, relation=relation, birth_date=birth, labour=labour,
                  employment=employment, doctor_contract=doctor, school_stage=stage, **kw)  # fmt: skip


def build(db: Any, places: Any) -> dict[str, str]:
    v1, v2, v3 = places.village_ids
    ids: dict[str, str] = {}
    with UnitOfWork(db) as uow:
        dept = uow.add(Department(name="缙云县农业农村局", level="county", kind="party_gov"))
        c1 = uow.add(Cadre(name="李明", department_id=dept.id))
        c2 = uow.add(Cadre(name="周芳", department_id=dept.id))
        c3 = uow.add(Cadre(name="吴强", department_id=dept.id, status="left", left_on=D(2026, 2, 1)))
        leader = uow.add(Cadre(name="王书记", department_id=dept.id, is_leader=True))
        for vid, year, yuan in [(v1, 2026, 200_000), (v3, 2026, 80_000), (v1, 2025, 150_000), (v2, 2025, 90_000)]:
            uow.add(VillageIncome(village_id=vid, year=year, income_fen=yuan * 100))
        spec = [
            ("H01", v1, "other", D(2019, 5, 1), "active", None),
            ("H02", v1, "other", D(2019, 5, 1), "active", None),
            ("H03", v1, "dibao", D(2019, 5, 1), "active", None),
            ("H04", v1, "other", D(2019, 5, 1), "exited", D(2026, 3, 15)),
            ("H05", v1, "dibao_edge", D(2026, 5, 10), "active", None),
            ("H06", v2, "other", D(2019, 5, 1), "active", None),
            ("H07", v2, "tekun", D(2019, 5, 1), "active", None),
            ("H08", v2, "other", D(2019, 5, 1), "active", None),
            ("H09", v2, "other", D(2019, 5, 1), "active", None),
            ("H10", v2, "other", D(2019, 5, 1), "active", None),
            ("H11", v3, "other", D(2019, 5, 1), "active", None),
            ("H12", v3, "other", D(2019, 5, 1), "active", None),
            ("H13", v3, "dibao", D(2019, 5, 1), "moved_out", D(2025, 8, 1)),
            ("H14", v3, "other", D(2019, 5, 1), "active", None),
            ("H15", v3, "other", D(2019, 5, 1), "active", None),
        ]
        for n, (key, vid, category, registered, status, left) in enumerate(spec, 1):
            hh = uow.add(Household(village_id=vid, head_name=f"户主{key}", head_id_number=f"G{n:02d}",
                                   category=category, primary_cause="illness", registered_on=registered,
                                   status=status, status_date=left))  # fmt: skip
            ids[key] = hh.id
        uow.session.flush()
        h = ids
        people = [
            _person(h["H01"], "户主H01", "head", D(1975, 3, 1), "able", "in_county", True),
            _person(h["H01"], "配偶H01", "spouse", D(1978, 6, 1), "able", "none", True),
            _person(h["H01"], "孩子H01", "child", D(2019, 8, 31), "none", "none", True, "primary"),
            _person(h["H02"], "户主H02", "head", D(1960, 1, 1), "able", "none", False),
            _person(h["H03"], "户主H03", "head", D(1950, 2, 2), "none", "none", True),
            _person(h["H03"], "孙H03", "grandchild", D(2020, 3, 15), "none", "none", True, "preschool"),
            _person(h["H04"], "户主H04", "head", D(1965, 4, 4), "able", "out_county", True),
            _person(h["H05"], "户主H05", "head", D(1980, 5, 5), "able", None, None),
            _person(h["H06"], "户主H06", "head", D(1955, 6, 6), "weak", "public_welfare", True),
            _person(h["H06"], "配偶H06", "spouse", D(1957, 7, 7), "none", "none", True),
            _person(h["H07"], "户主H07", "head", D(1940, 1, 1), "none", "none", True),
            _person(h["H08"], "户主H08", "head", D(1982, 8, 8), "able", None, True),
            _person(h["H08"], "孩子H08", "child", D(2012, 9, 1), "none", "none", True, "dropped_out"),
            _person(h["H10"], "户主H10", "head", D(1970, 10, 10), "able", "none", True),
            _person(h["H10"], "孩子H10", "child", D(2010, 7, 1), "none", "none", True, "junior"),
            _person(h["H11"], "户主H11", "head", D(1985, 11, 11), "able", "self_employed", True),
            _person(h["H11"], "配偶H11", "spouse", D(1986, 12, 12), "able", "none", None),
            _person(h["H11"], "孩子H11", "child", D(2020, 8, 31), "none", "none", True, "preschool"),
            _person(h["H12"], "户主H12", "head", D(1990, 1, 1), "able", "out_county", True),
            _person(h["H12"], "孩子H12", "child", D(2026, 1, 20), "none", "none", True, "not_student"),
            _person(h["H13"], "户主H13", "head", D(1945, 3, 3), "none", "none", True),
            _person(h["H14"], "户主H14", "head", D(1968, 2, 2), "able", "none", True),
            _person(
                h["H14"],
                "父H14",
                "parent",
                D(1938, 4, 4),
                "none",
                "none",
                True,
                left_on=D(2026, 1, 10),
                left_reason="died",
            ),
            _person(h["H15"], "户主H15", "head", D(1975, 5, 5), None, None, True),
        ]
        for person in people:
            uow.add(person)
        incomes = {
            "H01": [(2025, 60_000, 3), (2024, 54_000, 3)], "H02": [(2025, 11_000, 1), (2024, 10_000, 1)],
            "H03": [(2025, 8_000, 2)], "H04": [(2025, 30_000, 1), (2024, 25_000, 1)],
            "H06": [(2025, 26_000, 2), (2024, 22_000, 2)], "H07": [(2025, 9_000, 1), (2024, 8_500, 1)],
            "H08": [(2025, 20_000, 2)], "H10": [(2025, 24_000, 2), (2024, 20_000, 2)],
            "H11": [(2025, 45_000, 3), (2024, 40_000, 3)], "H12": [(2025, 14_000, 1), (2024, 12_000, 1)],
            "H13": [(2024, 7_000, 1)], "H14": [(2025, 18_000, 2), (2024, 16_000, 2)], "H15": [(2025, 13_000, 1)],
        }  # fmt: skip
        for key, records in incomes.items():
            for year, yuan, persons in records:
                uow.add(IncomeRecord(household_id=h[key], year=year, total_fen=yuan * 100, persons=persons))
        since = D(2020, 1, 1)
        pairs = [
            ("H01", c1, since, None), ("H02", c1, since, None), ("H03", c1, since, None),
            ("H04", c2, since, D(2026, 3, 15)), ("H05", c2, D(2026, 5, 20), None),
            ("H06", c3, since, D(2026, 2, 1)), ("H06", c2, D(2026, 2, 10), None), ("H07", c3, since, D(2026, 2, 1)),
            ("H08", c2, since, None), ("H09", c2, since, None), ("H10", c1, since, None),
            ("H10", c2, D(2025, 6, 1), None), ("H11", c1, since, None), ("H12", c2, since, None),
            ("H13", c1, since, D(2025, 8, 1)), ("H14", c1, since, None),
        ]  # fmt: skip
        for key, cadre, start, end in pairs:
            uow.add(Pairing(kind="household_cadre", subject_household_id=h[key], helper_cadre_id=cadre.id,
                            start_date=start, end_date=end, end_reason="other" if end else None))  # fmt: skip
        uow.add(Pairing(kind="township_leader", subject_region_id=places.township_id, helper_cadre_id=leader.id,
                        start_date=D(2024, 1, 1)))  # fmt: skip
        uow.add(Pairing(kind="village_department", subject_region_id=v2, helper_department_id=dept.id,
                        start_date=D(2024, 1, 1), end_date=D(2026, 3, 1), end_reason="other"))  # fmt: skip
        uow.add(Pairing(kind="village_department", subject_region_id=v3, helper_department_id=dept.id,
                        start_date=D(2025, 6, 1)))  # fmt: skip
        visits: list[tuple[str, Any, date, dict[str, Any]]] = [
            ("H01", c1, D(2026, 6, 10), {"follow_up": "送药", "follow_up_due": D(2026, 6, 20)}),
            ("H02", c1, D(2026, 5, 31), {}),
            ("H04", c2, D(2025, 12, 20), {}),
            ("H06", c2, D(2026, 6, 1), {}),
            (
                "H07",
                c3,
                D(2025, 12, 15),
                {"follow_up": "申请救助", "follow_up_due": D(2025, 12, 25), "follow_up_closed_on": D(2026, 1, 5)},
            ),
            ("H08", c2, D(2026, 5, 30), {}),
            ("H10", c1, D(2026, 6, 20), {}),
            ("H11", c1, D(2026, 6, 30), {}),
            ("H14", c1, D(2026, 6, 15), {"follow_up": "修屋顶", "follow_up_due": D(2026, 6, 30)}),
        ]
        for key, cadre, day, extra in visits:
            uow.add(Visit(cadre_id=cadre.id, household_id=h[key], visit_date=day, mode="home", **extra))
        p1 = uow.add(Project(name="岩背村产业", category="industry", fund_source="special", year=2026,
                             place_level="village", region_id=v1, budget_fen=10_000_000, stage="implement",
                             planned_end_date=D(2026, 6, 29)))  # fmt: skip
        p2 = uow.add(Project(name="好溪村光伏", category="solar", fund_source="special", year=2025,
                             place_level="village", region_id=v3, budget_fen=5_000_000, stage="done",
                             planned_end_date=D(2025, 10, 31), completed_on=D(2025, 11, 1)))  # fmt: skip
        p3 = uow.add(Project(name="金竹村道路", category="infrastructure", fund_source="liangshan", year=2025,
                             place_level="village", region_id=v2, budget_fen=2_000_000, stage="implement",
                             planned_end_date=D(2025, 12, 30)))  # fmt: skip
        uow.session.flush()
        for project, day, yuan in [(p1, D(2026, 3, 1), 30_000), (p1, D(2026, 6, 30), 10_000),
                                   (p2, D(2025, 5, 1), 20_000), (p2, D(2025, 10, 1), 25_000),
                                   (p3, D(2025, 6, 1), 5_000)]:  # fmt: skip
            uow.add(ProjectProgress(project_id=project.id, entry_date=day, percent=50, amount_fen=yuan * 100))
    return ids


@pytest.fixture
def golden(db, places):
    return build(db, places)


def _figures(indicators: list[Any]) -> dict[str, tuple[Any, ...]]:
    def get(i: Any, name: str) -> Any:
        return i[name] if isinstance(i, dict) else getattr(i, name)

    return {
        get(i, "key"): tuple(get(i, n) for n in ("value", "numerator", "denominator", "missing", "ok"))
        for i in indicators
    }


VIEWS = [("current", None, 2026, CURRENT), ("past", None, 2025, PAST), ("village", V2, 2026, VILLAGE)]


@pytest.mark.parametrize(("name", "scope", "year", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_indicators_equal_the_hand_figures(db, golden, name, scope, year, expected):
    with db.session() as s:
        assert _figures(compute_all(s, scope, year, today=TODAY, cache=False)) == expected


@pytest.mark.parametrize(("name", "scope", "year", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_every_list_has_exactly_its_tiles_count(db, golden, name, scope, year, expected):
    """The rows a tile opens are the ones it counts: the shortfall of a coverage, the count of a zero target,
    Σ total ÷ Σ persons of the income; the 数据不全 list has ``missing`` rows."""
    from app.services.indicators import SPECS

    with db.session() as s:
        for key, (_, num, den, missing, _) in expected.items():
            spec = SPECS[key]
            rows = indicator_rows(s, key, scope, year, None, today=TODAY)
            if spec.list_counts == "shortfall":
                assert len(rows) == den - num, key
            elif spec.list_counts == "numerator":
                assert len(rows) == num, key
            elif key == "income_average":
                assert (sum(r.total_fen for r in rows), sum(r.persons for r in rows)) == (num, den)
            if missing is not None:
                assert len(indicator_rows(s, key, scope, year, None, today=TODAY, missing=True)) == missing, key


def test_stats_json_prints_the_hand_figures(db, golden, db_path, tmp_path):
    db.close()
    env = {**os.environ, "BANGFU_PASSWORD": PASSWORD, "BANGFU_DATA_DIR": str(tmp_path / "data")}
    for _, scope, year, expected in VIEWS:
        args = ["stats", "--db", str(db_path), "--year", str(year), "--as-of", TODAY.isoformat(), "--json"]
        if scope:
            args += ["--scope", scope]
        result = subprocess.run(
            [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        printed = json.loads(result.stdout)
        assert _figures(printed["indicators"]) == expected
