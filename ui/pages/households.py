"""低收入农户: the household registry — list, detail (members, pairing history, visits) and the actions
an officer takes on a household: edit, add a member, log a visit, record a benefit (享受政策), exit
(退出/迁出/销户)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.enums import HouseholdStatus
from app.services import listing
from ui.action_dialog import ActionDialog, date_edit, vocab_box
from ui.context import AppContext
from ui.form import FormDialog, RefPicker
from ui.record_page import RecordPage


def tr(text: str) -> str:
    return QCoreApplication.translate("households", text)


def visit_dialog(
    ctx: AppContext, parent: QWidget, *, household: tuple[str, str] | None = None, cadre: tuple[str, str] | None = None
) -> FormDialog:
    """The visit form pre-filled from where it was opened (a household, a cadre): date today, mode home."""
    defaults: dict[str, Any] = {"mode": "home"}
    labels: dict[str, str] = {}
    if household:
        defaults["household_id"], labels["household_id"] = household
    if cadre and cadre[0]:
        defaults["cadre_id"], labels["cadre_id"] = cadre
    dialog = FormDialog(ctx, "visit", defaults=defaults, labels=labels, parent=parent)
    follow_household_village(dialog)
    focus = dialog.editors.get("findings")
    if focus is not None:
        focus.setFocus()
    return dialog


def follow_household_village(dialog: FormDialog) -> None:
    """走访行政村 shows the chosen household's village (and cannot be set to another); cleared, it is free
    again for a village visit."""
    household, village = dialog.editors.get("household_id"), dialog.editors.get("village_id")
    if not isinstance(household, RefPicker) or not isinstance(village, RefPicker):
        return

    def chosen() -> None:
        household_id = household.value()
        village.setEnabled(household_id is None)
        if household_id is None:
            village.set_value(None)
            return
        dialog.ctx.query(
            lambda s: listing.fetch_rows(s, "household", [household_id], ("village_id", "village")),
            lambda rows: shown(rows.get(household_id)),
            owner=dialog,
        )

    def shown(row: Any) -> None:
        if row is not None and household.value() is not None:
            village.set_value(row[0], str(row[1]))

    household.currentIndexChanged.connect(lambda _i: chosen())
    chosen()


class HouseholdsPage(RecordPage):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, "household", form_table="household")
        self.pane.add_action(tr("新增家庭成员…"), self.add_member, "add_member")
        self.pane.add_action(tr("记录走访…"), self.log_visit, "log_visit")
        self.pane.add_action(tr("记录享受政策…"), self.add_benefit, "add_benefit")
        self.pane.add_action(tr("退出/迁出/销户…"), self.exit_household, "exit_household")

    def _current(self) -> tuple[str, dict[str, Any]] | None:
        record_id = self.pane.record_id
        return (record_id, self.pane.values) if record_id and self.pane.values else None

    def add_member(self) -> QWidget | None:
        current = self._current()
        if current is None:
            return None
        return self.open_dialog(FormDialog(self.ctx, "member", fixed={"household_id": current[0]}, parent=self))

    def add_benefit(self) -> QWidget | None:
        """A benefit (享受政策/帮扶措施) for the shown household: the form of ``visits.BENEFIT``, date today."""
        current = self._current()
        if current is None:
            return None
        dialog = FormDialog(self.ctx, "benefit", fixed={"household_id": current[0]}, parent=self)
        dialog.setWindowTitle(tr("记录享受政策 — {name}").format(name=current[1].get("head_name") or ""))
        return self.open_dialog(dialog)

    def log_visit(self) -> QWidget | None:
        current = self._current()
        if current is None:
            return None
        record_id, values = current
        return self.open_dialog(
            visit_dialog(
                self.ctx,
                self,
                household=(record_id, str(values["head_name"])),
                cadre=(str(values["cadre_id"]), str(values.get("cadre") or "")) if values.get("cadre_id") else None,
            )
        )

    def exit_household(self) -> QWidget | None:
        current = self._current()
        if current is None:
            return None
        record_id = current[0]
        from app.services import households

        def submit(db: Any, v: dict[str, Any]) -> Any:
            result = households.exit_household(db, record_id, v["status"], v["status_date"], v["status_reason"])
            return len(result.ended)

        statuses = [s.value for s in HouseholdStatus if s is not HouseholdStatus.ACTIVE]
        reason = QLineEdit()
        return self.open_dialog(
            ActionDialog(
                self.ctx,
                tr("农户退出/迁出/销户"),
                [
                    ("status", tr("办理 *"), vocab_box(HouseholdStatus, statuses)),
                    ("status_date", tr("日期"), date_edit()),
                    ("status_reason", tr("原因 *"), reason),
                ],
                submit,
                entity="household",
                parent=self,
                intro=tr("农户不会被删除；其进行中的结对将以“农户退出”为由结束。"),
            )
        )


def create(ctx: AppContext) -> QWidget:
    return HouseholdsPage(ctx)
