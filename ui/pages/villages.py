"""村/集体经济: villages and townships (key/weak flags, paired departments, leaders) and each village's
collective income by year (a village under 100,000 yuan is weak — derived, never typed in)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.form import FormDialog
from ui.record_page import RecordPage


def tr(text: str) -> str:
    return QCoreApplication.translate("villages", text)


class VillagesPage(RecordPage):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "region", form_table="region")
        self.pane.add_action(tr("登记集体经济收入…"), self.add_income, "add_income")
        # The page is about villages: it opens on them, not on 丽水市 and the county (级别 shows the rest).
        self.list.apply_filters({"level": "village"})

    def add_income(self) -> QWidget | None:
        if not self.pane.record_id:
            return None
        return self.open_dialog(
            FormDialog(self.ctx, "village_income", fixed={"village_id": self.pane.record_id}, parent=self)
        )


def create(ctx: AppContext) -> QWidget:
    return VillagesPage(ctx)
