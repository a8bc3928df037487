"""A record shown read-only, the way Enter and a double-click open it (editing is one step further: F2 or
编辑…). The fields and related lists are the registry page's own ``DetailPane``, so resident IDs and phone
numbers stay masked. Anomalies open the household, cadre or project they name in the same dialog.

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.record_page import DetailPane
from ui.specs import entity_label

# The form (records service table) that edits an entity shown here; an entity without one is view-only.
FORM_TABLES = {"household": "household", "cadre": "cadre", "project": "project", "region": "region"}


def tr(text: str) -> str:
    return QCoreApplication.translate("detail", text)


class RecordViewDialog(QDialog):
    """One record, read-only; 编辑… (F2) opens its form, Esc closes."""

    def __init__(self, ctx: AppContext, entity: str, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entity = entity
        self.record_id = record_id
        self.edit_dialog: QDialog | None = None
        self.setWindowTitle(entity_label(entity))
        self.setObjectName(f"view_{entity}")
        self.pane = DetailPane(ctx, entity)
        self.pane.show_record(record_id)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        self.buttons.rejected.connect(self.reject)
        self.edit_button: QPushButton | None = None
        if entity in FORM_TABLES:
            self.edit_button = self.buttons.addButton(tr("编辑… (F2)"), QDialogButtonBox.ButtonRole.ActionRole)
            self.edit_button.setObjectName("view_edit")
            self.edit_button.clicked.connect(self.edit)
            QShortcut(QKeySequence("F2"), self, activated=self.edit)
        ctx.data_changed.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pane, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 620)

    def _changed(self, _entity: str) -> None:
        if self.isVisible():
            self.pane.reload()

    def edit(self) -> QDialog | None:
        table = FORM_TABLES.get(self.entity)
        if table is None:
            return None
        from ui.form import FormDialog, open_form

        self.edit_dialog = open_form(FormDialog(self.ctx, table, record_id=self.record_id, parent=self))
        return self.edit_dialog


def open_record(ctx: AppContext, entity: str, record_id: str, parent: QWidget) -> RecordViewDialog:
    """Show a record read-only (window-modal, fitted to the screen)."""
    from ui.form import open_form

    dialog = RecordViewDialog(ctx, entity, record_id, parent)
    open_form(dialog)
    return dialog
