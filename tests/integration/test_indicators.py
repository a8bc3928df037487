"""Indicators on a hand-built ledger with known answers (see ledger_builder), on a real encrypted database."""

from __future__ import annotations

import json

import pytest

from app.services import settings
from app.services.indicators import SPECS, compute, compute_all, indicator_rows
from app.services.scope import resolve_scope
from app.services.uow import UnitOfWork
from tests.integration.ledger_builder import TODAY, YEAR, add_second_township, build


@pytest.fixture
def ledger(db, places):
    return build(db, places)


def ind(db, key, scope=None):
    with db.session() as s:
        return compute(s, key, scope, YEAR, today=TODAY)


def rows(db, key, scope=None, limit=100, offset=0):
    with db.session() as s:
        return indicator_rows(s, key, scope, YEAR, limit, offset, today=TODAY)


def test_household_coverage_counts_exactly_one_active_cadre(db, places, ledger):
    whole = ind(db, "coverage_households")
    assert (whole.numerator, whole.denominator, whole.value, whole.ok) == (3, 4, 75.0, False)
    village = ind(db, "coverage_households", "331122101001")
    assert (village.numerator, village.denominator, village.value) == (2, 3, 66.7)
    uncovered = rows(db, "coverage_households")
    assert [r.household_id for r in uncovered] == [ledger.households["C"]]
    assert uncovered[0].detail == 0
    assert "*" in uncovered[0].id_number_masked and ledger.ids["C"] not in uncovered[0].id_number_masked


def test_second_active_cadre_uncovers_the_household(db, places, ledger):
    from app.domain.models import Pairing

    with UnitOfWork(db) as uow:
        uow.add(Pairing(kind="household_cadre", subject_household_id=ledger.households["A"],
                        helper_cadre_id=ledger.cadres[1], start_date=TODAY.replace(year=2024)))  # fmt: skip
    assert ind(db, "coverage_households").numerator == 2
    detail = {r.household_id: r.detail for r in rows(db, "coverage_households")}
    assert detail == {ledger.households["A"]: 2, ledger.households["C"]: 0}


def test_pairing_that_ended_before_the_reference_date_does_not_cover(db, places, ledger):
    # E's first cadre left in June 2024; for 2024 (reference 2024-12-31) E is covered by the second one.
    # D exited on 2025-03-01: on 2024-12-31 it was still on the register and paired, so 2024 counts it
    # (A, B, D, E covered; C not: 4 of 5), while 2025 (reference 2025-12-31) does not (3 of 4).
    with db.session() as s:
        past = compute(s, "coverage_households", None, 2024, today=TODAY)
    assert (past.numerator, past.denominator) == (4, 5)
    assert ind(db, "coverage_households").denominator == 4


def test_township_and_village_department_coverage(db, places, ledger):
    town = ind(db, "coverage_townships")
    assert (town.numerator, town.denominator, town.ok) == (1, 1, True)
    villages = ind(db, "coverage_villages")  # v2 key (unpaired), v3 weak (paired)
    assert (villages.numerator, villages.denominator, villages.value) == (1, 2, 50.0)
    assert [r.region_id for r in rows(db, "coverage_villages")] == [places.village_ids[1]]
    in_village = ind(db, "coverage_townships", "331122101001")
    assert (in_village.denominator, in_village.value, in_village.ok) == (0, None, None)


def test_income_average_excludes_dibao_households(db, places, ledger):
    # Per person, not per household: A 2 persons × 12,000 = 24,000; C 1 × 14,000; E 1 × 16,000;
    # B (低保户) left out. Σ income 54,000 ÷ Σ persons 4 = 13,500 元 (the mean of household figures, 14,000,
    # would weigh A's two persons as one).
    whole = ind(db, "income_average")
    assert (whole.value, whole.numerator, whole.denominator, whole.target, whole.ok, whole.missing) == (
        13500.0, 5_400_000, 4, 13000.0, True, 0,
    )  # fmt: skip
    village = ind(db, "income_average", "331122101001")  # A 24,000 + C 14,000 = 38,000 ÷ 3 = 12,666.67
    assert (village.value, village.denominator, village.ok) == (12666.67, 3, False)
    listed = rows(db, "income_average")
    assert [r.household_id for r in listed] == [ledger.households[k] for k in "ACE"]
    assert sum(r.total_fen for r in listed) == whole.numerator
    assert sum(r.persons for r in listed) == whole.denominator


def test_income_growth_compares_the_same_households(db, places, ledger):
    # Only A and C have both years. 2025: (24,000 + 14,000) ÷ 3 = 12,666.67; 2024: (20,000 + 14,000) ÷ 3
    # = 11,333.33; growth (12,666.67 − 11,333.33) ÷ 11,333.33 = 11.8 % ≥ 10 % and > 9 % → met.
    # E has no 2024 record: 数据不全 1 户.
    growth = ind(db, "income_growth")
    assert (growth.value, growth.numerator, growth.denominator, growth.ok) == (11.8, 1_266_667, 1_133_333, True)
    assert growth.missing == 1
    with db.session() as s:
        [unknown] = indicator_rows(s, "income_growth", None, YEAR, today=TODAY, missing=True)
    assert unknown.household_id == ledger.households["E"]
    assert growth.target == 10.0
    with UnitOfWork(db) as uow:
        settings.put(uow.session, "rural_income_growth_pct", 12)
    assert ind(db, "income_growth").target == 12.0


def test_weak_villages_follow_the_threshold_setting(db, places, ledger):
    weak = ind(db, "weak_villages")
    assert (weak.value, weak.denominator, weak.ok) == (1.0, 3, False)
    assert [r.region_id for r in rows(db, "weak_villages")] == [places.village_ids[2]]
    assert rows(db, "weak_villages")[0].income_fen == 5_000_000
    with UnitOfWork(db) as uow:
        settings.put(uow.session, "weak_village_threshold_yuan", 160000)
    assert ind(db, "weak_villages").numerator == 2


def test_labour_school_and_doctor(db, places, ledger):
    labour = ind(db, "labour_without_job")
    assert (labour.numerator, labour.denominator) == (1, 3)
    assert [r.household_id for r in rows(db, "labour_without_job")] == [ledger.households["A"]]
    school = ind(db, "school_dropouts")  # children of A (10, dropped out) and B (8, primary)
    assert (school.numerator, school.denominator) == (1, 2)
    assert [r.name for r in rows(db, "school_dropouts")] == ["孩子A"]
    doctor = ind(db, "doctor_contract")  # members of active households: 6, C's head unsigned
    assert (doctor.numerator, doctor.denominator, doctor.value) == (5, 6, 83.3)
    assert [r.name for r in rows(db, "doctor_contract")] == ["户主C"]


def test_visits_within_cadence_and_overdue_follow_ups(db, places, ledger):
    visits = ind(db, "visits_on_time")  # paired active: A (visited 12-15), B (10-01), E (09-01)
    assert (visits.numerator, visits.denominator, visits.value) == (1, 3, 33.3)
    missed = {r.household_id: r.detail for r in rows(db, "visits_on_time")}
    assert set(missed) == {ledger.households["B"], ledger.households["E"]}
    follow = ind(db, "followups_overdue")
    assert (follow.value, follow.ok) == (1.0, False)
    [overdue] = rows(db, "followups_overdue")
    assert (overdue.household_id, overdue.days_overdue) == (ledger.households["B"], 60)
    assert ind(db, "followups_overdue", "331122101002").value == 0.0


def test_projects(db, places, ledger):
    money = ind(db, "project_disbursement")
    assert (money.numerator, money.denominator, money.value, money.ok) == (5_000_000, 15_000_000, 33.3, None)
    overdue = ind(db, "projects_overdue")
    assert (overdue.numerator, overdue.denominator) == (1, 1)
    assert [r.project_id for r in rows(db, "projects_overdue")] == [ledger.projects[1]]
    by_category = ind(db, "projects_by_category")
    assert {b.key: (b.projects, b.budget_fen, b.disbursed_fen) for b in by_category.breakdown} == {
        "infrastructure": (1, 5_000_000, 0),
        "solar": (1, 10_000_000, 5_000_000),
    }
    assert {b.zh for b in by_category.breakdown} == {"设施建设", "光伏小康"}
    by_stage = ind(db, "projects_by_stage")
    assert {b.key: b.projects for b in by_stage.breakdown} == {"done": 1, "implement": 1}
    assert rows(db, "projects_by_stage") == list(by_stage.breakdown)
    village = ind(db, "project_disbursement", "331122101001")
    assert (village.numerator, village.denominator) == (5_000_000, 10_000_000)


def test_every_list_matches_its_number(db, places, ledger):
    """The problem count of each indicator equals the length of the list behind it."""
    with db.session() as s:
        for indicator in compute_all(s, None, YEAR, today=TODAY):
            listed = indicator_rows(s, indicator.key, None, YEAR, None, today=TODAY)
            if indicator.unit == "%" and indicator.target == 100.0:
                assert len(listed) == indicator.denominator - indicator.numerator, indicator.key
            elif indicator.target == 0.0:
                assert len(listed) == indicator.numerator, indicator.key
            elif indicator.breakdown:
                assert len(listed) == len(indicator.breakdown)


def test_scope_by_code_or_id_and_paging(db, places, ledger):
    township_id, _ = add_second_township(db, places.county_id)
    with db.session() as s:
        assert resolve_scope(s, "331122").level == "county"
        assert resolve_scope(s, places.township_id).code == "331122101"
    assert ind(db, "coverage_townships", "331122").denominator == 2  # the new township has no leader
    assert ind(db, "coverage_townships", "331122101").denominator == 1
    assert ind(db, "coverage_households", "331122102").denominator == 0
    weak = ind(db, "weak_villages", "331122")  # the new village has no collective-income record: unknown
    assert (weak.denominator, weak.missing) == (3, 1)
    assert [r.region_id for r in rows(db, "coverage_townships")] == [township_id]
    all_rows = rows(db, "income_average")
    assert rows(db, "income_average", limit=2) == all_rows[:2]
    assert rows(db, "income_average", limit=2, offset=2) == all_rows[2:]


def test_unknown_scope_or_key_is_a_clear_error(db, places, ledger):
    from app.errors import NotFound, ValidationError

    with pytest.raises(NotFound):
        ind(db, "coverage_households", "999999")
    with pytest.raises(ValidationError):
        ind(db, "no_such_indicator")


def test_to_dict_is_json(db, places, ledger):
    with db.session() as s:
        data = [i.to_dict() for i in compute_all(s, None, YEAR, today=TODAY)]
        listed = [r.to_dict() for key in SPECS for r in indicator_rows(s, key, None, YEAR, today=TODAY)]
    assert [d["key"] for d in data] == list(SPECS)
    json.dumps(data, ensure_ascii=False)
    json.dumps(listed, ensure_ascii=False)


def test_a_household_that_re_entered_is_read_as_it_stood_on_each_date(db, places, ledger):
    """D left on 2025-03-01 (pairing ended with it) and re-enters on 2026-02-01: on the register on 2024-12-31
    (paired), not on 2025-12-31, and again on 2026-06-01 (no cadre yet, so uncovered)."""
    from datetime import date

    from app.domain import rules
    from app.domain.models import HouseholdSpell
    from app.errors import RuleViolation
    from app.services.households import reenter_household

    reenter_household(db, ledger.households["D"], "2026-02-01", "因病返贫，重新认定")
    with pytest.raises(RuleViolation):
        reenter_household(db, ledger.households["D"], "2026-03-01", "重复")
    with db.session() as s:
        figures = {
            year: compute(s, "coverage_households", None, year, today=TODAY, cache=False) for year in (2024, 2025, 2026)
        }
        [spell] = s.query(HouseholdSpell).all()
    # 2024: A B C D E on the register, C uncovered → 4/5. 2025: D gone → A B E of A B C E = 3/4.
    # 2026: D back without a cadre → A B E of A B C D E = 3/5.
    assert {y: (f.numerator, f.denominator) for y, f in figures.items()} == {2024: (4, 5), 2025: (3, 4), 2026: (3, 5)}
    assert (spell.left_on, spell.left_status, spell.reentered_on) == (date(2025, 3, 1), "exited", date(2026, 2, 1))
    spells = (rules.Spell(spell.registered_on, spell.left_on),)
    assert [rules.on_register(date(2026, 2, 1), "active", None, d, spells) for d in
            (date(2024, 12, 31), date(2025, 12, 31), date(2026, 6, 1))] == [True, False, True]  # fmt: skip


def test_income_chart_reads_each_year_as_the_income_tile_does(db, places, ledger):
    """The dashboard's income chart: each year's point is the income tile of that year — the register and
    the records as they stood on the year's reference date (31 December; TODAY for the current year)."""
    from datetime import date

    from app.domain.models import Household, IncomeRecord
    from app.services import charts

    with UnitOfWork(db) as uow:
        # F registered on 2026-02-01 (after 2025) with a 2025 record of 30,000 元 × 3 persons: on no 2025 figure.
        f = uow.add(Household(village_id=places.village_ids[0], head_name="户主F", head_id_number="33112219700106001X",
                              category="other", primary_cause="illness", registered_on=date(2026, 2, 1)))  # fmt: skip
        uow.session.flush()
        uow.add(IncomeRecord(household_id=f.id, year=2025, total_fen=9_000_000, persons=3))
        # D exited on 2025-03-01: on the register on 2024-12-31 (its 9,000 × 1 counts), not on 2025-12-31.
        uow.add(IncomeRecord(household_id=ledger.households["D"], year=2024, total_fen=900_000, persons=1))
        uow.add(IncomeRecord(household_id=ledger.households["D"], year=2025, total_fen=4_000_000, persons=1))
    with db.session() as s:
        points, target = charts.income_trend(s, today=TODAY, up_to=YEAR)
        tiles = {y: compute(s, "income_average", None, y, today=TODAY, cache=False) for y in (2024, 2025)}
    # 2024 (2024-12-31): A 20,000 (2 × 10,000), C 14,000 × 1, D 9,000 × 1 → 43,000 ÷ 4 = 10,750.00 元.
    # 2025 (2025-12-31): A 24,000 ÷ 2, C 14,000 ÷ 1, E 16,000 ÷ 1 → 54,000 ÷ 4 = 13,500.00 元; D (left) and F
    # (not yet registered) are not on it. Undated, the chart read (54,000 + 40,000 + 90,000) ÷ 8 = 23,000.
    # B is 低保: never counted.
    assert [(p.year, p.average_yuan, p.persons) for p in points] == [(2024, 10750.0, 4), (2025, 13500.0, 4)]
    assert [(p.average_yuan, p.persons) for p in points] == [(t.value, t.denominator) for t in tiles.values()]
    assert target == 13000.0
    with db.session() as s:  # a chart up to 2024 stops there; one village reads only its households
        assert [p.year for p in charts.income_trend(s, today=TODAY, up_to=2024)[0]] == [2024]
        [only] = charts.income_trend(s, places.village_ids[1], today=TODAY, up_to=YEAR)[0]
    assert (only.year, only.average_yuan, only.persons) == (2025, 16000.0, 1)  # E alone in 金竹村


def test_member_indicators_over_the_whole_ledger_equal_the_sum_of_their_villages(db, places, ledger):
    """The whole ledger is counted in one pass over the members less the households off the register; a
    village probes its own households. Both must agree, also for households off the register with and without
    members and for a household registered after the date."""
    from datetime import date

    from app.domain.models import Household, Member

    v1 = places.village_ids[0]
    with UnitOfWork(db) as uow:
        gone = uow.add(Household(village_id=v1, head_name="户主G", head_id_number="331122197001070011",
                                 category="other", primary_cause="illness", status="exited",
                                 status_date=date(2024, 5, 1)))  # fmt: skip
        empty = uow.add(Household(village_id=v1, head_name="户主H", head_id_number="331122197001080011",
                                  category="other", primary_cause="illness", status="moved_out",
                                  status_date=date(2024, 5, 1)))  # fmt: skip
        undated = uow.add(
            Household(
                village_id=v1,
                head_name="户主J",
                head_id_number="331122197001100011",
                category="other",
                primary_cause="illness",
                status="exited",
            )
        )  # exit date unknown
        later = uow.add(Household(village_id=v1, head_name="户主I", head_id_number="331122197001090011",
                                  category="other", primary_cause="illness", registered_on=date(2026, 3, 1)))  # fmt: skip
        uow.session.flush()
        for hid, name in [
            (gone.id, "户主G"),
            (later.id, "户主I"),
            (undated.id, "户主J"),
        ]:  # able, nobody employed: jobless if counted
            uow.add(Member(household_id=hid, name=name, relation="head", birth_date=date(1970, 1, 7), labour="able",
                           employment="none"))  # fmt: skip
        _ = empty  # off the register, no members: neither counted nor unknown
    for key in ("doctor_contract", "labour_without_job"):
        whole = ind(db, key)
        parts = [ind(db, key, v) for v in places.village_ids]
        assert (whole.numerator, whole.denominator, whole.missing) == (
            sum(p.numerator for p in parts),
            sum(p.denominator for p in parts),
            sum(p.missing for p in parts),
        ), key
    whole = ind(db, "labour_without_job")
    parts = [ind(db, "labour_without_job", v) for v in places.village_ids]
    # On 2025-12-31 (see ledger_builder): with labour A (able, unemployed) and E (able, employed); A jobless;
    # B's head works but B is 低保 — still a household with labour (the rule has no category): A, B, E = 3.
    # G left in 2024, J left on a day not recorded and I registered in 2026: none counts.
    assert (whole.numerator, whole.denominator, whole.missing) == (
        sum(p.numerator for p in parts),
        sum(p.denominator for p in parts),
        sum(p.missing for p in parts),
    )
    assert (whole.numerator, whole.denominator) == (1, 3)


def test_coverage_chart_reads_the_tiles_date_and_rule(db, places, ledger):
    """The dashboard's coverage chart, village by village, sums to the tile of the same year: on 2024-12-31
    D (exited 2025-03-01) was on the register and paired, in 2025 it is not."""
    from app.services import charts

    with db.session() as s:
        for year, expected in [
            (2024, [("岩背村", 4, 3), ("金竹村", 1, 1)]),
            (YEAR, [("岩背村", 3, 2), ("金竹村", 1, 1)]),
        ]:
            tile = compute(s, "coverage_households", None, year, today=TODAY, cache=False)
            rows = charts.coverage_by_village(s, year=year, today=TODAY)
            # 2024: 岩背村 A, B, C, D with one cadre each but C → 3 of 4; 金竹村 E (its second cadre) → 1 of 1.
            # 2025: D has left: 岩背村 2 of 3. The lowest coverage first.
            assert [(r.village, r.households, r.paired) for r in rows] == expected
            assert (sum(r.paired for r in rows), sum(r.households for r in rows)) == (tile.numerator, tile.denominator)
