"""走访记录: every visit; the open and overdue follow-ups (close one with its result); and the paired
households not visited within the cadence (log a visit straight from there)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.action_dialog import ActionDialog, date_edit, text_area
from ui.context import AppContext
from ui.form import open_form
from ui.list_panel import ListPanel
from ui.pages import Composite
from ui.pages.households import visit_dialog


def tr(text: str) -> str:
    return QCoreApplication.translate("visits", text)


def _tab(panel: ListPanel, buttons: list[QPushButton]) -> QWidget:
    widget = QWidget()
    bar = QHBoxLayout()
    bar.addStretch(1)
    for button in buttons:
        bar.addWidget(button)
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(panel, 1)
    layout.addLayout(bar)
    return widget


class VisitsPage(Composite, QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.last_dialog: QWidget | None = None
        self.all = ListPanel(ctx, "visit", state_key="visits.all")
        self.follow_ups = ListPanel(ctx, "visit", fixed={"open_follow_up": True}, state_key="visits.follow_ups")
        self.overdue = ListPanel(
            ctx, "household", fixed={"visit_overdue": True, "status": "active"}, state_key="visits.overdue"
        )
        self.panels = [self.all, self.follow_ups, self.overdue]
        self.parts = self.panels
        new_button = QPushButton(tr("记录走访…"))
        new_button.setObjectName("new_visit")
        new_button.clicked.connect(self.new_item)
        close_button = QPushButton(tr("办结待办事项…"))
        close_button.setObjectName("close_follow_up")
        close_button.clicked.connect(self.close_follow_up)
        visit_button = QPushButton(tr("为所选农户记录走访…"))
        visit_button.setObjectName("visit_overdue")
        visit_button.clicked.connect(self.visit_overdue)
        self.follow_ups.opened.connect(lambda _id: self.close_follow_up())
        self.overdue.opened.connect(lambda _id: self.visit_overdue())
        self.addTab(_tab(self.all, [new_button]), tr("全部走访"))
        self.addTab(_tab(self.follow_ups, [close_button]), tr("待办事项"))
        self.addTab(_tab(self.overdue, [visit_button]), tr("超期未走访农户"))

    def new_item(self) -> QWidget:
        self.last_dialog = open_form(visit_dialog(self.ctx, self))
        return self.last_dialog

    def visit_overdue(self) -> QWidget | None:
        row = self.overdue.view.currentIndex().row()
        if row < 0:
            return None
        model = self.overdue.model
        household = (model.ids[row], str(model.value(row, "head_name")))
        cadre = (model.value(row, "cadre_id"), str(model.value(row, "cadre") or ""))
        self.last_dialog = open_form(visit_dialog(self.ctx, self, household=household, cadre=cadre))
        return self.last_dialog

    def close_follow_up(self) -> QWidget | None:
        visit_id = self.follow_ups.current_id()
        if visit_id is None:
            return None
        from app.services import visits

        def submit(db: Any, v: dict[str, Any]) -> Any:
            return visits.close_follow_up(db, visit_id, v["follow_up_result"], v["follow_up_closed_on"])

        self.last_dialog = open_form(
            ActionDialog(
                self.ctx,
                tr("办结待办事项"),
                [
                    ("follow_up_result", tr("办结情况 *"), text_area()),
                    ("follow_up_closed_on", tr("办结日期"), date_edit()),
                ],
                submit,
                entity="visit",
                parent=self,
            )
        )
        return self.last_dialog

    def focus_search(self) -> None:
        self.panels[self.currentIndex()].focus_search()

    def apply_filters(self, filters: dict[str, Any]) -> None:
        tab = filters.pop("tab", "all")
        index = {"all": 0, "follow_ups": 1, "overdue": 2}[tab]
        self.setCurrentIndex(index)
        if filters:
            self.panels[index].apply_filters(filters)


def create(ctx: AppContext) -> QWidget:
    return VisitsPage(ctx)
