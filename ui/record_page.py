"""List + detail, the shape of every registry page, built from specs (no hand-written page per entity).

``DetailPane`` shows one record's fields (the same ``listing`` columns, so IDs stay masked) and tabs of
related lists (``DETAIL_TABS``: a household's members, pairing history and visits; a cadre's households…),
each a ``ListPanel`` with a fixed filter. ``RecordPage`` puts a ``ListPanel`` beside a ``DetailPane`` in a
remembered splitter; pages add their action buttons to ``pane.action_grid``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import listing
from ui import state
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.list_panel import ListPanel
from ui.specs import column_label
from ui.table_model import display

N = QT_TRANSLATE_NOOP

DETAIL_TABS: dict[str, list[tuple[str, str, str]]] = {
    "household": [
        (N("detail", "家庭成员"), "member", "household"),
        (N("detail", "结对记录"), "pairing", "household"),
        (N("detail", "走访记录"), "visit", "household"),
        (N("detail", "享受政策"), "benefit", "household"),
    ],
    "region": [
        (N("detail", "集体经济收入"), "village_income", "village"),
        (N("detail", "结对记录"), "pairing", "region"),
    ],
    "cadre": [
        (N("detail", "结对农户"), "household", "cadre"),
        (N("detail", "结对记录"), "pairing", "cadre"),
        (N("detail", "走访记录"), "visit", "cadre"),
    ],
    "project": [
        (N("detail", "进度记录"), "project_progress", "project"),
        (N("detail", "受益农户"), "project_beneficiary", "project"),
    ],
}


EDITABLE_CHILDREN = frozenset({"member", "village_income", "visit"})


def tr(text: str) -> str:
    return QCoreApplication.translate("detail", text)


class DetailPane(QWidget):
    """One record: its fields in a grid, action buttons, related lists in tabs. Empty until ``show_record``."""

    def __init__(self, ctx: AppContext, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entity = entity
        self.record_id: str | None = None
        self.last_dialog: QWidget | None = None
        self.values: dict[str, Any] = {}
        self.spec = listing.SPECS[entity]
        self.title = QLabel(tr("在左侧列表中选择一条记录"))
        self.title.setObjectName("detail_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.field_labels: dict[str, QLabel] = {}
        for n, column in enumerate(c for c in self.spec.columns if not c.internal):
            name = QLabel(column_label(entity, column.key) + "：")
            name.setStyleSheet("color: #555;")
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"field_{column.key}")
            value.setWordWrap(True)
            value.setMinimumWidth(96)  # wrapped, a narrow pane stacked a name one character a line
            row, col = divmod(n, 2)
            self.grid.addWidget(name, row, col * 2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(value, row, col * 2 + 1)
            self.field_labels[column.key] = value
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        # Buttons three to a row: the window must fit a 1366-pixel township screen beside the list.
        self.action_grid = QGridLayout()  # not ``actions``: that is QWidget.actions()
        self.buttons: list[QPushButton] = []
        self.tabs = QTabWidget()
        self.related: list[ListPanel] = []
        for title, child, key in DETAIL_TABS.get(entity, []):
            panel = ListPanel(ctx, child, fixed={key: "-"}, show_filters=False, state_key=f"{entity}.{child}")
            self.related.append(panel)
            self.tabs.addTab(panel, QCoreApplication.translate("detail", title))
            if child in EDITABLE_CHILDREN:
                panel.opened.connect(lambda row_id, child=child: self.edit_child(child, row_id))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid)
        layout.addLayout(self.action_grid)
        layout.addWidget(self.tabs, 1)
        self.tabs.setVisible(bool(self.related))
        self._set_enabled(False)

    def edit_child(self, table: str, row_id: str) -> QWidget:
        """Enter/double-click on a member, a year's income or a visit in a tab opens its form."""
        from ui.form import FormDialog, open_form

        self.last_dialog = open_form(FormDialog(self.ctx, table, record_id=row_id, parent=self))
        return self.last_dialog

    def add_action(self, text: str, slot: Any, name: str = "") -> QPushButton:
        button = QPushButton(text)
        if name:
            button.setObjectName(name)
        button.clicked.connect(slot)
        row, col = divmod(len(self.buttons), 3)
        self.action_grid.addWidget(button, row, col)
        self.buttons.append(button)
        button.setEnabled(False)
        return button

    def _set_enabled(self, on: bool) -> None:
        for button in self.buttons:
            button.setEnabled(on)

    def show_record(self, record_id: str | None) -> None:
        self.record_id = record_id
        if record_id is None:
            self.clear_data()
            return
        entity = self.entity
        self.ctx.query(lambda s: listing.fetch_rows(s, entity, [record_id]), self._fill, owner=self)
        for (_title, _child, key), panel in zip(DETAIL_TABS.get(entity, []), self.related, strict=True):
            panel.set_fixed({key: record_id})

    def _fill(self, rows: dict[str, tuple[Any, ...]]) -> None:
        row = rows.get(self.record_id or "")
        if row is None:
            self.clear_data()
            return
        self.values = dict(zip(self.spec.keys, row, strict=True))
        for column, value in zip(self.spec.columns, row, strict=True):
            if column.key in self.field_labels:
                self.field_labels[column.key].setText(display(column.kind, value, column.vocab))
        self.title.setText(str(row[0]))
        self._set_enabled(True)

    def reload(self) -> None:
        self.show_record(self.record_id)

    def clear_data(self) -> None:
        self.values = {}
        for label in self.field_labels.values():
            label.clear()
        self.title.setText(tr("在左侧列表中选择一条记录"))
        for panel in self.related:
            panel.clear_data()
        self._set_enabled(False)


class RecordPage(QWidget):
    """A ``ListPanel`` and a ``DetailPane`` for one entity; the selection drives the detail."""

    record_opened = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        *,
        fixed: dict[str, Any] | None = None,
        state_key: str | None = None,
        form_table: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form_table = form_table
        self.state_key = state_key or entity
        self.stale = False
        self.list = ListPanel(ctx, entity, fixed=fixed, state_key=self.state_key)
        self.pane = DetailPane(ctx, entity)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        saved = state.get_bytes(ctx.store, state.splitter_key(self.state_key))
        if saved is not None:
            self.splitter.restoreState(saved)
        else:
            # 3 : 2 of whatever width there is (scaled by the splitter); left to the size hints, the wide
            # table took so much that the detail clipped a resident ID at 1366 px.
            self.splitter.setSizes([3000, 2000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)
        self.list.selection_changed.connect(lambda: self.pane.show_record(self.list.current_id()))
        self.list.opened.connect(self.record_opened)
        self.list.model.loaded.connect(self._select_first)
        self.last_dialog: QWidget | None = None
        # Enter / double-click read the record (phone and ID masked); changing it is a deliberate F2 or 编辑….
        self.list.opened.connect(lambda _id: self.view_current())
        if form_table:
            new_button = QPushButton(tr("新增…"))
            new_button.setObjectName("new")
            new_button.setToolTip("Ctrl+N")
            new_button.clicked.connect(self.new_item)
            self.list.bar.insertWidget(self.list.bar.count() - 2, new_button)
            self.pane.add_action(tr("编辑… (F2)"), self.edit_current, "edit")
            self.list.edit_requested.connect(lambda _id: self.edit_current())

    def view_current(self) -> QWidget | None:
        record_id = self.list.current_id()
        if record_id is None:
            return None
        from ui.record_view import open_record

        self.last_dialog = open_record(self.ctx, self.list.entity, record_id, self)
        return self.last_dialog

    def new_item(self) -> QWidget | None:
        if not self.form_table:
            return None
        from ui.form import FormDialog, open_form

        self.last_dialog = open_form(FormDialog(self.ctx, self.form_table, defaults=self.new_defaults(), parent=self))
        return self.last_dialog

    def new_defaults(self) -> dict[str, Any]:
        return {}

    def edit_current(self) -> QWidget | None:
        record_id = self.list.current_id()
        if not self.form_table or record_id is None:
            return None
        from ui.form import FormDialog, open_form

        self.last_dialog = open_form(FormDialog(self.ctx, self.form_table, record_id=record_id, parent=self))
        return self.last_dialog

    def open_dialog(self, dialog: QWidget) -> QWidget:
        from ui.form import open_form

        self.last_dialog = open_form(dialog)  # type: ignore[arg-type]
        return dialog

    def _select_first(self) -> None:
        if self.list.model.ids and not self.list.view.currentIndex().isValid():
            self.list.view.selectRow(0)
        elif not self.list.model.ids:
            self.pane.show_record(None)

    def reload(self) -> None:
        self.stale = False
        self.list.reload()
        self.pane.reload()

    def clear_data(self) -> None:
        self.stale = True
        self.list.clear_data()
        self.pane.clear_data()

    def focus_search(self) -> None:
        self.list.focus_search()

    def apply_filters(self, filters: dict[str, Any]) -> None:
        self.list.apply_filters(filters)

    def save_state(self) -> None:
        self.ctx.store.setValue(state.splitter_key(self.state_key), self.splitter.saveState())
        self.list.save_state()
        for panel in self.pane.related:
            panel.save_state()
