"""Pairings (结对): create per kind, end with a reason, cadre leaving, bulk reassignment, history, caseload
and the rule check sync runs after a merge.

Rules enforced here (DOMAIN.md): a household has at most one active cadre; a township one active leader
(a cadre with ``is_leader``); ending needs a ``PairingEndReason`` and an end date not before the start;
an ended pairing cannot be ended again; a cadre's household count respects the ``cadre_household_cap``
setting unless the caller passes ``allow_over_cap=True``. History is never overwritten: ending sets
``end_date``/``end_reason``; a new pairing is a new row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.enums import CadreStatus, HouseholdStatus, PairingEndReason, PairingKind
from app.domain.models import Cadre, Department, Enterprise, Household, Pairing, Region, Sage, Synced
from app.domain.pairing_rules import PAIRING_SHAPES, subject_column
from app.errors import RuleViolation, ValidationError
from app.services import fields as f
from app.services import settings
from app.services.records import EntitySpec, EntityView, FieldSpec, Target, load, register, unit_of_work
from app.services.uow import UnitOfWork
from app.storage.database import Database

PAIRING = register(
    EntitySpec(
        Pairing,
        "结对",
        "pairing",
        (FieldSpec("note", "备注", "Note", f.long_text),),
        deletable=False,  # history is kept: a pairing entered in error is ended with reason "error"
    )
)

HELPER_MODELS: dict[str, type[Synced]] = {
    "cadre": Cadre,
    "department": Department,
    "enterprise": Enterprise,
    "sage": Sage,
}

_FIELD_START = FieldSpec("start_date", "结对开始日期", "Start date")
_FIELD_END = FieldSpec("end_date", "结对结束日期", "End date")
_FIELD_REASON = FieldSpec("end_reason", "结束原因", "End reason")


def _active(query: Any) -> Any:
    return query.where(Pairing.end_date.is_(None), Pairing.deleted.is_(False))


def active_cadre_pairing(session: Session, household_id: str) -> Pairing | None:
    query = select(Pairing).where(
        Pairing.subject_household_id == household_id, Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value
    )
    return session.scalars(_active(query)).first()


def caseload(session: Session, cadre_id: str) -> int:
    """Active households paired with the cadre."""
    query = select(func.count()).where(
        Pairing.helper_cadre_id == cadre_id, Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value
    )
    return int(session.scalar(_active(query)) or 0)


def _name(session: Session, model: type[Synced], row_id: str | None) -> str:
    if row_id is None:
        return ""
    obj: Any = session.get(model, row_id)
    if obj is None:
        return ""
    return str(obj.head_name if isinstance(obj, Household) else obj.name)


# ---------------------------------------------------------------- create


def _subject(session: Session, subject_id: str) -> tuple[str, Any]:
    """("household", row) or (region level, row)."""
    household = session.get(Household, subject_id)
    if household is not None and not household.deleted:
        return "household", household
    region = session.get(Region, subject_id)
    if region is not None and not region.deleted:
        return region.level, region
    raise ValidationError("结对对象不存在。", "The pairing's subject does not exist.", field="subject_id")


def _check_cap(session: Session, cadre: Cadre, adding: int) -> None:
    cap = int(settings.get(session, "cadre_household_cap"))
    current = caseload(session, cadre.id)
    if current + adding > cap:
        raise RuleViolation(
            f"干部{cadre.name}已结对{current}户，再增加{adding}户将超过上限{cap}户。如确需超出，请明确选择“允许超出上限”。",
            f"Cadre {cadre.name} already has {current} households; {adding} more would exceed the cap of {cap}. "
            "Choose 'allow over cap' explicitly if this is intended.",
            field="helper_id",
        )


def create_pairing(
    uow: UnitOfWork,
    kind: str,
    subject_id: str,
    helper_id: str,
    start_date: Any = None,
    *,
    note: str | None = None,
    allow_over_cap: bool = False,
) -> Pairing:
    """Validate and add one pairing inside ``uow`` (the composing form of ``pair``)."""
    session = uow.session
    pairing_kind = PairingKind.from_label(f.choice(PairingKind)(kind, FieldSpec("kind", "结对类型", "Pairing kind")))
    shape = PAIRING_SHAPES[pairing_kind]
    start = date.today() if start_date in (None, "") else f.parse_date(start_date, _FIELD_START)
    subject_kind, subject = _subject(session, subject_id)
    if subject_kind not in shape.subjects:
        raise ValidationError(
            f"“{pairing_kind.zh}”的结对对象类型不对。",
            f"The subject is of the wrong kind for a {pairing_kind.en} pairing.",
            field="subject_id",
        )
    helper: Any = session.get(HELPER_MODELS[shape.helper_table], helper_id)
    if helper is None or helper.deleted:
        raise ValidationError(f"{shape.helper_zh}不存在。", f"The {shape.helper_en} does not exist.", field="helper_id")
    household = subject if isinstance(subject, Household) else None
    cadre = helper if isinstance(helper, Cadre) else None
    column = getattr(Pairing, subject_column(subject_kind))
    current = session.scalars(
        _active(select(Pairing).where(column == subject.id, Pairing.kind == pairing_kind.value))
    ).all()
    refusal = new_pairing_refusal(
        pairing_kind,
        start=start,
        today=date.today(),
        household=household,
        cadre=cadre,
        helper_id=helper.id,
        active=[
            (getattr(p, shape.helper_column), _name(session, Cadre, p.helper_cadre_id) if p.helper_cadre_id else "")
            for p in current
        ],
    )
    if refusal is not None:
        raise refusal
    if pairing_kind is PairingKind.HOUSEHOLD_CADRE and not allow_over_cap:
        _check_cap(session, helper, 1)
    values = {
        "kind": pairing_kind.value,
        subject_column(subject_kind): subject.id,
        shape.helper_column: helper.id,
        "start_date": start,
        "note": note,
    }
    pairing = uow.add(Pairing(**values))
    session.flush()
    return pairing


class _HouseholdFacts(Protocol):
    status: str
    registered_on: date | None


class _CadreFacts(Protocol):
    name: str
    status: str
    is_leader: bool


def new_pairing_refusal(
    kind: PairingKind,
    *,
    start: date,
    today: date,
    household: _HouseholdFacts | None,
    cadre: _CadreFacts | None,
    helper_id: str,
    active: Sequence[tuple[str | None, str]],
) -> RuleViolation | ValidationError | None:
    """Why this new pairing may not be made (None: it may): a 一乡一领导 helper must be a leader; then
    ``rules.pairing_refusal`` (exited household, departed cadre, before 认定, in the future); then one active
    cadre per household, one leader per township, no second active copy of the same pairing. ``active`` is the
    subject's active pairings of this kind as (helper id, cadre name or ""). ``create_pairing`` and the Excel
    planners (against their in-memory ledger) both ask this, so a refusal has the same words everywhere."""
    if kind is PairingKind.TOWNSHIP_LEADER and cadre is not None and not cadre.is_leader:
        return RuleViolation(
            f"“一乡一领导”须由领导干部结对，{cadre.name}不是领导干部。",
            f"A township-leader pairing needs a leader cadre; {cadre.name} is not one.",
            field="helper_id",
        )
    refusal = rules.pairing_refusal(
        start=start,
        today=today,
        household_status=household.status if household else None,
        household_registered_on=household.registered_on if household else None,
        cadre_status=cadre.status if cadre else None,
    )
    if refusal is not None:
        return refusal
    if kind is PairingKind.HOUSEHOLD_CADRE and active:
        name = active[0][1]
        return RuleViolation(
            f"该农户已由干部{name}结对帮扶（一户一干部），请先结束原结对或使用调整结对。",
            f"The household is already paired with cadre {name} (one cadre per household); "
            "end that pairing first or reassign.",
            field="subject_id",
        )
    if kind is PairingKind.TOWNSHIP_LEADER and active:
        name = active[0][1]
        return RuleViolation(
            f"该乡镇已由领导{name}结对（一乡一领导），请先结束原结对。",
            f"The township already has leader {name} (one leader per township); end that pairing first.",
            field="subject_id",
        )
    if any(helper == helper_id for helper, _ in active):
        return RuleViolation(
            "相同的结对已经存在且仍在进行中。", "The same pairing already exists and is active.", field="helper_id"
        )
    return None


def pair(
    target: Target,
    kind: str,
    subject_id: str,
    helper_id: str,
    start_date: Any = None,
    *,
    note: str | None = None,
    allow_over_cap: bool = False,
) -> EntityView:
    """Pair a subject (household, township or village) with a helper (cadre, department, enterprise, sage)."""
    with unit_of_work(target) as uow:
        view = PAIRING.snapshot(
            create_pairing(uow, kind, subject_id, helper_id, start_date, note=note, allow_over_cap=allow_over_cap)
        )
    return view


# ---------------------------------------------------------------- end


def _reason(raw: Any) -> PairingEndReason:
    if raw in (None, ""):
        raise ValidationError("结束结对须填写原因。", "Ending a pairing needs a reason.", field="end_reason")
    return PairingEndReason.from_label(f.choice(PairingEndReason)(raw, _FIELD_REASON))


def end_pairing_row(
    uow: UnitOfWork,
    pairing: Pairing,
    reason: Any,
    end_date: Any = None,
    *,
    note: str | None = None,
    clamp: bool = False,
) -> Pairing:
    """End one pairing inside ``uow``. ``clamp``: a cascade (exit, leaving) ends a pairing that started after
    the event on its start date instead of refusing."""
    end_reason = _reason(reason)
    end = date.today() if end_date in (None, "") else f.parse_date(end_date, _FIELD_END)
    if pairing.end_date is not None:
        raise RuleViolation(
            f"该结对已于{pairing.end_date.isoformat()}结束，不能重复结束。",
            f"The pairing already ended on {pairing.end_date.isoformat()}; it cannot be ended twice.",
            field="end_date",
        )
    if end < pairing.start_date:
        if not clamp:
            raise ValidationError(
                "结束日期不能早于结对开始日期。", "The end date cannot be before the pairing's start.", field="end_date"
            )
        end = pairing.start_date
    uow.update(
        pairing, action="end", note=note, end_date=end, end_reason=end_reason.value, end_note=note or pairing.end_note
    )
    return pairing


def end_pairing(
    target: Target, pairing_id: str, reason: Any, end_date: Any = None, *, note: str | None = None
) -> EntityView:
    """End a pairing with a reason (``PairingEndReason`` code or label) and a date (default today)."""
    with unit_of_work(target) as uow:
        pairing = load(uow.session, Pairing, pairing_id, "结对", "pairing")
        view = PAIRING.snapshot(end_pairing_row(uow, pairing, reason, end_date, note=note))
    return view


def end_all_for(
    uow: UnitOfWork,
    *,
    household_id: str | None = None,
    cadre_id: str | None = None,
    reason: str,
    on: date,
    note: str | None,
) -> list[Pairing]:
    """End every active pairing of a household (as subject) or of a cadre (as helper), inside ``uow``."""
    query = select(Pairing).order_by(Pairing.start_date, Pairing.id)
    if household_id is not None:
        query = query.where(Pairing.subject_household_id == household_id)
    if cadre_id is not None:
        query = query.where(Pairing.helper_cadre_id == cadre_id)
    rows = list(uow.session.scalars(_active(query)))
    for pairing in rows:
        end_pairing_row(uow, pairing, reason, on, note=note, clamp=True)
    return rows


# ---------------------------------------------------------------- cadre leaving and reassignment


@dataclass(frozen=True)
class UncoveredHousehold:
    """A household left without an active cadre (no PII beyond what the assign view shows)."""

    id: str
    head_name: str
    village_id: str


@dataclass(frozen=True)
class CadreLeft:
    cadre_id: str
    ended: tuple[EntityView, ...]
    uncovered_households: tuple[UncoveredHousehold, ...]
    uncovered_townships: tuple[str, ...]


def _uncovered(session: Session, household_ids: Sequence[str]) -> tuple[UncoveredHousehold, ...]:
    out = []
    for household_id in household_ids:
        household = session.get(Household, household_id)
        if household is None or household.status != HouseholdStatus.ACTIVE or household.deleted:
            continue
        if active_cadre_pairing(session, household_id) is None:
            out.append(UncoveredHousehold(household.id, household.head_name, household.village_id))
    return tuple(out)


def cadre_leaves(target: Target, cadre_id: str, left_on: Any = None, *, note: str | None = None) -> CadreLeft:
    """Mark the cadre as left (调离) and end all their pairings (reason cadre_left) in one transaction;
    returns what was ended and the households and townships now uncovered."""
    with unit_of_work(target) as uow:
        cadre = load(uow.session, Cadre, cadre_id, "干部", "cadre")
        if cadre.status == CadreStatus.LEFT:
            raise RuleViolation(f"干部{cadre.name}已是调离状态。", f"Cadre {cadre.name} has already left.")
        on = (
            date.today()
            if left_on in (None, "")
            else f.past_date(left_on, FieldSpec("left_on", "调离日期", "Date left"))
        )
        uow.update(cadre, action="leave", note=note, status=CadreStatus.LEFT.value, left_on=on)
        ended = end_all_for(uow, cadre_id=cadre_id, reason=PairingEndReason.CADRE_LEFT, on=on, note=note)
        uow.session.flush()
        households = [
            p.subject_household_id for p in ended if p.kind == PairingKind.HOUSEHOLD_CADRE and p.subject_household_id
        ]
        townships = [
            p.subject_region_id
            for p in ended
            if p.kind == PairingKind.TOWNSHIP_LEADER
            and p.subject_region_id
            and not uow.session.scalars(
                _active(
                    select(Pairing.id).where(Pairing.subject_region_id == p.subject_region_id, Pairing.kind == p.kind)
                )
            ).first()
        ]
        result = CadreLeft(
            cadre_id, tuple(PAIRING.snapshot(p) for p in ended), _uncovered(uow.session, households), tuple(townships)
        )
    return result


def households_of_departing(session: Session, cadre_id: str) -> list[str]:
    """Households to reassign from a cadre: those still paired with them, and those whose pairing with them
    ended because they left and which have no cadre since."""
    active = select(Pairing.subject_household_id).where(
        Pairing.helper_cadre_id == cadre_id, Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value
    )
    ids = list(session.scalars(_active(active).order_by(Pairing.start_date, Pairing.id)))
    left = select(Pairing.subject_household_id).where(
        Pairing.helper_cadre_id == cadre_id,
        Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value,
        Pairing.end_reason == PairingEndReason.CADRE_LEFT.value,
        Pairing.deleted.is_(False),
    )
    ids += [
        u.id
        for u in _uncovered(session, list(session.scalars(left.order_by(Pairing.end_date, Pairing.id))))
        if u.id not in ids
    ]
    return [i for i in ids if i]


def reassign_households(
    target: Target,
    from_cadre_id: str,
    to: Sequence[str] | Mapping[str, str],
    on: Any = None,
    *,
    allow_over_cap: bool = False,
    note: str | None = None,
) -> list[EntityView]:
    """Move a departing cadre's households to other cadres in one transaction (all or nothing).

    ``to`` is either a list of cadre ids (households are dealt out to whoever has the lightest caseload) or
    a mapping household id → cadre id. The cap is checked for every receiving cadre before anything is
    written; over it, a ``RuleViolation`` names the cadre unless ``allow_over_cap``. Returns the new pairings.
    """
    start = date.today() if on in (None, "") else f.parse_date(on, _FIELD_START)
    with unit_of_work(target) as uow:
        session = uow.session
        load(session, Cadre, from_cadre_id, "干部", "cadre")
        households = households_of_departing(session, from_cadre_id)
        plan = _plan(session, households, to)
        receivers = {cid: load(session, Cadre, cid, "干部", "cadre") for cid in set(plan.values())}
        if from_cadre_id in receivers:
            raise ValidationError("不能调整给原干部本人。", "Cannot reassign to the same cadre.", field="to")
        if not allow_over_cap:
            for cadre_id, count in Counter(plan.values()).items():
                _check_cap(session, receivers[cadre_id], count)
        created = []
        for household_id, cadre_id in plan.items():
            current = active_cadre_pairing(session, household_id)
            if current is not None:
                end_pairing_row(uow, current, PairingEndReason.REASSIGNED, start, note=note, clamp=True)
                session.flush()
            created.append(
                create_pairing(
                    uow, PairingKind.HOUSEHOLD_CADRE, household_id, cadre_id, start, note=note, allow_over_cap=True
                )
            )
        views = [PAIRING.snapshot(p) for p in created]
    return views


def _plan(session: Session, households: list[str], to: Sequence[str] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(to, Mapping):
        unknown = set(to) - set(households)
        if unknown:
            raise ValidationError(
                "有农户不属于该干部的结对户。", "Some households are not among the cadre's households.", field="to"
            )
        return dict(to)
    if not to:
        raise ValidationError("请至少选择一名接收干部。", "Choose at least one receiving cadre.", field="to")
    loads = {cid: caseload(session, cid) for cid in to}
    plan: dict[str, str] = {}
    for household_id in households:
        cadre_id = min(to, key=lambda c: (loads[c], list(to).index(c)))
        plan[household_id] = cadre_id
        loads[cadre_id] += 1
    return plan


def refuse_if_paired(uow: UnitOfWork, helper: Any) -> None:
    """A helper with active pairings cannot be deleted: end the pairings (or let the cadre leave) first."""
    column = getattr(Pairing, _HELPER_COLUMN_BY_TABLE[helper.__tablename__])
    if uow.session.scalars(_active(select(Pairing.id).where(column == helper.id))).first() is not None:
        raise RuleViolation(
            "仍有进行中的结对，不能删除；请先结束结对。", "There are still active pairings; end them before deleting."
        )


# ---------------------------------------------------------------- reads


@dataclass(frozen=True)
class PairingLine:
    """A pairing with the names a history list shows."""

    pairing: EntityView
    subject_name: str
    helper_name: str


def _lines(session: Session, rows: Sequence[Pairing]) -> list[PairingLine]:
    out = []
    for p in rows:
        subject = _name(session, Household, p.subject_household_id) or _name(session, Region, p.subject_region_id)
        helper = next(
            (
                _name(session, HELPER_MODELS[t], getattr(p, c))
                for t, c in _HELPER_COLUMN_BY_TABLE.items()
                if getattr(p, c)
            ),
            "",
        )
        out.append(PairingLine(PAIRING.snapshot(p), subject, helper))
    return out


_HELPER_COLUMN_BY_TABLE = {shape.helper_table: shape.helper_column for shape in PAIRING_SHAPES.values()}


def history(
    db: Database, *, household_id: str | None = None, cadre_id: str | None = None, region_id: str | None = None
) -> list[PairingLine]:
    """Every pairing (active and ended) of a household, a cadre (as helper) or a place, oldest first."""
    query = select(Pairing).where(Pairing.deleted.is_(False)).order_by(Pairing.start_date, Pairing.id)
    if household_id is not None:
        query = query.where(Pairing.subject_household_id == household_id)
    if cadre_id is not None:
        query = query.where(Pairing.helper_cadre_id == cadre_id)
    if region_id is not None:
        query = query.where(Pairing.subject_region_id == region_id)
    with db.session() as session:
        return _lines(session, list(session.scalars(query)))


@dataclass(frozen=True)
class Caseload:
    cadre_id: str
    name: str
    department_id: str | None
    households: int
    cap: int

    @property
    def over_cap(self) -> bool:
        return self.households > self.cap


def caseloads(db: Database, cadre_ids: Sequence[str] | None = None) -> list[Caseload]:
    """Active households per serving cadre (the assign view), busiest first."""
    with db.session() as session:
        cap = int(settings.get(session, "cadre_household_cap"))
        counts = (
            select(Pairing.helper_cadre_id.label("cid"), func.count().label("n"))
            .where(
                Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value,
                Pairing.end_date.is_(None),
                Pairing.deleted.is_(False),
            )
            .group_by(Pairing.helper_cadre_id)
            .subquery()
        )
        query = (
            select(Cadre.id, Cadre.name, Cadre.department_id, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.cid == Cadre.id)
            .where(Cadre.deleted.is_(False), Cadre.status == CadreStatus.SERVING.value)
        )
        if cadre_ids is not None:
            query = query.where(Cadre.id.in_(list(cadre_ids)))
        rows = session.execute(query.order_by(func.coalesce(counts.c.n, 0).desc(), Cadre.name)).all()
        return [Caseload(r[0], r[1], r[2], int(r[3]), cap) for r in rows]


# ---------------------------------------------------------------- rule check (after a sync merge)


@dataclass(frozen=True)
class Violation:
    """One broken pairing rule found in the data: ``rule`` is a stable code, ``entity``/``entity_id`` the row
    to look at, ``pairing_ids`` the pairings involved."""

    rule: str
    entity: str
    entity_id: str
    pairing_ids: tuple[str, ...]
    zh: str
    en: str


def rule_violations(session: Session, pairing_ids: Collection[str] | None = None) -> list[Violation]:
    """Every pairing-rule violation in the data: households with more than one active cadre, townships with
    more than one active leader, active pairings whose household is no longer active or whose subject or
    helper is deleted, active pairings of cadres who have left. With ``pairing_ids``, only the violations
    that involve one of those pairings (a sync import checks what it touched, not the whole database)."""
    if pairing_ids is not None:
        ids = sorted(set(pairing_ids))
        found: dict[tuple[str, str, tuple[str, ...]], Violation] = {}
        for i in range(0, len(ids), _RULE_CHUNK):
            for v in _rule_violations(session, ids[i : i + _RULE_CHUNK]):
                found.setdefault((v.rule, v.entity_id, v.pairing_ids), v)
        return list(found.values())
    return _rule_violations(session, None)


_RULE_CHUNK = 500


def _rule_violations(session: Session, only: list[str] | None) -> list[Violation]:
    out: list[Violation] = []
    live = Pairing.deleted.is_(False) & Pairing.end_date.is_(None)
    scoped = Pairing.id.in_(only) if only is not None else true()
    for kind, column, rule, zh, en in (
        (
            PairingKind.HOUSEHOLD_CADRE,
            Pairing.subject_household_id,
            "household_multiple_cadres",
            "农户同时有多名结对干部",
            "household has more than one active cadre",
        ),
        (
            PairingKind.TOWNSHIP_LEADER,
            Pairing.subject_region_id,
            "township_multiple_leaders",
            "乡镇同时有多名结对领导",
            "township has more than one active leader",
        ),
    ):
        dup = select(column).where(live, Pairing.kind == kind.value).group_by(column).having(func.count() > 1)
        if only is not None:  # the subjects of the given pairings, with all their pairings
            dup = dup.where(column.in_(select(column).where(live, Pairing.kind == kind.value, scoped)))
        rows = session.execute(
            select(column, Pairing.id)
            .where(live, Pairing.kind == kind.value, column.in_(dup))
            .order_by(column, Pairing.id)
        ).all()
        grouped: dict[str, list[str]] = {}
        for subject_id, pairing_id in rows:
            grouped.setdefault(str(subject_id), []).append(pairing_id)
        entity = "household" if kind is PairingKind.HOUSEHOLD_CADRE else "region"
        out += [Violation(rule, entity, sid, tuple(ids), zh, en) for sid, ids in grouped.items()]
    checks: list[tuple[str, str, Any, str, str]] = [
        (
            "inactive_household_paired",
            "household",
            select(Pairing.id, Household.id)
            .join(Household, Household.id == Pairing.subject_household_id)
            .where(live, or_(Household.status != HouseholdStatus.ACTIVE.value, Household.deleted.is_(True))),
            "已退出或已删除的农户仍有进行中的结对",
            "a household that is no longer active still has an active pairing",
        ),
        (
            "deleted_region_paired",
            "region",
            select(Pairing.id, Region.id)
            .join(Region, Region.id == Pairing.subject_region_id)
            .where(live, Region.deleted.is_(True)),
            "已删除的地区仍有进行中的结对",
            "a deleted place still has an active pairing",
        ),
        (
            "departed_cadre_paired",
            "cadre",
            select(Pairing.id, Cadre.id)
            .join(Cadre, Cadre.id == Pairing.helper_cadre_id)
            .where(live, or_(Cadre.status == CadreStatus.LEFT.value, Cadre.deleted.is_(True))),
            "已调离或已删除的干部仍有进行中的结对",
            "a cadre who left (or was deleted) still has an active pairing",
        ),
    ]
    for table, helper_column in _HELPER_COLUMN_BY_TABLE.items():
        if table != "cadre":
            model: Any = HELPER_MODELS[table]
            query = (
                select(Pairing.id, model.id)
                .join(model, model.id == getattr(Pairing, helper_column))
                .where(live, model.deleted.is_(True))
            )
            checks.append(
                (
                    "deleted_helper_paired",
                    table,
                    query,
                    "已删除的帮扶方仍有进行中的结对",
                    "a deleted helper still has an active pairing",
                )
            )
    for rule, entity, query, zh, en in checks:
        out += [Violation(rule, entity, eid, (pid,), zh, en) for pid, eid in session.execute(query.where(scoped))]
    return out
