"""Sunshine-rule anomalies: absent on a clean ledger, each one found when planted, scoped correctly."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.models import Benefit, Household, Member, ProjectProgress, Visit
from app.services import settings
from app.services.anomalies import find_anomalies, summary
from app.services.uow import UnitOfWork
from tests.integration.ledger_builder import TODAY, add_second_township, build


@pytest.fixture
def ledger(db, places):
    return build(db, places)


def found(db, scope=None):
    with db.session() as s:
        return find_anomalies(s, scope, today=TODAY)


def kinds(db, scope=None):
    return {k: n for k, n in summary(found(db, scope)).items() if n}


def test_clean_ledger_has_no_anomalies(db, places, ledger):
    assert found(db) == []


def test_duplicate_resident_id_in_two_villages_and_two_townships(db, places, ledger):
    with UnitOfWork(db) as uow:
        twin = uow.add(Household(village_id=places.village_ids[2], head_name="户主A", head_id_number=ledger.ids["A"],
                                 category="other", primary_cause="illness"))  # fmt: skip
    # (The twin, a household with no member or income record, is also reported as such: see below.)
    [anomaly] = [a for a in found(db) if a.kind == "duplicate_id"]
    assert set(anomaly.ids) == {ledger.households["A"], twin.id}
    assert "两个村" in anomaly.zh and ledger.ids["A"] not in anomaly.zh + anomaly.en  # the ID is masked
    assert "户主A" in anomaly.zh and {r.name for r in anomaly.refs} == {"户主A"}

    # A member of a household in another township carrying C's ID: visible from the county.
    _, village = add_second_township(db, places.county_id)
    with UnitOfWork(db) as uow:
        other = uow.add(Household(village_id=village, head_name="某某", head_id_number="331122197001010000",
                                  category="other", primary_cause="illness"))  # fmt: skip
        uow.session.flush()
        uow.add(Member(household_id=other.id, name="户主C", id_number=ledger.ids["C"], relation="spouse"))
    by_county = [a for a in found(db, "331122") if set(a.ids) >= {ledger.households["C"]}]
    assert len(by_county) == 1 and "两个乡镇" in by_county[0].zh
    assert set(by_county[0].ids) == {ledger.households["C"], other.id}
    # From the other township's own scope, the duplicate still shows (one side is inside it).
    assert kinds(db, "331122102") == {"duplicate_id": 1, "household_without_income": 1}  # 某某 has no record


def test_benefit_and_visit_after_exit(db, places, ledger):
    exited = ledger.households["D"]  # exited 2025-03-01
    with UnitOfWork(db) as uow:
        uow.add(Benefit(household_id=exited, kind="medical_aid", benefit_date=date(2025, 2, 1), amount_fen=100))
        late = uow.add(Benefit(household_id=exited, kind="medical_aid", benefit_date=date(2025, 4, 1), amount_fen=100))
        visit = uow.add(Visit(cadre_id=ledger.cadres[0], household_id=exited, visit_date=date(2025, 3, 9), mode="home"))
    anomalies = found(db)
    assert kinds(db) == {"benefit_after_exit": 1, "visit_after_exit": 1}
    assert {a.ids[0] for a in anomalies} == {late.id, visit.id}
    assert "医疗救助" in next(a.zh for a in anomalies if a.kind == "benefit_after_exit")
    # each names whom it is about: the household (and the visiting cadre), in the text and in the refs
    by_kind = {a.kind: a for a in anomalies}
    assert by_kind["benefit_after_exit"].zh.startswith("农户户主D：")
    assert "户主D" in by_kind["visit_after_exit"].zh and "李明" in by_kind["visit_after_exit"].zh
    assert by_kind["benefit_after_exit"].subject.name == "户主D"
    assert by_kind["benefit_after_exit"].subject.id == exited
    refs = by_kind["visit_after_exit"].to_dict()["refs"]  # what `anomalies --json` prints
    assert [(r["entity"], r["name"]) for r in refs] == [("visit", ""), ("household", "户主D"), ("cadre", "李明")]


def test_visit_before_pairing_and_without_pairing(db, places, ledger):
    with UnitOfWork(db) as uow:
        early = uow.add(Visit(cadre_id=ledger.cadres[0], household_id=ledger.households["A"],
                              visit_date=date(2023, 12, 1), mode="home"))  # fmt: skip
        stranger = uow.add(Visit(cadre_id=ledger.cadres[1], household_id=ledger.households["C"],
                                 visit_date=date(2025, 5, 1), mode="phone"))  # fmt: skip
    by_kind = {a.kind: a for a in found(db)}
    assert set(by_kind) == {"visit_before_pairing", "visit_without_pairing"}
    assert by_kind["visit_before_pairing"].ids[0] == early.id
    assert by_kind["visit_without_pairing"].ids == (stranger.id, ledger.households["C"], ledger.cadres[1])
    assert "周芳" in by_kind["visit_without_pairing"].zh and "户主C" in by_kind["visit_without_pairing"].zh
    assert "李明" in by_kind["visit_before_pairing"].zh and "户主A" in by_kind["visit_before_pairing"].zh


def test_disbursement_above_budget(db, places, ledger):
    with UnitOfWork(db) as uow:
        uow.add(ProjectProgress(project_id=ledger.projects[0], entry_date=date(2025, 9, 1), percent=100,
                                amount_fen=5_000_001))  # fmt: skip
    [anomaly] = found(db)
    assert (anomaly.kind, anomaly.ids) == ("over_budget", (ledger.projects[0],))
    assert anomaly.subject is not None and anomaly.subject.name == "岩背村光伏"
    assert "100,000.01" in anomaly.zh
    assert found(db, "331122101002") == []  # the project is in 岩背村, not 金竹村


def test_cadre_over_the_cap(db, places, ledger):
    with UnitOfWork(db) as uow:
        settings.put(uow.session, "cadre_household_cap", 1)
    [anomaly] = found(db)  # cadre 1 carries A and B
    assert (anomaly.kind, anomaly.ids) == ("cadre_over_cap", (ledger.cadres[0],))
    assert anomaly.subject is not None and anomaly.subject.name == "李明"
    assert found(db, "331122101002") == []  # 金竹村 has none of cadre 1's households


def test_household_without_members_or_income_record(db, places, ledger):
    # The last completed year on TODAY (2026-06-01) is 2025: A, B, C and E have 2025 records; D left in March
    # 2025 and owes none. A new household with no member and no record is reported twice, and so is E once
    # its record lacks the persons (a total without persons cannot be divided).
    from app.domain.models import IncomeRecord

    with UnitOfWork(db) as uow:
        lone = uow.add(Household(village_id=places.village_ids[0], head_name="赵空", head_id_number="X9",
                                 category="other", primary_cause="illness", registered_on=date(2024, 1, 1)))  # fmt: skip
        record = uow.session.query(IncomeRecord).filter_by(household_id=ledger.households["E"], year=2025).one()
        uow.update(record, persons=None)
    assert kinds(db) == {"household_without_members": 1, "household_without_income": 2}
    by_kind = {a.kind: a for a in found(db) if a.kind == "household_without_members"}
    assert by_kind["household_without_members"].ids == (lone.id,)
    with db.session() as s:
        assert {a.ids[0] for a in find_anomalies(s, today=TODAY) if a.kind == "household_without_income"} == {
            lone.id, ledger.households["E"],
        }  # fmt: skip
