"""干部与部门: cadres, departments, private enterprises and local elites, one tab each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QWidget

from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.pages import Composite
from ui.record_page import RecordPage

TABS = [
    ("cadre", QT_TRANSLATE_NOOP("pages", "干部")),
    ("department", QT_TRANSLATE_NOOP("pages", "部门/单位")),
    ("enterprise", QT_TRANSLATE_NOOP("pages", "民营企业")),
    ("sage", QT_TRANSLATE_NOOP("pages", "乡贤/能人")),
]


class HelpersPage(Composite, QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.pages: list[RecordPage] = []
        self.parts = self.pages
        for entity, title in TABS:
            page = RecordPage(ctx, entity, form_table=entity)
            self.pages.append(page)
            self.addTab(page, QCoreApplication.translate("pages", title))
        cadres = self.pages[0]
        cadres.pane.add_action(QCoreApplication.translate("pages", "记录走访…"), lambda: self.log_visit(), "log_visit")

    def log_visit(self) -> QWidget | None:
        from ui.pages.households import visit_dialog

        cadres = self.pages[0]
        if not cadres.pane.record_id:
            return None
        name = str(cadres.pane.values.get("name", ""))
        return cadres.open_dialog(visit_dialog(cadres.ctx, cadres, cadre=(cadres.pane.record_id, name)))

    def new_item(self) -> QWidget | None:
        return self.pages[self.currentIndex()].new_item()

    def focus_search(self) -> None:
        self.pages[self.currentIndex()].focus_search()

    def apply_filters(self, filters: dict[str, Any]) -> None:
        self.setCurrentIndex(0)
        self.pages[0].apply_filters(filters)


def create(ctx: AppContext) -> QWidget:
    return HelpersPage(ctx)
