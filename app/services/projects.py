"""Assistance projects (扶贫项目): create/edit through ``records`` with ``PROJECT``; stage transitions along
计划→申报→审批→实施→验收→完成 (or 终止 from any open stage); progress entries; beneficiary households.

Sunshine rules: money and stage changes are never silent. Changing the budget or funds allocated needs a
note (``noted_fields``); every stage change is audited with a note ("计划 → 申报" plus the user's words);
going back a stage or terminating needs the user's own note. Disbursed = the sum of progress amounts;
progress percent never goes down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import PROJECT_STAGE_ORDER, FundSource, ProjectCategory, ProjectPlaceLevel, ProjectStage
from app.domain.models import Department, Household, Project, ProjectBeneficiary, ProjectProgress, Region, Synced
from app.errors import RuleViolation, ValidationError
from app.services import fields as f
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
)
from app.storage.database import Database

FINAL_STAGES = frozenset({ProjectStage.DONE, ProjectStage.TERMINATED})


def _project_rules(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    region = session.get(Region, values["region_id"])
    if region is not None and region.level != values["place_level"]:
        raise ValidationError(
            f"项目地点应为{ProjectPlaceLevel.from_label(values['place_level']).zh}级区划。",
            "The project's place does not match its place level.",
            field="region_id",
        )
    start, end = values.get("start_date"), values.get("planned_end_date")
    if start and end and end < start:
        raise ValidationError(
            "计划完成日期不能早于开工日期。", "The planned end cannot be before the start.", field="planned_end_date"
        )


PROJECT = register(
    EntitySpec(
        Project,
        "扶贫项目",
        "project",
        (
            FieldSpec("name", "项目名称", "Name", f.text(100), required=True),
            FieldSpec("category", "项目类别", "Category", f.choice(ProjectCategory), required=True),
            FieldSpec("fund_source", "资金来源", "Fund source", f.choice(FundSource), required=True),
            FieldSpec("year", "年度", "Year", f.year, required=True),
            FieldSpec("place_level", "实施层级", "Place level", f.choice(ProjectPlaceLevel), required=True),
            FieldSpec("region_id", "实施地点", "Place", required=True, ref=Region),
            FieldSpec("responsible_unit", "责任单位", "Responsible unit", f.text(100)),
            FieldSpec("responsible_department_id", "责任部门", "Responsible department", ref=Department),
            FieldSpec("budget_fen", "预算资金", "Budget", f.fen),
            FieldSpec("allocated_fen", "已拨付资金", "Funds allocated", f.fen),
            FieldSpec("start_date", "开工日期", "Start date", f.parse_date),
            FieldSpec("planned_end_date", "计划完成日期", "Planned end", f.parse_date),
            FieldSpec("filed_on", "市扶贫办备案日期", "Filed with the city on", f.past_date),
            FieldSpec("description", "项目内容", "Description", f.long_text),
        ),
        rules=(_project_rules,),
        noted_fields=frozenset({"budget_fen", "allocated_fen"}),
    )
)


def change_stage(target: Target, project_id: str, stage: Any, on: Any = None, *, note: str | None = None) -> EntityView:
    """Move a project to ``stage``: one step forward, or back (with a note), or 终止 from any open stage
    (with a note). 完成 sets ``completed_on``. Done and terminated projects are final."""
    new = ProjectStage.from_label(f.choice(ProjectStage)(stage, FieldSpec("stage", "项目阶段", "Stage")))
    when = date.today() if on in (None, "") else f.past_date(on, FieldSpec("completed_on", "完成日期", "Date"))
    user_note = (note or "").strip()
    with unit_of_work(target) as uow:
        project = load(uow.session, Project, project_id, "扶贫项目", "project")
        current = ProjectStage.from_label(project.stage)
        if current in FINAL_STAGES:
            raise RuleViolation(
                f"项目已{current.zh}，不能再变更阶段。", f"The project is {current.en.lower()}; its stage is final."
            )
        if new == current:
            raise RuleViolation(f"项目已处于“{current.zh}”阶段。", f"The project is already at stage {current.en}.")
        if new is ProjectStage.TERMINATED or PROJECT_STAGE_ORDER.index(new) < PROJECT_STAGE_ORDER.index(current):
            if not user_note:
                raise ValidationError(
                    "退回或终止项目须填写说明。", "Going back a stage or terminating needs a note.", field="note"
                )
        elif PROJECT_STAGE_ORDER.index(new) > PROJECT_STAGE_ORDER.index(current) + 1:
            expected = PROJECT_STAGE_ORDER[PROJECT_STAGE_ORDER.index(current) + 1]
            raise RuleViolation(
                f"项目阶段须逐步推进：“{current.zh}”之后是“{expected.zh}”。",
                f"Stages advance one at a time: after {current.en} comes {expected.en}.",
                field="stage",
            )
        changes: dict[str, Any] = {"stage": new.value}
        if new is ProjectStage.DONE:
            changes["completed_on"] = when
        audit_note = f"{current.zh} → {new.zh}" + (f"：{user_note}" if user_note else "")
        uow.update(project, action="stage", note=audit_note, **changes)
        view = PROJECT.snapshot(project)
    return view


def _progress_rules(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    project = session.get(Project, values["project_id"])
    if project is not None and project.stage in {ProjectStage.PLAN, ProjectStage.TERMINATED}:
        raise RuleViolation(
            "计划中或已终止的项目不能登记进度。",
            "No progress can be recorded on a planned or terminated project.",
            field="project_id",
        )
    live = select(func.max(ProjectProgress.percent)).where(
        ProjectProgress.project_id == values["project_id"], ProjectProgress.deleted.is_(False)
    )
    before = session.scalar(live.where(ProjectProgress.entry_date <= values["entry_date"]))
    after = session.scalar(
        select(func.min(ProjectProgress.percent)).where(
            ProjectProgress.project_id == values["project_id"],
            ProjectProgress.deleted.is_(False),
            ProjectProgress.entry_date > values["entry_date"],
        )
    )
    if (before is not None and values["percent"] < before) or (after is not None and values["percent"] > after):
        raise ValidationError(
            f"进度不能倒退（此前已达{before or 0}%）。",
            f"Progress cannot go down (already {before or 0}% by then).",
            field="percent",
        )


PROGRESS = register(
    EntitySpec(
        ProjectProgress,
        "项目进度",
        "progress entry",
        (
            FieldSpec("project_id", "项目", "Project", required=True, ref=Project, editable=False),
            FieldSpec("entry_date", "日期", "Date", f.past_date, required=True, default=date.today),
            FieldSpec("percent", "完成进度（%）", "Percent complete", f.percent, required=True),
            FieldSpec("amount_fen", "支出金额", "Amount disbursed", f.fen),
            FieldSpec("note", "说明", "Note", f.long_text),
        ),
        rules=(_progress_rules,),
        noted_fields=frozenset({"amount_fen", "percent"}),
    )
)

BENEFICIARY = register(
    EntitySpec(
        ProjectBeneficiary,
        "受益农户",
        "beneficiary household",
        (
            FieldSpec("project_id", "项目", "Project", required=True, ref=Project, editable=False),
            FieldSpec("household_id", "受益农户", "Household", required=True, ref=Household, editable=False),
        ),
        rules=(
            unique_rule(
                ("project_id", "household_id"),
                "该农户已是本项目的受益农户。",
                "The household is already a beneficiary of this project.",
            ),
        ),
    )
)


def add_beneficiaries(target: Target, project_id: str, household_ids: list[str]) -> list[str]:
    """Add households to a project (all or nothing); one removed earlier is restored. Returns the row ids."""
    with unit_of_work(target) as uow:
        load(uow.session, Project, project_id, "扶贫项目", "project")
        ids = []
        for household_id in household_ids:
            removed = uow.session.scalars(
                select(ProjectBeneficiary).where(
                    ProjectBeneficiary.project_id == project_id,
                    ProjectBeneficiary.household_id == household_id,
                    ProjectBeneficiary.deleted.is_(True),
                )
            ).first()
            if removed is not None:  # the (project, household) pair is unique even among tombstones
                uow.update(removed, action="restore", deleted=False)
                ids.append(removed.id)
            else:
                ids.append(create_row(uow, BENEFICIARY, {"project_id": project_id, "household_id": household_id}).id)
    return ids


@dataclass(frozen=True)
class ProjectSummary:
    project: EntityView
    disbursed_fen: int
    percent: int
    beneficiaries: int

    @property
    def over_budget(self) -> bool:
        return self.disbursed_fen > self.project.budget_fen


def summary(db: Database, project_id: str) -> ProjectSummary:
    """The project with disbursed (sum of progress amounts), latest percent and beneficiary count."""
    with db.session() as session:
        project = load(session, Project, project_id, "扶贫项目", "project")
        live = (ProjectProgress.project_id == project_id) & ProjectProgress.deleted.is_(False)
        disbursed = session.scalar(select(func.coalesce(func.sum(ProjectProgress.amount_fen), 0)).where(live))
        percent = session.scalar(select(func.coalesce(func.max(ProjectProgress.percent), 0)).where(live))
        count = session.scalar(
            select(func.count()).where(
                ProjectBeneficiary.project_id == project_id, ProjectBeneficiary.deleted.is_(False)
            )
        )
        return ProjectSummary(PROJECT.snapshot(project), int(disbursed or 0), int(percent or 0), int(count or 0))
