"""The household indicators are sums of per-village partials stored in the ledger and kept current by triggers.

- Property: over random ledgers and random writes between two reads, the figure read through the stored
  partials equals the figure computed with the partial table emptied, for every household indicator, for the
  whole ledger, a township and one village.
- Each trigger: a write to each table the sums read gives the right village a new stamp (both villages when a
  household moves), and nothing else.
- A read-only database still answers; an older ledger migrates keeping its data and figures; the audit trail
  does not see the derived tables.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, text

from app.domain.models import (
    Cadre,
    Department,
    Household,
    HouseholdSpell,
    IncomeRecord,
    IndicatorPartial,
    Member,
    Pairing,
    Region,
    VillageIncome,
    VillageStamp,
    Visit,
)
from app.services import indicator_partials
from app.services.indicators import VILLAGE_SUMMED, clear_cache, compute, compute_all, coverage_by_village
from app.services.uow import UnitOfWork
from app.storage import migrate
from app.storage.database import open_database
from tests.conftest import PASSWORD
from tests.integration.test_indicator_property import _build, days, ledger, member

HOUSEHOLD_KEYS = list(VILLAGE_SUMMED)

write = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 9)),
    st.tuples(st.just("exit"), st.integers(0, 9), days),
    st.tuples(st.just("tombstone_household"), st.integers(0, 9)),
    st.tuples(st.just("member_facts"), st.integers(0, 9), member),
    st.tuples(st.just("add_member"), st.integers(0, 9), member),
    st.tuples(st.just("member_left"), st.integers(0, 9), days),
    st.tuples(
        st.just("income"), st.integers(0, 9), st.integers(2025, 2026), st.integers(0, 9_000_000), st.integers(1, 6)
    ),
    st.tuples(st.just("pairing"), st.integers(0, 9), days),
    st.tuples(st.just("visit"), st.integers(0, 9), days),
    st.tuples(st.just("tombstone_visit"), st.integers(0, 9)),
    st.tuples(st.just("spell"), st.integers(0, 9), days),
)


def _apply(db: Any, town_code: str, op: tuple[Any, ...]) -> None:
    """One write through the unit of work, as the services make them."""
    kind, index, *args = op
    with UnitOfWork(db) as uow:
        s = uow.session
        town = s.scalars(select(Region.id).where(Region.code == town_code)).one()
        villages = s.scalars(select(Region.id).where(Region.parent_id == town).order_by(Region.code)).all()
        households = s.scalars(
            select(Household).where(Household.village_id.in_(villages)).order_by(Household.head_id_number)
        ).all()
        h = households[index % len(households)]
        members = s.scalars(select(Member).where(Member.household_id == h.id).order_by(Member.name)).all()
        cadre = s.scalars(select(Cadre.id).join(Department).where(Department.name == f"部门{town_code[-3:]}")).first()
        if kind == "move":
            uow.update(h, village_id=villages[1] if h.village_id == villages[0] else villages[0])
        elif kind == "exit":
            uow.update(h, status="exited", status_date=args[0])
        elif kind == "tombstone_household":
            uow.tombstone(h)
        elif kind in ("member_facts", "add_member"):
            p = args[0]
            facts = dict(labour=p["labour"], employment=p["employment"], doctor_contract=p["doctor"],
                         school_stage=p["stage"], birth_date=p["birth"])  # fmt: skip
            if kind == "member_facts" and members:
                uow.update(members[0], **facts)
            else:
                uow.add(Member(household_id=h.id, name=f"新{len(members)}", relation=p["relation"], **facts))
        elif kind == "member_left" and members:
            uow.update(members[-1], left_on=args[0], left_reason="moved_out")
        elif kind == "income":
            year, total, persons = args
            record = s.scalars(select(IncomeRecord).where(IncomeRecord.household_id == h.id,
                                                          IncomeRecord.year == year)).first()  # fmt: skip
            if record is None:
                uow.add(IncomeRecord(household_id=h.id, year=year, total_fen=total, persons=persons))
            else:
                uow.update(record, total_fen=total, persons=persons)
        elif kind == "pairing":
            pairing = s.scalars(select(Pairing).where(Pairing.subject_household_id == h.id)).first()
            if pairing is not None and pairing.end_date is None and args[0] >= pairing.start_date:
                uow.update(pairing, end_date=args[0])
            elif cadre is not None:
                uow.add(Pairing(kind="household_cadre", subject_household_id=h.id, helper_cadre_id=cadre,
                                start_date=args[0]))  # fmt: skip
        elif kind == "visit" and cadre is not None:
            uow.add(Visit(cadre_id=cadre, household_id=h.id, visit_date=args[0], mode="home"))
        elif kind == "tombstone_visit":
            visit = s.scalars(select(Visit).where(Visit.household_id == h.id, Visit.deleted.is_(False))).first()
            if visit is not None:
                uow.tombstone(visit)
        elif kind == "spell":
            left = args[0]
            uow.add(HouseholdSpell(household_id=h.id, registered_on=date(left.year - 1, 1, 1), left_on=left,
                                   left_status="exited", reentered_on=left, reentry_reason="重新纳入"))  # fmt: skip


def _recomputed(db: Any, key: str, scope: str | None, year: int, today: date) -> Any:
    """The figure with the partial table emptied (in a transaction rolled back after: the stored sums of the
    run under test stay as they are), nothing remembered in memory."""
    clear_cache()
    with db.session() as s:
        s.execute(delete(IndicatorPartial))
        figure = compute(s, key, scope, year, today=today, cache=False)
        s.rollback()
    return figure


def _through_partials(db: Any, key: str, scope: str | None, year: int, today: date) -> Any:
    with db.session() as s:
        return compute(s, key, scope, year, today=today, cache=False)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=ledger, writes=st.lists(write, min_size=1, max_size=4), few=st.booleans())
def test_stored_partials_give_the_figure_computed_afresh_after_every_write(db, places, spec, writes, few):
    """``few``: every stale village is recomputed through the scope's filter (the path a new day takes when most
    villages are stale), instead of an IN list of the stale ones."""
    town = _build(db, places.county_id, spec)
    year, today = spec["year"], spec["today"]
    with db.session() as s:
        village = s.scalars(select(Region.id).where(Region.code == f"{town}001")).one()
    with mock.patch.object(indicator_partials, "_FEW", -1 if few else indicator_partials._FEW):
        for step in [None, *writes]:
            if step is not None:
                _apply(db, town, step)
            for scope in (None, town, village):
                for key in HOUSEHOLD_KEYS:
                    stored = _through_partials(db, key, scope, year, today)
                    assert stored == _recomputed(db, key, scope, year, today), (key, scope, step)
    with db.session() as s:  # the sums were stored, not only computed
        assert s.scalar(select(func.count()).select_from(IndicatorPartial)) > 0


def _stamps(db: Any) -> dict[str, int]:
    with db.session() as s:
        return {v: stamp for v, stamp in s.execute(select(VillageStamp.village_id, VillageStamp.stamp))}


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {v for v in before.keys() | after.keys() if before.get(v, 0) != after.get(v, 0)}


def test_each_write_stamps_the_village_it_touches(db, places) -> None:
    """Inserting, updating and tombstoning a row of each table the sums read gives a new stamp to the village
    of the household concerned — both villages when a household moves — and to no other village."""
    first, second, third = places.village_ids
    with UnitOfWork(db) as uow:
        dept = uow.add(Department(name="部门", level="county", kind="party_gov"))
        uow.session.flush()
        cadre = uow.add(Cadre(name="干部", department_id=dept.id, status="serving"))
        household = uow.add(Household(village_id=first, head_name="王芳", head_id_number="X1", category="other",
                                      primary_cause="illness"))  # fmt: skip
    ids = {"household": household.id, "cadre": cadre.id}

    def stamped(change: Any) -> set[str]:
        before = _stamps(db)
        with UnitOfWork(db) as uow:
            change(uow, uow.session)
        return _changed(before, _stamps(db))

    def row(model: Any, **where: Any) -> Any:
        def get(s: Any) -> Any:
            return s.scalars(select(model).filter_by(**where)).one()

        return get

    hid = ids["household"]
    assert stamped(lambda u, s: u.update(s.get(Household, hid), phone="13900000000")) == {first}
    assert stamped(lambda u, s: u.add(Member(household_id=hid, name="李强", relation="head"))) == {first}
    assert stamped(lambda u, s: u.update(row(Member, name="李强")(s), labour="able")) == {first}
    assert stamped(lambda u, s: u.add(IncomeRecord(household_id=hid, year=2026, total_fen=1, persons=1))) == {first}
    assert stamped(lambda u, s: u.update(row(IncomeRecord, household_id=hid)(s), persons=2)) == {first}
    assert stamped(lambda u, s: u.add(Pairing(kind="household_cadre", subject_household_id=hid,
                                              helper_cadre_id=ids["cadre"], start_date=date(2026, 1, 1)))) == {first}  # fmt: skip
    assert stamped(lambda u, s: u.update(row(Pairing, subject_household_id=hid)(s), end_date=date(2026, 6, 1))) == {
        first
    }
    assert stamped(lambda u, s: u.add(Visit(cadre_id=ids["cadre"], household_id=hid, visit_date=date(2026, 5, 1),
                                            mode="home"))) == {first}  # fmt: skip
    assert stamped(lambda u, s: u.tombstone(row(Visit, household_id=hid)(s))) == {first}
    assert stamped(lambda u, s: u.add(HouseholdSpell(household_id=hid, left_on=date(2025, 1, 1), left_status="exited",
                                                     reentered_on=date(2025, 3, 1), reentry_reason="返贫"))) == {first}  # fmt: skip
    # A household that moves: both villages; its members, records … now stamp the new one.
    assert stamped(lambda u, s: u.update(s.get(Household, hid), village_id=second)) == {first, second}
    assert stamped(lambda u, s: u.update(row(Member, name="李强")(s), employment="in_county")) == {second}
    # Region-level rows stamp their village: a department pairing, a collective income, the key-village flag.
    assert stamped(lambda u, s: u.add(Pairing(kind="village_department", subject_region_id=third,
                                              helper_department_id=dept.id, start_date=date(2026, 1, 1)))) == {third}  # fmt: skip
    assert stamped(lambda u, s: u.add(VillageIncome(village_id=third, year=2026, income_fen=5))) == {third}
    assert stamped(lambda u, s: u.update(s.get(Region, third), is_key_village=True)) == {third}
    assert stamped(lambda u, s: u.tombstone(s.get(Household, hid))) == {second}
    # A hard delete (a restore or a repair by hand) stamps too.
    before = _stamps(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM visit WHERE household_id = :h"), {"h": hid})
    assert _changed(before, _stamps(db)) == {second}
    # Something the sums do not read stamps nothing.
    assert stamped(lambda u, s: u.update(s.get(Cadre, ids["cadre"]), phone="13800000000")) == set()


def _two_villages(db: Any, places: Any) -> None:
    """Two households in the first village (one paired), one in the second (unpaired)."""
    with UnitOfWork(db) as uow:
        dept = uow.add(Department(name="部门", level="county", kind="party_gov"))
        uow.session.flush()
        cadre = uow.add(Cadre(name="干部", department_id=dept.id, status="serving"))
        homes = [
            uow.add(Household(village_id=places.village_ids[v], head_name=f"户{n}", head_id_number=f"X{n}",
                              category="other", primary_cause="illness", registered_on=date(2020, 1, 1)))
            for n, v in enumerate([0, 0, 1])
        ]  # fmt: skip
        uow.session.flush()
        uow.add(Pairing(kind="household_cadre", subject_household_id=homes[0].id, helper_cadre_id=cadre.id,
                        start_date=date(2020, 1, 1)))  # fmt: skip


def test_a_write_recomputes_only_its_village(db, places) -> None:
    _two_villages(db, places)
    today = date(2026, 6, 1)
    with db.session() as s:
        first = compute(s, "coverage_households", today=today, cache=False)
    # 3 households on the register, 1 with exactly one cadre: 1 / 3 = 33.3 %.
    assert (first.numerator, first.denominator, first.value) == (1, 3, 33.3)
    with db.session() as s:
        stored = set(
            s.scalars(select(IndicatorPartial.village_id).where(IndicatorPartial.key == "coverage_households"))
        )
    assert set(places.village_ids) <= set(stored)
    with UnitOfWork(db) as uow:
        home = uow.session.scalars(select(Household).where(Household.head_name == "户2")).one()
        uow.update(home, status="exited", status_date=date(2026, 3, 1))
    clear_cache()
    recomputed: list[set[str]] = []
    real_store = indicator_partials._store

    def spy(session: Any, key: str, ref: date, variant: str, sums: Any, stamps: Any, *, prune: bool) -> None:
        recomputed.append(set(sums))
        real_store(session, key, ref, variant, sums, stamps, prune=prune)

    with mock.patch.object(indicator_partials, "_store", spy), db.session() as s:
        after = compute(s, "coverage_households", today=today, cache=False)
    # 户2 (second village) left on 1 March: 2 on the register, 1 paired: 1 / 2 = 50.0 %.
    assert (after.numerator, after.denominator, after.value) == (1, 2, 50.0)
    assert recomputed == [{places.village_ids[1]}]
    # The chart of coverage by village reads the same sums: 岩背村 1 of 2, 金竹村 0 of 0 (not listed).
    with db.session() as s:
        assert coverage_by_village(s, today=today) == [("岩背村", 2, 1)]


def test_a_place_without_a_stamp_is_never_taken_as_current(db, places) -> None:
    """Every place gets a stamp row (seeded by the migration, made by the region trigger) and the triggers only
    update rows; were one missing, its village is recomputed on every read rather than trusted."""
    _two_villages(db, places)
    today = date(2026, 6, 1)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM village_stamps WHERE village_id = :v"), {"v": places.village_ids[1]})
    with db.session() as s:
        assert compute(s, "coverage_households", today=today, cache=False).denominator == 3
    with db.engine.begin() as conn:  # 户2 leaves; nothing stamps the second village now
        conn.execute(text("UPDATE household SET status = 'exited', status_date = '2026-03-01' WHERE head_name = '户2'"))
    clear_cache()
    with db.session() as s:
        after = compute(s, "coverage_households", today=today, cache=False)
    assert (after.numerator, after.denominator) == (1, 2)  # 户0 paired, 户1 not; 户2 gone


def test_a_read_only_database_still_answers(db, places, db_path) -> None:
    """Storing is best effort: an immutable, read-only ledger computes every figure and writes nothing."""
    from tests.bench.baselines import open_read_only

    _two_villages(db, places)
    today = date(2026, 6, 1)
    with db.session() as s:
        expected = compute_all(s, today=today, cache=False)
    with db.session() as s:  # the sums were stored when that session ended; start from none
        assert s.scalar(select(func.count()).select_from(IndicatorPartial)) > 0
        s.execute(delete(IndicatorPartial))
        s.commit()
    db.close()
    clear_cache()
    readonly = open_read_only(db_path, PASSWORD)
    try:
        with readonly.session() as s:
            assert compute_all(s, today=today, cache=False) == expected
            assert s.scalar(select(func.count()).select_from(IndicatorPartial)) == 0
    finally:
        readonly.engine.dispose()


def test_a_writer_holding_the_lock_does_not_delay_or_break_a_figure(db, places) -> None:
    """While another connection holds the write lock the sums are computed and not stored (no waiting)."""
    _two_villages(db, places)
    today = date(2026, 6, 1)
    with db.session() as writer:
        writer.execute(text("UPDATE household SET note = 'busy'"))  # holds the write lock until rollback
        with db.session() as s:
            figure = compute(s, "coverage_households", today=today, cache=False)
        writer.rollback()
    assert (figure.numerator, figure.denominator) == (1, 3)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IndicatorPartial)) == 0


def test_an_older_ledger_migrates_keeping_its_data_and_figures(db, places, db_path) -> None:
    """A ledger of revision 0009 (no partials, no triggers) opens at the head with both, the same rows and the
    same figures; the audit trail still verifies (the derived tables are not audited)."""
    from app.audit import verify

    _two_villages(db, places)
    today = date(2026, 6, 1)
    with db.session() as s:
        before = compute_all(s, today=today, cache=False)
        counts = {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in ("household", "pairing", "audit_entry")}
    with db.engine.begin() as conn:  # the schema of 0009: drop what 0011 made
        for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
            conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(text("DROP TABLE indicator_partials"))
        conn.execute(text("DROP TABLE village_stamps"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0009_indicator_speed'"))
    db.close()
    clear_cache()
    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.session() as s:
            assert {t: s.scalar(text(f"SELECT count(*) FROM {t}")) for t in counts} == counts
            assert compute_all(s, today=today, cache=False) == before
            triggers = s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"))
            assert triggers == 9 * 3  # 8 tables (a pairing's household and region apart) × insert, update, delete
            # every place has a stamp to be updated: county, township, 3 villages
            assert s.scalar(select(func.count()).select_from(VillageStamp)) == 5
        with upgraded.session() as s:
            assert s.scalar(select(func.count()).select_from(IndicatorPartial)) > 0
            assert verify(s).ok
