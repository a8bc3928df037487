"""The officers group of the settings page: the node's list of officers (经办人) — add, rename, retire.

Every change goes through ``app.services.officers`` on the worker and is audited under the officer at work.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from app.services import officers
from ui.context import AppContext
from ui.errors import show_info


def tr(text: str) -> str:
    return QCoreApplication.translate("officers", text)


class OfficersBox(QGroupBox):
    """A table of every officer (retired ones greyed) and the fields and buttons that change the list."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(tr("经办人名单（解锁时选择，修改记入审计）"))
        self.ctx = ctx
        self.rows: list[officers.Officer] = []
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("officers")
        self.table.setHorizontalHeaderLabels([tr("姓名"), tr("职务"), tr("电话"), tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._selected)
        self.name = QLineEdit()
        self.name.setObjectName("officer_name")
        self.name.setMaxLength(officers.NAME_MAX)
        self.post = QLineEdit()
        self.post.setMaxLength(officers.POST_MAX)
        self.phone = QLineEdit()
        self.phone.setMaxLength(officers.PHONE_MAX)
        self.add_button = QPushButton(tr("新增"))
        self.add_button.setObjectName("add_officer")
        self.rename_button = QPushButton(tr("改为此姓名"))
        self.rename_button.setObjectName("rename_officer")
        self.retire_button = QPushButton(tr("离任"))
        self.retire_button.setObjectName("retire_officer")
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.retire_button.clicked.connect(self.retire)
        self.note = QLabel(tr("离任的经办人保留在名单中（审计记录里有其姓名），但不能再被选择。"))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        grid = QGridLayout(self)
        grid.addWidget(self.table, 0, 0, 1, 6)
        grid.addWidget(QLabel(tr("姓名")), 1, 0)
        grid.addWidget(self.name, 1, 1)
        grid.addWidget(QLabel(tr("职务")), 1, 2)
        grid.addWidget(self.post, 1, 3)
        grid.addWidget(QLabel(tr("电话")), 1, 4)
        grid.addWidget(self.phone, 1, 5)
        grid.addWidget(self.add_button, 2, 1)
        grid.addWidget(self.rename_button, 2, 3)
        grid.addWidget(self.retire_button, 2, 5)
        grid.addWidget(self.note, 3, 0, 1, 6)
        self._selected()

    def reload(self) -> None:
        self.ctx.query(lambda s: officers.list_officers(s, include_retired=True), self._fill, owner=self)

    def _fill(self, rows: list[officers.Officer]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, officer in enumerate(rows):
            state = tr("在任") if officer.active else tr("已离任")
            for c, text in enumerate((officer.name, officer.post or "—", officer.phone or "—", state)):
                item = QTableWidgetItem(text)
                if not officer.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self._selected()

    def current(self) -> officers.Officer | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _selected(self) -> None:
        officer = self.current()
        self.rename_button.setEnabled(officer is not None)
        self.retire_button.setEnabled(officer is not None and officer.active and officer.name != self.ctx.db.actor)

    def _changed(self, message: str) -> None:
        self.name.clear()
        self.post.clear()
        self.phone.clear()
        self.reload()
        show_info(self, message)

    def add(self) -> None:
        name, post, phone = self.name.text(), self.post.text(), self.phone.text()
        self.ctx.write(
            lambda db: officers.add(db, name, post, phone),
            lambda o: self._changed(tr("已添加经办人：{name}").format(name=o.name)),
            entity="officer",
            owner=self,
        )

    def rename(self) -> None:
        officer, new_name = self.current(), self.name.text()
        if officer is None:
            return
        self.ctx.write(
            lambda db: officers.rename(db, officer.id, new_name),
            lambda o: self._changed(tr("已更名为：{name}").format(name=o.name)),
            entity="officer",
            owner=self,
        )

    def retire(self) -> None:
        officer = self.current()
        if officer is None:
            return
        self.ctx.write(
            lambda db: officers.retire(db, officer.id),
            lambda o: self._changed(tr("已离任：{name}").format(name=o.name)),
            entity="officer",
            owner=self,
        )

    def clear_data(self) -> None:
        self.table.setRowCount(0)
        self.rows = []
