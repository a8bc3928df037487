"""Property: over random ledgers and random reference dates, every tile's numerator and denominator equal the rows
of the lists it opens (and its 数据不全 count the rows of that list); the roster import and the pairing service
accept and refuse the same pairings.

Each example builds its ledger under a fresh township of one real encrypted database and reads the indicators
scoped to that township, so examples do not see each other and no key is derived per example.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import rules
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
from app.services.indicators import SPECS, compute_all, indicator_rows
from app.services.uow import UnitOfWork

TODAY_RANGE = (date(2026, 1, 1), date(2026, 11, 30))
_TOWNSHIPS = itertools.count(1)

days = st.dates(date(2022, 1, 1), date(2026, 11, 30))
maybe_day = st.none() | days
member = st.fixed_dictionaries(
    {
        "birth": st.none() | st.dates(date(1935, 1, 1), date(2026, 6, 1)),
        "relation": st.sampled_from(["head", "spouse", "child", "grandchild", "parent"]),
        "labour": st.none() | st.sampled_from(["able", "weak", "none"]),
        "employment": st.none() | st.sampled_from(["none", "in_county", "public_welfare"]),
        "doctor": st.none() | st.booleans(),
        "stage": st.none() | st.sampled_from(["preschool", "primary", "junior", "dropped_out", "not_student"]),
        "joined": st.none() | days,
        "left": st.none() | days,
    }
)
household = st.fixed_dictionaries(
    {
        "village": st.integers(0, 1),
        "category": st.sampled_from(["dibao", "dibao_edge", "tekun", "other"]),
        "registered": maybe_day,
        "left": st.none() | days,
        "members": st.lists(member, max_size=3),
        "incomes": st.lists(
            st.tuples(st.integers(2023, 2026), st.none() | st.integers(0, 9_000_000), st.none() | st.integers(1, 6)),
            max_size=3,
            unique_by=lambda t: t[0],
        ),
        "pairings": st.lists(st.tuples(st.integers(0, 2), days, st.none() | days), max_size=2),
        "visits": st.lists(st.tuples(days, maybe_day, maybe_day), max_size=2),
    }
)
ledger = st.fixed_dictionaries(
    {
        "households": st.lists(household, min_size=1, max_size=6),
        "key_village": st.booleans(),
        "village_incomes": st.lists(
            st.tuples(st.integers(0, 1), st.integers(2023, 2026), st.integers(0, 20_000_000)),
            max_size=3,
            unique_by=lambda t: t[:2],
        ),
        "projects": st.lists(
            st.tuples(
                st.integers(2024, 2026),
                st.integers(0, 5_000_000),
                maybe_day,
                st.sampled_from(["implement", "done"]),
                st.lists(st.tuples(days, st.integers(0, 1_000_000)), max_size=2),
            ),
            max_size=2,
        ),
        "today": st.dates(*TODAY_RANGE),
        "year": st.integers(2023, 2026),
    }
)


def _build(db: Any, county_id: str, spec: dict[str, Any]) -> str:
    n = next(_TOWNSHIPS)
    code = f"331122{200 + n:03d}"
    with UnitOfWork(db) as uow:
        town = uow.add(Region(code=code, name=f"测试镇{n}", level="township", parent_id=county_id))
        uow.session.flush()
        villages = [
            uow.add(
                Region(
                    code=f"{code}{v + 1:03d}",
                    name=f"测试村{n}-{v}",
                    level="village",
                    parent_id=town.id,
                    is_key_village=v == 0 and spec["key_village"],
                )
            )
            for v in range(2)
        ]
        dept = uow.add(Department(name=f"部门{n}", level="county", kind="party_gov"))
        uow.session.flush()
        cadres = [
            uow.add(Cadre(name=f"干部{n}-{c}", department_id=dept.id, status="left" if c == 2 else "serving"))
            for c in range(3)
        ]
        for v, year, fen in spec["village_incomes"]:
            uow.add(VillageIncome(village_id=villages[v].id, year=year, income_fen=fen))
        uow.session.flush()
        for i, h in enumerate(spec["households"]):
            left = h["left"] if h["left"] and (h["registered"] is None or h["left"] >= h["registered"]) else None
            hh = uow.add(Household(village_id=villages[h["village"]].id, head_name=f"户{n}-{i}",
                                   head_id_number=f"P{n:04d}{i:02d}", category=h["category"], primary_cause="illness",
                                   registered_on=h["registered"], status="exited" if left else "active",
                                   status_date=left))  # fmt: skip
            uow.session.flush()
            for m, p in enumerate(h["members"]):
                uow.add(Member(household_id=hh.id, name=f"人{m}", relation=p["relation"], birth_date=p["birth"],
                               labour=p["labour"], employment=p["employment"], doctor_contract=p["doctor"],
                               school_stage=p["stage"], joined_on=p["joined"], left_on=p["left"]))  # fmt: skip
            for year, total, persons in h["incomes"]:
                uow.add(IncomeRecord(household_id=hh.id, year=year, total_fen=total, persons=persons))
            for c, start, end in h["pairings"]:
                end = end if end and end >= start else None
                uow.add(Pairing(kind="household_cadre", subject_household_id=hh.id, helper_cadre_id=cadres[c].id,
                                start_date=start, end_date=end))  # fmt: skip
            for day, due, closed in h["visits"]:
                closed = closed if closed and due and closed >= day else None
                uow.add(Visit(cadre_id=cadres[0].id, household_id=hh.id, visit_date=day, mode="home",
                              follow_up="待办" if due else None, follow_up_due=due, follow_up_closed_on=closed))  # fmt: skip
        for j, (year, budget, end, stage, progress) in enumerate(spec["projects"]):
            project = uow.add(Project(name=f"项目{n}-{j}", category="industry", fund_source="special", year=year,
                                      place_level="village", region_id=villages[0].id, budget_fen=budget,
                                      stage=stage, planned_end_date=end))  # fmt: skip
            uow.session.flush()
            for day, amount in progress:
                uow.add(ProjectProgress(project_id=project.id, entry_date=day, percent=10, amount_fen=amount))
    return code


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=ledger)
def test_every_tile_equals_the_rows_of_its_lists(db, places, spec):
    scope = _build(db, places.county_id, spec)
    today, year = spec["today"], spec["year"]
    with db.session() as s:
        for ind in compute_all(s, scope, year, today=today, cache=False):
            declared = SPECS[ind.key]
            rows = indicator_rows(s, ind.key, scope, year, None, today=today)
            if declared.list_counts == "shortfall":
                assert len(rows) == ind.denominator - ind.numerator, ind.key
            elif declared.list_counts == "numerator":
                assert len(rows) == ind.numerator, ind.key
            elif ind.key == "income_average":
                assert sum(r.total_fen for r in rows) == ind.numerator
                assert sum(r.persons for r in rows) == ind.denominator
                assert ind.value == (None if not ind.denominator else round(rules.group_per_capita_fen(
                    [(r.total_fen, r.persons) for r in rows]) / 100, 2))  # fmt: skip
            elif ind.key == "income_growth" and rows:
                current = rules.group_per_capita_fen([(r.total_fen, r.persons) for r in rows])
                previous = rules.group_per_capita_fen([(r.previous_total_fen, r.previous_persons) for r in rows])
                assert (ind.numerator, ind.denominator) == (current, previous)
            if declared.missing_rows is not None:
                missing = indicator_rows(s, ind.key, scope, year, None, today=today, missing=True)
                assert len(missing) == ind.missing, ind.key


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=ledger)
def test_the_sql_rules_agree_with_the_python_rules(db, places, spec):
    """The compiled predicates count what the Python predicates say, row by row, on the same records."""
    scope = _build(db, places.county_id, spec)
    ref = rules.reference_date(spec["year"], spec["today"])
    from sqlalchemy import select

    with db.session() as s:
        town = s.scalars(select(Region.id).where(Region.code == scope)).one()
        villages = select(Region.id).where(Region.parent_id == town)
        households = s.scalars(select(Household).where(Household.village_id.in_(villages))).all()
        on_sql = set(s.scalars(select(Household.id).where(Household.village_id.in_(villages),
                                                           rules.on_register_sql(Household, ref))))  # fmt: skip
        assert on_sql == {h.id for h in households if rules.on_register(h.registered_on, h.status, h.status_date, ref)}
        ids = [h.id for h in households]
        members = s.scalars(select(Member).where(Member.household_id.in_(ids))).all()
        member_sql = set(
            s.scalars(select(Member.id).where(Member.household_id.in_(ids), rules.member_on_sql(Member, ref)))
        )
        assert member_sql == {m.id for m in members if rules.member_on(m.birth_date, m.joined_on, m.left_on, ref)}
        school_sql = set(s.scalars(select(Member.id).where(Member.household_id.in_(ids),
                                                           *rules.school_age_sql(Member.birth_date, ref))))  # fmt: skip
        assert school_sql == {m.id for m in members if rules.school_age(m.birth_date, ref)}
        cadence = 30
        for h in households:
            visits = s.scalars(
                select(Visit.visit_date).where(Visit.household_id == h.id, Visit.visit_date <= ref)
            ).all()
            last = max(visits, default=None)
            in_sql = s.scalar(select(rules.visited_within_cadence_sql(Visit, h.id, ref, cadence)))
            assert bool(in_sql) == rules.visited_within_cadence(last, ref, cadence)


@pytest.mark.parametrize("shift", [timedelta(days=0), timedelta(days=1)])
def test_visit_exactly_one_cadence_ago_is_the_same_on_tile_and_list(db, places, shift):
    """The reported defect: a visit exactly 30 days before today was overdue on the tile and not in the list."""
    from app.services import listing

    today = date.today()
    spec = {"households": [{"village": 0, "category": "other", "registered": date(2020, 1, 1), "left": None,
                            "members": [], "incomes": [], "pairings": [(0, date(2020, 1, 1), None)],
                            "visits": [(today - timedelta(days=30) - shift, None, None)]}],
            "key_village": False, "village_incomes": [], "projects": [], "today": today, "year": today.year}  # fmt: skip
    scope = _build(db, places.county_id, spec)
    with db.session() as s:
        [tile] = [i for i in compute_all(s, scope, today.year, today=today, cache=False) if i.key == "visits_on_time"]
        from sqlalchemy import select

        town = s.scalars(select(Region.id).where(Region.code == scope)).one()
        query = listing.ListQuery("household").with_filter("visit_overdue", True).with_filter("village", town)
        listed = listing.count(s, query)
    overdue = shift.days == 1  # 30 days ago is on time, 31 days ago is overdue
    assert (tile.denominator - tile.numerator, listed) == ((1, 1) if overdue else (0, 0))
