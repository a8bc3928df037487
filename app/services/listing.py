"""Read side of every list on screen: one declared spec per entity, one SELECT builder for all of them.

A ``ListSpec`` names the columns (SQL expressions and what kind of value they hold), the text search, the
filters and the default order of one entity. ``fetch_page`` builds ``SELECT … WHERE … ORDER BY … LIMIT …
OFFSET …`` from it, so filtering, sorting and paging all happen in SQL and a list of 200,000 households costs
what one page costs. No Qt here: the GUI's table model, a CLI listing or a test use the same specs.

Resident IDs and phone numbers leave this module masked (``masked_id`` / ``masked_phone`` kinds); the full
numbers never reach a screen through a list.

Thread use: any thread, with its own session (the GUI calls it on its worker).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from app.domain import enums, rules
from app.domain.models import (
    AuditEntry,
    Benefit,
    Cadre,
    Department,
    Enterprise,
    Household,
    Member,
    Pairing,
    Project,
    ProjectBeneficiary,
    ProjectProgress,
    Region,
    Sage,
    VillageIncome,
    Visit,
)
from app.domain.validators import mask_id_number, mask_phone
from app.services import settings as data_settings
from app.storage.pinyin_order import pinyin_key

# Column kinds the GUI knows how to show: text, int, enum, money (fen), date, datetime, bool, percent,
# masked_id, masked_phone, entity (a table name), action (an audit action).


@dataclass(frozen=True)
class Column:
    key: str
    expr: Any
    kind: str = "text"
    vocab: type[enums.LabeledEnum] | None = None
    sortable: bool = True
    hidden: bool = False  # hidden by default (the column chooser shows it)
    internal: bool = False  # an id the screen needs for actions, never shown
    sort_expr: Any = None  # what orders this column when not the value itself (a stored pinyin key)

    def order_key(self) -> Any:
        """The SQL that sorts this column: Chinese text by pinyin (as WPS does), everything else by value."""
        if self.sort_expr is not None:
            return self.sort_expr
        return pinyin_key(self.expr) if self.kind == "text" else self.expr


@dataclass(frozen=True)
class Filter:
    """``apply(stmt, value, session)`` narrows the statement; ``choices`` lists (code, zh, en) where closed."""

    key: str
    apply: Callable[[Select[Any], Any, Session], Select[Any]]
    vocab: type[enums.LabeledEnum] | None = None
    flag: bool = False  # a yes/no switch rather than a choice


@dataclass(frozen=True)
class ListSpec:
    entity: str
    id_expr: Any
    columns: tuple[Column, ...]
    base: Callable[[], Select[Any]]  # FROM + joins + the always-on WHERE (not deleted), no columns yet
    default_sort: str
    search: Callable[[str], ColumnElement[bool]] | None = None
    filters: Mapping[str, Filter] = field(default_factory=dict)
    default_descending: bool = False

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


@dataclass(frozen=True)
class ListQuery:
    entity: str
    text: str = ""
    filters: tuple[tuple[str, Any], ...] = ()
    sort: str | None = None
    descending: bool | None = None

    def with_filter(self, key: str, value: Any) -> ListQuery:
        rest = tuple((k, v) for k, v in self.filters if k != key)
        return ListQuery(
            self.entity, self.text, rest if value in (None, "") else (*rest, (key, value)), self.sort, self.descending
        )

    def filter_value(self, key: str) -> Any:
        return dict(self.filters).get(key)


@dataclass(frozen=True)
class Page:
    ids: list[str]
    rows: list[tuple[Any, ...]]  # raw values in the spec's column order (masked where the kind says so)
    has_more: bool


# ----------------------------------------------------------------------------------------------- helpers


def prefix(col: Any, text: str) -> ColumnElement[bool]:
    """``col`` starts with ``text`` as a range, so SQLite can use the column's index (LIKE cannot)."""
    return and_(col >= text, col < text + "\uffff")


def _active_cadre_pairing() -> Any:
    return and_(*rules.pairing_active_sql(Pairing, enums.PairingKind.HOUSEHOLD_CADRE.value, date.today()))


def _paired_household() -> ColumnElement[bool]:
    return exists().where(_active_cadre_pairing(), Pairing.subject_household_id == Household.id)


def _visit_overdue(session: Session) -> ColumnElement[bool]:
    """Paired households on the register not visited within the cadence today: the dashboard tile's rule
    (``rules.visited_within_cadence``) on today's date, so the tile and this list agree."""
    today = date.today()
    cadence = int(data_settings.get(session, "visit_cadence_days"))
    return and_(
        rules.on_register_sql(Household, today),
        _paired_household(),
        not_(rules.visited_within_cadence_sql(Visit, Household.id, today, cadence)),
    )


def household_search(text: str) -> ColumnElement[bool]:
    """The search service's own matching (name prefix, pinyin initials or full pinyin, ID suffix), so the list
    and ``python main.py search`` find the same households."""
    from app.services.search import _household_queries, classify

    classified = classify(text)
    if classified is None:
        return true()
    return or_(*(condition for _matched_by, condition in _household_queries(*classified)))


def _name_search(col: Any, initials: Any | None = None) -> Callable[[str], ColumnElement[bool]]:
    def search(text: str) -> ColumnElement[bool]:
        text = text.strip()
        if not text:
            return true()
        clauses = [col.contains(text, autoescape=True)]
        if initials is not None and text.isascii() and text.isalpha():
            clauses.append(prefix(initials, text.lower()))
        return or_(*clauses)

    return search


def _eq(col: Any) -> Callable[[Select[Any], Any, Session], Select[Any]]:
    return lambda stmt, value, _s: stmt.where(col == value)


def _flag(clause: Callable[[Session], ColumnElement[bool]]) -> Callable[[Select[Any], Any, Session], Select[Any]]:
    return lambda stmt, value, s: stmt.where(clause(s) if value else not_(clause(s)))


def _in_place(col: Any) -> Callable[[Select[Any], Any, Session], Select[Any]]:
    """A village id, or a township's or county's id meaning every village in it (picked from the tree)."""

    def apply(stmt: Select[Any], value: Any, session: Session) -> Select[Any]:
        from app.services.regions import village_ids_under

        return stmt.where(col.in_(village_ids_under(session, value)))

    return apply


# ----------------------------------------------------------------------------------------------- specs

village = aliased(Region, name="village")
township = aliased(Region, name="township")


def _latest_income() -> Any:
    return (
        select(VillageIncome.income_fen)
        .where(VillageIncome.village_id == Region.id, VillageIncome.deleted == false())
        .order_by(VillageIncome.year.desc())
        .limit(1)
        .scalar_subquery()
    )


def _household_spec() -> ListSpec:
    cadre_name = (
        select(Cadre.name)
        .join(Pairing, Pairing.helper_cadre_id == Cadre.id)
        .where(_active_cadre_pairing(), Pairing.subject_household_id == Household.id)
        .limit(1)
        .scalar_subquery()
    )
    cadre_id = (
        select(Pairing.helper_cadre_id)
        .where(_active_cadre_pairing(), Pairing.subject_household_id == Household.id)
        .limit(1)
        .scalar_subquery()
    )
    members = (
        select(func.count(Member.id))
        .where(Member.household_id == Household.id, Member.deleted == false())
        .scalar_subquery()
    )
    last_visit = (
        select(func.max(Visit.visit_date))
        .where(Visit.household_id == Household.id, Visit.deleted == false())
        .scalar_subquery()
    )
    return ListSpec(
        entity="household",
        id_expr=Household.id,
        columns=(
            Column("head_name", Household.head_name, sort_expr=Household.head_name_pinyin),  # stored, indexed
            Column("head_id_number", Household.head_id_number, "masked_id", sortable=False),
            Column("village", village.name),
            Column("natural_village", Household.natural_village, hidden=True),
            Column("category", Household.category, "enum", enums.HouseholdCategory),
            Column("primary_cause", Household.primary_cause, "enum", enums.PovertyCause),
            Column("status", Household.status, "enum", enums.HouseholdStatus),
            Column("members", members, "int", sortable=False),
            Column("cadre", cadre_name, sortable=False),
            Column("cadre_id", cadre_id, sortable=False, internal=True),
            Column("last_visit", last_visit, "date", sortable=False),
            Column("phone", Household.phone, "masked_phone", sortable=False, hidden=True),
            Column("registered_on", Household.registered_on, "date", hidden=True),
            Column("village_id", Household.village_id, sortable=False, internal=True),
        ),
        base=lambda: (
            select()
            .select_from(Household)
            .join(village, village.id == Household.village_id)
            .where(Household.deleted == false())
        ),
        default_sort="head_name",
        search=household_search,
        filters={
            "village": Filter("village", _in_place(Household.village_id)),
            "category": Filter("category", _eq(Household.category), enums.HouseholdCategory),
            "status": Filter("status", _eq(Household.status), enums.HouseholdStatus),
            "paired": Filter("paired", _flag(lambda s: _paired_household()), flag=True),
            "visit_overdue": Filter(
                "visit_overdue",
                _flag(_visit_overdue),
                flag=True,
            ),
            "cadre": Filter(
                "cadre",
                lambda stmt, value, _s: stmt.where(
                    exists().where(
                        _active_cadre_pairing(),
                        Pairing.subject_household_id == Household.id,
                        Pairing.helper_cadre_id == value,
                    )
                ),
            ),
            "key_village": Filter("key_village", _flag(lambda s: village.is_key_village == true()), flag=True),
        },
    )


def _region_spec() -> ListSpec:
    parent = aliased(Region, name="parent")
    departments = (
        select(func.group_concat(Department.name, "、"))
        .join(Pairing, Pairing.helper_department_id == Department.id)
        .where(
            Pairing.subject_region_id == Region.id,
            Pairing.kind == enums.PairingKind.VILLAGE_DEPARTMENT.value,
            Pairing.end_date.is_(None),
            Pairing.deleted == false(),
        )
        .scalar_subquery()
    )
    leader = (
        select(Cadre.name)
        .join(Pairing, Pairing.helper_cadre_id == Cadre.id)
        .where(
            Pairing.subject_region_id == Region.id,
            Pairing.kind == enums.PairingKind.TOWNSHIP_LEADER.value,
            Pairing.end_date.is_(None),
            Pairing.deleted == false(),
        )
        .limit(1)
        .scalar_subquery()
    )
    households = (
        select(func.count(Household.id))
        .where(
            Household.village_id == Region.id,
            Household.deleted == false(),
            Household.status == enums.HouseholdStatus.ACTIVE.value,
        )
        .scalar_subquery()
    )

    def weak(session: Session) -> ColumnElement[bool]:
        threshold = int(data_settings.get(session, "weak_village_threshold_yuan")) * 100
        return and_(Region.level == enums.RegionLevel.VILLAGE.value, func.coalesce(_latest_income(), 0) < threshold)

    def needs_department(session: Session) -> ColumnElement[bool]:
        return and_(or_(Region.is_key_village == true(), weak(session)), departments.is_(None))

    return ListSpec(
        entity="region",
        id_expr=Region.id,
        columns=(
            Column("name", Region.name),
            Column("code", Region.code),
            Column("level", Region.level, "enum", enums.RegionLevel, hidden=True),
            Column("parent", parent.name),
            Column("is_key_village", Region.is_key_village, "bool"),
            Column("income", _latest_income(), "money", sortable=False),
            Column("departments", departments, sortable=False),
            Column("leader", leader, sortable=False, hidden=True),
            Column("households", households, "int", sortable=False),
        ),
        base=lambda: (
            select()
            .select_from(Region)
            .outerjoin(parent, parent.id == Region.parent_id)
            .where(Region.deleted == false())
        ),
        default_sort="code",
        search=_name_search(Region.name),
        filters={
            "level": Filter("level", _eq(Region.level), enums.RegionLevel),
            "township": Filter("township", _eq(Region.parent_id)),
            "key_village": Filter("key_village", _flag(lambda s: Region.is_key_village == true()), flag=True),
            "weak": Filter("weak", _flag(weak), flag=True),
            "needs_department": Filter("needs_department", _flag(needs_department), flag=True),
            "no_leader": Filter(
                "no_leader",
                _flag(lambda s: and_(Region.level == enums.RegionLevel.TOWNSHIP.value, leader.is_(None))),
                flag=True,
            ),
        },
    )


def _department_spec() -> ListSpec:
    cadres = (
        select(func.count(Cadre.id))
        .where(
            Cadre.department_id == Department.id,
            Cadre.deleted == false(),
            Cadre.status == enums.CadreStatus.SERVING.value,
        )
        .scalar_subquery()
    )
    villages = (
        select(func.group_concat(Region.name, "、"))
        .join(Pairing, Pairing.subject_region_id == Region.id)
        .where(Pairing.helper_department_id == Department.id, Pairing.end_date.is_(None), Pairing.deleted == false())
        .scalar_subquery()
    )
    return ListSpec(
        entity="department",
        id_expr=Department.id,
        columns=(
            Column("name", Department.name),
            Column("level", Department.level, "enum", enums.DepartmentLevel),
            Column("kind", Department.kind, "enum", enums.DepartmentKind),
            Column("cadres", cadres, "int", sortable=False),
            Column("villages", villages, sortable=False),
            Column("phone", Department.phone, hidden=True),
        ),
        base=lambda: select().select_from(Department).where(Department.deleted == false()),
        default_sort="name",
        search=_name_search(Department.name),
        filters={
            "level": Filter("level", _eq(Department.level), enums.DepartmentLevel),
            "kind": Filter("kind", _eq(Department.kind), enums.DepartmentKind),
        },
    )


def caseload_expr() -> Any:
    return (
        select(func.count(Pairing.id))
        .where(_active_cadre_pairing(), Pairing.helper_cadre_id == Cadre.id)
        .scalar_subquery()
    )


def _cadre_spec() -> ListSpec:
    department = aliased(Department, name="dept")
    return ListSpec(
        entity="cadre",
        id_expr=Cadre.id,
        columns=(
            Column("name", Cadre.name),
            Column("department", department.name),
            Column("post", Cadre.post),
            Column("phone", Cadre.phone, "masked_phone", sortable=False),
            Column("is_leader", Cadre.is_leader, "bool"),
            Column("status", Cadre.status, "enum", enums.CadreStatus),
            Column("caseload", caseload_expr(), "int"),
        ),
        base=lambda: (
            select()
            .select_from(Cadre)
            .outerjoin(department, department.id == Cadre.department_id)
            .where(Cadre.deleted == false())
        ),
        default_sort="name",
        search=_name_search(Cadre.name, Cadre.name_initials),
        filters={
            "department": Filter("department", _eq(Cadre.department_id)),
            "status": Filter("status", _eq(Cadre.status), enums.CadreStatus),
            "is_leader": Filter("is_leader", _flag(lambda s: Cadre.is_leader == true()), flag=True),
        },
    )


def _enterprise_spec() -> ListSpec:
    place = aliased(Region, name="place")
    return ListSpec(
        entity="enterprise",
        id_expr=Enterprise.id,
        columns=(
            Column("name", Enterprise.name),
            Column("credit_code", Enterprise.credit_code),
            Column("contact", Enterprise.contact),
            Column("phone", Enterprise.phone, "masked_phone", sortable=False),
            Column("region", place.name),
        ),
        base=lambda: (
            select()
            .select_from(Enterprise)
            .outerjoin(place, place.id == Enterprise.region_id)
            .where(Enterprise.deleted == false())
        ),
        default_sort="name",
        search=_name_search(Enterprise.name),
    )


def _sage_spec() -> ListSpec:
    home = aliased(Region, name="home")
    return ListSpec(
        entity="sage",
        id_expr=Sage.id,
        columns=(
            Column("name", Sage.name),
            Column("kind", Sage.kind, "enum", enums.SageKind),
            Column("phone", Sage.phone, "masked_phone", sortable=False),
            Column("home_village", home.name),
        ),
        base=lambda: (
            select().select_from(Sage).outerjoin(home, home.id == Sage.home_village_id).where(Sage.deleted == false())
        ),
        default_sort="name",
        search=_name_search(Sage.name),
        filters={"kind": Filter("kind", _eq(Sage.kind), enums.SageKind)},
    )


def _pairing_spec() -> ListSpec:
    subject_hh = aliased(Household, name="subject_hh")
    subject_region = aliased(Region, name="subject_region")
    cadre = aliased(Cadre, name="helper_cadre")
    dept = aliased(Department, name="helper_dept")
    ent = aliased(Enterprise, name="helper_ent")
    sage = aliased(Sage, name="helper_sage")
    return ListSpec(
        entity="pairing",
        id_expr=Pairing.id,
        columns=(
            Column("kind", Pairing.kind, "enum", enums.PairingKind),
            Column("subject", func.coalesce(subject_hh.head_name, subject_region.name)),
            Column("helper", func.coalesce(cadre.name, dept.name, ent.name, sage.name)),
            Column("start_date", Pairing.start_date, "date"),
            Column("end_date", Pairing.end_date, "date"),
            Column("end_reason", Pairing.end_reason, "enum", enums.PairingEndReason),
            Column("end_note", Pairing.end_note, hidden=True),
        ),
        base=lambda: (
            select()
            .select_from(Pairing)
            .outerjoin(subject_hh, subject_hh.id == Pairing.subject_household_id)
            .outerjoin(subject_region, subject_region.id == Pairing.subject_region_id)
            .outerjoin(cadre, cadre.id == Pairing.helper_cadre_id)
            .outerjoin(dept, dept.id == Pairing.helper_department_id)
            .outerjoin(ent, ent.id == Pairing.helper_enterprise_id)
            .outerjoin(sage, sage.id == Pairing.helper_sage_id)
            .where(Pairing.deleted == false())
        ),
        default_sort="start_date",
        default_descending=True,
        search=lambda text: or_(
            prefix(subject_hh.head_name, text.strip()),
            prefix(cadre.name, text.strip()),
            subject_region.name.contains(text.strip(), autoescape=True),
        ),
        filters={
            "kind": Filter("kind", _eq(Pairing.kind), enums.PairingKind),
            "active": Filter("active", _flag(lambda s: Pairing.end_date.is_(None)), flag=True),
            "household": Filter("household", _eq(Pairing.subject_household_id)),
            "cadre": Filter("cadre", _eq(Pairing.helper_cadre_id)),
            "region": Filter("region", _eq(Pairing.subject_region_id)),
        },
    )


def _visit_spec() -> ListSpec:
    hh = aliased(Household, name="visit_hh")
    place = aliased(Region, name="visit_place")
    cadre = aliased(Cadre, name="visit_cadre")

    def open_follow_up(_s: Session) -> ColumnElement[bool]:
        return and_(Visit.follow_up_due.is_not(None), Visit.follow_up_closed_on.is_(None))

    return ListSpec(
        entity="visit",
        id_expr=Visit.id,
        columns=(
            Column("visit_date", Visit.visit_date, "date"),
            Column("cadre", cadre.name),
            Column("subject", func.coalesce(hh.head_name, place.name)),
            Column("mode", Visit.mode, "enum", enums.VisitMode),
            Column("findings", Visit.findings, sortable=False),
            Column("measures", Visit.measures, sortable=False),
            Column("follow_up", Visit.follow_up, sortable=False),
            Column("follow_up_due", Visit.follow_up_due, "date"),
            Column("follow_up_closed_on", Visit.follow_up_closed_on, "date"),
        ),
        base=lambda: (
            select()
            .select_from(Visit)
            .join(cadre, cadre.id == Visit.cadre_id)
            .outerjoin(hh, hh.id == Visit.household_id)
            .outerjoin(place, place.id == Visit.village_id)
            .where(Visit.deleted == false())
        ),
        default_sort="visit_date",
        default_descending=True,
        search=lambda text: or_(prefix(hh.head_name, text.strip()), prefix(cadre.name, text.strip())),
        filters={
            "open_follow_up": Filter("open_follow_up", _flag(open_follow_up), flag=True),
            "overdue_follow_up": Filter(
                "overdue_follow_up",
                _flag(lambda s: and_(*rules.follow_up_overdue_sql(Visit, date.today()))),
                flag=True,
            ),
            "household": Filter("household", _eq(Visit.household_id)),
            "cadre": Filter("cadre", _eq(Visit.cadre_id)),
            "mode": Filter("mode", _eq(Visit.mode), enums.VisitMode),
        },
    )


def project_disbursed() -> Any:
    """Disbursed to date (``rules.disbursed`` on today)."""
    return rules.disbursed_sql(ProjectProgress, Project.id, date.today())


def _project_percent() -> Any:
    return (
        select(func.coalesce(func.max(ProjectProgress.percent), 0))
        .where(ProjectProgress.project_id == Project.id, ProjectProgress.deleted == false())
        .scalar_subquery()
    )


def project_overdue_clause() -> ColumnElement[bool]:
    return rules.project_overdue_sql(Project, date.today())


def project_over_budget_clause() -> ColumnElement[bool]:
    return or_(project_disbursed() > Project.budget_fen, Project.allocated_fen > Project.budget_fen)


def _project_spec() -> ListSpec:
    place = aliased(Region, name="project_place")
    return ListSpec(
        entity="project",
        id_expr=Project.id,
        columns=(
            Column("name", Project.name),
            Column("category", Project.category, "enum", enums.ProjectCategory),
            Column("stage", Project.stage, "enum", enums.ProjectStage),
            Column("year", Project.year, "int"),
            Column("place", place.name),
            Column("fund_source", Project.fund_source, "enum", enums.FundSource, hidden=True),
            Column("budget", Project.budget_fen, "money"),
            Column("allocated", Project.allocated_fen, "money"),
            Column("disbursed", project_disbursed(), "money"),
            Column("percent", _project_percent(), "percent"),
            Column("planned_end_date", Project.planned_end_date, "date"),
            Column("filed_on", Project.filed_on, "date"),
            Column("overdue", project_overdue_clause(), "bool", sortable=False),
            Column("over_budget", project_over_budget_clause(), "bool", sortable=False),
        ),
        base=lambda: (
            select().select_from(Project).join(place, place.id == Project.region_id).where(Project.deleted == false())
        ),
        default_sort="year",
        default_descending=True,
        search=_name_search(Project.name),
        filters={
            "category": Filter("category", _eq(Project.category), enums.ProjectCategory),
            "stage": Filter("stage", _eq(Project.stage), enums.ProjectStage),
            "year": Filter("year", _eq(Project.year)),
            "overdue": Filter("overdue", _flag(lambda s: project_overdue_clause()), flag=True),
            "over_budget": Filter("over_budget", _flag(lambda s: project_over_budget_clause()), flag=True),
        },
    )


def _child_spec(
    entity: str,
    model: Any,
    parent: tuple[str, Any],
    columns: tuple[Column, ...],
    sort: str,
    descending: bool = False,
    search: Callable[[str], ColumnElement[bool]] | None = None,
) -> ListSpec:
    """A list of rows belonging to one parent (a household's members, a project's progress …), no joins."""
    key, column = parent
    return ListSpec(
        entity=entity,
        id_expr=model.id,
        columns=columns,
        base=lambda: select().select_from(model).where(model.deleted == false()),
        default_sort=sort,
        default_descending=descending,
        search=search,
        filters={key: Filter(key, _eq(column))},
    )


def _member_spec() -> ListSpec:
    columns = (
        Column("name", Member.name),
        Column("relation", Member.relation, "enum", enums.Relation),
        Column("id_number", Member.id_number, "masked_id", sortable=False),
        Column("birth_date", Member.birth_date, "date", hidden=True),
        Column("health", Member.health, "enum", enums.Health),
        Column("labour", Member.labour, "enum", enums.LabourCapacity),
        Column("employment", Member.employment, "enum", enums.Employment),
        Column("school_stage", Member.school_stage, "enum", enums.SchoolStage),
        Column("doctor_contract", Member.doctor_contract, "bool"),
    )
    return _child_spec(
        "member", Member, ("household", Member.household_id), columns, "relation", search=_name_search(Member.name)
    )


def _village_income_spec() -> ListSpec:
    columns = (
        Column("year", VillageIncome.year, "int"),
        Column("income", VillageIncome.income_fen, "money"),
        Column("operating_income", VillageIncome.operating_income_fen, "money"),
        Column("note", VillageIncome.note),
    )
    return _child_spec("village_income", VillageIncome, ("village", VillageIncome.village_id), columns, "year", True)


def _progress_spec() -> ListSpec:
    columns = (
        Column("entry_date", ProjectProgress.entry_date, "date"),
        Column("percent", ProjectProgress.percent, "percent"),
        Column("amount", ProjectProgress.amount_fen, "money"),
        Column("note", ProjectProgress.note),
    )
    return _child_spec(
        "project_progress", ProjectProgress, ("project", ProjectProgress.project_id), columns, "entry_date", True
    )


def _benefit_spec() -> ListSpec:
    """A household's benefits (享受政策/帮扶措施), newest first."""
    columns = (
        Column("benefit_date", Benefit.benefit_date, "date"),
        Column("kind", Benefit.kind, "enum", enums.BenefitKind),
        Column("amount", Benefit.amount_fen, "money"),
        Column("provider", Benefit.provider),
        Column("note", Benefit.note),
    )
    return _child_spec("benefit", Benefit, ("household", Benefit.household_id), columns, "benefit_date", True)


def _beneficiary_spec() -> ListSpec:
    hh = aliased(Household, name="beneficiary_hh")
    place = aliased(Region, name="beneficiary_village")
    return ListSpec(
        entity="project_beneficiary",
        id_expr=ProjectBeneficiary.id,
        columns=(
            Column("head_name", hh.head_name),
            Column("head_id_number", hh.head_id_number, "masked_id", sortable=False),
            Column("village", place.name),
            Column("category", hh.category, "enum", enums.HouseholdCategory),
        ),
        base=lambda: (
            select()
            .select_from(ProjectBeneficiary)
            .join(hh, hh.id == ProjectBeneficiary.household_id)
            .join(place, place.id == hh.village_id)
            .where(ProjectBeneficiary.deleted == false())
        ),
        default_sort="head_name",
        filters={"project": Filter("project", _eq(ProjectBeneficiary.project_id))},
    )


def _audit_spec() -> ListSpec:
    def since(stmt: Select[Any], value: Any, _s: Session) -> Select[Any]:
        return stmt.where(AuditEntry.at >= value)

    def until(stmt: Select[Any], value: Any, _s: Session) -> Select[Any]:
        return stmt.where(AuditEntry.at < value)

    return ListSpec(
        entity="audit",
        id_expr=AuditEntry.id,
        columns=(
            Column("seq", AuditEntry.seq, "int"),
            Column("at", AuditEntry.at, "datetime"),
            Column("actor", AuditEntry.actor),
            Column("action", AuditEntry.action, "action"),
            Column("entity", AuditEntry.entity, "entity"),
            Column("entity_id", AuditEntry.entity_id, hidden=True),
            Column("node", AuditEntry.node, hidden=True),
            Column("note", AuditEntry.note),
        ),
        base=lambda: select().select_from(AuditEntry),
        default_sort="seq",
        default_descending=True,
        search=lambda text: or_(AuditEntry.entity_id == text.strip(), prefix(AuditEntry.actor, text.strip())),
        filters={
            "entity": Filter("entity", _eq(AuditEntry.entity)),
            "actor": Filter("actor", _eq(AuditEntry.actor)),
            "action": Filter("action", _eq(AuditEntry.action)),
            "since": Filter("since", since),
            "until": Filter("until", until),
        },
    )


SPECS: dict[str, ListSpec] = {
    spec.entity: spec
    for spec in (
        _household_spec(),
        _region_spec(),
        _department_spec(),
        _cadre_spec(),
        _enterprise_spec(),
        _sage_spec(),
        _pairing_spec(),
        _visit_spec(),
        _project_spec(),
        _member_spec(),
        _village_income_spec(),
        _progress_spec(),
        _benefit_spec(),
        _beneficiary_spec(),
        _audit_spec(),
    )
}


# ----------------------------------------------------------------------------------------------- queries


def _where(spec: ListSpec, query: ListQuery, session: Session) -> Select[Any]:
    stmt = spec.base()
    if query.text.strip() and spec.search is not None:
        stmt = stmt.where(spec.search(query.text))
    for key, value in query.filters:
        flt = spec.filters.get(key)
        if flt is None:
            raise KeyError(f"{spec.entity} has no filter {key!r}")
        stmt = flt.apply(stmt, value, session)
    return stmt


def _mask(kind: str, value: Any) -> Any:
    if kind == "masked_id":
        return mask_id_number(value)
    if kind == "masked_phone":
        return mask_phone(value)
    return value


def fetch_page(
    session: Session, query: ListQuery, offset: int = 0, limit: int = 200, columns: Sequence[str] | None = None
) -> Page:
    """One page of rows in the query's order; ``has_more`` without counting (counting 200k rows costs)."""
    spec = SPECS[query.entity]
    wanted = [spec.column(k) for k in (columns or spec.keys)]
    sort_key = query.sort or spec.default_sort
    sort_col = spec.column(sort_key)
    if not sort_col.sortable:
        sort_col = spec.column(spec.default_sort)
    descending = spec.default_descending if query.descending is None else query.descending
    # pinyin first, then the text itself (homophones together), then the id: a stable order for paging
    primary = sort_col.order_key()
    keys = [primary, *([sort_col.expr] if primary is not sort_col.expr else []), spec.id_expr]
    order = [k.desc() if descending else k.asc() for k in keys]
    stmt = (
        _where(spec, query, session)
        .add_columns(spec.id_expr, *[c.expr for c in wanted])
        .order_by(*order)
        .limit(limit + 1)
        .offset(offset)
    )
    result = session.execute(stmt).all()
    has_more = len(result) > limit
    result = result[:limit]
    masks = [(i, c.kind) for i, c in enumerate(wanted) if c.kind in ("masked_id", "masked_phone")]
    rows: list[tuple[Any, ...]] = []
    for row in result:
        values = list(row[1:])
        for i, kind in masks:
            values[i] = _mask(kind, values[i])
        rows.append(tuple(values))
    return Page([str(r[0]) for r in result], rows, has_more)


def fetch_rows(
    session: Session, entity: str, ids: Sequence[str], columns: Sequence[str] | None = None
) -> dict[str, tuple[Any, ...]]:
    """Fresh rows for some ids (after an edit), same shape as ``fetch_page``."""
    spec = SPECS[entity]
    wanted = [spec.column(k) for k in (columns or spec.keys)]
    stmt = spec.base().add_columns(spec.id_expr, *[c.expr for c in wanted]).where(spec.id_expr.in_(list(ids)))
    out: dict[str, tuple[Any, ...]] = {}
    for row in session.execute(stmt).all():
        out[str(row[0])] = tuple(_mask(c.kind, v) for c, v in zip(wanted, row[1:], strict=True))
    return out


def count(session: Session, query: ListQuery) -> int:
    spec = SPECS[query.entity]
    stmt = _where(spec, query, session).add_columns(func.count(literal(1)))
    return int(session.execute(stmt).scalar_one())


def by_name(expr: Any) -> tuple[Any, Any]:
    """ORDER BY terms for a name: pinyin (as WPS sorts), then the name itself."""
    return pinyin_key(expr), expr


def place_choices(session: Session, level: str) -> list[tuple[str, str]]:
    """(id, name) of every township or village, for filter boxes and forms."""
    rows = session.execute(
        select(Region.id, Region.name).where(Region.level == level, Region.deleted == false()).order_by(Region.code)
    ).all()
    return [(str(r[0]), str(r[1])) for r in rows]


def name_choices(session: Session, entity: str) -> list[tuple[str, str]]:
    """(id, name) of departments, serving cadres (with caseload), enterprises or sages, for pickers."""
    if entity == "department":
        stmt = (
            select(Department.id, Department.name)
            .where(Department.deleted == false())
            .order_by(*by_name(Department.name))
        )
    elif entity == "cadre":
        stmt = (
            select(Cadre.id, Cadre.name)
            .where(Cadre.deleted == false(), Cadre.status == enums.CadreStatus.SERVING.value)
            .order_by(*by_name(Cadre.name))
        )
    elif entity == "enterprise":
        stmt = (
            select(Enterprise.id, Enterprise.name)
            .where(Enterprise.deleted == false())
            .order_by(*by_name(Enterprise.name))
        )
    elif entity == "sage":
        stmt = select(Sage.id, Sage.name).where(Sage.deleted == false()).order_by(*by_name(Sage.name))
    else:
        raise KeyError(entity)
    return [(str(r[0]), str(r[1])) for r in session.execute(stmt).all()]


def audit_actors(session: Session) -> list[tuple[str, str]]:
    """Who appears in the audit trail, for the audit page's filter."""
    rows = session.execute(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)).scalars().all()
    return [(str(a), str(a)) for a in rows]


@dataclass(frozen=True)
class CadreLoad:
    id: str
    name: str
    department: str | None
    caseload: int
    is_leader: bool


def cadre_caseloads(session: Session) -> list[CadreLoad]:
    """Serving cadres with their current number of paired households, lightest first (the assign view)."""
    dept = aliased(Department, name="load_dept")
    load = caseload_expr()
    rows = session.execute(
        select(Cadre.id, Cadre.name, dept.name, load, Cadre.is_leader)
        .outerjoin(dept, dept.id == Cadre.department_id)
        .where(Cadre.deleted == false(), Cadre.status == enums.CadreStatus.SERVING.value)
        .order_by(load, *by_name(Cadre.name))
    ).all()
    return [CadreLoad(str(r[0]), str(r[1]), r[2], int(r[3]), bool(r[4])) for r in rows]


def last_sync(session: Session) -> datetime | None:
    """When a package last went out to or came in from any peer (the status bar's 上次同步)."""
    from app.sync.models import SyncPeerState

    row = session.execute(select(func.max(SyncPeerState.last_import_at), func.max(SyncPeerState.last_export_at))).one()
    stamps = [s for s in row if s is not None]
    return max(stamps) if stamps else None
