"""Small dialogs for one service action (end a pairing, close a follow-up, exit a household, change a stage,
hand over a cadre's households): a few editors, a submit function run on the worker, errors beside fields.

One class for all of them, fed by a list of ``(key, label, editor)``; the editors are plain Qt widgets or the
form's ``RefPicker``. The service does every check.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import enums
from ui import i18n
from ui.context import AppContext
from ui.form import RefPicker, show_field_errors


def tr(text: str) -> str:
    return QCoreApplication.translate("actions", text)


def vocab_box(vocab: type[enums.LabeledEnum], only: list[str] | None = None, blank: bool = True) -> QComboBox:
    box = QComboBox()
    if blank:
        box.addItem("", None)
    for code, label in vocab.choices(i18n.current()):
        if only is None or code in only:
            box.addItem(label, code)
    return box


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(value) if value else QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def text_area() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(60)
    return edit


def checklist(items: list[tuple[str, str]]) -> QListWidget:
    widget = QListWidget()
    for item_id, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def read(widget: QWidget) -> Any:
    """The plain value of an editor."""
    if isinstance(widget, RefPicker):
        return widget.value()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QDateEdit):
        return widget.date().toPython()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        return [
            widget.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]
    return None


class ActionDialog(QDialog):
    """``submit(db, values)`` runs on the worker; on success ``done(result)`` and the dialog closes."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        editors: list[tuple[str, str, QWidget]],
        submit: Callable[[Any, dict[str, Any]], Any],
        *,
        entity: str = "*",
        intro: str = "",
        done: Callable[[Any], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.submit_fn = submit
        self.entity = entity
        self.done_fn = done
        self.result_value: Any = None
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        if intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            layout.addWidget(intro_label)
        form = QFormLayout()
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        for key, label, editor in editors:
            editor.setObjectName(f"edit_{key}")
            error = QLabel()
            error.setObjectName(f"error_{key}")
            error.setStyleSheet("color: #c62828;")
            error.setWordWrap(True)
            error.hide()
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(editor)
            column.addWidget(error)
            form.addRow(label, holder)
            self.editors[key] = editor
            self.errors[key] = error
        layout.addLayout(form)
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet("color: #c62828;")
        self.general_error.setWordWrap(True)
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 120 + 60 * len(editors))

    def values(self) -> dict[str, Any]:
        return {key: read(editor) for key, editor in self.editors.items()}

    def save(self) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.clear()
        values = self.values()
        submit = self.submit_fn
        self.buttons.setEnabled(False)
        self.ctx.write(
            lambda db: submit(db, values), self._saved, entity=self.entity, owner=self, on_error=self._failed
        )

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.buttons.setEnabled(True)
        self.accept()
        if self.done_fn is not None:
            self.done_fn(result)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_field_errors(exc, self.errors, self.editors, self.general_error)
