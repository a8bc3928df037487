"""Households, members and incomes through the generic services: validation names fields, IDs are unique
per active household, pinyin keys follow the name, exit ends pairings, every change is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import audit
from app.domain.models import AuditEntry, Household, Member, Pairing
from app.errors import BangfuError, NotFound, RuleViolation, ValidationError, ValidationErrors
from app.services import records
from app.services.households import HOUSEHOLD, INCOME, MEMBER, exit_household
from app.services.pairings import pair

from .conftest import resident_id


def test_create_household_stores_pinyin_keys_and_head_member(ledger):
    number = resident_id(birth="19750312", sex="female")
    hh = ledger.add_household("王 芳", head_id_number=number, phone="138 0000 1234", other_causes="因残、缺技术")
    assert (hh.head_name, hh.head_name_pinyin, hh.head_name_initials) == ("王芳", "wangfang", "wf")
    assert hh.head_id_reversed == number[::-1]
    assert hh.phone == "13800001234"
    assert hh.other_causes == ["disability", "no_skills"]
    assert hh.category == "dibao" and hh.status == "active"
    with ledger.db.session() as s:
        head = s.scalars(select(Member).where(Member.household_id == hh.id)).one()
    assert (head.relation, head.name, head.sex, head.birth_date) == ("head", "王芳", "female", date(1975, 3, 12))


def test_polyphonic_surname_read_as_surname(ledger):
    hh = ledger.add_household("单雄信")
    assert (hh.head_name_pinyin, hh.head_name_initials) == ("shanxiongxin", "sxx")


def test_rename_updates_pinyin_and_head_member(ledger):
    hh = ledger.add_household("王芳")
    renamed = records.update(ledger.db, HOUSEHOLD, hh.id, {"head_name": "曾小贤"})
    assert (renamed.head_name_pinyin, renamed.head_name_initials) == ("zengxiaoxian", "zxx")
    with ledger.db.session() as s:
        assert s.scalars(select(Member.name).where(Member.household_id == hh.id)).one() == "曾小贤"


def test_several_bad_fields_are_all_named(ledger):
    bad_id = resident_id()[:17] + ("0" if resident_id()[17] != "0" else "1")
    with pytest.raises(ValidationErrors) as info:
        records.create(
            ledger.db,
            HOUSEHOLD,
            {
                "village_id": ledger.places.village_ids[0],
                "head_name": "",
                "head_id_number": "33112219800101123" + "Y",
                "phone": "12345",
                "category": "富裕户",
                "primary_cause": "因病",
            },
        )
    fields = {e.field for e in info.value.errors}
    assert fields == {"head_name", "head_id_number", "phone", "category"}
    assert all(e.zh and e.en for e in info.value.errors)
    with pytest.raises(ValidationError) as one:
        ledger.add_household(head_id_number=bad_id)
    assert one.value.field == "head_id_number" and "校验位" in one.value.zh and "check digit" in one.value.en
    with ledger.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0  # nothing was written


def test_household_in_a_township_is_refused(ledger):
    with pytest.raises(ValidationError) as info:
        ledger.add_household(village_id=ledger.places.township_id)
    assert info.value.field == "village_id"


def test_same_active_id_in_two_households_is_refused(ledger):
    number = resident_id()
    ledger.add_household("王芳", head_id_number=number)
    with pytest.raises(ValidationError) as info:
        ledger.add_household("王芳", village=1, head_id_number=number)
    assert info.value.field == "head_id_number"
    other = ledger.add_household("张三")
    with pytest.raises(ValidationError) as member_info:
        records.create(
            ledger.db, MEMBER, {"household_id": other.id, "name": "王芳", "id_number": number, "relation": "配偶"}
        )
    assert member_info.value.field == "id_number"


def test_id_of_an_exited_household_may_register_again(ledger):
    number = resident_id()
    first = ledger.add_household("王芳", head_id_number=number)
    exit_household(ledger.db, first.id, "退出", date.today(), "人均收入稳定超过标准")
    again = ledger.add_household("王芳", village=2, head_id_number=number)
    assert again.id != first.id


def test_member_birth_and_sex_derived_and_second_head_refused(ledger):
    hh = ledger.add_household()
    child = records.create(
        ledger.db,
        MEMBER,
        {
            "household_id": hh.id,
            "name": "王小明",
            "id_number": resident_id(birth="20120905", sex="male"),
            "relation": "儿子",
            "school_stage": "小学",
        },
    )
    assert (child.sex, child.birth_date, child.relation, child.school_stage) == (
        "male",
        date(2012, 9, 5),
        "child",
        "primary",
    )
    with pytest.raises(ValidationError) as info:
        records.create(ledger.db, MEMBER, {"household_id": hh.id, "name": "王大", "relation": "户主"})
    assert info.value.field == "relation"


def test_income_money_and_one_record_per_year(ledger):
    hh = ledger.add_household()
    rec = records.create(ledger.db, INCOME, {"household_id": hh.id, "year": 2024, "total": "2.4万", "persons": 2})
    assert (rec.total_fen, rec.persons) == (2_400_000, 2)
    with pytest.raises(ValidationError) as dup:
        records.create(ledger.db, INCOME, {"household_id": hh.id, "year": "2024年", "total_fen": 5, "persons": 1})
    assert dup.value.field == "year"
    with pytest.raises(ValidationError) as neg:
        records.create(ledger.db, INCOME, {"household_id": hh.id, "year": 2023, "total": "-5"})
    assert neg.value.field == "total_fen" and "负" in neg.value.zh
    with pytest.raises(ValidationError) as nobody:
        records.create(ledger.db, INCOME, {"household_id": hh.id, "year": 2023, "total_fen": 5, "persons": 0})
    assert nobody.value.field == "persons"


def test_record_income_replaces_the_years_record(ledger):
    from app.domain.models import IncomeRecord
    from app.services.households import record_income

    hh = ledger.add_household()
    record_income(ledger.db, hh.id, 2025, 3_000_000, 3)
    again = record_income(ledger.db, hh.id, "2025", 3_300_000, 3, wage_fen=1_000_000)
    assert (again.total_fen, again.persons, again.wage_fen) == (3_300_000, 3, 1_000_000)
    with ledger.db.session() as s:
        stored = s.query(IncomeRecord.total_fen, IncomeRecord.persons).filter_by(household_id=hh.id).all()
    assert [tuple(r) for r in stored] == [(3_300_000, 3)]


def test_households_cannot_be_deleted(ledger):
    hh = ledger.add_household()
    with pytest.raises(BangfuError) as info:
        records.tombstone(ledger.db, HOUSEHOLD, hh.id)
    assert "退出" in info.value.zh
    assert records.get(ledger.db, HOUSEHOLD, hh.id).deleted is False


def test_exit_ends_all_active_pairings_in_one_transaction(ledger):
    hh = ledger.add_household()
    cadre = ledger.add_cadre()
    p = pair(ledger.db, "household_cadre", hh.id, cadre.id, date.today() - timedelta(days=30))
    result = exit_household(ledger.db, hh.id, "exited", date.today(), "收入达标")
    assert result.household.status == "exited" and result.household.status_reason == "收入达标"
    assert [e.id for e in result.ended] == [p.id]
    assert result.ended[0].end_reason == "household_exited" and result.ended[0].end_date == date.today()
    with ledger.db.session() as s:
        stored = s.get(Pairing, p.id)
        assert stored.end_reason == "household_exited"
    with pytest.raises(RuleViolation):
        exit_household(ledger.db, hh.id, "closed", date.today(), "再次")
    with pytest.raises(RuleViolation):
        pair(ledger.db, "household_cadre", hh.id, cadre.id)


def test_exit_needs_reason_status_and_past_date(ledger):
    hh = ledger.add_household()
    with pytest.raises(ValidationErrors) as info:
        exit_household(ledger.db, hh.id, "active", date.today() + timedelta(days=3), "")
    assert {e.field for e in info.value.errors} == {"status", "status_date", "status_reason"}
    assert records.get(ledger.db, HOUSEHOLD, hh.id).status == "active"


def test_missing_household_is_not_found(ledger):
    with pytest.raises(NotFound):
        records.update(ledger.db, HOUSEHOLD, "no-such-id", {"phone": "13800001234"})


def test_every_change_is_audited_and_chain_verifies(ledger):
    hh = ledger.add_household()
    records.update(ledger.db, HOUSEHOLD, hh.id, {"phone": "0578-3123456"}, note="电话更正")
    exit_household(ledger.db, hh.id, "迁出", date.today(), "迁往县城")
    with ledger.db.session() as s:
        actions = s.execute(
            select(AuditEntry.action, AuditEntry.note)
            .where(AuditEntry.entity == "household", AuditEntry.entity_id == hh.id)
            .order_by(AuditEntry.seq)
        ).all()
        assert [a for a, _ in actions] == ["create", "update", "exit"]
        assert actions[1][1] == "电话更正"
        assert audit.verify(s).ok
