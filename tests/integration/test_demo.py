"""The demo generator: repeatable, valid and unique IDs, plausible figures, cancel leaves nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from app.demo import DemoCancelled, DemoRefused, generate
from app.domain import rules
from app.domain.models import AuditEntry, Household, Member, Pairing, Region, Visit
from app.domain.validators import parse_resident_id
from app.services.anomalies import find_anomalies, summary
from app.services.indicators import compute_all
from tests.conftest import PASSWORD
from tests.ledger_template import fresh_ledger

TODAY = date(2026, 6, 1)
N = 300


def _content(db) -> tuple:
    """Everything that should repeat with the seed (ids and stamps aside)."""
    with db.session() as s:
        households = s.execute(
            select(Household.head_name, Household.head_id_number, Household.category, Household.status,
                   Region.code).join(Region, Region.id == Household.village_id).order_by(Household.head_id_number,
                                                                                         Region.code)
        ).all()  # fmt: skip
        members = s.scalars(select(Member.id_number).order_by(Member.id_number)).all()
        visits = s.execute(select(Visit.visit_date, Visit.mode).order_by(Visit.visit_date, Visit.mode)).all()
        pairings = s.execute(select(Pairing.kind, Pairing.start_date).order_by(Pairing.kind, Pairing.start_date)).all()
    return households, members, visits, pairings


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One generated ledger shared by the read-only tests of this module (generation is the slow part)."""
    database = fresh_ledger(tmp_path_factory.mktemp("demo") / "demo.db", PASSWORD)
    database.set_node("331122101", "壶镇镇", "township")
    generate(database, households=N, seed=5, today=TODAY)
    yield database
    database.close()


def test_same_seed_same_data(demo_db, db):
    generate(db, households=N, seed=5, today=TODAY)
    assert _content(db) == _content(demo_db)


def test_different_seed_different_data(demo_db, db):
    generate(db, households=N, seed=6, today=TODAY)
    assert _content(db)[0] != _content(demo_db)[0]


def test_ids_valid_and_unique_but_for_the_planted_duplicate(demo_db):
    with demo_db.session() as s:
        heads = s.scalars(select(Household.head_id_number)).all()
        members = s.execute(select(Member.id_number, Member.birth_date, Member.sex)).all()
        codes = s.scalars(select(Region.code).where(Region.level == "village")).all()
    assert len(heads) == N
    for number, birth, sex in members:
        parsed = parse_resident_id(number)
        assert (parsed.birth_date, parsed.sex) == (birth, sex)
        assert parsed.region_code in {"331122", "332526"}  # 缙云县, or its pre-2000 code
    repeated = [n for n, c in Counter(heads).items() if c > 1]
    assert len(repeated) == 1  # the planted duplicate, and only it
    assert len(set(heads)) == N - 1
    assert all(len(c) == 12 and c.startswith("331122101") for c in codes)


def test_plausible_figures_and_planted_anomalies(demo_db):
    with demo_db.session() as s:
        figures = {i.key: i for i in compute_all(s, None, TODAY.year, today=TODAY)}
        anomalies = summary(find_anomalies(s, today=TODAY))
    for key in ("coverage_households", "visits_on_time", "doctor_contract"):
        assert 0 < figures[key].value < 100, key
    assert figures["coverage_townships"].value == 100.0  # one township, one leader
    assert figures["coverage_villages"].ok is False  # a weak village left without a department
    assert 5000 < figures["income_average"].value < 40000
    assert figures["followups_overdue"].value > 0
    for kind in ("duplicate_id", "benefit_after_exit", "visit_after_exit", "visit_before_pairing", "cadre_over_cap"):
        assert anomalies[kind] >= 1, kind
    assert anomalies["visit_without_pairing"] == 0


def test_members_consistent_with_age(demo_db):
    with demo_db.session() as s:
        rows = s.execute(select(Member.birth_date, Member.labour, Member.employment, Member.school_stage)).all()
    for birth, labour, employment, stage in rows:
        age = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
        if age < 16:
            assert labour == "none" and employment == "none"
        if 6 <= age <= 11:
            # The 31 August rule: a six-year-old born after 31 August is still in 学前教育 until September.
            school = "preschool" if rules.school_start(birth) > TODAY else "primary"
            assert stage in (school, "dropped_out")
        if age >= 25:
            assert stage == "not_student"


def test_cancel_leaves_nothing(db):
    with pytest.raises(DemoCancelled):
        generate(db, households=N, seed=1, cancel=lambda: True, today=TODAY)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0
        assert s.scalar(select(func.count()).select_from(Region)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_refuses_a_database_with_households(demo_db):
    with pytest.raises(DemoRefused):
        generate(demo_db, households=10, seed=1, today=TODAY)


@pytest.mark.slow
def test_county_node_gets_its_whole_county_with_progress(tmp_path):
    db = fresh_ledger(tmp_path / "county.db", PASSWORD)
    seen: list[tuple[int, int]] = []
    try:
        db.set_node("331127", "景宁畲族自治县", "county")
        generate(db, households=2500, seed=2, progress=lambda d, t: seen.append((d, t)), today=TODAY)
        with db.session() as s:
            towns = s.scalars(select(Region.code).where(Region.level == "township")).all()
            counties = s.scalars(select(Region.code).where(Region.level == "county")).all()
    finally:
        db.close()
    assert counties == ["331127"] and len(towns) == 21 and all(t.startswith("331127") for t in towns)
    assert seen[-1] == (2500, 2500) and len(seen) >= 2


def test_children_carry_the_fathers_surname(db) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from app.demo import generate
    from app.domain.models import Member

    generate(db, households=120, seed=7)
    head, child = aliased(Member), aliased(Member)
    with db.session() as s:
        pairs = s.execute(
            select(head.name, child.name)
            .join(child, child.household_id == head.household_id)
            .where(head.relation == "head", head.sex == "male", child.relation == "child")
        ).all()
    assert len(pairs) > 20
    assert all(kid[0] == father[0] for father, kid in pairs)


def test_resident_ids_stay_unique_when_every_order_code_of_a_day_is_taken(db) -> None:
    """The demo no longer keeps every number it issued (1.5 M strings at 500k households): the n-th person of a
    prefix, birth day and sex takes the n-th order code. All 500 codes of one day and sex are distinct, valid
    and of that sex; the 501st is refused in one line rather than repeated."""
    import random

    from app.demo import _Generator
    from app.errors import BangfuError
    from app.services.uow import UnitOfWork

    birth = date(2000, 2, 29)  # after 1995: the county's current prefix only
    with UnitOfWork(db, actor="demo") as uow:
        gen = _Generator(db, uow, random.Random(3), 1, TODAY)
        women = [gen.resident_id("331122", birth, male=False) for _ in range(500)]
        with pytest.raises(BangfuError):
            gen.resident_id("331122", birth, male=False)
        man = gen.resident_id("331122", birth, male=True)  # the men's codes are their own
    assert len(set(women)) == 500
    for number in [*women, man]:
        parsed = parse_resident_id(number)
        assert (parsed.birth_date, parsed.region_code) == (birth, "331122")
    assert {parse_resident_id(n).sex for n in women} == {"female"} and parse_resident_id(man).sex == "male"
