"""The targets of the policy (DOMAIN.md "Targets"), each computed in SQL for a scope and a year.

``compute_all(session, scope, year)`` returns one ``Indicator`` per target; ``compute(session, key, …)`` one
of them; ``indicator_rows(session, key, scope, year, limit, offset)`` the list behind a number (the
uncovered households, the weak villages, the overdue follow-ups…). Everything is aggregated in the
database with portable SQLAlchemy Core (no SQLite-only SQL), so the same code serves a PostgreSQL hub.

"Active" for a pairing means active on the report's reference date (``scope.reference_date``): started on
or before it and not ended by then. Households counted are those 在册 (active) and not tombstoned.

Call from the database worker thread (or the CLI); results are frozen dataclasses, safe to hand to the GUI.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.domain.enums import (
    IN_SCHOOL_STAGES,
    Employment,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    PairingKind,
    ProjectCategory,
    ProjectStage,
    RegionLevel,
)
from app.domain.models import (
    AuditEntry,
    Cadre,
    Household,
    IncomeRecord,
    Member,
    NodeInfo,
    Pairing,
    Project,
    ProjectProgress,
    Region,
    VillageIncome,
    Visit,
)
from app.domain.validators import mask_id_number
from app.errors import ValidationError
from app.services import settings
from app.services.scope import (
    Scope,
    any_row,
    reference_date,
    region_filter,
    regions_inside,
    resolve_scope,
    village_filter,
)

AnySelect = Select[*tuple[Any, ...]]

# ------------------------------------------------------------------------------------------ results


class _JsonRow:
    """``to_dict()`` for the frozen result rows: plain values, dates as ISO text."""

    def to_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class Breakdown(_JsonRow):
    """Project money for one category or stage (fen)."""

    key: str
    zh: str
    en: str
    projects: int
    budget_fen: int
    allocated_fen: int
    disbursed_fen: int


@dataclass(frozen=True)
class Indicator:
    """One measured target. ``ok`` is None where the policy only asks for the figure to be reported."""

    key: str
    zh: str
    en: str
    value: float | None
    target: float | None
    unit: str
    ok: bool | None
    numerator: int | None
    denominator: int | None
    breakdown: tuple[Breakdown, ...] = ()

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["breakdown"] = [b.to_dict() for b in self.breakdown]
        return data


@dataclass(frozen=True)
class HouseholdRow(_JsonRow):
    """A household behind a number. ``detail`` depends on the indicator (see ``ROW_DETAIL``)."""

    household_id: str
    head_name: str
    id_number_masked: str
    village_code: str
    village_name: str
    category: str
    detail: int | date | None


@dataclass(frozen=True)
class RegionRow(_JsonRow):
    """A township or village behind a number, with its collective income of the year (fen) if recorded."""

    region_id: str
    code: str
    name: str
    level: str
    is_key_village: bool
    income_fen: int | None


@dataclass(frozen=True)
class MemberRow(_JsonRow):
    """A household member behind a number (a child out of school, a member without a doctor contract)."""

    member_id: str
    household_id: str
    name: str
    birth_date: date | None
    school_stage: str
    village_name: str


@dataclass(frozen=True)
class FollowUpRow(_JsonRow):
    """An open follow-up past its due date."""

    visit_id: str
    visit_date: date
    follow_up_due: date
    days_overdue: int
    cadre_name: str
    household_id: str | None
    head_name: str | None
    follow_up: str | None


@dataclass(frozen=True)
class ProjectRow(_JsonRow):
    """A project behind a number; money in fen, disbursed = the sum of its progress entries."""

    project_id: str
    name: str
    category: str
    stage: str
    year: int
    region_name: str
    budget_fen: int
    allocated_fen: int
    disbursed_fen: int
    planned_end_date: date | None


Row = HouseholdRow | RegionRow | MemberRow | FollowUpRow | ProjectRow | Breakdown


# ------------------------------------------------------------------------------------------ context


@dataclass(frozen=True)
class _Ctx:
    scope: Scope
    year: int
    ref: date
    settings: dict[str, Any] = field(hash=False)


def _context(session: Session, scope: str | Scope | None, year: int | None, today: date | None) -> _Ctx:
    today = today or date.today()
    year = year or today.year
    if not 2000 <= year <= today.year + 1:
        raise ValidationError("年份超出范围。", "The year is out of range.", field="year")
    return _Ctx(resolve_scope(session, scope), year, reference_date(year, today), settings.get_all(session))


def _live(model: Any) -> ColumnElement[bool]:
    return model.deleted == false()


def _active_households(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [
        _live(Household),
        Household.status == HouseholdStatus.ACTIVE.value,
        village_filter(Household.village_id, ctx.scope),
    ]


def _pairing_active(ctx: _Ctx, kind: PairingKind) -> list[ColumnElement[bool]]:
    return [
        Pairing.kind == kind.value,
        _live(Pairing),
        Pairing.start_date <= ctx.ref,
        or_(Pairing.end_date.is_(None), Pairing.end_date > ctx.ref),
    ]


def _cadre_count(ctx: _Ctx) -> Any:
    """Active household–cadre pairings of the outer ``Household`` row."""
    return (
        select(func.count())
        .where(Pairing.subject_household_id == Household.id, *_pairing_active(ctx, PairingKind.HOUSEHOLD_CADRE))
        .scalar_subquery()
    )


def _count(session: Session, *where: ColumnElement[bool], frm: Any = Household) -> int:
    return int(session.scalar(select(func.count()).select_from(frm).where(*where)) or 0)


def _counts(
    session: Session, *conditions: ColumnElement[bool], where: Sequence[ColumnElement[bool]] = (), frm: Any = Household
) -> list[int]:
    """``count(*)`` of the rows matching ``where`` plus, in the same pass, how many of them match each condition.

    One scan instead of one query per number: the counts of an indicator (total and uncovered, able and
    jobless …) share their WHERE clause, so the rows are read — and, under SQLCipher, decrypted — once.
    """
    columns = [func.count(), *(func.coalesce(func.sum(case((c, 1), else_=0)), 0) for c in conditions)]
    return [int(v or 0) for v in session.execute(select(*columns).select_from(frm).where(*where)).one()]


def _pct(num: int, den: int) -> float | None:
    return None if den == 0 else round(100.0 * num / den, 1)


def _yuan(fen: float | None) -> float | None:
    return None if fen is None else round(fen / 100.0, 2)


# ------------------------------------------------------------------------------------------ definitions
#
# Each indicator is a spec: labels, unit, a function computing the Indicator and a function giving the
# select behind it. Count and list share their WHERE clauses, so the list always matches the number.


@dataclass(frozen=True)
class _Spec:
    key: str
    zh: str
    en: str
    unit: str
    compute: Callable[[Session, _Ctx, _Spec], Indicator]
    rows: Callable[[_Ctx], AnySelect]
    row_type: type


def _make(spec: _Spec, value: float | None, target: float | None, ok: bool | None, num: int | None, den: int | None,
          breakdown: tuple[Breakdown, ...] = ()) -> Indicator:  # fmt: skip
    return Indicator(spec.key, spec.zh, spec.en, value, target, spec.unit, ok, num, den, breakdown)


def _coverage(spec: _Spec, covered: int, total: int) -> Indicator:
    value = _pct(covered, total)
    return _make(spec, value, 100.0, None if total == 0 else covered == total, covered, total)


def _zero_target(spec: _Spec, count: int, total: int | None) -> Indicator:
    return _make(spec, float(count), 0.0, count == 0, count, total)


# -- townships: 一乡一领导


def _townships(ctx: _Ctx) -> ColumnElement[bool]:
    return Region.id.in_(regions_inside(ctx.scope, RegionLevel.TOWNSHIP))


def _township_led(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_region_id,
        Pairing.subject_region_id == Region.id,
        *_pairing_active(ctx, PairingKind.TOWNSHIP_LEADER),
    )


def _cov_townships(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, uncovered = _counts(session, not_(_township_led(ctx)), where=[_townships(ctx)], frm=Region)
    return _coverage(spec, total - uncovered, total)


def _rows_townships(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(_townships(ctx), not_(_township_led(ctx)))


# -- key / weak villages: 一村一部门


def _weak(ctx: _Ctx) -> ColumnElement[bool]:
    threshold_fen = int(ctx.settings["weak_village_threshold_yuan"]) * 100
    return any_row(
        VillageIncome.village_id,
        VillageIncome.village_id == Region.id,
        VillageIncome.year == ctx.year,
        VillageIncome.income_fen < threshold_fen,
        _live(VillageIncome),
    )


def _villages(ctx: _Ctx) -> ColumnElement[bool]:
    return Region.id.in_(regions_inside(ctx.scope, RegionLevel.VILLAGE))


def _key_or_weak(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [_villages(ctx), or_(Region.is_key_village.is_(True), _weak(ctx))]


def _village_paired(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_region_id,
        Pairing.subject_region_id == Region.id,
        *_pairing_active(ctx, PairingKind.VILLAGE_DEPARTMENT),
    )


def _cov_villages(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, uncovered = _counts(session, not_(_village_paired(ctx)), where=_key_or_weak(ctx), frm=Region)
    return _coverage(spec, total - uncovered, total)


def _rows_villages(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(*_key_or_weak(ctx), not_(_village_paired(ctx)))


def _weak_villages(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, weak = _counts(session, _weak(ctx), where=[_villages(ctx)], frm=Region)
    return _zero_target(spec, weak, total)


def _rows_weak(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(_villages(ctx), _weak(ctx))


def _region_rows(ctx: _Ctx) -> AnySelect:
    income = (
        select(VillageIncome.income_fen)
        .where(VillageIncome.village_id == Region.id, VillageIncome.year == ctx.year, _live(VillageIncome))
        .limit(1)
        .scalar_subquery()
    )
    return select(Region.id, Region.code, Region.name, Region.level, Region.is_key_village, income).order_by(
        Region.code
    )


# -- households: 一户一干部


def _cov_households(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, uncovered = _counts(session, _cadre_count(ctx) != 1, where=_active_households(ctx))
    return _coverage(spec, total - uncovered, total)


def _household_rows(ctx: _Ctx, detail: Any) -> AnySelect:
    return (
        select(
            Household.id,
            Household.head_name,
            Household.head_id_number,
            Region.code,
            Region.name,
            Household.category,
            detail,
        )
        .join(Region, Region.id == Household.village_id)
        .where(*_active_households(ctx))
        .order_by(Region.code, Household.head_name, Household.id)
    )


def _rows_households(ctx: _Ctx) -> AnySelect:
    return _household_rows(ctx, _cadre_count(ctx)).where(_cadre_count(ctx) != 1)


# -- income (excluding 低保户)

_NOT_DIBAO = Household.category != HouseholdCategory.DIBAO.value


def _income_join(ctx: _Ctx, year: int, alias: Any = IncomeRecord) -> list[ColumnElement[bool]]:
    return [alias.household_id == Household.id, alias.year == year, _live(alias)]


def _income_avg(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, count = session.execute(
        select(func.coalesce(func.sum(IncomeRecord.per_capita_fen), 0), func.count())
        .select_from(Household)
        .join(IncomeRecord, and_(*_income_join(ctx, ctx.year)))
        .where(*_active_households(ctx), _NOT_DIBAO)
    ).one()
    target = float(ctx.settings["income_target_yuan"])
    value = _yuan(total / count) if count else None
    return _make(spec, value, target, None if value is None else value >= target, int(total), int(count))


def _rows_income(ctx: _Ctx) -> AnySelect:
    query = _household_rows(ctx, IncomeRecord.per_capita_fen).join(IncomeRecord, and_(*_income_join(ctx, ctx.year)))
    return query.where(_NOT_DIBAO).order_by(None).order_by(IncomeRecord.per_capita_fen, Household.id)


_PREVIOUS = aliased(IncomeRecord, name="previous_income")


def _growth_select(ctx: _Ctx, *columns: Any) -> AnySelect:
    return (
        select(*columns)
        .select_from(Household)
        .join(IncomeRecord, and_(*_income_join(ctx, ctx.year)))
        .join(_PREVIOUS, and_(*_income_join(ctx, ctx.year - 1, _PREVIOUS)))
        .where(*_active_households(ctx), _NOT_DIBAO)
    )


def _income_growth(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    """Growth of the same households' average (those with a record in both years), in percent."""
    current, previous = session.execute(
        _growth_select(
            ctx,
            func.coalesce(func.sum(IncomeRecord.per_capita_fen), 0),
            func.coalesce(func.sum(_PREVIOUS.per_capita_fen), 0),
        )
    ).one()
    target = float(ctx.settings["income_growth_target_pct"])
    rural = float(ctx.settings["rural_income_growth_pct"])
    value = round(100.0 * (current - previous) / previous, 1) if previous else None
    ok = None if value is None else value >= target and value > rural
    return _make(spec, value, max(target, rural), ok, int(current), int(previous))


def _rows_growth(ctx: _Ctx) -> AnySelect:
    growth = IncomeRecord.per_capita_fen - _PREVIOUS.per_capita_fen
    query = _household_rows(ctx, growth).join(IncomeRecord, and_(*_income_join(ctx, ctx.year)))
    query = query.join(_PREVIOUS, and_(*_income_join(ctx, ctx.year - 1, _PREVIOUS)))
    return query.where(_NOT_DIBAO).order_by(None).order_by(growth, Household.id)


# -- labour without employment (至少1人就业)


def _member_of(*where: ColumnElement[bool]) -> ColumnElement[bool]:
    return any_row(Member.household_id, Member.household_id == Household.id, _live(Member), *where)


def _nobody_employed() -> ColumnElement[bool]:
    return not_(_member_of(Member.employment != Employment.NONE.value))


def _jobless(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [*_active_households(ctx), _member_of(Member.labour == LabourCapacity.ABLE.value), _nobody_employed()]


def _labour(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    able = _member_of(Member.labour == LabourCapacity.ABLE.value)
    total, jobless = _counts(session, _nobody_employed(), where=[*_active_households(ctx), able])
    return _zero_target(spec, jobless, total)


def _rows_labour(ctx: _Ctx) -> AnySelect:
    able = (
        select(func.count())
        .where(Member.household_id == Household.id, _live(Member), Member.labour == LabourCapacity.ABLE.value)
        .scalar_subquery()
    )
    return _household_rows(ctx, able).where(*_jobless(ctx))


# -- members: school-age children out of school, family-doctor contracts


def _members(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [_live(Member), *_active_households(ctx)]


def _school_age(ctx: _Ctx) -> list[ColumnElement[bool]]:
    """Aged 6 to 15 on the reference date: born after ref − 16 years and on or before ref − 6 years."""
    return [Member.birth_date > _years_before(ctx.ref, 16), Member.birth_date <= _years_before(ctx.ref, 6)]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_OUT_OF_SCHOOL = Member.school_stage.not_in([s.value for s in IN_SCHOOL_STAGES])


_MEMBERS_JOIN = Member.__table__.join(Household.__table__, Household.id == Member.household_id)


def _school(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, out = _counts(session, _OUT_OF_SCHOOL, where=[*_members(ctx), *_school_age(ctx)], frm=_MEMBERS_JOIN)
    return _zero_target(spec, out, total)


def _member_rows(ctx: _Ctx, *where: ColumnElement[bool]) -> AnySelect:
    return (
        select(Member.id, Member.household_id, Member.name, Member.birth_date, Member.school_stage, Region.name)
        .join(Household, Household.id == Member.household_id)
        .join(Region, Region.id == Household.village_id)
        .where(*_members(ctx), *where)
        .order_by(Region.code, Member.household_id, Member.id)
    )


def _rows_school(ctx: _Ctx) -> AnySelect:
    return _member_rows(ctx, *_school_age(ctx), _OUT_OF_SCHOOL)


def _doctor(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, signed = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Member.doctor_contract.is_(True), 1), else_=0)), 0))
        .select_from(Member)
        .join(Household, Household.id == Member.household_id)
        .where(*_members(ctx))
    ).one()
    return _coverage(spec, int(signed), int(total))


def _rows_doctor(ctx: _Ctx) -> AnySelect:
    return _member_rows(ctx, Member.doctor_contract.is_(False))


# -- visits within the cadence, overdue follow-ups


def _cadence_start(ctx: _Ctx) -> date:
    return ctx.ref - timedelta(days=int(ctx.settings["visit_cadence_days"]) - 1)


def _paired(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_household_id,
        Pairing.subject_household_id == Household.id,
        *_pairing_active(ctx, PairingKind.HOUSEHOLD_CADRE),
    )


def _visited(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Visit.household_id,
        Visit.household_id == Household.id,
        Visit.visit_date >= _cadence_start(ctx),
        Visit.visit_date <= ctx.ref,
        _live(Visit),
    )


def _visits(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    total, missed = _counts(session, not_(_visited(ctx)), where=[*_active_households(ctx), _paired(ctx)])
    return _coverage(spec, total - missed, total)


def _rows_visits(ctx: _Ctx) -> AnySelect:
    """Paired households not visited within the cadence; detail = days since the last visit (None: never)."""
    last = (
        select(func.max(Visit.visit_date))
        .where(Visit.household_id == Household.id, Visit.visit_date <= ctx.ref, _live(Visit))
        .scalar_subquery()
    )
    return _household_rows(ctx, last).where(_paired(ctx), not_(_visited(ctx)))


def _overdue_followups(ctx: _Ctx) -> list[ColumnElement[bool]]:
    in_scope: ColumnElement[bool] = literal(True) == literal(True)
    if not ctx.scope.is_all:
        households = select(Household.id).where(village_filter(Household.village_id, ctx.scope))
        in_scope = or_(Visit.household_id.in_(households), village_filter(Visit.village_id, ctx.scope))
    return [
        _live(Visit),
        Visit.follow_up_due < ctx.ref,
        # Open (never closed) or closed after the reference date. One comparison, not an OR, so the planner
        # keeps to the range on follow_up_due (ix_visit_followup_due) instead of scanning every visit.
        func.coalesce(Visit.follow_up_closed_on, date.max) > ctx.ref,
        Visit.visit_date <= ctx.ref,
        in_scope,
    ]


def _followups(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    return _zero_target(spec, _count(session, *_overdue_followups(ctx), frm=Visit), None)


def _rows_followups(ctx: _Ctx) -> AnySelect:
    # Names by scalar subqueries, not joins: with visit alone in FROM the planner drives from the
    # follow-up index; with a join it chose to walk every cadre's visits (seconds at 200,000 households).
    cadre = select(Cadre.name).where(Cadre.id == Visit.cadre_id).scalar_subquery()
    head = select(Household.head_name).where(Household.id == Visit.household_id).scalar_subquery()
    return (
        select(Visit.id, Visit.visit_date, Visit.follow_up_due, cadre, Visit.household_id, head, Visit.follow_up)
        .where(*_overdue_followups(ctx))
        .order_by(Visit.follow_up_due, Visit.id)
    )


# -- projects


def _disbursed() -> Any:
    return (
        select(func.coalesce(func.sum(ProjectProgress.amount_fen), 0))
        .where(ProjectProgress.project_id == Project.id, _live(ProjectProgress))
        .scalar_subquery()
    )


def _projects(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [_live(Project), region_filter(Project.region_id, ctx.scope)]


def _projects_of_year(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [*_projects(ctx), Project.year == ctx.year]


def _project_rows(*where: ColumnElement[bool]) -> AnySelect:
    return (
        select(
            Project.id,
            Project.name,
            Project.category,
            Project.stage,
            Project.year,
            Region.name,
            Project.budget_fen,
            Project.allocated_fen,
            _disbursed(),
            Project.planned_end_date,
        )
        .join(Region, Region.id == Project.region_id)
        .where(*where)
        .order_by(Project.year, Region.code, Project.name, Project.id)
    )


def _disbursement(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    money = select(Project.budget_fen.label("budget"), _disbursed().label("spent")).where(*_projects_of_year(ctx))
    sub = money.subquery()
    budget, spent = session.execute(
        select(func.coalesce(func.sum(sub.c.budget), 0), func.coalesce(func.sum(sub.c.spent), 0))
    ).one()
    return _make(spec, _pct(int(spent), int(budget)), None, None, int(spent), int(budget))


def _rows_disbursement(ctx: _Ctx) -> AnySelect:
    return _project_rows(*_projects_of_year(ctx))


_OPEN_STAGES = [s.value for s in ProjectStage if s not in (ProjectStage.DONE, ProjectStage.TERMINATED)]


def _overdue_projects(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [*_projects(ctx), Project.planned_end_date < ctx.ref, Project.stage.in_(_OPEN_STAGES)]


def _projects_overdue(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    overdue_end = Project.planned_end_date < ctx.ref
    total, overdue = _counts(
        session, overdue_end, where=[*_projects(ctx), Project.stage.in_(_OPEN_STAGES)], frm=Project
    )
    return _zero_target(spec, overdue, total)


def _rows_projects_overdue(ctx: _Ctx) -> AnySelect:
    return _project_rows(*_overdue_projects(ctx))


def _breakdown_select(ctx: _Ctx, column: Any) -> AnySelect:
    sub = select(
        column.label("key"), Project.budget_fen, Project.allocated_fen, _disbursed().label("spent")
    ).where(*_projects_of_year(ctx)).subquery()  # fmt: skip
    return (
        select(
            sub.c.key,
            func.count(),
            func.sum(sub.c.budget_fen),
            func.sum(sub.c.allocated_fen),
            func.sum(sub.c.spent),
        )
        .group_by(sub.c.key)
        .order_by(sub.c.key)
    )


_BREAKDOWN_ENUMS: dict[str, Any] = {"projects_by_category": ProjectCategory, "projects_by_stage": ProjectStage}


def _breakdown(session: Session, ctx: _Ctx, spec: _Spec) -> Indicator:
    items = _fetch(session, spec, ctx, _breakdown_select(ctx, _breakdown_column(spec.key)))
    budget = sum(b.budget_fen for b in items if isinstance(b, Breakdown))
    spent = sum(b.disbursed_fen for b in items if isinstance(b, Breakdown))
    count = sum(b.projects for b in items if isinstance(b, Breakdown))
    return _make(spec, float(count), None, None, spent, budget, tuple(b for b in items if isinstance(b, Breakdown)))


def _breakdown_column(key: str) -> Any:
    return Project.category if key == "projects_by_category" else Project.stage


def _rows_breakdown_category(ctx: _Ctx) -> AnySelect:
    return _breakdown_select(ctx, Project.category)


def _rows_breakdown_stage(ctx: _Ctx) -> AnySelect:
    return _breakdown_select(ctx, Project.stage)


# ------------------------------------------------------------------------------------------ registry

SPECS: dict[str, _Spec] = {
    s.key: s
    for s in [
        _Spec("coverage_townships", "乡镇结对覆盖率（一乡一领导）", "Townships with a leader (coverage)", "%",
              _cov_townships, _rows_townships, RegionRow),
        _Spec("coverage_villages", "重点村/薄弱村结对覆盖率（一村一部门）",
              "Key/weak villages with a department (coverage)", "%", _cov_villages, _rows_villages, RegionRow),
        _Spec("coverage_households", "低收入农户结对覆盖率（一户一干部）", "Households with exactly one cadre (coverage)",
              "%", _cov_households, _rows_households, HouseholdRow),
        _Spec("income_average", "人均可支配收入（不含低保户）", "Per-capita disposable income (excl. dibao)", "元",
              _income_avg, _rows_income, HouseholdRow),
        _Spec("income_growth", "人均可支配收入增幅（不含低保户）", "Per-capita income growth (excl. dibao)", "%",
              _income_growth, _rows_growth, HouseholdRow),
        _Spec("weak_villages", "集体经济薄弱村", "Weak villages (collective income below threshold)", "个",
              _weak_villages, _rows_weak, RegionRow),
        _Spec("labour_without_job", "有劳动力但无人就业的农户", "Households with labour but nobody employed", "户",
              _labour, _rows_labour, HouseholdRow),
        _Spec("school_dropouts", "适龄儿童失学辍学", "School-age children (6–15) out of school", "人",
              _school, _rows_school, MemberRow),
        _Spec("doctor_contract", "家庭医生签约覆盖率", "Family-doctor contract coverage", "%",
              _doctor, _rows_doctor, MemberRow),
        _Spec("visits_on_time", "结对户按期走访率", "Paired households visited within the cadence", "%",
              _visits, _rows_visits, HouseholdRow),
        _Spec("followups_overdue", "逾期未办结事项", "Overdue follow-ups", "件",
              _followups, _rows_followups, FollowUpRow),
        _Spec("project_disbursement", "项目资金支出率（已支出/预算）", "Project disbursement (spent / budget)", "%",
              _disbursement, _rows_disbursement, ProjectRow),
        _Spec("projects_overdue", "逾期未完成项目", "Projects overdue (planned end passed, not done)", "个",
              _projects_overdue, _rows_projects_overdue, ProjectRow),
        _Spec("projects_by_category", "项目资金（按类别）", "Project money by category", "个",
              _breakdown, _rows_breakdown_category, Breakdown),
        _Spec("projects_by_stage", "项目资金（按阶段）", "Project money by stage", "个",
              _breakdown, _rows_breakdown_stage, Breakdown),
    ]
}  # fmt: skip
"""Every indicator, in the order a dashboard shows them."""

ROW_DETAIL = {
    "coverage_households": "active cadre pairings (0 or more than 1)",
    "income_average": "per-capita income of the year, fen",
    "income_growth": "per-capita income change on the previous year, fen",
    "labour_without_job": "members able to work",
    "visits_on_time": "date of the last visit (None: never visited)",
}
"""What ``HouseholdRow.detail`` holds, per indicator."""

MONEY_FRACTIONS = frozenset(
    {"income_average", "income_growth", "project_disbursement", "projects_by_category", "projects_by_stage"}
)
"""Indicators whose numerator/denominator (and breakdown sums) are money in fen, not counts."""


def reader_fraction(ind: Indicator) -> tuple[Decimal | int | None, Decimal | int | None]:
    """Numerator and denominator as a reader wants them: money in yuan (Decimal), counts as counts.

    The income average divides money by a number of households, so only its numerator is money."""
    if ind.key not in MONEY_FRACTIONS:
        return ind.numerator, ind.denominator
    num = None if ind.numerator is None else Decimal(ind.numerator) / 100
    if ind.key == "income_average" or ind.denominator is None:
        return num, ind.denominator
    return num, Decimal(ind.denominator) / 100


def _spec(key: str) -> _Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise ValidationError(f"未知的指标：{key}", f"Unknown indicator: {key}", field="key") from None


def _to_row(spec: _Spec, ctx: _Ctx, values: Sequence[Any]) -> Row:
    kind = spec.row_type
    if kind is HouseholdRow:
        hid, name, number, vcode, vname, category, detail = values
        return HouseholdRow(hid, name, mask_id_number(number), vcode, vname, category, detail)
    if kind is RegionRow:
        rid, code, name, level, key_village, income = values
        return RegionRow(rid, code, name, level, bool(key_village), income)
    if kind is MemberRow:
        return MemberRow(*values)
    if kind is FollowUpRow:
        vid, vdate, due, cadre, hid, head, text = values
        return FollowUpRow(vid, vdate, due, (ctx.ref - due).days, cadre, hid, head, text)
    if kind is ProjectRow:
        pid, name, category, stage, year, region, budget, allocated, spent, end = values
        return ProjectRow(pid, name, category, stage, year, region, budget, allocated, int(spent or 0), end)
    enum = _BREAKDOWN_ENUMS[spec.key]
    key, count, budget, allocated, spent = values
    label = enum(key) if key in enum._value2member_map_ else None
    return Breakdown(
        key, label.zh if label else key, label.en if label else key, int(count), int(budget or 0),
        int(allocated or 0), int(spent or 0),
    )  # fmt: skip


def _fetch(session: Session, spec: _Spec, ctx: _Ctx, query: AnySelect) -> list[Row]:
    return [_to_row(spec, ctx, tuple(r)) for r in session.execute(query)]


# ------------------------------------------------------------------------------------------ public API


# -- result cache: every change is audited, so the newest audit entry (and this node's chain head) names
# the state of the data; an unchanged ledger answers from memory. Keyed also by database, scope, year,
# reference date and settings (settings are not audited).

_RESULTS: OrderedDict[tuple[Any, ...], Indicator] = OrderedDict()
_RESULTS_MAX = 512
_RESULTS_LOCK = threading.Lock()


def _data_version(session: Session) -> tuple[Any, ...]:
    newest = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    head = session.execute(select(NodeInfo.audit_head_seq, NodeInfo.audit_head_hash)).first()
    bind = session.get_bind()
    return id(bind), str(bind.engine.url), tuple(newest or ()), tuple(head or ())


def _cached(session: Session, spec: _Spec, ctx: _Ctx, version: tuple[Any, ...] | None) -> Indicator:
    if version is None:
        return spec.compute(session, ctx, spec)
    key = (version, spec.key, ctx.scope, ctx.year, ctx.ref, repr(sorted(ctx.settings.items())))
    with _RESULTS_LOCK:
        hit = _RESULTS.get(key)
        if hit is not None:
            _RESULTS.move_to_end(key)
            return hit
    result = spec.compute(session, ctx, spec)
    with _RESULTS_LOCK:
        _RESULTS[key] = result
        while len(_RESULTS) > _RESULTS_MAX:
            _RESULTS.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every cached result (benchmarks measuring the cold path; tests)."""
    with _RESULTS_LOCK:
        _RESULTS.clear()


def indicator_keys() -> list[str]:
    return list(SPECS)


def compute(
    session: Session,
    key: str,
    scope: str | Scope | None = None,
    year: int | None = None,
    *,
    today: date | None = None,
    cache: bool = True,
) -> Indicator:
    """One indicator for ``scope`` (region id, division code, or None = whole database) and ``year``.

    Unless ``cache`` is False, a result computed before on the same data (same newest audit entry) is
    returned from memory.
    """
    spec = _spec(key)
    ctx = _context(session, scope, year, today)
    return _cached(session, spec, ctx, _data_version(session) if cache else None)


def compute_all(
    session: Session,
    scope: str | Scope | None = None,
    year: int | None = None,
    *,
    today: date | None = None,
    cache: bool = True,
) -> list[Indicator]:
    """Every indicator, in dashboard order (cached like ``compute``)."""
    ctx = _context(session, scope, year, today)
    version = _data_version(session) if cache else None
    return [_cached(session, spec, ctx, version) for spec in SPECS.values()]


def indicator_rows(
    session: Session,
    key: str,
    scope: str | Scope | None = None,
    year: int | None = None,
    limit: int | None = 100,
    offset: int = 0,
    *,
    today: date | None = None,
) -> list[Row]:
    """The list behind an indicator (the households, villages, members, visits or projects it counts)."""
    spec = _spec(key)
    ctx = _context(session, scope, year, today)
    query = spec.rows(ctx).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return _fetch(session, spec, ctx, query)
