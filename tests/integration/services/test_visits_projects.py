"""Visits and follow-ups, benefits, projects (stages, money notes, progress, beneficiaries), places and
supporters, through the services against the real encrypted ledger."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import audit
from app.domain.models import AuditEntry, Benefit, Pairing, Visit
from app.domain.serialize import business_columns
from app.domain.validators import credit_code_check_char
from app.errors import RuleViolation, ValidationError, ValidationErrors
from app.services import catalog, records
from app.services.households import exit_household
from app.services.pairings import cadre_leaves, pair
from app.services.projects import PROGRESS, PROJECT, add_beneficiaries, change_stage, summary
from app.services.regions import REGION, VILLAGE_INCOME, set_key_village
from app.services.supporters import ENTERPRISE
from app.services.visits import BENEFIT, VISIT, close_follow_up, open_follow_ups, overdue_follow_ups

TODAY = date.today()
AGO = TODAY - timedelta(days=20)


def _visit(ledger, cadre, household, **extra):
    return records.create(
        ledger.db, VISIT, {"cadre_id": cadre.id, "household_id": household.id, "mode": "入户走访", **extra}
    )


def test_visit_defaults_to_today_and_rejects_future_and_bad_follow_up(ledger):
    hh, cadre = ledger.add_household(), ledger.add_cadre()
    visit = _visit(ledger, cadre, hh, findings="屋顶漏雨")
    assert (visit.visit_date, visit.mode) == (TODAY, "home")
    with pytest.raises(ValidationErrors) as info:
        _visit(ledger, cadre, hh, visit_date=TODAY + timedelta(days=1), mode="飞鸽传书")
    assert {e.field for e in info.value.errors} == {"visit_date", "mode"}
    with pytest.raises(ValidationError) as no_due:
        _visit(ledger, cadre, hh, follow_up="修屋顶")
    assert no_due.value.field == "follow_up_due"
    with pytest.raises(ValidationError) as early_due:
        _visit(ledger, cadre, hh, visit_date=AGO, follow_up="修屋顶", follow_up_due=AGO - timedelta(days=1))
    assert early_due.value.field == "follow_up_due"
    with pytest.raises(ValidationError) as elsewhere:  # the household lives in village 0
        _visit(ledger, cadre, hh, village_id=ledger.places.village_ids[1])
    assert elsewhere.value.field == "village_id"
    with pytest.raises(ValidationError) as neither:
        records.create(ledger.db, VISIT, {"cadre_id": cadre.id, "mode": "入户走访"})
    assert neither.value.field == "household_id"
    # the household's own village may be given with it (the form fills it in)
    assert _visit(ledger, cadre, hh, village_id=ledger.places.village_ids[0]).village_id == ledger.places.village_ids[0]


def test_village_visit(ledger):
    cadre = ledger.add_cadre()
    visit = records.create(
        ledger.db,
        VISIT,
        {"cadre_id": cadre.id, "village_id": ledger.places.village_ids[1], "mode": "座谈", "visit_date": "2024/5/6"},
    )
    assert (visit.village_id, visit.household_id, visit.visit_date) == (
        ledger.places.village_ids[1],
        None,
        date(2024, 5, 6),
    )


def test_follow_ups_open_overdue_and_closed_once(ledger):
    hh, cadre = ledger.add_household(), ledger.add_cadre()
    late = _visit(ledger, cadre, hh, visit_date=AGO, follow_up="申请危房改造", follow_up_due=AGO + timedelta(days=5))
    pending = _visit(ledger, cadre, hh, follow_up="联系就业岗位", follow_up_due=TODAY + timedelta(days=10))
    assert [v.id for v in open_follow_ups(ledger.db)] == [late.id, pending.id]
    assert [v.id for v in overdue_follow_ups(ledger.db)] == [late.id]
    assert [v.id for v in open_follow_ups(ledger.db, region_id=ledger.places.township_id)] == [late.id, pending.id]
    assert open_follow_ups(ledger.db, region_id=ledger.places.village_ids[2]) == []
    with pytest.raises(ValidationError) as no_result:
        close_follow_up(ledger.db, late.id, " ")
    assert no_result.value.field == "follow_up_result"
    closed = close_follow_up(ledger.db, late.id, "已列入改造计划")
    assert (closed.follow_up_closed_on, closed.follow_up_result) == (TODAY, "已列入改造计划")
    with pytest.raises(RuleViolation):
        close_follow_up(ledger.db, late.id, "再次")
    assert overdue_follow_ups(ledger.db) == []
    plain = _visit(ledger, cadre, hh)
    with pytest.raises(RuleViolation):
        close_follow_up(ledger.db, plain.id, "无")


def test_no_visit_or_benefit_after_exit_or_after_the_cadre_left(ledger):
    hh, cadre = ledger.add_household(), ledger.add_cadre()
    pair(ledger.db, "household_cadre", hh.id, cadre.id, AGO)
    records.create(
        ledger.db, BENEFIT, {"household_id": hh.id, "kind": "产业奖补", "benefit_date": AGO, "amount": "1,500"}
    )
    exit_household(ledger.db, hh.id, "退出", AGO + timedelta(days=1), "收入达标")
    with pytest.raises(RuleViolation) as visit_info:
        _visit(ledger, cadre, hh)
    assert visit_info.value.field == "visit_date"
    with pytest.raises(RuleViolation):
        records.create(ledger.db, BENEFIT, {"household_id": hh.id, "kind": "培训"})
    assert _visit(ledger, cadre, hh, visit_date=AGO).visit_date == AGO  # before the exit: fine
    other = ledger.add_household("张伟")
    cadre_leaves(ledger.db, cadre.id, AGO)
    with pytest.raises(RuleViolation):
        _visit(ledger, cadre, other)


def test_no_visit_or_benefit_in_the_gap_between_an_exit_and_the_re_entry(ledger):
    """Off the register from the day after the exit until the day before the re-entry: a visit or a benefit
    dated in that gap is refused, as one after an exit with no re-entry is; the exit day itself and the
    re-entry day are on the record (the exit visit, the first visit back)."""
    from app.services.households import reenter_household

    hh, cadre = ledger.add_household(), ledger.add_cadre()
    exit_day, back_day = TODAY - timedelta(days=60), TODAY - timedelta(days=30)
    exit_household(ledger.db, hh.id, "退出", exit_day, "收入达标")
    reenter_household(ledger.db, hh.id, back_day, "因病返贫")
    gap = exit_day + timedelta(days=1)
    with pytest.raises(RuleViolation) as visit_info:
        _visit(ledger, cadre, hh, visit_date=gap)
    assert visit_info.value.field == "visit_date"
    assert str(exit_day) in visit_info.value.zh and str(back_day) in visit_info.value.zh
    assert str(back_day) in visit_info.value.en
    with pytest.raises(RuleViolation) as benefit_info:
        records.create(
            ledger.db, BENEFIT, {"household_id": hh.id, "kind": "培训", "benefit_date": back_day - timedelta(days=1)}
        )
    assert benefit_info.value.field == "benefit_date"
    with ledger.db.session() as s:  # nothing was written
        assert s.scalar(select(func.count()).select_from(Visit)) == 0
        assert s.scalar(select(func.count()).select_from(Benefit)) == 0
    # the exit day and the re-entry day are on the record; so is any day before the exit
    assert _visit(ledger, cadre, hh, visit_date=exit_day).visit_date == exit_day
    assert _visit(ledger, cadre, hh, visit_date=back_day).visit_date == back_day
    kept = records.create(ledger.db, BENEFIT, {"household_id": hh.id, "kind": "培训", "benefit_date": AGO})
    assert kept.benefit_date == AGO


def test_benefit_money_in_yuan_and_its_change_needs_a_note(ledger):
    hh = ledger.add_household()
    benefit = records.create(ledger.db, BENEFIT, {"household_id": hh.id, "kind": "扶贫小额信贷", "amount": "5万"})
    assert benefit.amount_fen == 5_000_000
    with pytest.raises(ValidationError) as info:
        records.update(ledger.db, BENEFIT, benefit.id, {"amount": "4万"})
    assert info.value.field == "note"
    assert records.update(ledger.db, BENEFIT, benefit.id, {"amount": "4万"}, note="合同更正").amount_fen == 4_000_000


def _project(ledger, **extra):
    data = {
        "name": "岩背村茶叶基地",
        "category": "产业",
        "fund_source": "财政专项扶贫资金",
        "year": 2024,
        "place_level": "村",
        "region_id": ledger.places.village_ids[0],
        "budget": "50万",
        **extra,
    }
    return records.create(ledger.db, PROJECT, data)


def test_project_stages_step_forward_back_with_note_and_terminate(ledger):
    project = _project(ledger)
    assert (project.stage, project.budget_fen) == ("plan", 50_000_000)
    with pytest.raises(RuleViolation) as skip:
        change_stage(ledger.db, project.id, "审批")
    assert "申报" in skip.value.zh
    change_stage(ledger.db, project.id, "申报")
    change_stage(ledger.db, project.id, "approve")
    with pytest.raises(ValidationError) as back:
        change_stage(ledger.db, project.id, "申报")
    assert back.value.field == "note"
    assert change_stage(ledger.db, project.id, "申报", note="材料不全，退回补充").stage == "apply"
    for stage in ("审批", "实施", "验收"):
        change_stage(ledger.db, project.id, stage)
    done = change_stage(ledger.db, project.id, "完成", TODAY)
    assert (done.stage, done.completed_on) == ("done", TODAY)
    with pytest.raises(RuleViolation):
        change_stage(ledger.db, project.id, "终止", note="x")
    other = _project(ledger, name="光伏小康工程")
    with pytest.raises(ValidationError):
        change_stage(ledger.db, other.id, "终止")
    assert change_stage(ledger.db, other.id, "终止", note="选址不符合要求").stage == "terminated"
    with ledger.db.session() as s:
        notes = list(
            s.scalars(
                select(AuditEntry.note)
                .where(AuditEntry.entity_id == project.id, AuditEntry.action == "stage")
                .order_by(AuditEntry.seq)
            )
        )
    assert notes[0] == "计划 → 申报" and notes[2] == "审批 → 申报：材料不全，退回补充"


def test_project_money_changes_need_a_note_and_place_must_match(ledger):
    project = _project(ledger)
    with pytest.raises(ValidationError) as info:
        records.update(ledger.db, PROJECT, project.id, {"budget": "60万", "allocated": "20万"})
    assert info.value.field == "note" and "预算资金" in info.value.zh and "已拨付资金" in info.value.zh
    changed = records.update(ledger.db, PROJECT, project.id, {"allocated": "20万"}, note="县财政第一批拨付")
    assert changed.allocated_fen == 20_000_000
    assert records.update(ledger.db, PROJECT, project.id, {"description": "新建茶园"}).description == "新建茶园"
    with pytest.raises(ValidationError) as place:
        _project(ledger, region_id=ledger.places.township_id)
    assert place.value.field == "region_id"
    with pytest.raises(ValidationError) as money:
        _project(ledger, budget="-3")
    assert money.value.field == "budget_fen"


def test_progress_is_non_decreasing_and_disbursed_is_its_sum(ledger):
    project = _project(ledger)
    with pytest.raises(RuleViolation):
        records.create(ledger.db, PROGRESS, {"project_id": project.id, "percent": 10})
    for stage in ("申报", "审批", "实施"):
        change_stage(ledger.db, project.id, stage)
    records.create(ledger.db, PROGRESS, {"project_id": project.id, "entry_date": AGO, "percent": 30, "amount": "10万"})
    records.create(ledger.db, PROGRESS, {"project_id": project.id, "percent": "60%", "amount": "15万"})
    with pytest.raises(ValidationError) as down:
        records.create(ledger.db, PROGRESS, {"project_id": project.id, "percent": 50})
    assert down.value.field == "percent"
    with pytest.raises(ValidationError) as over:
        records.create(ledger.db, PROGRESS, {"project_id": project.id, "percent": 130})
    assert over.value.field == "percent"
    with pytest.raises(ValidationError) as neg:
        records.create(ledger.db, PROGRESS, {"project_id": project.id, "percent": 70, "amount_fen": -1})
    assert neg.value.field == "amount_fen"
    a, b = ledger.add_household("王芳"), ledger.add_household("张伟")
    add_beneficiaries(ledger.db, project.id, [a.id, b.id])
    with pytest.raises(ValidationError):
        add_beneficiaries(ledger.db, project.id, [a.id])
    result = summary(ledger.db, project.id)
    assert (result.disbursed_fen, result.percent, result.beneficiaries, result.over_budget) == (
        25_000_000,
        60,
        2,
        False,
    )


def test_beneficiary_removed_and_added_again(ledger):
    project = _project(ledger)
    hh = ledger.add_household()
    [row_id] = add_beneficiaries(ledger.db, project.id, [hh.id])
    records.tombstone(ledger.db, catalog.spec_for("project_beneficiary"), row_id)
    assert summary(ledger.db, project.id).beneficiaries == 0
    assert add_beneficiaries(ledger.db, project.id, [hh.id]) == [row_id]
    assert summary(ledger.db, project.id).beneficiaries == 1


def test_regions_codes_levels_and_key_village(ledger):
    town = ledger.places.township_id
    village = records.create(
        ledger.db, REGION, {"code": "331122101004", "name": "新建村", "level": "村", "parent_id": town}
    )
    assert set_key_village(ledger.db, village.id, True).is_key_village is True
    with pytest.raises(ValidationError) as dup:
        records.create(ledger.db, REGION, {"code": "331122101004", "name": "重复村", "level": "村", "parent_id": town})
    assert dup.value.field == "code"
    with pytest.raises(ValidationError) as short:
        records.create(ledger.db, REGION, {"code": "33112210105", "name": "短码村", "level": "村", "parent_id": town})
    assert short.value.field == "code"
    with pytest.raises(ValidationError) as parent:
        records.create(
            ledger.db,
            REGION,
            {"code": "331122101005", "name": "错上级", "level": "村", "parent_id": ledger.places.county_id},
        )
    assert parent.value.field == "parent_id"
    with pytest.raises(ValidationError) as key_town:
        set_key_village(ledger.db, town, True)
    assert key_town.value.field == "is_key_village"
    income = records.create(ledger.db, VILLAGE_INCOME, {"village_id": village.id, "year": 2024, "income": "8.5万"})
    assert income.income_fen == 8_500_000
    with pytest.raises(ValidationError):
        records.create(ledger.db, VILLAGE_INCOME, {"village_id": village.id, "year": 2024, "income": "9万"})
    pair(ledger.db, "village_department", village.id, ledger.department_id)
    with pytest.raises(RuleViolation):
        records.tombstone(ledger.db, REGION, village.id)


def test_enterprise_credit_code_and_helpers_with_pairings_cannot_be_deleted(ledger):
    first17 = "91331122MA2A0B1C2"
    good = first17 + credit_code_check_char(first17)
    bad = first17 + ("0" if good[-1] != "0" else "1")
    ent = records.create(
        ledger.db, ENTERPRISE, {"name": "缙云某农业公司", "credit_code": good.lower(), "phone": "05783123456"}
    )
    assert (ent.credit_code, ent.phone) == (good, "0578-3123456")
    with pytest.raises(ValidationError) as info:
        records.create(ledger.db, ENTERPRISE, {"name": "另一公司", "credit_code": bad})
    assert info.value.field == "credit_code" and "校验" in info.value.zh
    pairing = pair(ledger.db, "village_enterprise", ledger.places.village_ids[0], ent.id)
    with pytest.raises(RuleViolation):
        records.tombstone(ledger.db, ENTERPRISE, ent.id)
    from app.services.pairings import end_pairing

    end_pairing(ledger.db, pairing.id, "帮扶方退出")
    records.tombstone(ledger.db, ENTERPRISE, ent.id, note="企业注销")
    with ledger.db.session() as s:
        assert s.get(Pairing, pairing.id).end_reason == "helper_withdrew"
        assert audit.verify(s).ok


def test_unknown_and_uneditable_fields_are_refused(ledger):
    hh = ledger.add_household()
    with pytest.raises(ValidationErrors) as info:
        records.update(ledger.db, catalog.spec_for("household"), hh.id, {"status": "exited", "colour": "red"})
    assert {e.field for e in info.value.errors} == {"status", "colour"}


def test_catalog_covers_every_synced_entity():
    from app.domain.models import SYNCED_MODELS

    assert set(catalog.all_specs()) == {m.__tablename__ for m in SYNCED_MODELS}
    for spec in catalog.all_specs().values():
        assert all(f.zh and f.en for f in spec.fields)
        assert {f.name for f in spec.fields} <= set(business_columns(spec.model))
        assert spec.view.__name__ == f"{spec.model.__name__}View"
