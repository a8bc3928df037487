"""What an import matches rows against, loaded once per import: places, households, departments, cadres,
active household–cadre pairings. Plain tuples and dicts (Core selects), not ORM objects, so a 100,000-row
roster is matched in memory; what the plan creates is added here too so later rows of the file see it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import lishui
from app.domain.enums import HouseholdStatus, PairingKind, RegionLevel
from app.domain.models import (
    Cadre,
    Department,
    Enterprise,
    Household,
    IncomeRecord,
    Member,
    Pairing,
    Project,
    Region,
    Sage,
    VillageIncome,
    Visit,
)
from app.errors import ValidationError
from app.ids import new_id
from app.io.columns import normalize_header


def place_key(name: str) -> str:
    """``岩背村`` / ``岩背`` / ``岩背村委会`` → ``岩背`` (``app.domain.lishui.place_key``), after the header
    normalisation (full-width forms, spaces)."""
    return lishui.place_key(normalize_header(name))


def unit_key(name: str | None) -> str:
    return normalize_header(name or "")


@dataclass
class Places:
    """Regions by code and by name key, per level; ``parent`` maps a region id to its parent's id."""

    by_code: dict[str, str] = field(default_factory=dict)
    by_name: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    parent: dict[str, str | None] = field(default_factory=dict)
    level: dict[str, str] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    create_missing: bool = False  # --create-places: a village not in the ledger is created (audited)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → region values planned by this import
    wanted: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name, township id) not created

    @classmethod
    def load(cls, session: Session) -> Places:
        places = cls()
        query = select(Region.id, Region.code, Region.name, Region.level, Region.parent_id).where(
            Region.deleted.is_(False)
        )
        for rid, code, name, level, parent in session.execute(query):
            places.by_code[code] = rid
            places.by_name[(level, place_key(name))].append(rid)
            places.parent[rid] = parent
            places.level[rid] = level
            places.name[rid] = name
        return places

    def find(self, text: str, levels: tuple[str, ...], within: str | None, field: str) -> str:
        """The region named or coded ``text`` at one of ``levels`` (under ``within`` when given)."""
        digits = text.strip()
        if digits.isdigit() and digits in self.by_code and self.level[self.by_code[digits]] in levels:
            return self.by_code[digits]
        found = [rid for level in levels for rid in self.by_name.get((level, place_key(text)), [])]
        if within:
            found = [rid for rid in found if self.is_under(rid, within)]
        found = lishui.pick_by_form(text, found, self.name.__getitem__, self.level.__getitem__)
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                f"找不到地点“{text}”，请先在区划中添加，或检查名称。",
                f"No place named '{text}'; add it to the regions first or check the name.",
                field=field,
            )
        raise ValidationError(
            f"有多个名为“{text}”的地点，请填写乡镇或区划代码以区分。",
            f"Several places are named '{text}'; give the township or the division code.",
            field=field,
        )

    def is_under(self, rid: str, ancestor: str) -> bool:
        current: str | None = rid
        while current is not None:
            if current == ancestor:
                return True
            current = self.parent.get(current)
        return False

    def subtree(self, region_id: str) -> frozenset[str]:
        """The region and every region under it."""
        return frozenset(rid for rid in self.level if self.is_under(rid, region_id))

    def village(self, village: str, township: str | None) -> str:
        within = self.find(township, (RegionLevel.TOWNSHIP.value,), None, "township") if township else None
        try:
            return self.find(village, (RegionLevel.VILLAGE.value,), within, "village")
        except ValidationError as exc:
            home = within or self._only_township()
            same_name = self.by_name.get((RegionLevel.VILLAGE.value, place_key(village)), [])
            if home is None or any(self.is_under(rid, home) for rid in same_name):
                raise  # no township to put it in, or several villages of that name: not a missing place
            return self._new_village(village, home, exc)

    def _only_township(self) -> str | None:
        towns = [rid for rid, level in self.level.items() if level == RegionLevel.TOWNSHIP.value]
        return towns[0] if len(towns) == 1 else None

    def _new_village(self, text: str, township_id: str, not_found: ValidationError) -> str:
        """A village the ledger does not have: planned (``new``) when ``create_missing``, else the row is
        refused naming ``--create-places``; either way listed in ``new`` for the dry run. Its code is the
        official one if the 2023 list has the name under this township, else a free one (999 down)."""
        town_code = self.code_of(township_id)
        listed = [p for p in lishui.villages(town_code) if place_key(p.name) == place_key(text)]
        if listed:
            code, name = listed[0].code, listed[0].name
        else:
            code = next(
                f"{town_code}{n:03d}"
                for n in range(999, 0, -1)
                if f"{town_code}{n:03d}" not in self.by_code and lishui.official_place(f"{town_code}{n:03d}") is None
            )
            name = "".join(text.split())
        if not self.create_missing:
            self.wanted.setdefault(code, (name, township_id))
            raise ValidationError(
                not_found.zh.removesuffix("。") + "；如需新建该村，请勾选“新建地点”（命令行 --create-places）。",
                not_found.en.removesuffix(".") + "; to create the village, tick 'create places' (--create-places).",
                field="village",
            )
        rid = new_id()
        self.new[code] = {
            "id": rid,
            "code": code,
            "name": name,
            "level": RegionLevel.VILLAGE.value,
            "parent_id": township_id,
        }
        self.by_code[code] = rid
        self.by_name[(RegionLevel.VILLAGE.value, place_key(name))].append(rid)
        self.parent[rid], self.level[rid], self.name[rid] = township_id, RegionLevel.VILLAGE.value, name
        return rid

    def code_of(self, region_id: str) -> str:
        return next(code for code, rid in self.by_code.items() if rid == region_id)


@dataclass
class Ledger:
    """The rows an import matches against, keyed the way the file identifies them."""

    places: Places
    households: dict[str, dict[str, Any]]  # head ID → household columns (+ "id")
    member_ids: dict[str, tuple[str, str]]  # member ID → (member id, household id), active households only
    departments: dict[str, str]  # unit key → department id
    cadres: dict[tuple[str, str | None, str | None], str]  # (name, department id, phone) → cadre id
    cadres_by_name: dict[str, list[tuple[str, str | None, str | None]]]  # name → [(cadre id, dept id, phone)]
    cadre_rows: dict[str, dict[str, Any]]  # cadre id → columns
    active_pairing: dict[str, tuple[str, str]]  # household id → (pairing id, cadre id)
    caseload: dict[str, int]  # cadre id → active households
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # member id → columns (members kind)
    own_members: dict[tuple[str, str], str] = field(default_factory=dict)  # (household id, ID) → member id
    visits: set[tuple[str, str, date]] = field(default_factory=set)  # (household, cadre, date) (visits kind)
    projects: dict[tuple[str, int, str], dict[str, Any]] = field(default_factory=dict)  # (name, year, region)
    village_incomes: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)  # (village, year)
    # (household id, year) → stored income; None until a row needs it (``load_incomes``)
    incomes: dict[tuple[str, int], dict[str, Any]] | None = None
    # every pairing: (kind, subject id, helper id, start) → {"id", "end_date", "end_reason", "note"}
    pairings: dict[tuple[str, str, str, date], dict[str, Any]] = field(default_factory=dict)
    # the active ones: (kind, subject id) → [(helper id, cadre name or "")]
    active_pairings: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    enterprises: dict[str, str] = field(default_factory=dict)  # unit key of the name → id
    enterprise_codes: dict[str, str] = field(default_factory=dict)  # credit code → id
    sages: dict[tuple[str, str | None], str] = field(default_factory=dict)  # (name, home village id) → id
    # household id → (birth date, joined on, left on) of each member, to count persons on a date
    member_spans: dict[str, list[tuple[date | None, date | None, date | None]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, kind: str) -> Ledger:
        """The lookups every kind needs, plus the rows of the kind itself."""
        ledger = cls._load_people(session)
        extra = _EXTRA_LOADERS.get(kind)
        if extra:
            extra(ledger, session)
        return ledger

    @classmethod
    def _load_people(cls, session: Session) -> Ledger:
        households: dict[str, dict[str, Any]] = {}
        columns = [getattr(Household, c) for c in HOUSEHOLD_COMPARED]
        query = select(Household.id, Household.head_id_number, *columns).where(Household.deleted.is_(False))
        for hid, number, *stored in session.execute(query):
            households[number] = dict(zip(HOUSEHOLD_COMPARED, stored, strict=True)) | {"id": hid}
        member_ids: dict[str, tuple[str, str]] = {}
        member_query = (
            select(Member.id_number, Member.id, Member.household_id)
            .join(Household, Household.id == Member.household_id)
            .where(
                Member.deleted.is_(False),
                Member.id_number.is_not(None),
                Household.status == HouseholdStatus.ACTIVE.value,
            )
        )
        for number, mid, hid in session.execute(member_query):
            member_ids[str(number)] = (mid, hid)
        departments = {
            unit_key(name): did
            for did, name in session.execute(
                select(Department.id, Department.name).where(Department.deleted.is_(False))
            )
        }
        cadres: dict[tuple[str, str | None, str | None], str] = {}
        by_name: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        cadre_rows: dict[str, dict[str, Any]] = {}
        for c in session.execute(select(Cadre).where(Cadre.deleted.is_(False))).scalars():
            cadres[(c.name, c.department_id, c.phone)] = c.id
            by_name[c.name].append((c.id, c.department_id, c.phone))
            cadre_rows[c.id] = {"post": c.post, "phone": c.phone, "is_leader": c.is_leader, "status": c.status}
        active: dict[str, tuple[str, str]] = {}
        caseload: dict[str, int] = defaultdict(int)
        pairing_query = select(Pairing.id, Pairing.subject_household_id, Pairing.helper_cadre_id).where(
            Pairing.deleted.is_(False),
            Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value,
            Pairing.end_date.is_(None),
        )
        for pid, hid, cid in session.execute(pairing_query):
            if hid is not None and cid is not None:
                active[hid] = (pid, cid)
                caseload[cid] += 1
        return cls(
            Places.load(session), households, member_ids, departments, cadres, by_name, cadre_rows, active, caseload
        )


HOUSEHOLD_COMPARED = (
    "village_id",
    "natural_village",
    "head_name",
    "phone",
    "address",
    "category",
    "primary_cause",
    "other_causes",
    "status",
    "status_date",
    "status_reason",
    "registered_on",
    "relocation",
    "note",
)

MEMBER_COMPARED = ("name", "relation", "health", "labour", "employment", "school_stage", "doctor_contract")
PROJECT_COMPARED = (
    "category",
    "fund_source",
    "responsible_unit",
    "budget_fen",
    "allocated_fen",
    "stage",
    "start_date",
    "planned_end_date",
    "filed_on",
    "description",
)


def _load_members(ledger: Ledger, session: Session) -> None:
    columns = [getattr(Member, c) for c in MEMBER_COMPARED]
    query = select(Member.id, Member.household_id, Member.id_number, *columns).where(Member.deleted.is_(False))
    for mid, hid, number, *stored in session.execute(query):
        ledger.members[mid] = dict(zip(MEMBER_COMPARED, stored, strict=True))
        if number:
            ledger.own_members[(hid, number)] = mid


def _load_visits(ledger: Ledger, session: Session) -> None:
    query = select(Visit.household_id, Visit.cadre_id, Visit.visit_date).where(
        Visit.deleted.is_(False), Visit.household_id.is_not(None)
    )
    ledger.visits = {(h, c, d) for h, c, d in session.execute(query) if h is not None}


def _load_projects(ledger: Ledger, session: Session) -> None:
    columns = [getattr(Project, c) for c in PROJECT_COMPARED]
    query = select(Project.id, Project.name, Project.year, Project.region_id, *columns).where(
        Project.deleted.is_(False)
    )
    for pid, name, year, region, *stored in session.execute(query):
        ledger.projects[(name, year, region)] = dict(zip(PROJECT_COMPARED, stored, strict=True)) | {"id": pid}


def _load_village_incomes(ledger: Ledger, session: Session) -> None:
    query = select(
        VillageIncome.id,
        VillageIncome.village_id,
        VillageIncome.year,
        VillageIncome.income_fen,
        VillageIncome.operating_income_fen,
        VillageIncome.note,
    ).where(VillageIncome.deleted.is_(False))
    for vid, village, year, income, operating, note in session.execute(query):
        ledger.village_incomes[(village, year)] = {
            "id": vid,
            "income_fen": income,
            "operating_income_fen": operating,
            "note": note,
        }


def load_incomes(ledger: Ledger, session: Session) -> None:
    """Household incomes and the members' dates, read once: the income kind always, a roster only when it
    carries income columns."""
    if ledger.incomes is not None:
        return
    ledger.incomes = {}
    query = select(IncomeRecord.id, IncomeRecord.household_id, IncomeRecord.year, *INCOME_COMPARED_COLUMNS).where(
        IncomeRecord.deleted.is_(False)
    )
    for rid, hid, year, *stored in session.execute(query):
        ledger.incomes[(hid, year)] = dict(zip(INCOME_COMPARED, stored, strict=True)) | {"id": rid}
    spans = select(Member.household_id, Member.birth_date, Member.joined_on, Member.left_on).where(
        Member.deleted.is_(False)
    )
    for hid, born, joined, left in session.execute(spans):
        ledger.member_spans.setdefault(hid, []).append((born, joined, left))


def load_pairings(ledger: Ledger, session: Session) -> None:
    """Every pairing (an exported pairings ledger re-imports unchanged), enterprises and sages."""
    names = {cid: name for (name, _, _), cid in ledger.cadres.items()}
    query = select(
        Pairing.id,
        Pairing.kind,
        func.coalesce(Pairing.subject_household_id, Pairing.subject_region_id),
        func.coalesce(
            Pairing.helper_cadre_id, Pairing.helper_department_id, Pairing.helper_enterprise_id, Pairing.helper_sage_id
        ),
        Pairing.start_date,
        Pairing.end_date,
        Pairing.end_reason,
        Pairing.note,
    ).where(Pairing.deleted.is_(False))
    for pid, kind, subject, helper, start, end, reason, note in session.execute(query):
        ledger.pairings[(kind, subject, helper, start)] = {
            "id": pid,
            "end_date": end,
            "end_reason": reason,
            "note": note,
        }
        if end is None:
            ledger.active_pairings.setdefault((kind, subject), []).append((helper, names.get(helper, "")))
    for eid, name, code in session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code).where(Enterprise.deleted.is_(False))
    ):
        ledger.enterprises[unit_key(name)] = eid
        if code:
            ledger.enterprise_codes[code] = eid
    for sid, name, village in session.execute(
        select(Sage.id, Sage.name, Sage.home_village_id).where(Sage.deleted.is_(False))
    ):
        ledger.sages[(name, village)] = sid


INCOME_COMPARED = ("total_fen", "persons")
INCOME_COMPARED_COLUMNS = (IncomeRecord.total_fen, IncomeRecord.persons)

_EXTRA_LOADERS = {
    "township-leader": load_pairings,
    "village-department": load_pairings,
    "village-enterprise": load_pairings,
    "sage-pairing": load_pairings,
    "pairings": load_pairings,
    "income": load_incomes,
    "members": _load_members,
    "visits": _load_visits,
    "projects": _load_projects,
    "village-income": _load_village_incomes,
}
