"""设置: the data settings that travel with the ledger (``app.services.settings.SPECS``), the officers, this desk's
language, and the ledger file itself: backup (with progress and cancel), restore, change of password.

The form is built from the declared specs; errors appear next to the field they concern. File work runs on
the one worker (``ui.tasks``) behind ``ui.progress``; the dialogs for folders, files and passwords are opened
through the small ``choose_*`` / ``ask_*`` functions so tests can replace them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError, ValidationErrors
from app.services import settings as data_settings
from ui import i18n, state
from ui.context import AppContext
from ui.errors import show_error, show_info
from ui.pages.ledger_file import LedgerFileBox
from ui.pages.officers_box import OfficersBox


def tr(text: str) -> str:
    return QCoreApplication.translate("settings", text)


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        self.editors: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self.errors: dict[str, QLabel] = {}
        box = QGroupBox(tr("台账设置（随数据同步）"))
        form = QFormLayout(box)
        for key, spec in data_settings.SPECS.items():
            editor: QSpinBox | QDoubleSpinBox
            if isinstance(spec.default, float):
                editor = QDoubleSpinBox()
                editor.setDecimals(1)
            else:
                editor = QSpinBox()
            editor.setObjectName(f"setting_{key}")
            editor.setRange(int(spec.minimum or 0), int(spec.maximum or 10**9))
            editor.setMinimumWidth(160)
            error = QLabel()
            error.setStyleSheet("color: #c62828;")
            row = QHBoxLayout()
            row.addWidget(editor)
            row.addWidget(error, 1)
            label = spec.en if i18n.current() == "en" else spec.zh
            form.addRow(label, row)
            self.editors[key] = editor
            self.errors[key] = error
        self.save_button = QPushButton(tr("保存设置"))
        self.save_button.setObjectName("save_settings")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)

        desk = QGroupBox(tr("本机设置"))
        desk_form = QFormLayout(desk)
        self.language = QComboBox()
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(1 if i18n.current() == "en" else 0)
        self.language.currentIndexChanged.connect(self._language)
        desk_form.addRow(tr("界面语言（重启后生效）"), self.language)

        self.file_box = LedgerFileBox(ctx)
        self.officers_box = OfficersBox(ctx)
        for group in (box, self.officers_box, self.file_box, desk):
            group.setMaximumWidth(760)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(box)
        column.addWidget(self.officers_box)
        column.addWidget(self.file_box)
        column.addWidget(desk)
        column.addStretch(1)
        scroll = QScrollArea()  # a 768-pixel-high screen does not hold all three groups
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.reload()

    def reload(self) -> None:
        self.stale = False
        self.ctx.query(data_settings.get_all, self._fill, owner=self)
        self.file_box.reload()
        self.officers_box.reload()

    def _fill(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in self.editors:
                self.editors[key].setValue(value)
            if key in self.errors:
                self.errors[key].clear()

    def values(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def save(self) -> None:
        values = self.values()
        for label in self.errors.values():
            label.clear()
        self.ctx.write(
            lambda db: data_settings.save(db, values),
            lambda _r: show_info(self, tr("设置已保存。")),
            entity="setting",
            owner=self,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        errors = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, ValidationError) else []
        placed = False
        for error in errors:
            label = self.errors.get(error.field or "")
            if label is not None:
                label.setText(error.en if i18n.current() == "en" else error.zh)
                placed = True
        if not placed:
            show_error(self, exc)

    def _language(self) -> None:
        self.ctx.store.setValue(state.LANGUAGE, self.language.currentData())

    def clear_data(self) -> None:
        self.stale = True
        for editor in self.editors.values():
            editor.clear()
        self.officers_box.clear_data()


def create(ctx: AppContext) -> QWidget:
    return SettingsPage(ctx)
