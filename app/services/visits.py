"""Visits (走访记录) with follow-ups (待办事项), and benefits (享受政策/帮扶措施) households received.

``records.create(db, VISIT, {...})`` logs a visit (date defaults to today, never in the future; a
follow-up needs a due date not before the visit); ``close_follow_up`` closes one with a result;
``open_follow_ups`` / ``overdue_follow_ups`` list what is pending. ``records.create(db, BENEFIT, {...})``
records a benefit. Neither may be dated while the household was off the register (after it left, or between
an exit and its re-entry: ``rules.record_date_refusal``), nor a visit after its cadre left.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.enums import BenefitKind, VisitMode
from app.domain.models import Benefit, Cadre, Household, Region, Synced, Visit
from app.errors import RuleViolation, ValidationError
from app.services import fields as f
from app.services.households import household_active_on
from app.services.records import (
    EntitySpec,
    EntityView,
    FieldSpec,
    Target,
    load,
    raise_errors,
    register,
    unit_of_work,
)
from app.services.regions import village_ids_under
from app.storage.database import Database


def _visit_rules(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    if not values.get("household_id") and not values.get("village_id"):
        raise ValidationError(
            "请选择走访的农户或行政村。", "Choose the household or the village visited.", field="household_id"
        )
    if values.get("household_id") and values.get("village_id"):
        # A household visit may name its village (the form fills it in), but never another one.
        household = session.get(Household, values["household_id"])
        if household is not None and household.village_id != values["village_id"]:
            raise ValidationError(
                "走访行政村须为该户所在的村。",
                "The village visited must be the household's own village.",
                field="village_id",
            )
    due = values.get("follow_up_due")
    if due is not None and not values.get("follow_up"):
        raise ValidationError(
            "填写了办结期限，请同时填写待办事项。", "A due date needs a follow-up.", field="follow_up"
        )
    if due is not None and due < values["visit_date"]:
        raise ValidationError(
            "办结期限不能早于走访日期。", "The due date cannot be before the visit.", field="follow_up_due"
        )
    if values.get("follow_up") and due is None:
        raise ValidationError("待办事项须填写办结期限。", "A follow-up needs a due date.", field="follow_up_due")
    cadre = session.get(Cadre, values["cadre_id"])
    if cadre is not None and cadre.left_on is not None and values["visit_date"] > cadre.left_on:
        raise RuleViolation(
            f"干部{cadre.name}已于{cadre.left_on}调离，不能登记此后的走访。",
            f"Cadre {cadre.name} left on {cadre.left_on}; no visit after that can be recorded.",
            field="visit_date",
        )
    household_active_on(session, values, "visit_date", "走访", "visit")


VISIT = register(
    EntitySpec(
        Visit,
        "走访记录",
        "visit",
        (
            FieldSpec("cadre_id", "走访干部", "Cadre", required=True, ref=Cadre),
            FieldSpec("household_id", "走访农户", "Household", ref=Household),
            FieldSpec("village_id", "走访行政村", "Village", ref=Region, ref_levels=("village",)),
            FieldSpec("visit_date", "走访日期", "Visit date", f.past_date, required=True, default=date.today),
            FieldSpec("mode", "走访方式", "Mode", f.choice(VisitMode), required=True),
            FieldSpec("findings", "存在问题", "Findings", f.long_text),
            FieldSpec("measures", "帮扶措施", "Measures", f.long_text),
            FieldSpec("follow_up", "待办事项", "Follow-up", f.long_text),
            FieldSpec("follow_up_due", "办结期限", "Follow-up due", f.parse_date),
        ),
        rules=(_visit_rules,),
    )
)


def close_follow_up(target: Target, visit_id: str, result: str, closed_on: Any = None) -> EntityView:
    """Close a visit's follow-up with what was done (办结情况) and when (default today)."""
    closed_field = FieldSpec("follow_up_closed_on", "办结日期", "Closed on")
    errors: list[ValidationError] = []
    if not str(result or "").strip():
        errors.append(
            ValidationError("请填写办结情况。", "Describe how the follow-up was resolved.", field="follow_up_result")
        )
    when = date.today()
    try:
        when = when if closed_on in (None, "") else f.past_date(closed_on, closed_field)
    except ValidationError as exc:
        errors.append(exc)
    raise_errors(errors)
    with unit_of_work(target) as uow:
        visit = load(uow.session, Visit, visit_id, "走访记录", "visit")
        if not visit.follow_up:
            raise RuleViolation("该走访没有待办事项。", "The visit has no follow-up to close.")
        if visit.follow_up_closed_on is not None:
            raise RuleViolation(
                f"该待办事项已于{visit.follow_up_closed_on}办结。",
                f"The follow-up was already closed on {visit.follow_up_closed_on}.",
            )
        if when < visit.visit_date:
            raise ValidationError(
                "办结日期不能早于走访日期。", "It cannot be closed before the visit.", field=closed_field.name
            )
        uow.update(visit, action="close", follow_up_closed_on=when, follow_up_result=str(result).strip())
        view = VISIT.snapshot(visit)
    return view


def open_follow_ups(
    db: Database,
    *,
    overdue_on: date | None = None,
    cadre_id: str | None = None,
    region_id: str | None = None,
) -> list[EntityView]:
    """Follow-ups not yet closed, earliest due first; with ``overdue_on``, only those due before that day."""
    query = (
        select(Visit)
        .where(Visit.deleted.is_(False), Visit.follow_up_closed_on.is_(None), Visit.follow_up_due.is_not(None))
        .order_by(Visit.follow_up_due, Visit.id)
    )
    if overdue_on is not None:
        query = query.where(*rules.follow_up_overdue_sql(Visit, overdue_on))
    if cadre_id is not None:
        query = query.where(Visit.cadre_id == cadre_id)
    with db.session() as session:
        if region_id is not None:
            villages = village_ids_under(session, region_id)
            households = select(Household.id).where(Household.village_id.in_(villages))
            query = query.where(Visit.household_id.in_(households) | Visit.village_id.in_(villages))
        return [VISIT.snapshot(v) for v in session.scalars(query)]


def overdue_follow_ups(db: Database, *, as_of: date | None = None, **scope: Any) -> list[EntityView]:
    """Open follow-ups whose due date has passed (as of today by default)."""
    return open_follow_ups(db, overdue_on=as_of or date.today(), **scope)


def _benefit_rules(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    household_active_on(session, values, "benefit_date", "帮扶措施", "benefit")


BENEFIT = register(
    EntitySpec(
        Benefit,
        "享受政策",
        "benefit",
        (
            FieldSpec("household_id", "农户", "Household", required=True, ref=Household),
            FieldSpec("kind", "政策/措施类别", "Kind", f.choice(BenefitKind), required=True),
            FieldSpec("benefit_date", "享受日期", "Date", f.past_date, required=True, default=date.today),
            FieldSpec("amount_fen", "金额", "Amount", f.fen),
            FieldSpec("provider", "实施单位", "Provider", f.text(100)),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        rules=(_benefit_rules,),
        noted_fields=frozenset({"amount_fen"}),
    )
)
