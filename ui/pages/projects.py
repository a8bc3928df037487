"""帮扶项目: the project ledger — stage, budget, allocated and disbursed money, progress, beneficiaries;
overdue and over-budget projects in red. Stage changes, progress entries and beneficiaries go through the
project service (money and stage changes are audited with a note)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.enums import ProjectStage
from ui.action_dialog import ActionDialog, date_edit, text_area, vocab_box
from ui.context import AppContext
from ui.form import FormDialog, RefPicker
from ui.record_page import RecordPage
from ui.table_model import ALERT


def tr(text: str) -> str:
    return QCoreApplication.translate("projects", text)


class ProjectsPage(RecordPage):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "project", form_table="project")
        self.pane.add_action(tr("变更阶段…"), self.change_stage, "change_stage")
        self.pane.add_action(tr("登记进度…"), self.add_progress, "add_progress")
        self.pane.add_action(tr("添加受益户…"), self.add_beneficiary, "add_beneficiary")
        legend = QLabel(tr("红色行：逾期未完成或支出超预算的项目"))
        legend.setObjectName("red_legend")
        legend.setStyleSheet(f"color: {ALERT.name()};")
        layout = self.list.layout()
        assert layout is not None  # ListPanel lays itself out in its constructor
        layout.addWidget(legend)

    def change_stage(self) -> QWidget | None:
        project_id = self.pane.record_id
        if not project_id:
            return None
        from app.services import projects

        def submit(db: Any, v: dict[str, Any]) -> Any:
            return projects.change_stage(db, project_id, v["stage"], v["on"], note=v["note"] or None)

        return self.open_dialog(
            ActionDialog(
                self.ctx,
                tr("变更项目阶段"),
                [
                    ("stage", tr("新阶段 *"), vocab_box(ProjectStage)),
                    ("on", tr("日期"), date_edit()),
                    ("note", tr("说明（退回或终止时必填）"), text_area()),
                ],
                submit,
                entity="project",
                parent=self,
                intro=tr("阶段依次推进：计划 → 申报 → 审批 → 实施 → 验收 → 完成。每次变更都记入审计。"),
            )
        )

    def add_progress(self) -> QWidget | None:
        if not self.pane.record_id:
            return None
        return self.open_dialog(
            FormDialog(self.ctx, "project_progress", fixed={"project_id": self.pane.record_id}, parent=self)
        )

    def add_beneficiary(self) -> QWidget | None:
        project_id = self.pane.record_id
        if not project_id:
            return None
        from app.services import projects

        def submit(db: Any, v: dict[str, Any]) -> Any:
            from app.errors import ValidationError

            if not v["household"]:
                raise ValidationError("请选择农户。", "Choose a household.", field="household")
            return projects.add_beneficiaries(db, project_id, [v["household"]])

        return self.open_dialog(
            ActionDialog(
                self.ctx,
                tr("添加受益户"),
                [("household", tr("农户 *"), RefPicker(self.ctx, "household"))],
                submit,
                entity="project_beneficiary",
                parent=self,
            )
        )


def create(ctx: AppContext) -> QWidget:
    return ProjectsPage(ctx)
