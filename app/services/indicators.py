"""The targets of the policy (DOMAIN.md "Targets"), each computed in SQL for a scope and a year.

``compute_all(session, scope, year)`` returns one ``Indicator`` per target; ``compute(session, key, …)`` one
of them; ``indicator_rows(session, key, scope, year, limit, offset)`` the list behind a number (the
uncovered households, the weak villages, the overdue follow-ups…). Everything is aggregated in the
database with portable SQLAlchemy Core (no SQLite-only SQL), so the same code serves a PostgreSQL hub.

Every figure reads the register as it stood on the reference date (``scope.reference_date``: 31 December of a
past year, today for the current one) through the predicates of ``app.domain.rules``: households on the
register then, members then, pairings in force then. Each indicator is declared once (``SPECS``, an
``IndicatorSpec``: label, unit, target and direction, money or not, the list it opens, the rule it counts);
what is 未填 is not counted and is reported beside the figure (``Indicator.missing``, listed by
``indicator_rows(..., missing=True)``).

The household indicators are sums over villages (``VILLAGE_SUMMED``: one grouped query gives each village's
integer sums, ``finish`` turns their total into the figure), whatever the scope; each village's sums are stored
and reused while its stamp is unchanged (``app.services.indicator_partials``, docs/INDICATORS.md).

Call from the database worker thread (or the CLI); results are frozen dataclasses, safe to hand to the GUI.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
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
from sqlalchemy.sql.elements import True_

from app.domain import rules
from app.domain.enums import (
    HouseholdCategory,
    PairingKind,
    ProjectCategory,
    ProjectStage,
    RegionLevel,
    Relation,
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
from app.services import indicator_partials, settings
from app.services.indicator_partials import Sums, VillageSums
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
    missing: int | None = None  # records the figure could not count because their data is 未填 (数据不全)

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["breakdown"] = [b.to_dict() for b in self.breakdown]
        return data


@dataclass(frozen=True)
class _HouseholdColumns(_JsonRow):
    """The columns every household row behind a number starts with (resident ID masked)."""

    household_id: str
    head_name: str
    id_number_masked: str
    village_code: str
    village_name: str
    category: str


@dataclass(frozen=True)
class HouseholdRow(_HouseholdColumns):
    """A household behind a number. ``detail`` depends on the indicator (see ``ROW_DETAIL``)."""

    detail: int | date | None


@dataclass(frozen=True)
class IncomeRow(_HouseholdColumns):
    """A household counted in the group income: its total (fen) and persons of the year, and of the year
    before for the growth. Σ ``total_fen`` ÷ Σ ``persons`` is the tile's figure."""

    total_fen: int
    persons: int
    previous_total_fen: int | None
    previous_persons: int | None


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


Row = HouseholdRow | IncomeRow | RegionRow | MemberRow | FollowUpRow | ProjectRow | Breakdown


# ------------------------------------------------------------------------------------------ context


@dataclass(frozen=True)
class _Ctx:
    scope: Scope
    year: int
    ref: date
    settings: dict[str, Any] = field(hash=False)

    def setting(self, key: str) -> Any:
        return self.settings[key]


def _context(session: Session, scope: str | Scope | None, year: int | None, today: date | None) -> _Ctx:
    today = today or date.today()
    year = year or today.year
    if not 2000 <= year <= today.year + 1:
        raise ValidationError("年份超出范围。", "The year is out of range.", field="year")
    return _Ctx(resolve_scope(session, scope), year, reference_date(year, today), settings.get_all(session))


def _live(model: Any) -> ColumnElement[bool]:
    return model.deleted == false()


def _registered(ctx: _Ctx, villages: ColumnElement[bool] | None = None) -> list[ColumnElement[bool]]:
    """Households on the register on the reference date (``rules.on_register``), inside the scope or, for the
    grouped sums, matching ``villages`` (a filter on ``Household.village_id``)."""
    inside = village_filter(Household.village_id, ctx.scope) if villages is None else villages
    return [rules.on_register_sql(Household, ctx.ref), inside]


def _pairing_active(ctx: _Ctx, kind: PairingKind) -> list[ColumnElement[bool]]:
    return rules.pairing_active_sql(Pairing, kind.value, ctx.ref)


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


def _tally(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _by_village(session: Session, query: AnySelect) -> VillageSums:
    """A grouped query's rows (village id, then integer sums) as a dict by village."""
    return {str(v): tuple(int(x or 0) for x in sums) for v, *sums in session.execute(query)}


def _joined(first: VillageSums, second: VillageSums, widths: tuple[int, int]) -> VillageSums:
    """Two grouped queries' sums side by side, village by village (a village absent from one: zeros)."""
    zeros = (0,) * widths[0], (0,) * widths[1]
    return {v: first.get(v, zeros[0]) + second.get(v, zeros[1]) for v in first.keys() | second.keys()}


def _pct(num: int, den: int) -> float | None:
    return None if den == 0 else round(100.0 * num / den, 1)


def _yuan(fen: float | None) -> float | None:
    return None if fen is None else round(fen / 100.0, 2)


# ------------------------------------------------------------------------------------------ declaration


@dataclass(frozen=True)
class Measured:
    """What an indicator's compute function found; the declaration turns it into an ``Indicator``."""

    value: float | None
    numerator: int | None
    denominator: int | None
    missing: int | None = None
    target: float | None = None  # overrides the declared target (income growth: max(target, rural average))
    ok: bool | None = None  # overrides the declared direction's verdict
    breakdown: tuple[Breakdown, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    """One declaration per indicator, read by the dashboard, ``stats``, the monthly report and the charts.

    - ``zh`` / ``en``: the label; ``unit``: the value's unit (%, 元, 户, 人, 个, 件);
    - ``target``: a number, the key of a data setting holding it, or None (reported only);
      ``direction``: "at_least" (value ≥ target is met), "at_most" (value ≤ target), or "report";
    - ``is_money``: the numerator is money (fen); ``denominator_is_money``: the denominator is too;
      ``denominator_unit``: what the denominator counts (户, 人, 个, 件, 元);
    - ``opens``: the list its tile opens (``indicator_rows``: its row type) and ``list_counts`` which figure
      that list's rows count — "numerator", "shortfall" (denominator − numerator) or "denominator";
      ``missing_opens``: the list of records whose data is 未填 ("数据不全 N 户"), None where nothing can be
      unknown;
    - ``rule``: the predicate of ``app.domain.rules`` it counts.
    """

    key: str
    zh: str
    en: str
    unit: str
    target: float | str | None
    direction: str
    is_money: bool
    denominator_is_money: bool
    denominator_unit: str
    opens: str
    list_counts: str
    missing_opens: str | None
    rule: str
    compute: Callable[[Session, _Ctx], Measured]
    rows: Callable[[_Ctx], AnySelect]
    row_type: type
    missing_rows: Callable[[_Ctx], AnySelect] | None = None

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    @property
    def missing_of_villages(self) -> bool:
        """What 数据不全 counts here: villages (no collective income record) rather than households."""
        return self.missing_opens == "regions"

    def target_of(self, ctx_settings: dict[str, Any]) -> float | None:
        if isinstance(self.target, str):
            return float(ctx_settings[self.target])
        return self.target

    def verdict(self, value: float | None, target: float | None) -> bool | None:
        if value is None or target is None or self.direction == "report":
            return None
        return value >= target if self.direction == "at_least" else value <= target


_Spec = IndicatorSpec  # the name the row helpers below use


def _result(spec: IndicatorSpec, ctx: _Ctx, m: Measured) -> Indicator:
    target = m.target if m.target is not None else spec.target_of(ctx.settings)
    ok = m.ok if m.ok is not None or m.value is None else spec.verdict(m.value, target)
    if m.denominator == 0 and m.missing:
        ok = None  # nothing known to judge by: 未填 is not "target met"
    return Indicator(
        spec.key, spec.zh, spec.en, m.value, target, spec.unit, ok, m.numerator, m.denominator, m.breakdown, m.missing
    )


def _coverage(covered: int, total: int, missing: int | None = None) -> Measured:
    return Measured(_pct(covered, total), covered, total, missing)


def _zero_target(count: int, total: int | None, missing: int | None = None) -> Measured:
    return Measured(float(count), count, total, missing)


# -- townships: 一乡一领导


def _townships(ctx: _Ctx) -> ColumnElement[bool]:
    return Region.id.in_(regions_inside(ctx.scope, RegionLevel.TOWNSHIP))


def _township_led(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_region_id,
        Pairing.subject_region_id == Region.id,
        *_pairing_active(ctx, PairingKind.TOWNSHIP_LEADER),
    )


def _cov_townships(session: Session, ctx: _Ctx) -> Measured:
    total, uncovered = _counts(session, not_(_township_led(ctx)), where=[_townships(ctx)], frm=Region)
    return _coverage(total - uncovered, total)


def _rows_townships(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(_townships(ctx), not_(_township_led(ctx)))


# -- key / weak villages: 一村一部门


def _village_income(ctx: _Ctx) -> Any:
    return (
        select(VillageIncome.income_fen)
        .where(VillageIncome.village_id == Region.id, VillageIncome.year == ctx.year, _live(VillageIncome))
        .limit(1)
        .scalar_subquery()
    )


def _income_recorded(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        VillageIncome.village_id,
        VillageIncome.village_id == Region.id,
        VillageIncome.year == ctx.year,
        _live(VillageIncome),
    )


def _weak(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        VillageIncome.village_id,
        VillageIncome.village_id == Region.id,
        VillageIncome.year == ctx.year,
        rules.weak_income_sql(VillageIncome.income_fen, int(ctx.setting("weak_village_threshold_yuan"))),
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


def _weak_unknown(ctx: _Ctx) -> list[ColumnElement[bool]]:
    """Villages whose weakness is 未填: no collective-income record for the year (key villages need none)."""
    return [_villages(ctx), Region.is_key_village.is_not(True), not_(_income_recorded(ctx))]


def _cov_villages(session: Session, ctx: _Ctx) -> Measured:
    total, uncovered = _counts(session, not_(_village_paired(ctx)), where=_key_or_weak(ctx), frm=Region)
    return _coverage(total - uncovered, total, _count(session, *_weak_unknown(ctx), frm=Region))


def _rows_villages(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(*_key_or_weak(ctx), not_(_village_paired(ctx)))


def _weak_villages(session: Session, ctx: _Ctx) -> Measured:
    total, known, weak = _counts(session, _income_recorded(ctx), _weak(ctx), where=[_villages(ctx)], frm=Region)
    return _zero_target(weak, known, total - known)


def _rows_weak(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(_villages(ctx), _weak(ctx))


def _rows_weak_unknown(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(_villages(ctx), not_(_income_recorded(ctx)))


def _rows_villages_unknown(ctx: _Ctx) -> AnySelect:
    return _region_rows(ctx).where(*_weak_unknown(ctx))


def _region_rows(ctx: _Ctx) -> AnySelect:
    return select(
        Region.id, Region.code, Region.name, Region.level, Region.is_key_village, _village_income(ctx)
    ).order_by(Region.code)


# -- households: 一户一干部


def _sums_households(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: households on the register, and those without exactly one cadre."""
    query = select(Household.village_id, func.count(), _tally(_cadre_count(ctx) != 1))
    return _by_village(session, query.where(*_registered(ctx, villages)).group_by(Household.village_id))


def _cov_households(ctx: _Ctx, sums: Sums) -> Measured:
    total, uncovered = sums
    return _coverage(total - uncovered, total)


def coverage_by_village(
    session: Session,
    scope: str | Scope | None = None,
    year: int | None = None,
    *,
    limit: int = 15,
    today: date | None = None,
) -> list[tuple[str, int, int]]:
    """``coverage_households`` village by village (name, households on the register, those with exactly one
    cadre), the lowest coverage first: the dashboard's chart, on the same date and rule as the tile, whose
    figures are the sums over all villages."""
    ctx = _context(session, scope, year, today)
    sums = {v: s for v, s in _village_sums(session, "coverage_households", ctx).items() if s[0] > 0}
    names = {v: n for v, n in session.execute(select(Region.id, Region.name).where(Region.id.in_(sorted(sums))))}
    rows = sorted(((names[v], total, total - uncovered) for v, (total, uncovered) in sums.items()),
                  key=lambda r: (r[2] / r[1], r[0]))  # fmt: skip
    return rows[:limit]


# What every household list shows first (``_HouseholdColumns``): id, head, masked ID, village, category.
_HOUSEHOLD_LIST_COLUMNS = (
    Household.id,
    Household.head_name,
    Household.head_id_number,
    Region.code,
    Region.name,
    Household.category,
)


def _household_rows(ctx: _Ctx, detail: Any) -> AnySelect:
    return (
        select(*_HOUSEHOLD_LIST_COLUMNS, detail)
        .join(Region, Region.id == Household.village_id)
        .where(*_registered(ctx))
        .order_by(Region.code, Household.head_name, Household.id)
    )


def _rows_households(ctx: _Ctx) -> AnySelect:
    return _household_rows(ctx, _cadre_count(ctx)).where(_cadre_count(ctx) != 1)


# -- income (excluding 低保户): Σ total ÷ Σ persons


_NOT_DIBAO = Household.category != HouseholdCategory.DIBAO.value
_PREVIOUS = aliased(IncomeRecord, name="previous_income")


def _income_complete(alias: Any = IncomeRecord) -> list[ColumnElement[bool]]:
    """An income record with both the total and the persons known (what the group figure can count)."""
    return [_live(alias), alias.total_fen.is_not(None), alias.persons > 0]


def _income_known(year: int, alias: Any = IncomeRecord) -> list[ColumnElement[bool]]:
    """The household's income record of ``year`` with both the total and the persons known."""
    return [alias.household_id == Household.id, alias.year == year, *_income_complete(alias)]


def _income_select(ctx: _Ctx, *columns: Any, growth: bool = False) -> AnySelect:
    query = select(*columns).select_from(Household).join(IncomeRecord, and_(*_income_known(ctx.year)))
    if growth:
        query = query.join(_PREVIOUS, and_(*_income_known(ctx.year - 1, _PREVIOUS)))
    return query.where(*_registered(ctx), _NOT_DIBAO)


def _income_unknown(ctx: _Ctx, *years: int) -> list[ColumnElement[bool]]:
    """Non-低保 households on the register lacking a complete income record for one of ``years``."""
    lacking = [not_(any_row(IncomeRecord.household_id, *_income_known(y))) for y in years]
    return [*_registered(ctx), _NOT_DIBAO, or_(*lacking)]


def _income_pass(
    session: Session, ctx: _Ctx, villages: ColumnElement[bool], *columns: Any, growth: bool = False
) -> VillageSums:
    """``columns`` summed per village over one scan of the non-低保 households on the register, their complete
    income record(s) outer-joined: the sums and the count of households lacking a record come from the same
    rows."""
    query = select(Household.village_id, *columns).select_from(Household)
    query = query.outerjoin(IncomeRecord, and_(*_income_known(ctx.year)))
    if growth:
        query = query.outerjoin(_PREVIOUS, and_(*_income_known(ctx.year - 1, _PREVIOUS)))
    return _by_village(session, query.where(*_registered(ctx, villages), _NOT_DIBAO).group_by(Household.village_id))


def _sums_income(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: Σ total (fen), Σ persons over the complete records of the year; households; those counted."""
    return _income_pass(
        session, ctx, villages, func.sum(IncomeRecord.total_fen), func.sum(IncomeRecord.persons), func.count(),
        func.count(IncomeRecord.household_id),
    )  # fmt: skip


def _income_avg(ctx: _Ctx, sums: Sums) -> Measured:
    """Group per-capita income: Σ total ÷ Σ persons over the households with a complete record of the year."""
    total, persons, households, known = sums
    return Measured(_yuan(rules.per_capita_fen(total, persons)), total, persons, households - known)


def _income_columns(ctx: _Ctx, growth: bool) -> list[Any]:
    previous = [_PREVIOUS.total_fen, _PREVIOUS.persons] if growth else [literal(None), literal(None)]
    return [
        *_HOUSEHOLD_LIST_COLUMNS,
        IncomeRecord.total_fen,
        IncomeRecord.persons,
        *previous,
    ]


def _rows_income(ctx: _Ctx, growth: bool = False) -> AnySelect:
    query = _income_select(ctx, *_income_columns(ctx, growth), growth=growth)
    query = query.join(Region, Region.id == Household.village_id)
    return query.order_by(Region.code, Household.head_name, Household.id)


def _sums_growth(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village, over the households with a complete record in both years: Σ total and Σ persons of this
    year and of the last; households; those counted."""
    both = and_(IncomeRecord.household_id.is_not(None), _PREVIOUS.household_id.is_not(None))

    def when_both(column: Any) -> Any:
        return func.sum(case((both, column), else_=0))

    return _income_pass(
        session, ctx, villages, when_both(IncomeRecord.total_fen), when_both(IncomeRecord.persons),
        when_both(_PREVIOUS.total_fen), when_both(_PREVIOUS.persons), func.count(), _tally(both), growth=True,
    )  # fmt: skip


def _income_growth(ctx: _Ctx, sums: Sums) -> Measured:
    """Person-weighted growth over the households with a complete record in both years: the group's per-capita
    income this year against the same households' last year, in percent. Numerator and denominator are the
    two per-capita figures (fen)."""
    total, persons, previous_total, previous_persons, households, counted = sums
    current = rules.per_capita_fen(total, persons)
    previous = rules.per_capita_fen(previous_total, previous_persons)
    target = float(ctx.setting("income_growth_target_pct"))
    rural = float(ctx.setting("rural_income_growth_pct"))
    value = None
    if current is not None and previous:
        value = round(100.0 * (current - previous) / previous, 1)
    ok = None if value is None else value >= target and value > rural
    return Measured(value, current, previous, households - counted, max(target, rural), ok)


def _rows_income_unknown(ctx: _Ctx, *years: int) -> AnySelect:
    return _household_rows(ctx, literal(None)).where(*_income_unknown(ctx, *years))


# -- labour without employment (至少1人就业)


# What ``rules.household_jobless`` reads of a household's members on the date, counted in one number: base-1024
# digits of how many members are employed, able, of unknown employment, of unknown labour, and members at all.
_DIGIT = 1024
_EMPLOYED, _ABLE, _EMPLOYMENT_UNKNOWN, _LABOUR_UNKNOWN, _ANYONE = (_DIGIT**d for d in range(5))


def _labour_bits() -> Any:
    """The aggregate behind ``_labour_mask`` over a group of member rows (the members of one household): one
    sum of a per-member weight (a CASE over employment × labour), cheaper than one aggregate per fact."""

    def by_labour(employment_weight: int) -> Any:
        return case(
            (Member.labour == rules.ABLE, employment_weight + _ABLE + _ANYONE),
            (Member.labour.is_(None), employment_weight + _LABOUR_UNKNOWN + _ANYONE),
            else_=employment_weight + _ANYONE,
        )

    weight = case(
        (Member.employment.in_(rules.EMPLOYED), by_labour(_EMPLOYED)),
        (Member.employment.is_(None), by_labour(_EMPLOYMENT_UNKNOWN)),
        else_=by_labour(0),
    )
    return func.sum(weight)


def _labour_mask(ctx: _Ctx) -> Any:
    """``_labour_bits`` of the outer household's members on the date (one index probe per household); 0 = no
    members."""
    return func.coalesce(
        select(_labour_bits())
        .where(Member.household_id == Household.id, rules.member_on_sql(Member, ctx.ref))
        .scalar_subquery(),
        0,
    )


def _labour_facts(mask: Any) -> dict[str, ColumnElement[bool]]:
    """``rules.household_jobless`` compiled to SQL on ``_labour_mask``: known jobless, a household with labour
    whose employment is known, unknown."""

    def has(flag: int) -> ColumnElement[bool]:
        return (mask // flag) % _DIGIT > 0

    employed, able = has(_EMPLOYED), has(_ABLE)
    employment_unknown, labour_unknown, anyone = has(_EMPLOYMENT_UNKNOWN), has(_LABOUR_UNKNOWN), has(_ANYONE)
    jobless = and_(not_(employed), able, not_(employment_unknown))
    with_labour = and_(able, or_(employed, not_(employment_unknown)))
    unknown = and_(
        not_(employed),
        or_(not_(anyone), and_(able, employment_unknown), and_(not_(able), labour_unknown)),
    )
    return {"jobless": jobless, "with_labour": with_labour, "unknown": unknown}


def _sums_labour(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: households with labour (employment known), known jobless, unknown (``rules.household_jobless``
    on ``_labour_mask``; a household without members on the date is unknown).

    Households per village and distinct mask: grouping keeps the planner from inlining the member probe into
    each of the conditions, and OFFSET 0 from flattening the masks into the grouping (where SQLite would probe
    twice, for the group key and for the output), so it runs once per household."""
    masks = (
        select(Household.village_id.label("village_id"), _labour_mask(ctx).label("mask"))
        .where(*_registered(ctx, villages))
        .offset(0)
        .subquery()
    )
    histogram = (
        select(masks.c.village_id, masks.c.mask, func.count().label("households"))
        .group_by(masks.c.village_id, masks.c.mask)
        .subquery()
    )
    facts = _labour_facts(histogram.c.mask)
    sums = [func.sum(case((facts[f], histogram.c.households), else_=0)) for f in ("with_labour", "jobless", "unknown")]
    return _by_village(session, select(histogram.c.village_id, *sums).group_by(histogram.c.village_id))


def _labour(ctx: _Ctx, sums: Sums) -> Measured:
    with_labour, jobless, unknown = sums
    return _zero_target(jobless, with_labour, unknown)


def _rows_labour(ctx: _Ctx) -> AnySelect:
    able = (
        select(func.count())
        .where(Member.household_id == Household.id, rules.member_on_sql(Member, ctx.ref), Member.labour == rules.ABLE)
        .scalar_subquery()
    )
    return _household_rows(ctx, able).where(_labour_facts(_labour_mask(ctx))["jobless"])


def _rows_labour_unknown(ctx: _Ctx) -> AnySelect:
    return _household_rows(ctx, literal(None)).where(_labour_facts(_labour_mask(ctx))["unknown"])


# -- members: school-age children out of school, family-doctor contracts


def _members(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [rules.member_on_sql(Member, ctx.ref), *_registered(ctx)]


_MEMBERS_JOIN = Member.__table__.join(Household.__table__, Household.id == Member.household_id)
_CHILDREN = (Relation.CHILD.value, Relation.GRANDCHILD.value)


def _school_unknown(ctx: _Ctx) -> ColumnElement[bool]:
    """The household has a school-age child whose school stage is 未填, or a child or grandchild whose birth
    date (hence school age) is unknown. An IN over the few such members, not a probe per household."""
    unknown_stage = select(Member.household_id).where(
        rules.member_on_sql(Member, ctx.ref), *rules.school_age_sql(Member.birth_date, ctx.ref),
        Member.school_stage.is_(None),
    )  # fmt: skip
    unknown_age = select(Member.household_id).where(
        rules.member_on_sql(Member, ctx.ref), Member.birth_date.is_(None), Member.relation.in_(_CHILDREN)
    )
    return or_(Household.id.in_(unknown_stage), Household.id.in_(unknown_age))


def _households_where(
    session: Session, ctx: _Ctx, villages: ColumnElement[bool], condition: ColumnElement[bool]
) -> VillageSums:
    """Per village: households on the register matching ``condition`` (the 数据不全 of a member indicator)."""
    query = select(Household.village_id, func.count()).where(*_registered(ctx, villages), condition)
    return _by_village(session, query.group_by(Household.village_id))


def _member_pass(session: Session, ctx: _Ctx, villages: ColumnElement[bool], *columns: Any,
                 where: Sequence[ColumnElement[bool]] = ()) -> VillageSums:  # fmt: skip
    """``columns`` summed per village over the members on the date of the households on the register."""
    query = select(Household.village_id, *columns).select_from(_MEMBERS_JOIN)
    query = query.where(rules.member_on_sql(Member, ctx.ref), *_registered(ctx, villages), *where)
    return _by_village(session, query.group_by(Household.village_id))


def _sums_school(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: school-age members whose stage is known, those out of school; households with a school-age
    child of unknown stage (or a child without a birth date)."""

    def facts(stage: Any) -> list[Any]:
        return [_tally(stage.is_not(None)), _tally(rules.out_of_school_sql(stage))]

    school_age = [rules.member_on_sql(Member, ctx.ref), *rules.school_age_sql(Member.birth_date, ctx.ref)]
    if isinstance(villages, True_):
        # The whole ledger: the school-age tenth found by birth date first and each child's household checked
        # after (OFFSET 0 keeps SQLite from walking every household instead, for the grouping's order).
        children = select(Member.household_id, Member.school_stage).where(*school_age).offset(0).subquery()
        query = (
            select(Household.village_id, *facts(children.c.school_stage))
            .select_from(children)
            .join(Household, Household.id == children.c.household_id)
            .where(*_registered(ctx, villages))
            .group_by(Household.village_id)
        )
        known_out = _by_village(session, query)
    else:
        known_out = _member_pass(session, ctx, villages, *facts(Member.school_stage), where=school_age[1:])
    return _joined(known_out, _households_where(session, ctx, villages, _school_unknown(ctx)), (2, 1))


def _school(ctx: _Ctx, sums: Sums) -> Measured:
    known, out, missing = sums
    return _zero_target(out, known, missing)


def _member_rows(ctx: _Ctx, *where: ColumnElement[bool]) -> AnySelect:
    return (
        select(Member.id, Member.household_id, Member.name, Member.birth_date, Member.school_stage, Region.name)
        .join(Household, Household.id == Member.household_id)
        .join(Region, Region.id == Household.village_id)
        .where(*_members(ctx), *where)
        .order_by(Region.code, Member.household_id, Member.id)
    )


def _rows_school(ctx: _Ctx) -> AnySelect:
    return _member_rows(
        ctx, *rules.school_age_sql(Member.birth_date, ctx.ref), rules.out_of_school_sql(Member.school_stage)
    )


def _rows_school_unknown(ctx: _Ctx) -> AnySelect:
    return _household_rows(ctx, literal(None)).where(_school_unknown(ctx))


def _sums_doctor(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: members with a known contract, those signed; households with a member whose contract is 未填
    (the rows of ``_doctor_unknown``)."""
    known_signed = _member_pass(
        session, ctx, villages, func.count(Member.doctor_contract), _tally(Member.doctor_contract.is_(True))
    )
    return _joined(known_signed, _households_where(session, ctx, villages, _doctor_unknown(ctx)), (2, 1))


def _doctor(ctx: _Ctx, sums: Sums) -> Measured:
    known, signed, missing = sums
    return _coverage(signed, known, missing)


def _doctor_unknown(ctx: _Ctx) -> ColumnElement[bool]:
    """The household has a member on the date whose doctor contract is 未填: an IN over those few members
    (``ix_member_doctor_unknown`` holds them alone), not a probe per household."""
    return Household.id.in_(
        select(Member.household_id).where(rules.member_on_sql(Member, ctx.ref), Member.doctor_contract.is_(None))
    )


def _rows_doctor(ctx: _Ctx) -> AnySelect:
    return _member_rows(ctx, Member.doctor_contract.is_(False))


def _rows_doctor_unknown(ctx: _Ctx) -> AnySelect:
    return _household_rows(ctx, literal(None)).where(_doctor_unknown(ctx))


# -- visits within the cadence, overdue follow-ups


def _paired(ctx: _Ctx) -> ColumnElement[bool]:
    return any_row(
        Pairing.subject_household_id,
        Pairing.subject_household_id == Household.id,
        *_pairing_active(ctx, PairingKind.HOUSEHOLD_CADRE),
    )


def _visited(ctx: _Ctx) -> ColumnElement[bool]:
    return rules.visited_within_cadence_sql(Visit, Household.id, ctx.ref, int(ctx.setting("visit_cadence_days")))


def _sums_visits(session: Session, ctx: _Ctx, villages: ColumnElement[bool]) -> VillageSums:
    """Per village: paired households on the register, and those not visited within the cadence."""
    query = select(Household.village_id, func.count(), _tally(not_(_visited(ctx))))
    query = query.where(*_registered(ctx, villages), _paired(ctx)).group_by(Household.village_id)
    return _by_village(session, query)


def _visits(ctx: _Ctx, sums: Sums) -> Measured:
    total, missed = sums
    return _coverage(total - missed, total)


def _rows_visits(ctx: _Ctx) -> AnySelect:
    """Paired households not visited within the cadence; detail = the last visit's date (None: never)."""
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
    return [*rules.follow_up_overdue_sql(Visit, ctx.ref), in_scope]


def _followups(session: Session, ctx: _Ctx) -> Measured:
    return _zero_target(_count(session, *_overdue_followups(ctx), frm=Visit), None)


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


def _disbursed(ctx: _Ctx) -> Any:
    return rules.disbursed_sql(ProjectProgress, Project.id, ctx.ref)


def _projects(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [_live(Project), region_filter(Project.region_id, ctx.scope)]


def _projects_of_year(ctx: _Ctx) -> list[ColumnElement[bool]]:
    return [*_projects(ctx), Project.year == ctx.year]


def _project_rows(ctx: _Ctx, *where: ColumnElement[bool]) -> AnySelect:
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
            _disbursed(ctx),
            Project.planned_end_date,
        )
        .join(Region, Region.id == Project.region_id)
        .where(*where)
        .order_by(Project.year, Region.code, Project.name, Project.id)
    )


def _disbursement(session: Session, ctx: _Ctx) -> Measured:
    money = select(Project.budget_fen.label("budget"), _disbursed(ctx).label("spent")).where(*_projects_of_year(ctx))
    sub = money.subquery()
    budget, spent = session.execute(
        select(func.coalesce(func.sum(sub.c.budget), 0), func.coalesce(func.sum(sub.c.spent), 0))
    ).one()
    return Measured(_pct(int(spent), int(budget)), int(spent), int(budget))


def _rows_disbursement(ctx: _Ctx) -> AnySelect:
    return _project_rows(ctx, *_projects_of_year(ctx))


def _projects_overdue(session: Session, ctx: _Ctx) -> Measured:
    total, overdue = _counts(
        session,
        rules.project_overdue_sql(Project, ctx.ref),
        where=[*_projects(ctx), Project.stage.in_(rules.OPEN_STAGES)],
        frm=Project,
    )
    return _zero_target(overdue, total)


def _rows_projects_overdue(ctx: _Ctx) -> AnySelect:
    return _project_rows(ctx, *_projects(ctx), rules.project_overdue_sql(Project, ctx.ref))


def _breakdown_select(ctx: _Ctx, column: Any) -> AnySelect:
    sub = select(
        column.label("key"), Project.budget_fen, Project.allocated_fen, _disbursed(ctx).label("spent")
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


def _breakdown_of(key: str, column: Any) -> Callable[[Session, _Ctx], Measured]:
    def compute(session: Session, ctx: _Ctx) -> Measured:
        items = [
            b for b in _fetch(session, SPECS[key], ctx, _breakdown_select(ctx, column)) if isinstance(b, Breakdown)
        ]
        budget = sum(b.budget_fen for b in items)
        spent = sum(b.disbursed_fen for b in items)
        return Measured(float(sum(b.projects for b in items)), spent, budget, breakdown=tuple(items))

    return compute


# ------------------------------------------------------------------------------------------ sums over villages


@dataclass(frozen=True)
class VillageSummed:
    """A household indicator as a sum over villages: ``sums`` gives each village's integer sums (named by
    ``names``) for a filter on ``Household.village_id``; ``finish`` turns their total into the figure. The one
    way these indicators are computed, for any scope: ``finish(Σ over the scope's villages)``, the villages'
    sums read from ``indicator_partials`` while current (``app.services.indicator_partials``). ``reads``: the
    settings the sums depend on (part of the stored sums' variant, with the year)."""

    names: tuple[str, ...]
    sums: Callable[[Session, _Ctx, ColumnElement[bool]], VillageSums]
    finish: Callable[[_Ctx, Sums], Measured]
    reads: tuple[str, ...] = ()

    def variant(self, ctx: _Ctx) -> str:
        values = repr((ctx.year, [ctx.settings[k] for k in self.reads]))
        return hashlib.sha256(values.encode("utf-8")).hexdigest()[:32]


VILLAGE_SUMMED: dict[str, VillageSummed] = {
    "coverage_households": VillageSummed(("households", "uncovered"), _sums_households, _cov_households),
    "income_average": VillageSummed(("total_fen", "persons", "households", "counted"), _sums_income, _income_avg),
    "income_growth": VillageSummed(
        ("total_fen", "persons", "previous_total_fen", "previous_persons", "households", "counted"),
        _sums_growth,
        _income_growth,
    ),
    "labour_without_job": VillageSummed(("with_labour", "jobless", "unknown"), _sums_labour, _labour),
    "school_dropouts": VillageSummed(("known", "out_of_school", "unknown_households"), _sums_school, _school),
    "doctor_contract": VillageSummed(("known", "signed", "unknown_households"), _sums_doctor, _doctor),
    "visits_on_time": VillageSummed(("paired", "missed"), _sums_visits, _visits, reads=("visit_cadence_days",)),
}
"""The household indicators, each a sum over villages."""


def _scope_villages(ctx: _Ctx) -> Select[Any]:
    """The villages whose sums make the scope's figure: the scope's live villages, or for the whole database
    every region (a household's village may since have been tombstoned; its households still count)."""
    return select(Region.id) if ctx.scope.is_all else regions_inside(ctx.scope, RegionLevel.VILLAGE)


def _village_sums(session: Session, key: str, ctx: _Ctx) -> VillageSums:
    summed = VILLAGE_SUMMED[key]
    return indicator_partials.village_sums(
        session, key, ctx.ref, summed.variant(ctx), _scope_villages(ctx), village_filter(Household.village_id,
        ctx.scope), lambda villages: summed.sums(session, ctx, villages), len(summed.names),
    )  # fmt: skip


def _summed(key: str) -> Callable[[Session, _Ctx], Measured]:
    def compute(session: Session, ctx: _Ctx) -> Measured:
        summed = VILLAGE_SUMMED[key]
        return summed.finish(
            ctx, indicator_partials.total(_village_sums(session, key, ctx).values(), len(summed.names))
        )

    return compute


# ------------------------------------------------------------------------------------------ registry

_COVERAGE: dict[str, Any] = {"target": 100.0, "direction": "at_least", "list_counts": "shortfall"}
_ZERO: dict[str, Any] = {"target": 0.0, "direction": "at_most", "list_counts": "numerator"}
_COUNTS: dict[str, Any] = {"is_money": False, "denominator_is_money": False}


def _declare(key: str, zh: str, en: str, unit: str, denominator_unit: str, rule: str, compute: Any, rows: Any,
             row_type: type, missing: Any = None, missing_opens: str | None = None, **kw: Any) -> IndicatorSpec:  # fmt: skip
    opens = {HouseholdRow: "households", RegionRow: "regions", MemberRow: "members", FollowUpRow: "follow_ups",
             ProjectRow: "projects", IncomeRow: "incomes", Breakdown: "breakdown"}[row_type]  # fmt: skip
    return IndicatorSpec(
        key=key, zh=zh, en=en, unit=unit, denominator_unit=denominator_unit, rule=rule, compute=compute, rows=rows,
        row_type=row_type, missing_rows=missing, opens=opens,
        missing_opens=missing_opens or (None if missing is None else "households"), **kw,
    )  # fmt: skip


SPECS: dict[str, IndicatorSpec] = {
    s.key: s
    for s in [
        _declare("coverage_townships", "乡镇结对覆盖率（一乡一领导）", "Townships with a leader (coverage)", "%", "个",
                 "pairing_active", _cov_townships, _rows_townships, RegionRow, **_COVERAGE, **_COUNTS),
        _declare("coverage_villages", "重点村/薄弱村结对覆盖率（一村一部门）",
                 "Key/weak villages with a department (coverage)", "%", "个", "pairing_active, weak_village",
                 _cov_villages, _rows_villages, RegionRow, _rows_villages_unknown, "regions", **_COVERAGE, **_COUNTS),
        _declare("coverage_households", "低收入农户结对覆盖率（一户一干部）", "Households with exactly one cadre (coverage)",
                 "%", "户", "on_register, pairing_active", _summed("coverage_households"), _rows_households, HouseholdRow,
                 **_COVERAGE, **_COUNTS),
        _declare("income_average", "人均可支配收入（不含低保户）", "Per-capita disposable income (excl. dibao)", "元",
                 "人", "on_register, group_per_capita_fen", _summed("income_average"), _rows_income, IncomeRow,
                 lambda ctx: _rows_income_unknown(ctx, ctx.year), target="income_target_yuan",
                 direction="at_least", list_counts="denominator", is_money=True, denominator_is_money=False),
        _declare("income_growth", "人均可支配收入增幅（不含低保户）", "Per-capita income growth (excl. dibao)", "%",
                 "元", "on_register, group_per_capita_fen", _summed("income_growth"),
                 lambda ctx: _rows_income(ctx, growth=True), IncomeRow,
                 lambda ctx: _rows_income_unknown(ctx, ctx.year, ctx.year - 1), target="income_growth_target_pct",
                 direction="at_least", list_counts="denominator", is_money=True, denominator_is_money=True),
        _declare("weak_villages", "集体经济薄弱村", "Weak villages (collective income below threshold)", "个", "个",
                 "weak_village", _weak_villages, _rows_weak, RegionRow, _rows_weak_unknown, "regions",
                 **_ZERO, **_COUNTS),
        _declare("labour_without_job", "有劳动力但无人就业的农户", "Households with labour but nobody employed", "户",
                 "户", "household_jobless", _summed("labour_without_job"), _rows_labour, HouseholdRow, _rows_labour_unknown,
                 **_ZERO, **_COUNTS),
        _declare("school_dropouts", "义务教育阶段适龄儿童失学辍学", "School-age children out of school", "人", "人",
                 "school_age, out_of_school", _summed("school_dropouts"), _rows_school, MemberRow, _rows_school_unknown,
                 **_ZERO, **_COUNTS),
        _declare("doctor_contract", "家庭医生签约覆盖率", "Family-doctor contract coverage", "%", "人",
                 "member_on", _summed("doctor_contract"), _rows_doctor, MemberRow, _rows_doctor_unknown, **_COVERAGE, **_COUNTS),
        _declare("visits_on_time", "结对户按期走访率", "Paired households visited within the cadence", "%", "户",
                 "pairing_active, visited_within_cadence", _summed("visits_on_time"), _rows_visits, HouseholdRow,
                 **_COVERAGE, **_COUNTS),
        _declare("followups_overdue", "逾期未办结事项", "Overdue follow-ups", "件", "件", "follow_up_overdue",
                 _followups, _rows_followups, FollowUpRow, **_ZERO, **_COUNTS),
        _declare("project_disbursement", "项目资金支出率（已支出/预算）", "Project disbursement (spent / budget)", "%",
                 "元", "disbursed", _disbursement, _rows_disbursement, ProjectRow, target=None, direction="report",
                 list_counts="all_projects", is_money=True, denominator_is_money=True),
        _declare("projects_overdue", "逾期未完成项目", "Projects overdue (planned end passed, not done)", "个", "个",
                 "project_overdue", _projects_overdue, _rows_projects_overdue, ProjectRow, **_ZERO, **_COUNTS),
        _declare("projects_by_category", "项目资金（按类别）", "Project money by category", "个", "元", "disbursed",
                 _breakdown_of("projects_by_category", Project.category),
                 lambda ctx: _breakdown_select(ctx, Project.category), Breakdown, target=None, direction="report",
                 list_counts="breakdown", is_money=True, denominator_is_money=True),
        _declare("projects_by_stage", "项目资金（按阶段）", "Project money by stage", "个", "元", "disbursed",
                 _breakdown_of("projects_by_stage", Project.stage),
                 lambda ctx: _breakdown_select(ctx, Project.stage), Breakdown, target=None, direction="report",
                 list_counts="breakdown", is_money=True, denominator_is_money=True),
    ]
}  # fmt: skip
"""Every indicator, in the order a dashboard shows them."""

ROW_DETAIL = {
    "coverage_households": "active cadre pairings (0 or more than 1)",
    "labour_without_job": "members able to work",
    "visits_on_time": "date of the last visit (None: never visited)",
}
"""What ``HouseholdRow.detail`` holds, per indicator."""

MONEY_FRACTIONS = frozenset(k for k, s in SPECS.items() if s.is_money)
"""Indicators whose numerator (and, where ``denominator_is_money``, denominator) is money in fen."""


def declaration(key: str) -> IndicatorSpec:
    """The declaration of one indicator (labels, unit, target, direction, money, the list it opens)."""
    return _spec(key)


def reader_fraction(ind: Indicator) -> tuple[Decimal | int | None, Decimal | int | None]:
    """Numerator and denominator as a reader wants them: money in yuan (Decimal), counts as counts."""
    spec = _spec(ind.key)
    if not spec.is_money:
        return ind.numerator, ind.denominator
    num = None if ind.numerator is None else Decimal(ind.numerator) / 100
    if not spec.denominator_is_money or ind.denominator is None:
        return num, ind.denominator
    return num, Decimal(ind.denominator) / 100


def _spec(key: str) -> _Spec:
    try:
        return SPECS[key]
    except KeyError:
        raise ValidationError(f"未知的指标：{key}", f"Unknown indicator: {key}", field="key") from None


def _to_row(spec: _Spec, ctx: _Ctx, values: Sequence[Any], kind: type | None = None) -> Row:
    kind = kind or spec.row_type
    if kind is HouseholdRow:
        hid, name, number, vcode, vname, category, detail = values
        return HouseholdRow(hid, name, mask_id_number(number), vcode, vname, category, detail)
    if kind is IncomeRow:
        hid, name, number, vcode, vname, category, *money = values
        return IncomeRow(hid, name, mask_id_number(number), vcode, vname, category, *money)
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


def _fetch(session: Session, spec: _Spec, ctx: _Ctx, query: AnySelect, kind: type | None = None) -> list[Row]:
    return [_to_row(spec, ctx, tuple(r), kind) for r in session.execute(query)]


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
        return _result(spec, ctx, spec.compute(session, ctx))
    key = (version, spec.key, ctx.scope, ctx.year, ctx.ref, repr(sorted(ctx.settings.items())))
    with _RESULTS_LOCK:
        hit = _RESULTS.get(key)
        if hit is not None:
            _RESULTS.move_to_end(key)
            return hit
    result = _result(spec, ctx, spec.compute(session, ctx))
    with _RESULTS_LOCK:
        _RESULTS[key] = result
        while len(_RESULTS) > _RESULTS_MAX:
            _RESULTS.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every cached result and the villages' sums remembered in memory (benchmarks measuring the cold
    path; tests). The sums stored in the database stay: they are checked against the stamps on every read."""
    with _RESULTS_LOCK:
        _RESULTS.clear()
    indicator_partials.forget_recent()


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
    missing: bool = False,
) -> list[Row]:
    """The list behind an indicator (the households, villages, members, visits or projects it counts); with
    ``missing``, the households (or villages) it could not count because their data is 未填 ("数据不全")."""
    spec = _spec(key)
    ctx = _context(session, scope, year, today)
    kind = None
    if missing:
        if spec.missing_rows is None:
            return []
        query = spec.missing_rows(ctx).offset(offset)
        kind = RegionRow if spec.missing_of_villages else HouseholdRow
    else:
        query = spec.rows(ctx).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return _fetch(session, spec, ctx, query, kind)
