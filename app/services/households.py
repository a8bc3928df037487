"""Households (低收入农户), their members (家庭成员) and yearly incomes (收入), and the household's exit.

Creating a household also creates its head as a member (relation 户主), with birth date and sex derived
from the resident ID; renaming the head keeps the member and the pinyin search keys in step. A resident ID
may be active in only one household of this database (as head or member). Households are never deleted:
``exit_household`` records 退出/迁出/销户 with date and reason and ends all the household's active
pairings in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.enums import (
    Employment,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    MemberLeftReason,
    PairingEndReason,
    PovertyCause,
    Relation,
    SchoolStage,
)
from app.domain.models import Household, HouseholdSpell, IncomeRecord, Member, Region, Synced
from app.domain.name_pinyin import name_initials, name_pinyin, reversed_id
from app.domain.validators import parse_resident_id
from app.errors import RuleViolation, ValidationError
from app.services import fields as f
from app.services.pairings import PAIRING, end_all_for
from app.services.records import (
    EntitySpec,
    EntityView,
    FieldSpec,
    Target,
    create_row,
    load,
    register,
    unique_rule,
    unit_of_work,
    update_row,
)
from app.services.uow import UnitOfWork

_DUPLICATE_ID_ZH = "该身份证号码已在另一户在册农户中登记（同一人不能在两户中同时在册）。"
_DUPLICATE_ID_EN = "This resident ID is already registered in another active household (one person, one household)."


def id_in_other_household(
    session: Session, number: str, household_id: str | None, member_id: str | None = None
) -> bool:
    """Whether ``number`` is already used in an active household: in another household (as head or member),
    or in the same one on another member's row. ``member_id`` is None when checking the head's ID on the
    household itself (its own head member row then does not count), "" for a new member."""
    active = (Household.status == HouseholdStatus.ACTIVE.value) & Household.deleted.is_(False)
    heads = select(Household.id).where(active, Household.head_id_number == number)
    if household_id is not None:
        heads = heads.where(Household.id != household_id)
    if session.scalars(heads).first() is not None:
        return True
    members = (
        select(Member.id, Member.household_id, Member.relation)
        .join(Household, Household.id == Member.household_id)
        .where(active, Member.deleted.is_(False), Member.id_number == number)
    )
    for mid, hid, relation in session.execute(members):
        if hid != household_id:
            return True
        if member_id is None and relation != Relation.HEAD.value:  # the head's ID on another member's row
            return True
        if member_id is not None and mid != member_id:
            return True
    return False


# ---------------------------------------------------------------- household


def _derive_household(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "head_name_pinyin": name_pinyin(values["head_name"]),
        "head_name_initials": name_initials(values["head_name"]),
        "head_id_reversed": reversed_id(values["head_id_number"]),
    }


def _household_id_unique(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    if id_in_other_household(session, values["head_id_number"], existing.id if existing else None):
        raise ValidationError(_DUPLICATE_ID_ZH, _DUPLICATE_ID_EN, field="head_id_number")


def _household_dates(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    if values.get("registered_on") and values["registered_on"] > date.today():
        raise ValidationError(
            "登记日期不能晚于今天。", "The registration date cannot be in the future.", field="registered_on"
        )


def _head_member_values(household: Household) -> dict[str, Any]:
    parsed = parse_resident_id(household.head_id_number, "head_id_number")
    return {
        "name": household.head_name,
        "id_number": household.head_id_number,
        "sex": parsed.sex,
        "birth_date": parsed.birth_date,
    }


def _add_head_member(uow: UnitOfWork, household: Household) -> None:
    uow.add(Member(household_id=household.id, relation=Relation.HEAD.value, **_head_member_values(household)))


def _sync_head_member(uow: UnitOfWork, household: Household) -> None:
    head = uow.session.scalars(
        select(Member).where(
            Member.household_id == household.id, Member.relation == Relation.HEAD.value, Member.deleted.is_(False)
        )
    ).first()
    if head is None:
        _add_head_member(uow, household)
    else:
        uow.update(head, **_head_member_values(household))


HOUSEHOLD = register(
    EntitySpec(
        Household,
        "农户",
        "household",
        (
            FieldSpec("village_id", "所在行政村", "Village", required=True, ref=Region, ref_levels=("village",)),
            FieldSpec("natural_village", "自然村", "Natural village", f.text(50)),
            FieldSpec("head_name", "户主姓名", "Head's name", f.person_name, required=True),
            FieldSpec("head_id_number", "户主身份证号码", "Head's resident ID", f.resident_id, required=True),
            FieldSpec("phone", "联系电话", "Phone", f.phone),
            FieldSpec("address", "住址", "Address", f.text(200)),
            FieldSpec("category", "农户类别", "Category", f.choice(HouseholdCategory), required=True),
            FieldSpec("primary_cause", "主要致贫原因", "Main cause of poverty", f.choice(PovertyCause), required=True),
            FieldSpec("other_causes", "其他致贫原因", "Other causes", f.choices(PovertyCause)),
            FieldSpec("registered_on", "登记日期", "Registered on", f.parse_date),
            FieldSpec("relocation", "异地搬迁对象", "Relocation", f.boolean),
            FieldSpec("relocation_note", "搬迁情况", "Relocation note", f.long_text),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        derive=_derive_household,
        rules=(_household_id_unique, _household_dates),
        after_create=_add_head_member,
        after_update=_sync_head_member,
        deletable=False,
    )
)


@dataclass(frozen=True)
class HouseholdExit:
    """The household after 退出/迁出/销户 and the pairings that ended with it."""

    household: EntityView
    ended: tuple[EntityView, ...]


_EXIT_STATUSES = (HouseholdStatus.EXITED, HouseholdStatus.MOVED_OUT, HouseholdStatus.CLOSED)


def _dated_with_reason(
    errors: list[ValidationError], on: Any, date_field: FieldSpec, reason: str, reason_zh: str, reason_field: str
) -> date:
    """A change of register status needs a past date (default today) and a reason; raises every problem
    found, with those already in ``errors``."""
    when = date.today()
    try:
        when = when if on in (None, "") else f.past_date(on, date_field)
    except ValidationError as exc:
        errors.append(exc)
    if not str(reason or "").strip():
        errors.append(ValidationError(reason_zh, "A reason is required.", field=reason_field))
    from app.services.records import raise_errors

    raise_errors(errors)
    return when


def exit_household(
    target: Target, household_id: str, status: Any, on: Any = None, reason: str = "", *, note: str | None = None
) -> HouseholdExit:
    """Exit (退出), move out (迁出) or close (销户) a household with a date and a reason; every active pairing
    of the household ends (reason household_exited) in the same transaction."""
    field_status = FieldSpec("status", "状态", "Status")
    code = f.choice(HouseholdStatus)(status, field_status)
    errors: list[ValidationError] = []
    if code not in _EXIT_STATUSES:
        errors.append(
            ValidationError("请选择退出、迁出或销户。", "Choose exited, moved out or closed.", field="status")
        )
    when = _dated_with_reason(
        errors, on, FieldSpec("status_date", "退出日期", "Exit date"), reason, "请填写退出原因。", "status_reason"
    )
    with unit_of_work(target) as uow:
        household = load(uow.session, Household, household_id, "农户", "household")
        if household.status != HouseholdStatus.ACTIVE:
            label = HouseholdStatus.from_label(household.status).zh
            raise RuleViolation(
                f"该农户已是“{label}”状态。",
                f"The household is already {HouseholdStatus.from_label(household.status).en.lower()}.",
            )
        if household.registered_on and when < household.registered_on:
            raise ValidationError(
                "退出日期早于登记日期。", "The exit date is before the registration date.", field="status_date"
            )
        uow.update(
            household, action="exit", note=note or reason, status=code, status_date=when, status_reason=reason.strip()
        )
        ended = end_all_for(
            uow, household_id=household.id, reason=PairingEndReason.HOUSEHOLD_EXITED, on=when, note=reason
        )
        uow.session.flush()
        result = HouseholdExit(HOUSEHOLD.snapshot(household), tuple(PAIRING.snapshot(p) for p in ended))
    return result


def reenter_household(
    target: Target, household_id: str, on: Any = None, reason: str = "", *, note: str | None = None
) -> EntityView:
    """Take a household that left (退出/迁出/销户) back onto the register (重新纳入) on ``on`` with a reason. The
    period it left is kept as a ``HouseholdSpell`` (registered, left, why; re-entered, why), so a past year
    still reads it as it stood; the household's current period starts on ``on``. Pair it again afterwards."""
    when = _dated_with_reason(
        [],
        on,
        FieldSpec("registered_on", "重新纳入日期", "Re-entry date"),
        reason,
        "请填写重新纳入原因。",
        "reentry_reason",
    )
    with unit_of_work(target) as uow:
        household = load(uow.session, Household, household_id, "农户", "household")
        if household.status == HouseholdStatus.ACTIVE or household.status_date is None:
            raise RuleViolation("该农户在册，无需重新纳入。", "The household is on the register already.")
        refusal = rules.reentry_refusal(household.status_date, when)
        if refusal is not None:
            raise ValidationError(*refusal, field="registered_on")
        numbers = uow.session.scalars(
            select(Member.id_number).where(
                Member.household_id == household.id, Member.deleted.is_(False), Member.id_number.is_not(None)
            )
        )
        if any(id_in_other_household(uow.session, str(n), household.id, "") for n in numbers):
            raise RuleViolation(
                "该户有成员已在另一户在册，不能重新纳入。",
                "A member of this household is now in another active household; it cannot be readmitted.",
            )
        uow.add(
            HouseholdSpell(
                household_id=household.id,
                registered_on=household.registered_on,
                left_on=household.status_date,
                left_status=household.status,
                left_reason=household.status_reason,
                reentered_on=when,
                reentry_reason=reason.strip(),
            ),
            note=note or reason,
        )
        uow.update(
            household,
            action="reenter",
            note=note or reason,
            status=HouseholdStatus.ACTIVE.value,
            registered_on=when,
            status_date=None,
            status_reason=None,
        )
        uow.session.flush()
        view = HOUSEHOLD.snapshot(household)
    return view


def change_status(
    target: Target, household_id: str, status: Any, on: Any = None, reason: str = "", *, note: str | None = None
) -> EntityView:
    """One entry for a status change (退出/迁出/销户 or 重新纳入), as the CLI and the import make it."""
    code = f.choice(HouseholdStatus)(status, FieldSpec("status", "状态", "Status"))
    if code == HouseholdStatus.ACTIVE.value:
        return reenter_household(target, household_id, on, reason, note=note)
    return exit_household(target, household_id, code, on, reason, note=note).household


# ---------------------------------------------------------------- members


def _derive_member(values: dict[str, Any]) -> dict[str, Any]:
    if not values.get("id_number"):
        return {}
    parsed = parse_resident_id(values["id_number"])
    return {"sex": parsed.sex, "birth_date": parsed.birth_date}


def _member_rules(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    member_id = existing.id if existing is not None else ""
    if values.get("id_number") and id_in_other_household(
        session, values["id_number"], values["household_id"], member_id
    ):
        raise ValidationError(_DUPLICATE_ID_ZH, _DUPLICATE_ID_EN, field="id_number")
    if values["relation"] == Relation.HEAD.value:
        other_head = select(Member.id).where(
            Member.household_id == values["household_id"],
            Member.relation == Relation.HEAD.value,
            Member.deleted.is_(False),
            Member.id != member_id,
        )
        if session.scalars(other_head).first() is not None:
            raise ValidationError("该户已有户主。", "The household already has a head.", field="relation")


MEMBER = register(
    EntitySpec(
        Member,
        "家庭成员",
        "household member",
        (
            FieldSpec("household_id", "所属农户", "Household", required=True, ref=Household, editable=False),
            FieldSpec("name", "姓名", "Name", f.person_name, required=True),
            FieldSpec("id_number", "身份证号码", "Resident ID", f.resident_id),
            FieldSpec("relation", "与户主关系", "Relation to head", f.choice(Relation), required=True),
            FieldSpec("health", "健康状况", "Health", f.choice(Health)),
            FieldSpec("labour", "劳动能力", "Labour capacity", f.choice(LabourCapacity)),
            FieldSpec("employment", "就业情况", "Employment", f.choice(Employment)),
            FieldSpec("school_stage", "在校情况", "School stage", f.choice(SchoolStage)),
            FieldSpec("doctor_contract", "责任医生签约", "Family-doctor contract", f.boolean),
            FieldSpec("joined_on", "迁入日期", "Joined on", f.past_date),
            FieldSpec("left_on", "减员日期", "Left on", f.past_date),
            FieldSpec("left_reason", "减员原因", "Why left", f.choice(MemberLeftReason)),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        derive=_derive_member,
        rules=(_member_rules,),
    )
)

SPELL = register(
    EntitySpec(
        HouseholdSpell,
        "农户在册时段",
        "earlier period on the register",
        (
            FieldSpec("household_id", "所属农户", "Household", required=True, ref=Household, editable=False),
            FieldSpec("registered_on", "认定日期", "Registered on", f.past_date),
            FieldSpec("left_on", "退出日期", "Left on", f.past_date, required=True),
            FieldSpec("left_status", "退出类型", "Left as", f.choice(HouseholdStatus), required=True),
            FieldSpec("left_reason", "退出原因", "Why it left", f.long_text),
            FieldSpec("reentered_on", "重新纳入日期", "Re-entered on", f.past_date, required=True),
            FieldSpec("reentry_reason", "重新纳入原因", "Why it re-entered", f.long_text, required=True),
        ),
    )
)

# ---------------------------------------------------------------- incomes

INCOME = register(
    EntitySpec(
        IncomeRecord,
        "农户收入",
        "household income",
        (
            FieldSpec("household_id", "所属农户", "Household", required=True, ref=Household, editable=False),
            FieldSpec("year", "年度", "Year", f.year, required=True),
            FieldSpec("total_fen", "家庭年可支配收入", "Household disposable income (year)", f.fen),
            FieldSpec("persons", "计算人口", "Persons covered", f.persons),
            FieldSpec("wage_fen", "工资性收入", "Wage income", f.fen),
            FieldSpec("business_fen", "经营净收入", "Net business income", f.fen),
            FieldSpec("property_fen", "财产净收入", "Net property income", f.fen),
            FieldSpec("transfer_fen", "转移净收入", "Net transfer income", f.fen),
        ),
        rules=(
            unique_rule(
                ("household_id", "year"),
                "该户该年度的收入已登记，请修改原记录。",
                "This household's income for that year is already recorded; edit that record.",
            ),
        ),
    )
)


def record_income(
    target: Target,
    household_id: str,
    year: Any,
    total_fen: Any,
    persons: Any,
    *,
    note: str | None = None,
    **by_source: Any,
) -> EntityView:
    """Record a household's disposable income for a year: the total (fen) and the persons it covers, as the
    national system records them (per-capita = total ÷ persons). Replaces that year's record if there is one.
    ``by_source``: optional ``wage_fen``, ``business_fen``, ``property_fen``, ``transfer_fen``.

    The one way the UI, the CLI and the importers record an income."""
    data = {"household_id": household_id, "year": year, "total_fen": total_fen, "persons": persons, **by_source}
    with unit_of_work(target) as uow:
        clean_year = f.year(year, INCOME.field("year"))
        stored = uow.session.scalars(
            select(IncomeRecord).where(
                IncomeRecord.household_id == household_id,
                IncomeRecord.year == clean_year,
                IncomeRecord.deleted.is_(False),
            )
        ).first()
        if stored is None:
            row = create_row(uow, INCOME, data, note=note)
        else:
            row = update_row(uow, INCOME, stored.id, {k: v for k, v in data.items() if k != "household_id"}, note=note)
        uow.session.flush()
        return INCOME.snapshot(row)


def household_active_on(session: Session, values: dict[str, Any], date_field: str, zh: str, en: str) -> None:
    """A rule for records about a household at a date (visit, benefit): the household was on the register
    then, its exit day or before its first 认定 (``rules.record_date_refusal``, which reads ``rules.on_register``)."""
    household = session.get(Household, values.get("household_id")) if values.get("household_id") else None
    on = values.get(date_field)
    if household is None or on is None:
        return
    spells = tuple(
        rules.Spell(registered_on, left_on, status, back_on)
        for registered_on, left_on, status, back_on in session.execute(
            select(
                HouseholdSpell.registered_on,
                HouseholdSpell.left_on,
                HouseholdSpell.left_status,
                HouseholdSpell.reentered_on,
            ).where(HouseholdSpell.household_id == household.id, HouseholdSpell.deleted.is_(False))
        )
    )
    refusal = rules.record_date_refusal(
        household.registered_on, household.status, household.status_date, spells, on, zh, en
    )
    if refusal is not None:
        raise RuleViolation(*refusal, field=date_field)
