"""The Sunshine-rule (阳光扶贫) self-check: rows that an auditor should look at (DOMAIN.md "Sunshine rules").

``find_anomalies(session, scope)`` lists, each with the ids involved:

- ``duplicate_id``: one resident ID in two households (heads and members alike) — in two villages, or, only
  visible at county/city level, in two townships or counties;
- ``benefit_after_exit`` / ``visit_after_exit``: a benefit or visit dated after the household left the list;
- ``visit_before_pairing`` / ``visit_without_pairing``: a visit by a cadre whose pairing with the household
  began later, or who was never paired with it;
- ``over_budget``: a project whose disbursements (the sum of its progress entries) exceed its budget;
- ``cadre_over_cap``: a cadre carrying more active households than the configured cap;
- ``household_without_members`` / ``household_without_income``: a household on the register (today) with no
  member on the roll, or with no complete income record (total and persons) for the year — what the
  indicators count as 未填 ("数据不全").

All checks are SQL aggregates (portable Core); messages mask resident IDs. Call from the worker thread or CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, not_, select, union_all
from sqlalchemy.orm import Session, aliased

from app.domain import rules
from app.domain.enums import BenefitKind, HouseholdStatus, PairingKind
from app.domain.models import (
    Benefit,
    Cadre,
    Household,
    IncomeRecord,
    Member,
    Pairing,
    Project,
    ProjectProgress,
    Region,
    Visit,
)
from app.domain.validators import format_yuan, mask_id_number
from app.services import settings
from app.services.scope import Scope, any_row, region_filter, resolve_scope, village_filter


@dataclass(frozen=True)
class Ref:
    """One row involved: its table, id and the name a person knows it by (household head, cadre, project;
    empty for a visit or benefit, which are named through their household)."""

    entity: str
    id: str
    name: str = ""


@dataclass(frozen=True)
class Anomaly:
    kind: str
    zh: str
    en: str
    refs: tuple[Ref, ...]

    @property
    def subject(self) -> Ref | None:
        """The first named row (household, cadre or project): what the anomaly is about, what opens."""
        return next((r for r in self.refs if r.name), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.refs)

    def description(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "zh": self.zh, "en": self.en, "refs": [r.__dict__ for r in self.refs]}


KINDS: dict[str, tuple[str, str]] = {
    "duplicate_id": ("身份证号重复登记", "Resident ID registered twice"),
    "benefit_after_exit": ("退出后仍享受政策", "Benefit after the household's exit"),
    "visit_after_exit": ("退出后仍有走访记录", "Visit after the household's exit"),
    "visit_before_pairing": ("走访早于结对开始", "Visit before the pairing began"),
    "visit_without_pairing": ("走访干部与农户无结对关系", "Visit by a cadre not paired with the household"),
    "over_budget": ("项目支出超预算", "Project disbursement above budget"),
    "cadre_over_cap": ("干部结对户数超上限", "Cadre over the household cap"),
    "household_without_members": ("在册农户无家庭成员", "Household on the register without members"),
    "household_without_income": ("在册农户缺本年度收入记录", "Household without an income record for the year"),
}
"""Every kind with its Chinese and English title, in report order."""

_LIVE_HH = Household.deleted == false()


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    return village_filter(Household.village_id, scope)


# -- duplicate resident IDs


def _duplicate_ids(session: Session, scope: Scope) -> list[Anomaly]:
    """IDs held by more than one live household anywhere, reported when at least one of them is in scope."""
    people = union_all(
        select(Household.head_id_number.label("number"), Household.id.label("household_id")).where(_LIVE_HH),
        select(Member.id_number, Member.household_id)
        .join(Household, Household.id == Member.household_id)
        .where(Member.deleted == false(), _LIVE_HH, Member.id_number.is_not(None)),
    ).subquery()
    in_scope = select(Household.id).where(_in_scope(scope)) if not scope.is_all else None
    having = func.count(func.distinct(people.c.household_id)) > 1
    query = select(people.c.number).group_by(people.c.number).having(having).order_by(people.c.number)
    if in_scope is not None:
        query = query.having(func.sum(case((people.c.household_id.in_(in_scope), 1), else_=0)) > 0)
    numbers = list(session.scalars(query))
    if not numbers:
        return []
    town = aliased(Region)
    rows = session.execute(
        select(people.c.number, Household.id, Household.head_name, Region.name, town.code, town.name)
        .distinct()
        .join(Household, Household.id == people.c.household_id)
        .join(Region, Region.id == Household.village_id)
        .outerjoin(town, town.id == Region.parent_id)
        .where(people.c.number.in_(numbers))
        .order_by(people.c.number, town.code, Region.name, Household.id)
    ).all()
    by_number: dict[str, list[Any]] = {}
    for row in rows:
        by_number.setdefault(row[0], []).append(row)
    out = []
    for number, items in by_number.items():
        townships = {r[4] for r in items}
        counties = {(r[4] or "")[:6] for r in items}
        villages = "、".join(dict.fromkeys(f"{r[2]}（{r[3]}）" for r in items))
        where_zh, where_en = (
            ("两个县", "two counties")
            if len(counties) > 1
            else ("两个乡镇", "two townships")
            if len(townships) > 1
            else ("两个村", "two villages")
            if len({r[3] for r in items}) > 1
            else ("同一村的两户", "two households of one village")
        )
        masked = mask_id_number(number)
        out.append(
            _anomaly(
                "duplicate_id",
                f"身份证号 {masked} 在{where_zh}重复登记（{len(items)} 户：{villages}）",
                f"Resident ID {masked} is registered in {where_en} ({len(items)} households)",
                [("household", r[1], r[2]) for r in items],
            )
        )
    return out


# -- after exit


_EXITED = [_LIVE_HH, Household.status != HouseholdStatus.ACTIVE.value, Household.status_date.is_not(None)]


def _after_exit(session: Session, scope: Scope, model: Any, day_column: Any, *extra: Any) -> list[Any]:
    """Rows of ``model`` (benefit or visit) dated after their household left the list."""
    return list(
        session.execute(
            select(model.id, model.household_id, Household.head_name, day_column, Household.status_date, *extra)
            .join(Household, Household.id == model.household_id)
            .where(model.deleted == false(), *_EXITED, _in_scope(scope), day_column > Household.status_date)
            .order_by(day_column, model.id)
        )
    )


def _benefits_after_exit(session: Session, scope: Scope) -> list[Anomaly]:
    out = []
    rows = _after_exit(session, scope, Benefit, Benefit.benefit_date, Benefit.kind)
    for bid, hid, head, day, exit_day, kind in rows:
        label = BenefitKind._value2member_map_.get(kind)
        out.append(
            _anomaly(
                "benefit_after_exit",
                f"农户{head}：{day} 发放“{getattr(label, 'zh', kind)}”，而该户已于 {exit_day} 退出",
                f"Household {head}: '{getattr(label, 'en', kind)}' on {day}, after it left the list on {exit_day}",
                [("benefit", bid), ("household", hid, head)],
            )
        )
    return out


def _visits_after_exit(session: Session, scope: Scope) -> list[Anomaly]:
    visitor = aliased(Cadre)
    rows = _after_exit(session, scope, Visit, Visit.visit_date, Visit.cadre_id, _name_of(visitor, Visit.cadre_id))
    return [
        _anomaly(
            "visit_after_exit",
            f"农户{head}：干部{cadre} {day} 的走访记录晚于该户退出日期 {exit_day}",
            f"Household {head}: a visit by {cadre} on {day}, after it left the list on {exit_day}",
            [("visit", vid), ("household", hid, head), ("cadre", cid, cadre)],
        )
        for vid, hid, head, day, exit_day, cid, cadre in rows
    ]


def _name_of(cadre: Any, cadre_id: Any) -> Any:
    """The cadre's name as a scalar subquery (a visit's cadre, read beside the visit)."""
    return select(cadre.name).where(cadre.id == cadre_id).scalar_subquery()


# -- visits and pairings


def _pairing_of_visit(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_household_id,
        Pairing.subject_household_id == Visit.household_id,
        Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value,
        Pairing.helper_cadre_id == Visit.cadre_id,
        Pairing.deleted == false(),
        *where,
    )


def _visits_vs_pairing(session: Session, scope: Scope) -> list[Anomaly]:
    """Visits with no pairing of that cadre and household begun by the visit date, split by whether one
    began later (dated too early) or none exists at all."""
    began_later = _pairing_of_visit()
    visitor = aliased(Cadre)
    rows = session.execute(
        select(
            Visit.id,
            Visit.household_id,
            Household.head_name,
            Visit.cadre_id,
            _name_of(visitor, Visit.cadre_id),
            Visit.visit_date,
            began_later,
        )
        .join(Household, Household.id == Visit.household_id)
        .where(
            Visit.deleted == false(),
            _LIVE_HH,
            _in_scope(scope),
            not_(_pairing_of_visit(Pairing.start_date <= Visit.visit_date)),
        )
        .order_by(Visit.visit_date, Visit.id)
    ).all()
    out = []
    for vid, hid, head, cid, cadre, day, has_pairing in rows:
        refs: list[tuple[str, str | None] | tuple[str, str | None, str]] = [
            ("visit", vid),
            ("household", hid, head),
            ("cadre", cid, cadre),
        ]
        if has_pairing:
            out.append(
                _anomaly(
                    "visit_before_pairing",
                    f"干部{cadre}走访农户{head}（{day}）早于两人结对的开始日期",
                    f"{cadre} visited household {head} on {day}, before their pairing began",
                    refs,
                )
            )
        else:
            out.append(
                _anomaly(
                    "visit_without_pairing",
                    f"干部{cadre}走访农户{head}（{day}），但从未与该户结对",
                    f"{cadre} visited household {head} on {day} but was never paired with it",
                    refs,
                )
            )
    return out


# -- money


def _over_budget(session: Session, scope: Scope) -> list[Anomaly]:
    spent = func.coalesce(func.sum(ProjectProgress.amount_fen), 0)
    rows = session.execute(
        select(Project.id, Project.name, Project.budget_fen, spent)
        .join(ProjectProgress, and_(ProjectProgress.project_id == Project.id, ProjectProgress.deleted == false()))
        .where(Project.deleted == false(), region_filter(Project.region_id, scope))
        .group_by(Project.id, Project.name, Project.budget_fen)
        .having(spent > Project.budget_fen)
        .order_by(Project.name, Project.id)
    ).all()
    return [
        _anomaly(
            "over_budget",
            f"项目“{name}”已支出 {format_yuan(int(total))} 元，超过预算 {format_yuan(budget)} 元",
            f"Project '{name}' disbursed {format_yuan(int(total))} yuan, above its budget of {format_yuan(budget)}",
            [("project", pid, name)],
        )
        for pid, name, budget, total in rows
    ]


# -- cadres


def _cadres_over_cap(session: Session, scope: Scope, today: date) -> list[Anomaly]:
    cap = int(settings.get(session, "cadre_household_cap"))
    active = rules.pairing_active_sql(Pairing, PairingKind.HOUSEHOLD_CADRE.value, today)
    load = func.count(Pairing.id)
    query = (
        select(Pairing.helper_cadre_id, Cadre.name, load)
        .join(Cadre, Cadre.id == Pairing.helper_cadre_id)
        .join(Household, Household.id == Pairing.subject_household_id)
        .where(*active, _LIVE_HH)
        .group_by(Pairing.helper_cadre_id, Cadre.name)
        .having(load > cap)
        .order_by(load.desc(), Cadre.name)
    )
    if not scope.is_all:
        query = query.having(func.sum(case((_in_scope(scope), 1), else_=0)) > 0)
    return [
        _anomaly(
            "cadre_over_cap",
            f"干部{name}结对 {count} 户，超过上限 {cap} 户",
            f"Cadre {name} carries {count} households, above the cap of {cap}",
            [("cadre", cid, name)],
        )
        for cid, name, count in session.execute(query)
    ]


# -- data the indicators cannot count (未填)


def _missing_data(session: Session, scope: Scope, today: date, year: int) -> list[Anomaly]:
    on_register = [rules.on_register_sql(Household, today), _in_scope(scope)]
    # A household owes a record for the year only if it was on the register at the year's end.
    owes_income = rules.on_register_sql(Household, min(today, date(year, 12, 31)))
    member = any_row(Member.household_id, Member.household_id == Household.id, rules.member_on_sql(Member, today))
    income = any_row(
        IncomeRecord.household_id,
        IncomeRecord.household_id == Household.id,
        IncomeRecord.year == year,
        IncomeRecord.deleted == false(),
        IncomeRecord.total_fen.is_not(None),
        IncomeRecord.persons > 0,
    )
    found: list[Anomaly] = []
    columns = (Household.id, Household.head_name, Household.head_id_number)
    order = (Household.head_name, Household.id)
    for hid, name, number in session.execute(select(*columns).where(*on_register, not_(member)).order_by(*order)):
        found.append(
            _anomaly(
                "household_without_members",
                f"农户{name}（{mask_id_number(number)}）没有家庭成员记录",
                f"Household of {name} ({mask_id_number(number)}) has no members on record",
                [("household", hid, name)],
            )
        )
    for hid, name, number in session.execute(
        select(*columns).where(*on_register, owes_income, not_(income)).order_by(*order)
    ):
        found.append(
            _anomaly(
                "household_without_income",
                f"农户{name}（{mask_id_number(number)}）缺{year}年收入记录（家庭收入与人口）",
                f"Household of {name} ({mask_id_number(number)}) has no {year} income record (total and persons)",
                [("household", hid, name)],
            )
        )
    return found


def _anomaly(
    kind: str, zh: str, en: str, refs: Sequence[tuple[str, str | None] | tuple[str, str | None, str]]
) -> Anomaly:
    """``refs``: (entity, id) or (entity, id, name); rows without an id (no cadre on a visit) are left out."""
    return Anomaly(kind, zh, en, tuple(Ref(r[0], r[1], str(r[2] or "") if len(r) > 2 else "") for r in refs if r[1]))


_CHECKS: list[Callable[[Session, Scope], list[Anomaly]]] = [
    _duplicate_ids,
    _benefits_after_exit,
    _visits_after_exit,
    _visits_vs_pairing,
    _over_budget,
]


def find_anomalies(
    session: Session, scope: str | Scope | None = None, *, today: date | None = None, year: int | None = None
) -> list[Anomaly]:
    """Every anomaly touching ``scope`` (region id, division code, or None for the whole database). Income
    records are checked for ``year`` (default: the last completed year, whose income is known)."""
    today = today or date.today()
    resolved = resolve_scope(session, scope)
    found: list[Anomaly] = []
    for check in _CHECKS:
        found += check(session, resolved)
    found += _cadres_over_cap(session, resolved, today)
    found += _missing_data(session, resolved, today, year or today.year - 1)
    order = list(KINDS)
    return sorted(found, key=lambda a: order.index(a.kind))


def summary(anomalies: list[Anomaly]) -> dict[str, int]:
    """Count per kind, every kind present (zero where none)."""
    counts = dict.fromkeys(KINDS, 0)
    for a in anomalies:
        counts[a.kind] += 1
    return counts


__all__ = ["KINDS", "Anomaly", "Ref", "find_anomalies", "summary"]
