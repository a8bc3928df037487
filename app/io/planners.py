"""Turn parsed rows into a plan: what each import kind creates, updates or leaves unchanged.

One planner per kind. A planner first resolves everything the row needs (raising ``ValidationError`` for
the column at fault, so the row is rejected whole) and only then emits changes into the ``Plan`` and the
``Ledger`` lookups, so later rows of the same file match what earlier rows create.
Identity rules: a household is its head's resident ID; a department its name; a cadre name + unit + phone
(two 王伟 in two bureaus are two people); a household has one active cadre pairing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.enums import (
    CadreStatus,
    DepartmentKind,
    DepartmentLevel,
    HouseholdStatus,
    PairingKind,
    ProjectStage,
    RegionLevel,
    Relation,
    VisitMode,
)
from app.domain.models import (
    Cadre,
    Department,
    Enterprise,
    Household,
    Member,
    Pairing,
    Project,
    Region,
    Sage,
    Synced,
    Visit,
)
from app.domain.pairing_rules import PAIRING_SHAPES
from app.errors import ValidationError
from app.ids import new_id
from app.io.columns import PAIRING_KINDS
from app.io.lookups import HOUSEHOLD_COMPARED, Ledger, load_incomes, unit_key
from app.services.cadres import CADRE, DEPARTMENT
from app.services.households import HOUSEHOLD, INCOME, MEMBER
from app.services.pairings import new_pairing_refusal
from app.services.projects import PROJECT
from app.services.records import EntitySpec, clean
from app.services.regions import REGION, VILLAGE_INCOME
from app.services.supporters import ENTERPRISE, SAGE
from app.services.visits import VISIT

ACTIONS = ("create", "update", "unchanged")


@dataclass
class Plan:
    """Rows to insert per model, changes to existing rows, and counts per table and action."""

    creates: dict[type[Synced], list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    updates: list[tuple[type[Synced], str, dict[str, Any]]] = field(default_factory=list)
    ended_pairings: list[tuple[str, date]] = field(default_factory=list)  # (pairing id, end date): reassigned
    status_changes: list[tuple[str, str, date, str]] = field(default_factory=list)  # (household, status, on, why)
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # Where queued inserts go when ``spill`` is called: written into the import's open transaction, or
    # (None: a dry run) dropped once counted. A large import so never holds every row it creates.
    sink: Callable[[dict[type[Synced], list[dict[str, Any]]]], None] | None = None
    spilled: int = 0  # rows handed on by ``spill`` so far

    def create(self, model: type[Synced], values: dict[str, Any], *, counted: bool = True) -> str:
        """Queue an insert; ``counted=False`` for rows that are part of another (a household's head member)."""
        values["id"] = values.get("id") or new_id()
        self.creates[model].append(values)
        if counted:
            self.counts[model.__tablename__]["create"] += 1  # type: ignore[attr-defined]
        return str(values["id"])

    def update(self, model: type[Synced], row_id: str, changes: dict[str, Any]) -> None:
        table = model.__tablename__  # type: ignore[attr-defined]
        if changes:
            self.updates.append((model, row_id, changes))
            self.counts[table]["update"] += 1
        else:
            self.counts[table]["unchanged"] += 1

    def unchanged(self, model: type[Synced]) -> None:
        self.counts[model.__tablename__]["unchanged"] += 1  # type: ignore[attr-defined]

    @property
    def queued(self) -> int:
        """Inserts queued since the last ``spill``."""
        return sum(map(len, self.creates.values()))

    def spill(self) -> None:
        """Hand the queued inserts to ``sink`` and forget them (their ids stay in the ``Ledger`` lookups)."""
        self.spilled += self.queued
        if self.sink is not None:
            self.sink(self.creates)
        self.creates = defaultdict(list)

    @property
    def empty(self) -> bool:
        return (
            not self.updates
            and not self.ended_pairings
            and not self.status_changes
            and not self.spilled
            and not any(self.creates.values())
        )


@dataclass
class PlanContext:
    ledger: Ledger
    plan: Plan
    cadre_cap: int
    session: Session | None = None  # open while planning, for the services' rules of low-volume kinds
    today: date = field(default_factory=date.today)
    seen_units: set[str] = field(default_factory=set)  # counted once each in the report
    seen_cadres: set[str] = field(default_factory=set)
    over_cap: set[str] = field(default_factory=set)  # cadres paired beyond the cap by this import (a warning)
    emitted_places: set[str] = field(default_factory=set)  # codes of new villages already queued for insert


RowPlanner = Callable[[PlanContext, dict[str, Any]], None]


def service_values(spec: EntitySpec, data: dict[str, Any], session: Session | None = None) -> dict[str, Any]:
    """A new row through the services' own field checks and derivations (pinyin keys, sex and birth date
    from the ID), so bulk-imported rows are exactly what ``records.create`` would store. With a ``session``
    the spec's database rules run too (visits, projects: a query or two a row); for the 100,000-row kinds
    the planners check the same rules against the in-memory ``Ledger`` instead."""
    values, errors = clean(spec, {k: v for k, v in data.items() if v is not None}, creating=True)
    if errors:
        raise errors[0]
    if spec.derive:
        values |= spec.derive(dict(values))
    if session is not None:
        merged = {**values, "__model__": spec.model}
        for rule in spec.rules:
            rule(session, merged, None)
    return values


def _changes(stored: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if v is not None and stored.get(k) != v}


# ------------------------------------------------------------------ departments and cadres

_LEVEL_HINTS: tuple[tuple[tuple[str, ...], DepartmentLevel], ...] = (
    (("丽水市", "市委", "市政府", "市级"), DepartmentLevel.CITY),
    (("乡", "镇", "街道"), DepartmentLevel.TOWNSHIP),
)
_KIND_HINTS: tuple[tuple[tuple[str, ...], DepartmentKind], ...] = (
    (("公司", "银行", "集团", "供电", "电力", "移动", "电信", "联通", "烟草", "邮政"), DepartmentKind.STATE_ENTERPRISE),
    (("学校", "中学", "小学", "医院", "中心", "站", "所", "院", "馆", "台"), DepartmentKind.INSTITUTION),
)


def guess_department(name: str) -> tuple[str, str]:
    """Level and kind a roster does not say, guessed from the unit's name (县农业农村局 → 县级, 党政机关).
    The officer can correct them later; the guess only fills required columns."""
    level = DepartmentLevel.COUNTY
    for words, hinted in _LEVEL_HINTS:
        if name.startswith(words) or (hinted is DepartmentLevel.TOWNSHIP and name.endswith(("乡", "镇", "街道"))):
            level = hinted
            break
    kind = DepartmentKind.PARTY_GOV
    for words, hinted_kind in _KIND_HINTS:
        if any(w in name for w in words):
            kind = hinted_kind
            break
    return level.value, kind.value


def _find_cadre(ledger: Ledger, name: str, dept_id: str | None, phone: str | None) -> str | None:
    """The existing cadre: exact name + unit + phone; else the one cadre of that name and unit with no phone
    on record or none given in the file."""
    exact = ledger.cadres.get((name, dept_id, phone))
    if exact:
        return exact
    same_unit = [c for c in ledger.cadres_by_name.get(name, []) if c[1] == dept_id]
    if len(same_unit) == 1 and (phone is None or same_unit[0][2] is None):
        return same_unit[0][0]
    return None


def _resolve_cadre(ctx: PlanContext, row: dict[str, Any]) -> tuple[str | None, str | None, dict[str, Any]]:
    """(cadre id or None if new, department id or None if new, the values the cadre should have)."""
    name = row["cadre_name"]
    unit = row.get("cadre_unit")
    dept_id = ctx.ledger.departments.get(unit_key(unit)) if unit else None
    phone = row.get("cadre_phone")
    cadre_id = _find_cadre(ctx.ledger, name, dept_id, phone) if (dept_id or not unit) else None
    wanted = {"post": row.get("cadre_post"), "phone": phone, "is_leader": row.get("is_leader")}
    return cadre_id, dept_id, wanted


def emit_department(ctx: PlanContext, unit: str, level: str | None = None, kind: str | None = None) -> str:
    """The department named ``unit``: found by its name, or created with the level and kind the file gives
    (else guessed from the name); counted once per import."""
    dept_id = ctx.ledger.departments.get(unit_key(unit))
    if dept_id is None:
        guessed_level, guessed_kind = guess_department(unit)
        values = {"name": unit, "level": level or guessed_level, "kind": kind or guessed_kind}
        dept_id = ctx.plan.create(Department, service_values(DEPARTMENT, values))
        ctx.ledger.departments[unit_key(unit)] = dept_id
    elif unit_key(unit) not in ctx.seen_units:
        ctx.plan.unchanged(Department)
    ctx.seen_units.add(unit_key(unit))
    return dept_id


def _emit_cadre(ctx: PlanContext, row: dict[str, Any]) -> str:
    ledger, plan = ctx.ledger, ctx.plan
    cadre_id, dept_id, wanted = _resolve_cadre(ctx, row)
    unit = row.get("cadre_unit")
    if unit:
        dept_id = emit_department(ctx, unit, row.get("department_level"), row.get("department_kind"))
    name = row["cadre_name"]
    if cadre_id is None:
        values = service_values(
            CADRE,
            {
                "name": name,
                "department_id": dept_id,
                "post": wanted["post"],
                "phone": wanted["phone"],
                "is_leader": bool(wanted["is_leader"]),
            },
        )
        cadre_id = plan.create(Cadre, values)
        ledger.cadres[(name, dept_id, wanted["phone"])] = cadre_id
        ledger.cadres_by_name.setdefault(name, []).append((cadre_id, dept_id, wanted["phone"]))
        ledger.cadre_rows[cadre_id] = {k: values.get(k) for k in ("post", "phone", "is_leader")} | {"status": "serving"}
    elif cadre_id not in ctx.seen_cadres:
        stored = ledger.cadre_rows[cadre_id]
        changes = _changes({k: stored.get(k) for k in wanted}, wanted)
        plan.update(Cadre, cadre_id, changes)
        ledger.cadre_rows[cadre_id].update(changes)
    ctx.seen_cadres.add(cadre_id)
    return cadre_id


def plan_cadre(ctx: PlanContext, row: dict[str, Any]) -> None:
    _emit_cadre(ctx, row)


# ------------------------------------------------------------------ households and the roster


def _household_values(ctx: PlanContext, row: dict[str, Any]) -> dict[str, Any]:
    village_id = ctx.ledger.places.village(row["village"], row.get("township"))
    primary, others = row["causes"]
    return {
        "village_id": village_id,
        "natural_village": row.get("natural_village"),
        "head_name": row["head_name"],
        "phone": row.get("phone"),
        "address": row.get("address"),
        "category": row["category"],
        "primary_cause": primary,
        "other_causes": others,
        "status": row.get("status"),
        "status_date": row.get("status_date"),
        "status_reason": row.get("status_reason"),
        "registered_on": row.get("registered_on"),
        "relocation": row.get("relocation"),
        "note": row.get("note"),
    }


def _check_household(ctx: PlanContext, row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any] | None:
    """The stored household (None if new), after the checks an import cannot do silently."""
    number = row["head_id_number"]
    stored = ctx.ledger.households.get(number)
    if stored is None:
        holder = ctx.ledger.member_ids.get(number)
        if holder is not None:
            raise ValidationError(
                "该身份证号码已是另一户在册农户的家庭成员（同一人不能在两户中同时在册）。",
                "This resident ID is already a member of another active household.",
                field="head_id_number",
            )
        return None
    status_facts = ("status", "status_date", "status_reason")
    if any(values[k] is not None and values[k] != stored[k] for k in status_facts):
        raise ValidationError(
            "农户状态的变更（退出、迁出、销户）请在程序中办理，以便同时结束其结对。",
            "Change a household's status (exit, move out, close) in the program, so its pairings end with it.",
            field="status",
        )
    if values["registered_on"] and values["registered_on"] > ctx.today:
        raise ValidationError(
            "认定时间不能晚于今天。", "The registration date cannot be in the future.", field="registered_on"
        )
    return stored


def _emit_household(
    ctx: PlanContext, row: dict[str, Any], values: dict[str, Any], stored: dict[str, Any] | None
) -> str:
    plan, ledger = ctx.plan, ctx.ledger
    number = row["head_id_number"]
    if stored is not None:
        changes = _changes(stored, values)
        plan.update(Household, stored["id"], changes)
        stored.update(changes)
        return str(stored["id"])
    status = values.pop("status", None) or HouseholdStatus.ACTIVE.value  # not a form field: set by exits
    left = {k: values.pop(k, None) for k in ("status_date", "status_reason")}  # 退出/迁出/销户 date and reason
    left = {k: v for k, v in left.items() if v is not None and status != HouseholdStatus.ACTIVE.value}
    new = service_values(HOUSEHOLD, values | {"head_id_number": number})
    new = {k: v for k, v in new.items() if v is not None} | {"status": status} | left
    new.setdefault("relocation", False)
    household_id = plan.create(Household, new)
    # What HOUSEHOLD.after_create adds row by row: the head as a member (relation 户主).
    head = {
        "household_id": household_id,
        "name": values["head_name"],
        "id_number": number,
        "relation": Relation.HEAD.value,
    }
    member_id = plan.create(Member, service_values(MEMBER, head), counted=False)
    # What the ledger keeps of a stored household, not the whole planned row: that row is written (or, in a
    # dry run, dropped) a slice at a time, and a copy of every new household would outlive it.
    ledger.households[number] = {k: new.get(k) for k in HOUSEHOLD_COMPARED} | {"id": household_id}
    ledger.member_ids[number] = (member_id, household_id)
    return household_id


def plan_household(ctx: PlanContext, row: dict[str, Any]) -> None:
    values = _household_values(ctx, row)
    stored = _check_household(ctx, row, values)
    _emit_household(ctx, row, values, stored)


def _check_cap(ctx: PlanContext, cadre_id: str | None) -> None:
    """The caseload cap is a soft limit: a roster records pairings that exist, so the pairing is imported
    and the cadre listed (dry run, report, ``anomalies``) rather than the household lost."""
    if cadre_id is not None and ctx.ledger.caseload.get(cadre_id, 0) >= ctx.cadre_cap:
        ctx.over_cap.add(cadre_id)


def _check_pairing(
    ctx: PlanContext, stored: dict[str, Any] | None, values: dict[str, Any], cadre_id: str | None, start: date
) -> None:
    """The checks ``pairings.create_pairing`` makes (``rules.pairing_refusal``), against the in-memory ledger."""
    cadre = ctx.ledger.cadre_rows.get(cadre_id, {}) if cadre_id is not None else {}
    refusal = rules.pairing_refusal(
        start=start,
        today=ctx.today,
        household_status=(values.get("status") or stored["status"]) if stored is not None else values.get("status"),
        household_registered_on=values.get("registered_on") or (stored or {}).get("registered_on"),
        cadre_status=cadre.get("status", CadreStatus.SERVING.value) if cadre_id is not None else None,
    )
    if refusal is not None:
        # Name the sheet's column, so the error report points at the cell to correct.
        column = {"start_date": "pairing_start", "subject_id": "status", "helper_id": "cadre_name"}
        raise ValidationError(refusal.zh, refusal.en, field=column.get(refusal.field or "", refusal.field))


def plan_roster(ctx: PlanContext, row: dict[str, Any]) -> None:
    values = _household_values(ctx, row)
    stored = _check_household(ctx, row, values)
    cadre_id, _, _ = _resolve_cadre(ctx, row)
    current = ctx.ledger.active_pairing.get(stored["id"]) if stored else None
    same = current is not None and cadre_id is not None and current[1] == cadre_id
    if not same:
        _check_cap(ctx, cadre_id)
    start = row.get("pairing_start") or ctx.today
    if not same:
        _check_pairing(ctx, stored, values, cadre_id, start)

    household_id = _emit_household(ctx, row, values, stored)
    cadre_id = _emit_cadre(ctx, row)
    if same:
        ctx.plan.unchanged(Pairing)
        return
    if current is not None:
        ctx.plan.ended_pairings.append((current[0], start))
        ctx.plan.counts[Pairing.__tablename__]["update"] += 1
        ctx.ledger.caseload[current[1]] -= 1
    pairing_id = ctx.plan.create(
        Pairing,
        {
            "kind": PairingKind.HOUSEHOLD_CADRE.value,
            "subject_household_id": household_id,
            "helper_cadre_id": cadre_id,
            "start_date": start,
        },
    )
    ctx.ledger.active_pairing[household_id] = (pairing_id, cadre_id)
    ctx.ledger.caseload[cadre_id] = ctx.ledger.caseload.get(cadre_id, 0) + 1


# ------------------------------------------------------------------ members


def _household_of(ctx: PlanContext, number: str, field_name: str) -> dict[str, Any]:
    stored = ctx.ledger.households.get(number)
    if stored is None:
        raise ValidationError(
            "找不到该户主身份证号码对应的农户，请先导入农户。",
            "No household has this head's resident ID; import the households first.",
            field=field_name,
        )
    return stored


_MEMBER_FIELDS = ("name", "relation", "health", "labour", "employment", "school_stage", "doctor_contract")


def plan_member(ctx: PlanContext, row: dict[str, Any]) -> None:
    household = _household_of(ctx, row["household_id_number"], "household_id_number")
    number = row["id_number"]
    holder = ctx.ledger.member_ids.get(number)
    if holder is not None and holder[1] != household["id"]:
        raise ValidationError(
            "该身份证号码已在另一户在册农户中登记。",
            "This resident ID is already registered in another active household.",
            field="id_number",
        )
    wanted = {k: row.get(k) for k in _MEMBER_FIELDS}
    if holder is not None:
        ctx.plan.update(Member, holder[0], _member_changes(ctx, holder[0], wanted))
        return
    if wanted["relation"] == Relation.HEAD.value:
        raise ValidationError("该户已有户主。", "The household already has a head.", field="relation")
    new = service_values(MEMBER, wanted | {"household_id": household["id"], "id_number": number})
    member_id = ctx.plan.create(Member, {k: v for k, v in new.items() if v is not None})
    ctx.ledger.member_ids[number] = (member_id, household["id"])


def _member_changes(ctx: PlanContext, member_id: str, wanted: dict[str, Any]) -> dict[str, Any]:
    stored = ctx.ledger.members.setdefault(member_id, {})
    changes = _changes(stored, wanted)
    stored.update(changes)
    return changes


# ------------------------------------------------------------------ visits


def _cadre_for_visit(ctx: PlanContext, row: dict[str, Any]) -> str:
    candidates = ctx.ledger.cadres_by_name.get(row["cadre_name"], [])
    unit = row.get("cadre_unit")
    if unit:
        dept = ctx.ledger.departments.get(unit_key(unit))
        candidates = [c for c in candidates if c[1] == dept]
    if row.get("cadre_phone"):
        candidates = [c for c in candidates if c[2] == row["cadre_phone"]]
    if len(candidates) == 1:
        return candidates[0][0]
    if not candidates:
        raise ValidationError(
            "找不到该走访干部，请先导入干部或花名册。",
            "No such cadre; import the cadres or the roster first.",
            field="cadre_name",
        )
    raise ValidationError(
        "有多名同名干部，请填写干部的工作单位或联系电话。",
        "Several cadres have this name; give the cadre's unit or phone.",
        field="cadre_name",
    )


def plan_visit(ctx: PlanContext, row: dict[str, Any]) -> None:
    household = _household_of(ctx, row["household_id_number"], "household_id_number")
    cadre_id = _cadre_for_visit(ctx, row)
    if row["visit_date"] > ctx.today:
        raise ValidationError("走访日期不能晚于今天。", "The visit date cannot be in the future.", field="visit_date")
    key = (household["id"], cadre_id, row["visit_date"])
    if key in ctx.ledger.visits:
        ctx.plan.unchanged(Visit)
        return
    data = {
        "household_id": household["id"],
        "cadre_id": cadre_id,
        "visit_date": row["visit_date"],
        "mode": row.get("mode") or VisitMode.HOME.value,
        **{k: row.get(k) for k in ("findings", "measures", "follow_up", "follow_up_due")},
    }
    closed = {"follow_up_closed_on": row["follow_up_closed_on"]} if row.get("follow_up_closed_on") else {}
    ctx.plan.create(Visit, service_values(VISIT, data, ctx.session) | closed)
    ctx.ledger.visits.add(key)


# ------------------------------------------------------------------ projects and village income


def plan_project(ctx: PlanContext, row: dict[str, Any]) -> None:
    places = ctx.ledger.places
    levels = (RegionLevel.VILLAGE.value, RegionLevel.TOWNSHIP.value, RegionLevel.COUNTY.value)
    region_id = places.find(row["place"], levels, None, "place")
    wanted = {
        "category": row["category"],
        "fund_source": row["fund_source"],
        "responsible_unit": row.get("responsible_unit"),
        "budget_fen": row.get("budget"),
        "allocated_fen": row.get("allocated"),
        "stage": row.get("stage"),
        "start_date": row.get("start_date"),
        "planned_end_date": row.get("planned_end_date"),
        "filed_on": row.get("filed_on"),
        "description": row.get("description"),
    }
    if wanted["budget_fen"] is not None and (wanted["allocated_fen"] or 0) > wanted["budget_fen"]:
        raise ValidationError("已拨付资金超过项目预算。", "Allocated funds exceed the budget.", field="allocated")
    key = (row["name"], row["year"], region_id)
    stored = ctx.ledger.projects.get(key)
    stage = wanted.pop("stage") or ProjectStage.PLAN.value
    if stored is not None:
        if stage != stored["stage"] and row.get("stage"):
            raise ValidationError(
                "项目阶段的变更请在程序中逐步办理（须留说明）。",
                "Change a project's stage in the program, one step at a time with a note.",
                field="stage",
            )
        changes = _changes(stored, wanted)
        ctx.plan.update(Project, stored["id"], changes)
        stored.update(changes)
        return
    data = wanted | {
        "name": row["name"],
        "year": row["year"],
        "region_id": region_id,
        "place_level": places.level[region_id],
    }
    new = service_values(PROJECT, data, ctx.session) | {"stage": stage}  # a new project starts where the file says
    ctx.ledger.projects[key] = new | {"id": ctx.plan.create(Project, {k: v for k, v in new.items() if v is not None})}


def plan_village_income(ctx: PlanContext, row: dict[str, Any]) -> None:
    village_id = ctx.ledger.places.village(row["village"], row.get("township"))
    wanted = {"income_fen": row["income"], "operating_income_fen": row.get("operating_income"), "note": row.get("note")}
    key = (village_id, row["year"])
    upsert_yearly(ctx, VILLAGE_INCOME, ctx.ledger.village_incomes, key, wanted, {"village_id": village_id})


def upsert_yearly(
    ctx: PlanContext,
    spec: EntitySpec,
    stored_rows: dict[Any, dict[str, Any]],
    key: tuple[str, int],
    wanted: dict[str, Any],
    owner: dict[str, str],
) -> None:
    """A yearly record (a village's or a household's income) keyed (owner id, year): the stored one updated
    with what changed, else a new one through the services' checks."""
    stored = stored_rows.get(key)
    if stored is not None:
        changes = _changes(stored, wanted)
        ctx.plan.update(spec.model, stored["id"], changes)
        stored.update(changes)
        return
    new = service_values(spec, wanted | owner | {"year": key[1]})
    stored_rows[key] = new | {"id": ctx.plan.create(spec.model, new)}


PLANNERS: dict[str, RowPlanner] = {
    "roster": lambda ctx, row: with_incomes(plan_roster_line, ctx, row),
    "households": lambda ctx, row: with_incomes(plan_household, ctx, row),
    "members": lambda ctx, row: plan_member_line(ctx, row),
    "cadres": plan_cadre,
    "visits": plan_visit,
    "projects": plan_project,
    "village-income": plan_village_income,
    "status-changes": lambda ctx, row: plan_status_change(ctx, row),
    "income": lambda ctx, row: plan_income(ctx, row),
}


# ------------------------------------------------------------------ places named in the file


def emit_new_places(ctx: PlanContext) -> None:
    """Queue the villages the file named so far that the ledger lacks (``--create-places``) through the
    region rules, each once: called before every ``Plan.spill``, so a village is written before the
    households that refer to it."""
    for code, values in ctx.ledger.places.new.items():
        if code not in ctx.emitted_places:
            fields = {k: values[k] for k in ("code", "name", "level", "parent_id")}
            ctx.plan.create(Region, service_values(REGION, fields, ctx.session) | {"id": values["id"]})
            ctx.emitted_places.add(code)


def plan_new_places(ctx: PlanContext) -> list[tuple[str, str]]:
    """Queue the villages the file names that the ledger lacks (``--create-places``) through the region
    rules, and say (zh, en) which were or would be created."""
    emit_new_places(ctx)
    places = ctx.ledger.places
    notices = []
    for code, values in places.new.items():
        town = places.name.get(values["parent_id"], "")
        notices.append((f"新建地点：{town}{values['name']}（{code}）。", f"New place: {values['name']} ({code})."))
    for code, (name, township_id) in places.wanted.items():
        town = places.name.get(township_id, "")
        notices.append(
            (
                f"台账中没有“{town}{name}”；勾选“新建地点”（--create-places）将新建（{code}）。",
                f"'{name}' is not in the ledger; 'create places' (--create-places) would create it ({code}).",
            )
        )
    return notices


# ------------------------------------------------------------------ household status changes


def plan_status_change(ctx: PlanContext, row: dict[str, Any]) -> None:
    """退出/迁出/销户/重新纳入 of a household found by its head's ID; applied through
    ``households.change_status`` (which ends its pairings), checked here against the in-memory ledger."""
    stored = ctx.ledger.households.get(row["head_id_number"])
    if stored is None:
        raise ValidationError(
            "找不到该户主身份证号码的农户。", "No household has this head's resident ID.", field="head_id_number"
        )
    _check_head_name(stored, row)
    status, on = row["status"], row["status_date"]
    if status == stored["status"]:
        ctx.plan.unchanged(Household)
        return
    active = HouseholdStatus.ACTIVE.value
    if status != active and stored["status"] != active:
        raise ValidationError(
            "该农户已不在册，不能再次退出；如需更正请先重新纳入。",
            "The household is no longer active; readmit it first to correct its status.",
            field="status",
        )
    if on > ctx.today:
        raise ValidationError("变更日期不能晚于今天。", "The date cannot be in the future.", field="status_date")
    refusal = rules.reentry_refusal(stored.get("status_date"), on) if status == active else None
    if refusal is not None:
        raise ValidationError(*refusal, field="status_date")
    ctx.plan.status_changes.append((str(stored["id"]), status, on, row["status_reason"]))
    ctx.plan.counts[Household.__tablename__]["update"] += 1
    stored["status"] = status


# ------------------------------------------------------------------ round trip: what every export holds


def plan_roster_line(ctx: PlanContext, row: dict[str, Any]) -> None:
    """A roster line: with a cadre, the household and its pairing (``plan_roster``); without one, or for a
    line whose 状态 says the household is not on the register, the household alone — the roster export lists unpaired and exited
    households too, and an exited household's former cadre is history, not a new pairing."""
    has_name, has_unit = bool(row.get("cadre_name")), bool(row.get("cadre_unit"))
    if has_name != has_unit:
        missing = ("cadre_unit", "工作单位", "Work unit") if has_name else ("cadre_name", "结对干部姓名", "Cadre")
        raise ValidationError(f"{missing[1]}不能为空。", f"{missing[2]} is required.", field=missing[0])
    # Only the line's own 状态 makes its cadre history (an exported roster states it). A line that names a
    # cadre for a household the ledger holds as exited, without saying so, asks for a new pairing: the pairing
    # rules refuse it with the service's words (``rules.pairing_refusal``), never a silent skip.
    status = row.get("status") or HouseholdStatus.ACTIVE.value
    if not has_name or status != HouseholdStatus.ACTIVE.value:
        plan_household(ctx, row)
        return
    plan_roster(ctx, row)


def plan_member_line(ctx: PlanContext, row: dict[str, Any]) -> None:
    """A member row: the same person in the same household (any status, the head's own row included) is
    that member, compared field by field; anything else goes through ``plan_member``."""
    household = _household_of(ctx, row["household_id_number"], "household_id_number")
    own = ctx.ledger.own_members.get((str(household["id"]), row["id_number"]))
    if own is None:
        plan_member(ctx, row)
        return
    wanted = {k: row.get(k) for k in _MEMBER_FIELDS}
    ctx.plan.update(Member, own, _member_changes(ctx, own, wanted))


def over_cap_notices(ctx: PlanContext) -> list[tuple[str, str]]:
    """(zh, en) per cadre this import pairs beyond the caseload cap, with the count after the import."""
    names = {cid: name for (name, _, _), cid in ctx.ledger.cadres.items()}
    out = []
    for cadre_id in sorted(ctx.over_cap, key=lambda c: names.get(c, "")):
        count = ctx.ledger.caseload.get(cadre_id, 0)
        name = names.get(cadre_id, "")
        out.append(
            (
                f"干部{name}结对 {count} 户，超过上限 {ctx.cadre_cap} 户（已导入，请在异常检查中核实）。",
                f"Cadre {name} carries {count} households, above the cap of {ctx.cadre_cap} (imported; "
                "review it in the anomaly check).",
            )
        )
    return out


def _check_head_name(stored: dict[str, Any], row: dict[str, Any]) -> None:
    if row.get("head_name") and row["head_name"] != stored["head_name"]:
        raise ValidationError(
            f"户主姓名与台账不符（台账为“{stored['head_name']}”）。",
            f"The head's name differs from the ledger ('{stored['head_name']}').",
            field="head_name",
        )


# ------------------------------------------------------------------ household income by year


def _persons_on(ctx: PlanContext, household_id: str, year: int) -> int | None:
    """The household's members on 31 December of ``year`` (``rules.member_on``); None if it has none."""
    ref = date(year, 12, 31)
    spans = ctx.ledger.member_spans.get(household_id, [])
    count = sum(1 for born, joined, left in spans if rules.member_on(born, joined, left, ref))
    return count or None


def income_values(
    ctx: PlanContext,
    household: dict[str, Any] | None,
    year: int,
    figures: dict[str, Any],
    persons: int | None,
    column: str,
) -> dict[str, Any]:
    """A year's ``total_fen`` and ``persons`` from what the sheet gives: the household's total, or a
    per-capita figure times the persons (the row's own, else the stored household's members on 31 December
    of that year; with neither the row is refused, never guessed). A total without persons keeps persons
    unknown (未填)."""
    total, per_capita = figures.get("total"), figures.get("per_capita")
    if total is None and per_capita is None:
        raise ValidationError(
            "家庭年可支配收入与人均可支配收入至少填一项。",
            "Give the household's disposable income or the per-capita income.",
            field=column,
        )
    if total is None and per_capita is not None:
        if persons is None and household is not None:  # only to turn a per-capita figure into a total:
            persons = _persons_on(ctx, str(household["id"]), year)  # a re-import then finds the same persons
        if persons is None:
            raise ValidationError(
                f"{year}年只填了人均收入，但该户人口不详：请填写计算人口（家庭人口）或先导入家庭成员。",
                f"Only a per-capita income for {year} and the household's persons are unknown: give the persons "
                "covered or import the members first.",
                field=column,
            )
        total = per_capita * persons
    elif per_capita is not None and persons is not None and abs(total - per_capita * persons) > persons * 100:
        raise ValidationError(
            f"{year}年家庭收入与人均收入×人口不符（相差超过每人1元）。",
            f"The {year} household income differs from per-capita × persons by more than 1 yuan a person.",
            field=column,
        )
    return {"total_fen": total, "persons": persons}


def emit_income(ctx: PlanContext, household_id: str, year: int, wanted: dict[str, Any]) -> None:
    """Create or update the household's record for ``year`` (one record a household and year, as
    ``households.record_income`` keeps it)."""
    if ctx.ledger.incomes is None:
        ctx.ledger.incomes = {}
    upsert_yearly(ctx, INCOME, ctx.ledger.incomes, (household_id, year), wanted, {"household_id": household_id})


def plan_income(ctx: PlanContext, row: dict[str, Any]) -> None:
    """One household's income for one year, the household found by its head's ID."""
    household = _household_of(ctx, row["head_id_number"], "head_id_number")
    _check_head_name(household, row)
    if ctx.ledger.incomes is None and ctx.session is not None:
        load_incomes(ctx.ledger, ctx.session)
    column = "total" if row.get("total") is not None else "per_capita"
    wanted = income_values(ctx, household, row["year"], row, row.get("persons"), column)
    emit_income(ctx, str(household["id"]), row["year"], wanted)


def with_incomes(planner: RowPlanner, ctx: PlanContext, row: dict[str, Any]) -> None:
    """A roster or households line whose sheet has income columns (``2016年人均可支配收入（元）``): the
    incomes are resolved first (a row that cannot say its persons is refused whole), then the line is
    planned, then each year's record is created or updated for the household."""
    incomes: dict[int, dict[str, Any]] = row.get("incomes") or {}
    if not incomes:
        planner(ctx, row)
        return
    if ctx.ledger.incomes is None and ctx.session is not None:
        load_incomes(ctx.ledger, ctx.session)
    stored = ctx.ledger.households.get(row["head_id_number"])
    resolved = {
        year: income_values(ctx, stored, year, figures, row.get("persons"), figures["column"])
        for year, figures in sorted(incomes.items())
    }
    planner(ctx, row)
    household_id = str(ctx.ledger.households[row["head_id_number"]]["id"])
    for year, wanted in resolved.items():
        emit_income(ctx, household_id, year, wanted)


# ------------------------------------------------------------------ pairings other than a household's cadre


@dataclass
class _Facts:
    """What ``pairings.new_pairing_refusal`` reads of a household or a cadre, from the in-memory ledger."""

    name: str = ""
    status: str = ""
    registered_on: date | None = None
    is_leader: bool = False


_REFUSAL_COLUMNS = {"start_date": "start", "subject_id": "subject", "helper_id": "helper_name"}


def _pairing_subject(
    ctx: PlanContext, kind: PairingKind, row: dict[str, Any]
) -> tuple[str, dict[str, Any] | None, str | None]:
    """(subject id, the household's columns or None, the subject's village for a sage's home)."""
    number = row.get("subject_id_number")
    places = ctx.ledger.places
    if number:
        if "household" not in PAIRING_SHAPES[kind].subjects:
            raise ValidationError(
                f"“{kind.zh}”的结对对象不能是农户。",
                f"A {kind.en} pairing cannot have a household as its subject.",
                field="subject_id_number",
            )
        household = _household_of(ctx, number, "subject_id_number")
        return str(household["id"]), household, household["village_id"]
    if not row.get("subject"):
        raise ValidationError(
            "请填写结对村（或结对农户的户主身份证号码）。",
            "Give the village (or the paired household's head ID).",
            field="subject",
        )
    if kind is PairingKind.TOWNSHIP_LEADER:
        return places.find(row["subject"], (RegionLevel.TOWNSHIP.value,), None, "subject"), None, None
    if kind is PairingKind.HOUSEHOLD_CADRE:
        raise ValidationError(
            "一户一干部结对须填写户主身份证号码。", "A household–cadre pairing needs the head's ID.", field="subject"
        )
    township = (
        places.find(row["township"], (RegionLevel.TOWNSHIP.value,), None, "township") if row.get("township") else None
    )
    village = places.find(row["subject"], (RegionLevel.VILLAGE.value,), township, "subject")
    return village, None, village


def _pairing_helper(
    ctx: PlanContext, kind: PairingKind, row: dict[str, Any], home_village: str | None
) -> tuple[str | None, _Facts | None, Callable[[], str]]:
    """(the helper's id or None if the import creates it, a cadre's facts, how to emit it). Found as the
    roster finds its cadres (name + unit + phone), departments by name, enterprises by credit code or name,
    sages by name and home village; a missing one is created when the row carries what the registry needs."""
    name = row["helper_name"]
    if kind in (PairingKind.TOWNSHIP_LEADER, PairingKind.HOUSEHOLD_CADRE):
        cadre_row = {"cadre_name": name, "cadre_unit": row.get("helper_unit"), "cadre_phone": row.get("helper_phone")}
        cadre_id, _, _ = _resolve_cadre(ctx, cadre_row)
        if cadre_id is None:
            if not row.get("helper_unit") or kind is PairingKind.HOUSEHOLD_CADRE:
                raise ValidationError(
                    "找不到该干部；请填写其工作单位，以便新建。",
                    "No such cadre; give the cadre's work unit to create one.",
                    field="helper_name",
                )
            # The file names the township's leader: a new cadre is created as a leader.
            facts = _Facts(name=name, status=CadreStatus.SERVING.value, is_leader=True)
            return None, facts, lambda: _emit_cadre(ctx, cadre_row | {"is_leader": True})
        stored = ctx.ledger.cadre_rows[cadre_id]
        facts = _Facts(name=name, status=stored["status"], is_leader=bool(stored.get("is_leader")))
        return cadre_id, facts, lambda: _emit_cadre(ctx, cadre_row)
    if kind is PairingKind.VILLAGE_DEPARTMENT:
        return ctx.ledger.departments.get(unit_key(name)), None, lambda: emit_department(ctx, name)
    if kind is PairingKind.VILLAGE_ENTERPRISE:
        code = row.get("credit_code")
        found = (ctx.ledger.enterprise_codes.get(code) if code else None) or ctx.ledger.enterprises.get(unit_key(name))
        return found, None, lambda: found or _emit_enterprise(ctx, name, code)
    sage = ctx.ledger.sages.get((name, home_village))
    if sage is None and not row.get("sage_kind"):
        raise ValidationError(
            "找不到该乡贤（按姓名和家乡村）；请填写乡贤类别，以便新建。",
            "No such sage (by name and home village); give the sage's kind to create one.",
            field="helper_name",
        )
    return sage, None, lambda: sage or _emit_sage(ctx, name, row, home_village)


def _emit_enterprise(ctx: PlanContext, name: str, code: str | None) -> str:
    enterprise_id = ctx.plan.create(Enterprise, service_values(ENTERPRISE, {"name": name, "credit_code": code}))
    ctx.ledger.enterprises[unit_key(name)] = enterprise_id
    if code:
        ctx.ledger.enterprise_codes[code] = enterprise_id
    return enterprise_id


def _emit_sage(ctx: PlanContext, name: str, row: dict[str, Any], village: str | None) -> str:
    data = {"name": name, "kind": row["sage_kind"], "phone": row.get("helper_phone"), "home_village_id": village}
    sage_id = ctx.plan.create(Sage, service_values(SAGE, data))
    ctx.ledger.sages[(name, village)] = sage_id
    return sage_id


def _check_stored_pairing(stored: dict[str, Any], row: dict[str, Any]) -> None:
    """A pairing already in the ledger: the same row again is unchanged; ending it is the program's work."""
    if (row.get("end"), row.get("end_reason")) not in ((None, None), (stored["end_date"], stored["end_reason"])):
        raise ValidationError(
            "结对的结束请在程序中办理（须填写原因），导入不改动已有结对。",
            "End a pairing in the program (with a reason); an import does not change existing pairings.",
            field="end" if row.get("end") else "end_reason",
        )


def plan_pairing(ctx: PlanContext, row: dict[str, Any], fixed: PairingKind | None) -> None:
    """One pairing of a township, village or household with its helper, checked by
    ``pairings.new_pairing_refusal`` against the in-memory ledger (the words the service uses)."""
    kind = fixed or PairingKind.from_label(row["pairing_kind"])
    subject_id, household, home_village = _pairing_subject(ctx, kind, row)
    helper_id, cadre, emit_helper = _pairing_helper(ctx, kind, row, home_village)
    start = row.get("start") or ctx.today
    stored = ctx.ledger.pairings.get((kind.value, subject_id, helper_id, start)) if helper_id else None
    active = ctx.ledger.active_pairings.get((kind.value, subject_id), [])
    if stored is None and not row.get("start") and any(helper == helper_id for helper, _ in active):
        stored = {"end_date": None, "end_reason": None}  # no date given: the pairing in force is this row
    if stored is not None:
        _check_stored_pairing(stored, row)
        emit_helper()  # counts the helper as unchanged
        ctx.plan.unchanged(Pairing)
        return
    if row.get("end"):
        raise ValidationError(
            "导入只新建进行中的结对；已结束的结对请在程序中录入。",
            "An import only creates pairings in force; record an ended one in the program.",
            field="end",
        )
    if kind is PairingKind.HOUSEHOLD_CADRE:
        raise ValidationError(
            "新的一户一干部结对请用花名册导入（含工作量上限提示）。",
            "Import new household–cadre pairings with the roster (it lists cadres over the caseload cap).",
            field="pairing_kind",
        )
    household_facts = (
        _Facts(status=household["status"], registered_on=household["registered_on"]) if household else None
    )
    refusal = new_pairing_refusal(
        kind,
        start=start,
        today=ctx.today,
        household=household_facts,
        cadre=cadre,
        helper_id=helper_id or "",
        active=active,
    )
    if refusal is not None:
        raise ValidationError(refusal.zh, refusal.en, field=_REFUSAL_COLUMNS.get(refusal.field or "", refusal.field))
    helper_id = emit_helper()
    shape = PAIRING_SHAPES[kind]
    column = "subject_household_id" if household is not None else "subject_region_id"
    values = {"kind": kind.value, column: subject_id, shape.helper_column: helper_id, "start_date": start}
    pairing_id = ctx.plan.create(Pairing, values | ({"note": row["note"]} if row.get("note") else {}))
    ctx.ledger.pairings[(kind.value, subject_id, helper_id, start)] = {
        "id": pairing_id,
        "end_date": None,
        "end_reason": None,
        "note": row.get("note"),
    }
    ctx.ledger.active_pairings.setdefault((kind.value, subject_id), []).append((helper_id, cadre.name if cadre else ""))


def _pairing_planner(fixed: PairingKind | None) -> RowPlanner:
    def planner(ctx: PlanContext, row: dict[str, Any]) -> None:
        plan_pairing(ctx, row, fixed)

    return planner


PLANNERS.update({name: _pairing_planner(kind) for name, kind in PAIRING_KINDS.items()})
