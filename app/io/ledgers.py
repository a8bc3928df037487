"""Export each ledger (台账) to .xlsx in the officers' layout; the headers are the words the import reads,
so an exported ledger (with full IDs) imports back unchanged.

Resident IDs are masked (``331102********1234``) unless ``full_ids`` is asked for; that export is an audited
event (``export_full_ids``). Rows are streamed from Core selects, never held as ORM objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from app.domain import enums
from app.domain.enums import UNKNOWN_ZH, LabeledEnum, PairingKind
from app.domain.models import (
    Cadre,
    Department,
    Household,
    Member,
    Pairing,
    Project,
    ProjectProgress,
    Region,
    VillageIncome,
    Visit,
)
from app.domain.validators import mask_id_number
from app.errors import BangfuError
from app.io.errors import Cancelled
from app.io.lookups import Places
from app.io.xlsx import Column, WorkbookWriter, chinese_date
from app.services import settings
from app.services.uow import UnitOfWork
from app.storage.database import Database

RowSource = Callable[[Session, "Scope"], Iterator[Sequence[Any]]]


@dataclass(frozen=True)
class Scope:
    """Which places the export covers (the chosen region and all under it; None = all), and whether IDs
    are shown in full."""

    region_ids: frozenset[str] | None
    full_ids: bool

    def id_text(self, number: str | None) -> str:
        return (number or "") if self.full_ids else mask_id_number(number)


@dataclass(frozen=True)
class Ledger:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: RowSource
    has_ids: bool = True


def _labels(enum: type[LabeledEnum]) -> dict[str, str]:
    return {m.value: m.zh for m in enum}


CATEGORY, CAUSE, STATUS = _labels(enums.HouseholdCategory), _labels(enums.PovertyCause), _labels(enums.HouseholdStatus)
Village, Township = aliased(Region), aliased(Region)
CADRE_GROUP = "结对帮扶干部"


def _in_scope(column: Any, scope: Scope) -> Any:
    return column.in_(scope.region_ids) if scope.region_ids is not None else True


def _active_cadre_join() -> Any:
    return and_(
        Pairing.subject_household_id == Household.id,
        Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value,
        Pairing.end_date.is_(None),
        Pairing.deleted.is_(False),
    )


# ------------------------------------------------------------------ households (the roster layout)

HOUSEHOLD_COLUMNS = (
    Column("序号", 6, "int"),
    Column("乡镇", 10),
    Column("行政村", 10),
    Column("自然村", 10),
    Column("户主姓名", 10),
    Column("身份证号码", 21),
    Column("联系电话", 14),
    Column("家庭住址", 20),
    Column("低收入农户类型", 12),
    Column("致贫原因", 14),
    Column("状态", 7),
    Column("状态变更日期", 11, "date"),
    Column("状态变更原因", 14),
    Column("认定时间", 11, "date"),
    Column("异地搬迁", 8, "bool"),
    Column("备注", 14),
    Column("姓名", 9, group=CADRE_GROUP),
    Column("工作单位", 18, group=CADRE_GROUP),
    Column("职务", 10, group=CADRE_GROUP),
    Column("联系电话", 14, group=CADRE_GROUP),
    Column("结对时间", 11, "date"),
)


def household_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    query = (
        select(
            Township.name,
            Village.name,
            Household.natural_village,
            Household.head_name,
            Household.head_id_number,
            Household.phone,
            Household.address,
            Household.category,
            Household.primary_cause,
            Household.other_causes,
            Household.status,
            Household.registered_on,
            Household.relocation,
            Household.note,
            Household.status_date,
            Household.status_reason,
            Cadre.name,
            Department.name,
            Cadre.post,
            Cadre.phone,
            Pairing.start_date,
        )
        .join(Village, Village.id == Household.village_id)
        .outerjoin(Township, Township.id == Village.parent_id)
        .outerjoin(Pairing, _active_cadre_join())
        .outerjoin(Cadre, Cadre.id == Pairing.helper_cadre_id)
        .outerjoin(Department, Department.id == Cadre.department_id)
        .where(Household.deleted.is_(False), _in_scope(Household.village_id, scope))
        .order_by(Township.name, Village.name, Household.head_name, Household.head_id_number)
    )
    for n, r in enumerate(session.execute(query), 1):
        causes = "、".join(CAUSE.get(c, c) for c in [r[8], *(r[9] or [])])
        yield (n, r[0], r[1], r[2], r[3], scope.id_text(r[4]), r[5], r[6], CATEGORY.get(r[7], r[7]), causes,
               STATUS.get(r[10], r[10]), r[14], r[15], r[11], r[12], r[13], r[16], r[17], r[18], r[19], r[20])  # fmt: skip


# ------------------------------------------------------------------ members

MEMBER_COLUMNS = (
    Column("序号", 6, "int"),
    Column("行政村", 10),
    Column("户主姓名", 10),
    Column("户主身份证号码", 21),
    Column("姓名", 10),
    Column("身份证号码", 21),
    Column("与户主关系", 10),
    Column("健康状况", 9),
    Column("劳动能力", 11),
    Column("务工状况", 11),
    Column("在校情况", 10),
    Column("责任医生签约", 9, "bool"),
)
_MEMBER_ENUMS = (enums.Relation, enums.Health, enums.LabourCapacity, enums.Employment, enums.SchoolStage)
_MEMBER_LABELS = [_labels(e) for e in _MEMBER_ENUMS]


def member_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    query = (
        select(
            Village.name,
            Household.head_name,
            Household.head_id_number,
            Member.name,
            Member.id_number,
            Member.relation,
            Member.health,
            Member.labour,
            Member.employment,
            Member.school_stage,
            Member.doctor_contract,
        )
        .join(Household, Household.id == Member.household_id)
        .join(Village, Village.id == Household.village_id)
        .where(Member.deleted.is_(False), Household.deleted.is_(False), _in_scope(Household.village_id, scope))
        .order_by(Village.name, Household.head_name, Household.id, Member.relation != "head", Member.name)
    )
    for n, r in enumerate(session.execute(query), 1):
        coded = [
            UNKNOWN_ZH if v is None else labels.get(v, v) for labels, v in zip(_MEMBER_LABELS, r[5:10], strict=True)
        ]
        yield (n, r[0], r[1], scope.id_text(r[2]), r[3], scope.id_text(r[4]), *coded, r[10])


# ------------------------------------------------------------------ cadres

CADRE_COLUMNS = (
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("工作单位", 22),
    Column("职务", 12),
    Column("联系电话", 14),
    Column("是否领导", 8, "bool"),
    Column("单位层级", 8),
    Column("单位性质", 10),
    Column("状态", 8),
    Column("结对户数", 8, "int"),
)


def cadre_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    caseload = (
        select(Pairing.helper_cadre_id, func.count().label("n"))
        .where(
            Pairing.kind == PairingKind.HOUSEHOLD_CADRE.value, Pairing.end_date.is_(None), Pairing.deleted.is_(False)
        )
        .group_by(Pairing.helper_cadre_id)
        .subquery()
    )
    query = (
        select(
            Cadre.name,
            Department.name,
            Cadre.post,
            Cadre.phone,
            Cadre.is_leader,
            Department.level,
            Department.kind,
            Cadre.status,
            func.coalesce(caseload.c.n, 0),
        )
        .outerjoin(Department, Department.id == Cadre.department_id)
        .outerjoin(caseload, caseload.c.helper_cadre_id == Cadre.id)
        .where(Cadre.deleted.is_(False))
        .order_by(Department.name, Cadre.name)
    )
    levels, kinds, statuses = _labels(enums.DepartmentLevel), _labels(enums.DepartmentKind), _labels(enums.CadreStatus)
    for n, r in enumerate(session.execute(query), 1):
        yield (n, r[0], r[1], r[2], r[3], r[4], levels.get(r[5] or "", r[5]), kinds.get(r[6] or "", r[6]),
               statuses.get(r[7], r[7]), r[8])  # fmt: skip


# ------------------------------------------------------------------ pairings (all kinds, with history)

PAIRING_COLUMNS = (
    Column("序号", 6, "int"),
    Column("结对类型", 12),
    Column("帮扶对象", 16),
    Column("对象身份证号码", 21),
    Column("帮扶方", 18),
    Column("帮扶方单位", 20),
    Column("开始日期", 11, "date"),
    Column("结束日期", 11, "date"),
    Column("结束原因", 12),
    Column("备注", 16),
)


def pairing_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    Subject = aliased(Region)
    HelperDept, CadreDept = aliased(Department), aliased(Department)
    from app.domain.models import Enterprise, Sage

    query = (
        select(
            Pairing.kind,
            Household.head_name,
            Household.head_id_number,
            Subject.name,
            Cadre.name,
            CadreDept.name,
            HelperDept.name,
            Enterprise.name,
            Sage.name,
            Pairing.start_date,
            Pairing.end_date,
            Pairing.end_reason,
            Pairing.note,
            Household.village_id,
            Pairing.subject_region_id,
        )
        .outerjoin(Household, Household.id == Pairing.subject_household_id)
        .outerjoin(Subject, Subject.id == Pairing.subject_region_id)
        .outerjoin(Cadre, Cadre.id == Pairing.helper_cadre_id)
        .outerjoin(CadreDept, CadreDept.id == Cadre.department_id)
        .outerjoin(HelperDept, HelperDept.id == Pairing.helper_department_id)
        .outerjoin(Enterprise, Enterprise.id == Pairing.helper_enterprise_id)
        .outerjoin(Sage, Sage.id == Pairing.helper_sage_id)
        .where(Pairing.deleted.is_(False))
        .order_by(Pairing.kind, Pairing.start_date)
    )
    kinds, reasons = _labels(enums.PairingKind), _labels(enums.PairingEndReason)
    n = 0
    for r in session.execute(query):
        if scope.region_ids is not None and (r[13] or r[14]) not in scope.region_ids:
            continue
        n += 1
        helper = r[4] or r[6] or r[7] or r[8]
        yield (n, kinds.get(r[0], r[0]), r[1] or r[3], scope.id_text(r[2]) if r[2] else "", helper, r[5] or "",
               r[9], r[10], reasons.get(r[11] or "", r[11]), r[12])  # fmt: skip


# ------------------------------------------------------------------ visits

VISIT_COLUMNS = (
    Column("序号", 6, "int"),
    Column("走访日期", 11, "date"),
    Column("行政村", 10),
    Column("户主姓名", 10),
    Column("户主身份证号码", 21),
    Column("姓名", 9, group="走访干部"),
    Column("工作单位", 18, group="走访干部"),
    Column("联系电话", 14, group="走访干部"),
    Column("走访方式", 9),
    Column("存在问题", 24),
    Column("帮扶措施", 24),
    Column("待办事项", 18),
    Column("办结期限", 11, "date"),
    Column("办结日期", 11, "date"),
)


def visit_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    query = (
        select(
            Visit.visit_date,
            Village.name,
            Household.head_name,
            Household.head_id_number,
            Cadre.name,
            Department.name,
            Cadre.phone,
            Visit.mode,
            Visit.findings,
            Visit.measures,
            Visit.follow_up,
            Visit.follow_up_due,
            Visit.follow_up_closed_on,
        )
        .join(Household, Household.id == Visit.household_id)
        .join(Village, Village.id == Household.village_id)
        .join(Cadre, Cadre.id == Visit.cadre_id)
        .outerjoin(Department, Department.id == Cadre.department_id)
        .where(Visit.deleted.is_(False), _in_scope(Household.village_id, scope))
        .order_by(Visit.visit_date, Village.name, Household.head_name)
    )
    modes = _labels(enums.VisitMode)
    for n, r in enumerate(session.execute(query), 1):
        yield (n, r[0], r[1], r[2], scope.id_text(r[3]), r[4], r[5], r[6], modes.get(r[7], r[7]), *r[8:])


# ------------------------------------------------------------------ projects

PROJECT_COLUMNS = (
    Column("序号", 6, "int"),
    Column("项目名称", 22),
    Column("项目类别", 10),
    Column("资金来源", 18),
    Column("年度", 7, "int"),
    Column("实施地点", 12),
    Column("责任单位", 18),
    Column("项目预算（元）", 14, "money"),
    Column("已拨付资金（元）", 14, "money"),
    Column("已支出（元）", 14, "money"),
    Column("项目阶段", 8),
    Column("开工日期", 11, "date"),
    Column("计划完成日期", 11, "date"),
    Column("完成日期", 11, "date"),
    Column("备案日期", 11, "date"),
    Column("建设内容", 24),
)


def project_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    spent = (
        select(ProjectProgress.project_id, func.sum(ProjectProgress.amount_fen).label("fen"))
        .where(ProjectProgress.deleted.is_(False))
        .group_by(ProjectProgress.project_id)
        .subquery()
    )
    query = (
        select(
            Project.name,
            Project.category,
            Project.fund_source,
            Project.year,
            Region.name,
            Project.responsible_unit,
            Project.budget_fen,
            Project.allocated_fen,
            func.coalesce(spent.c.fen, 0),
            Project.stage,
            Project.start_date,
            Project.planned_end_date,
            Project.completed_on,
            Project.filed_on,
            Project.description,
            Project.region_id,
        )
        .join(Region, Region.id == Project.region_id)
        .outerjoin(spent, spent.c.project_id == Project.id)
        .where(Project.deleted.is_(False))
        .order_by(Project.year, Region.name, Project.name)
    )
    cats, funds, stages = _labels(enums.ProjectCategory), _labels(enums.FundSource), _labels(enums.ProjectStage)
    n = 0
    for r in session.execute(query):
        if scope.region_ids is not None and r[15] not in scope.region_ids:
            continue
        n += 1
        yield (n, r[0], cats.get(r[1], r[1]), funds.get(r[2], r[2]), r[3], r[4], r[5], r[6], r[7], int(r[8]),
               stages.get(r[9], r[9]), *r[10:15])  # fmt: skip


# ------------------------------------------------------------------ village collective income

VILLAGE_INCOME_COLUMNS = (
    Column("序号", 6, "int"),
    Column("乡镇", 10),
    Column("行政村", 10),
    Column("年度", 7, "int"),
    Column("村集体经济收入（元）", 16, "money"),
    Column("经营性收入（元）", 14, "money"),
    Column("是否薄弱村", 10),
    Column("备注", 18),
)


def village_income_rows(session: Session, scope: Scope) -> Iterator[Sequence[Any]]:
    threshold = int(settings.get(session, "weak_village_threshold_yuan")) * 100
    query = (
        select(
            Township.name,
            Village.name,
            VillageIncome.year,
            VillageIncome.income_fen,
            VillageIncome.operating_income_fen,
            VillageIncome.note,
        )
        .join(Village, Village.id == VillageIncome.village_id)
        .outerjoin(Township, Township.id == Village.parent_id)
        .where(VillageIncome.deleted.is_(False), _in_scope(VillageIncome.village_id, scope))
        .order_by(VillageIncome.year, Township.name, Village.name)
    )
    for n, r in enumerate(session.execute(query), 1):
        yield (n, r[0], r[1], r[2], r[3], r[4], "是" if r[3] < threshold else "否", r[5])


LEDGERS: dict[str, Ledger] = {
    ledger.name: ledger
    for ledger in (
        Ledger(
            "households", "低收入农户结对帮扶花名册", "households (pairing roster)", HOUSEHOLD_COLUMNS, household_rows
        ),
        Ledger("members", "低收入农户家庭成员台账", "household members", MEMBER_COLUMNS, member_rows),
        Ledger("cadres", "结对帮扶干部名册", "cadres", CADRE_COLUMNS, cadre_rows, has_ids=False),
        Ledger("pairings", "结对帮扶关系台账", "pairings", PAIRING_COLUMNS, pairing_rows),
        Ledger("visits", "走访记录台账", "visits", VISIT_COLUMNS, visit_rows),
        Ledger("projects", "扶贫项目台账", "projects", PROJECT_COLUMNS, project_rows, has_ids=False),
        Ledger(
            "village-income", "村集体经济收入台账", "village income", VILLAGE_INCOME_COLUMNS, village_income_rows, False
        ),
    )
}


def regions_under(session: Session, region_id: str | None) -> frozenset[str] | None:
    if region_id is None:
        return None
    places = Places.load(session)
    if region_id not in places.level:
        raise BangfuError("找不到指定的地区。", "The region was not found.")
    return places.subtree(region_id)


def export_ledger(
    db: Database,
    name: str,
    path: Path | str,
    *,
    region_id: str | None = None,
    full_ids: bool = False,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write one ledger; returns the number of rows. A full-ID export is recorded in the audit trail.
    ``progress(rows written)`` is called every few thousand rows; when ``cancelled()`` turns true the
    unfinished file is removed and ``Cancelled`` raised."""
    if name not in LEDGERS:
        raise BangfuError(f"未知的台账：{name}", f"Unknown ledger: {name}")
    ledger = LEDGERS[name]
    path = Path(path)
    with db.session() as session:
        scope = Scope(regions_under(session, region_id), full_ids)
        subtitle = f"填报单位：{db.node.name}　　导出日期：{chinese_date(date.today())}"

        def tick(rows: int) -> None:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(rows)

        with WorkbookWriter(path) as writer:  # cancelled: the file is discarded, an older one is kept
            count = writer.table_sheet(
                ledger.zh, ledger.zh, ledger.columns, ledger.rows(session, scope), subtitle=subtitle, progress=tick
            )
    if full_ids and ledger.has_ids:
        with UnitOfWork(db) as uow:
            uow.event(
                "export_full_ids",
                "excel",
                note=f"导出完整身份证号码：{ledger.zh}",
                after={"ledger": name, "rows": count, "file": path.name, "region_id": region_id},
            )
    return count
