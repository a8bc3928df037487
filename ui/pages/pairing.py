"""结对帮扶: who is not covered, and the actions that cover them.

Tabs: unpaired active households beside the serving cadres with their caseloads (select households, pick a
cadre, pair — one transaction); key/weak villages without a department; townships without a leader; and
the pairing ledger (end a pairing with a reason, hand all of a departing cadre's households over). Every
rule (one cadre per household, the caseload cap, a leader for a township) is the services'; an over-cap
refusal is shown and can be overridden explicitly, as the service allows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import PairingEndReason, PairingKind
from app.errors import RuleViolation
from app.services import listing
from ui.action_dialog import ActionDialog, checklist, date_edit, text_area, vocab_box
from ui.context import AppContext
from ui.errors import show_error, show_info
from ui.form import RefPicker, cadre_label, open_form
from ui.list_panel import ListPanel
from ui.pages import Composite
from ui.qtfix import emit


def tr(text: str) -> str:
    return QCoreApplication.translate("pairing", text)


def pair_many(db: Any, kind: str, subject_ids: list[str], helper_id: str, allow_over_cap: bool = False) -> int:
    """Pair each subject with the helper in one transaction (all or nothing) through the pairing service."""
    from app.services import pairings, records

    with records.unit_of_work(db) as uow:
        for subject_id in subject_ids:
            pairings.pair(uow, kind, subject_id, helper_id, allow_over_cap=allow_over_cap)
    return len(subject_ids)


class CoverTab(Composite, QWidget):
    """A list of uncovered subjects and a helper list/picker beside it, with one 'pair' button."""

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        fixed: dict[str, Any],
        kind: PairingKind,
        helper: str,
        state_key: str,
        hint: str,
        columns: tuple[str, ...] | None = None,
        helper_fixed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.kind = kind
        self.subjects = ListPanel(ctx, entity, fixed=fixed, state_key=state_key, columns=columns)
        self.subjects.view.setSelectionMode(self.subjects.view.SelectionMode.ExtendedSelection)
        self.helpers: ListPanel | None = None
        self.picker: RefPicker | None = None
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(hint)
        label.setWordWrap(True)
        side_layout.addWidget(label)
        if helper == "cadre":
            self.helpers = ListPanel(
                ctx,
                "cadre",
                fixed=helper_fixed or {"status": "serving"},
                show_filters=False,
                state_key=f"{state_key}.cadres",
                columns=("name", "caseload", "is_leader", "department"),
            )
            # lightest caseload first: the cadre to give the next household to is at the top
            self.helpers.view.horizontalHeader().setSortIndicator(
                self.helpers.model.COL["caseload"], Qt.SortOrder.AscendingOrder
            )
            side_layout.addWidget(self.helpers, 1)
        else:
            self.picker = RefPicker(ctx, helper)
            self.picker.setObjectName("helper_picker")
            side_layout.addWidget(self.picker)
            side_layout.addStretch(1)
        self.pair_button = QPushButton(tr("结对 →"))
        self.pair_button.setObjectName("pair_button")
        self.pair_button.clicked.connect(self.pair_selected)
        side_layout.addWidget(self.pair_button)
        self.parts = [self.subjects, *([self.helpers] if self.helpers is not None else [])]
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.subjects)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def helper_id(self) -> str | None:
        if self.helpers is not None:
            return self.helpers.current_id()
        return self.picker.value() if self.picker is not None else None

    def pair_selected(self, allow_over_cap: bool = False) -> None:
        subjects = self.subjects.selected_ids()
        helper = self.helper_id()
        if not subjects or not helper:
            show_info(self, tr("请先在左侧选择要结对的对象，并选择帮扶方。"))
            return
        kind = self.kind.value
        self.pair_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.pair_button.setEnabled(True)
            if (
                isinstance(exc, RuleViolation)
                and exc.field == "helper_id"
                and not allow_over_cap
                and self.kind is PairingKind.HOUSEHOLD_CADRE
                and "上限" in exc.zh
            ):
                box = QMessageBox(
                    QMessageBox.Icon.Question,
                    tr("超出结对上限"),
                    exc.zh,
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    self,
                )
                box.setInformativeText(tr("仍要结对吗？此操作将记入审计。"))
                box.button(QMessageBox.StandardButton.Yes).setText(tr("仍然结对"))
                box.button(QMessageBox.StandardButton.No).setText(tr("取消"))
                box.accepted.connect(lambda: self.pair_selected(allow_over_cap=True))
                box.open()
                return
            show_error(self, exc)

        def done(count: int) -> None:
            self.pair_button.setEnabled(True)
            emit(self.ctx.data_changed, "pairing")
            show_info(self, tr("已结对 {n} 个对象。").format(n=count))

        self.ctx.tasks.run(
            lambda _c: pair_many(self.ctx.db, kind, subjects, helper, allow_over_cap), done, failed, owner=self
        )


class LedgerTab(Composite, QWidget):
    """Every pairing, with end and hand-over actions."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.list = ListPanel(ctx, "pairing", state_key="pairing.ledger")
        self.end_button = QPushButton(tr("结束结对…"))
        self.end_button.setObjectName("end_pairing")
        self.end_button.clicked.connect(self.end_selected)
        self.transfer_button = QPushButton(tr("干部调离/移交结对户…"))
        self.transfer_button.setObjectName("transfer")
        self.transfer_button.clicked.connect(self.transfer)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.end_button)
        bar.addWidget(self.transfer_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(bar)
        self.parts = [self.list]

    def end_selected(self) -> ActionDialog | None:
        pairing_id = self.list.current_id()
        if pairing_id is None:
            show_info(self, tr("请先选择一条结对记录。"))
            return None
        return open_end_dialog(self.ctx, pairing_id, self)

    def transfer(self) -> ActionDialog:
        return open_transfer_dialog(self.ctx, self)


def open_end_dialog(ctx: AppContext, pairing_id: str, parent: QWidget) -> ActionDialog:
    from app.services import pairings

    def submit(db: Any, v: dict[str, Any]) -> Any:
        return pairings.end_pairing(db, pairing_id, v["end_reason"], v["end_date"], note=v["note"] or None)

    dialog = ActionDialog(
        ctx,
        tr("结束结对"),
        [
            ("end_reason", tr("结束原因 *"), vocab_box(PairingEndReason)),
            ("end_date", tr("结束日期"), date_edit()),
            ("note", tr("说明"), text_area()),
        ],
        submit,
        entity="pairing",
        intro=tr("结束后记录保留在结对历史中；农户将重新出现在“未结对农户”中。"),
        parent=parent,
    )
    open_form(dialog)
    return dialog


def open_transfer_dialog(ctx: AppContext, parent: QWidget) -> ActionDialog:
    from app.services import pairings, records

    receivers = checklist([])
    departing = RefPicker(ctx, "cadre")

    def fill(items: list[listing.CadreLoad]) -> None:
        for c in items:
            receivers.addItem(cadre_label(c))
            item = receivers.item(receivers.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setCheckState(Qt.CheckState.Unchecked)

    ctx.query(listing.cadre_caseloads, fill, owner=receivers)
    leaves = QCheckBox(tr("同时登记该干部调离（结束其全部结对）"))
    leaves.setChecked(True)

    def submit(db: Any, v: dict[str, Any]) -> Any:
        from_id = v["from"]
        if not from_id:
            from app.errors import ValidationError

            raise ValidationError("请选择调离的干部。", "Choose the departing cadre.", field="from")
        with records.unit_of_work(db) as uow:
            created = pairings.reassign_households(uow, from_id, v["to"], v["on"], note=v["note"] or None)
            if v["leaves"]:
                pairings.cadre_leaves(uow, from_id, v["on"], note=v["note"] or None)
        return len(created)

    dialog = ActionDialog(
        ctx,
        tr("移交结对户"),
        [
            ("from", tr("调离/移交的干部 *"), departing),
            ("to", tr("接收干部（按结对户数均衡分配）*"), receivers),
            ("on", tr("移交日期"), date_edit()),
            ("leaves", "", leaves),
            ("note", tr("说明"), text_area()),
        ],
        submit,
        entity="pairing",
        intro=tr("该干部的全部结对户一次性移交，要么全部成功，要么不做任何改动。"),
        done=lambda n: show_info(parent, tr("已移交 {n} 户。").format(n=n)),
        parent=parent,
    )
    open_form(dialog)
    return dialog


class PairingPage(Composite, QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.households = CoverTab(
            ctx,
            "household",
            {"paired": False, "status": "active"},
            PairingKind.HOUSEHOLD_CADRE,
            "cadre",
            "pairing.households",
            tr(
                "在左侧选择一户或多户（Ctrl/Shift 多选），在下方选择干部（“结对户数”为其当前负责的户数），然后点“结对”。"
            ),
            columns=("head_name", "members", "head_id_number", "village", "category", "primary_cause"),
        )
        self.villages = CoverTab(
            ctx,
            "region",
            {"level": "village", "needs_department": True},
            PairingKind.VILLAGE_DEPARTMENT,
            "department",
            "pairing.villages",
            tr("重点村、薄弱村须有部门结对（一村一部门）。选择村和部门后点“结对”。"),
            columns=("name", "income", "households", "is_key_village", "code", "parent"),
        )
        self.townships = CoverTab(
            ctx,
            "region",
            {"level": "township", "no_leader": True},
            PairingKind.TOWNSHIP_LEADER,
            "cadre",
            "pairing.townships",
            tr("每个乡镇须有一名联系领导（一乡一领导）。只有领导干部可以结对。"),
            columns=("name", "code", "parent"),
            helper_fixed={"status": "serving", "is_leader": True},
        )
        self.ledger = LedgerTab(ctx)
        self.parts = [self.households, self.villages, self.townships, self.ledger]
        self.addTab(self.households, tr("未结对农户"))
        self.addTab(self.villages, tr("缺结对部门的村"))
        self.addTab(self.townships, tr("无联系领导的乡镇"))
        self.addTab(self.ledger, tr("结对记录"))

    def focus_search(self) -> None:
        tab = self.currentWidget()
        panel = tab.subjects if isinstance(tab, CoverTab) else self.ledger.list  # the only other tab
        panel.focus_search()

    def apply_filters(self, filters: dict[str, Any]) -> None:
        tab = filters.pop("tab", "households")
        target = {
            "households": self.households,
            "villages": self.villages,
            "townships": self.townships,
            "ledger": self.ledger,
        }[tab]
        self.setCurrentWidget(target)
        if filters and isinstance(target, CoverTab):
            target.subjects.apply_filters(filters)


def create(ctx: AppContext) -> QWidget:
    return PairingPage(ctx)
