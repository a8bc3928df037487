"""Who is working: the officer picker shown once the password is right (unlock dialog and lock screen).

It lists the node's active officers (``app.services.officers``); a new officer can enrol here, and a ledger
made before the list was kept offers the names its audit trail already holds. Loading and choosing run on the
worker; ``chosen(name)`` is emitted on the GUI thread once the name is the actor of this session.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services import officers
from app.storage.database import Database
from ui import i18n
from ui.errors import error_text
from ui.qtfix import emit
from ui.tasks import TaskManager

NEW = "\x00new"  # the combo entry that reveals the name field (no officer's name holds a control character)


def tr(text: str) -> str:
    return QCoreApplication.translate("officers", text)


class OfficerPicker(QWidget):
    """A combo of officers, a field for a new one, and a button; ``chosen(str)`` when the session has its actor."""

    chosen = Signal(str)

    def __init__(self, tasks: TaskManager, database: Callable[[], Database | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._database = database
        layout = QVBoxLayout(self)
        self.prompt = QLabel(tr("请选择本次操作的经办人。此后的每项修改都记在其名下。"))
        self.prompt.setWordWrap(True)
        form = QFormLayout()
        self.combo = QComboBox()
        self.combo.setObjectName("officer")
        self.combo.currentIndexChanged.connect(self._combo_changed)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("new_officer")
        self.new_name.setPlaceholderText(tr("新经办人姓名"))
        self.new_name.setMaxLength(officers.NAME_MAX)
        self.new_name.returnPressed.connect(self.submit)
        self.button = QPushButton(tr("开始工作"))
        self.button.setObjectName("start_work")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("officer_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form.addRow(tr("经办人"), self.combo)
        form.addRow(tr("新经办人"), self.new_name)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addWidget(self.button)
        layout.addWidget(self.message)

    def load(self) -> None:
        """Fill the list from the ledger (worker); the first active officer is preselected."""
        db = self._database()
        if db is None:
            return
        self.button.setEnabled(False)
        self.message.clear()

        def work(_ctx: object) -> officers.Roster:
            with db.session() as s:
                return officers.roster(s, db.node.code)

        self._tasks.run(work, self._fill, self._failed, owner=self)

    def _fill(self, roster: officers.Roster) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for officer in roster.active:
            label = officer.name + (f"（{officer.post}）" if officer.post else "")
            self.combo.addItem(label, (officer.name, False))
        for name in roster.from_audit:  # a ledger from before the list: its recorded names, to enrol
            self.combo.addItem(tr("{name}（审计记录中，加入名单）").format(name=name), (name, True))
        self.combo.addItem(tr("新增经办人……"), (NEW, True))
        self.combo.blockSignals(False)
        db = self._database()
        at_work = self.combo.findData((db.actor, False)) if db is not None else -1
        self.combo.setCurrentIndex(max(0, at_work))  # after a lock: whoever was working, unless they change it
        self._combo_changed()
        if not roster.active:
            self.message.setText(tr("本台账尚无经办人名单：请选择审计记录中的姓名，或新增一位。"))
            self.message.setStyleSheet("color: #8a5a00;")
        self.button.setEnabled(True)

    def _combo_changed(self) -> None:
        name, _new = self.combo.currentData() or (NEW, True)
        self.new_name.setEnabled(name == NEW)
        if name == NEW:
            self.new_name.setFocus()

    def selection(self) -> tuple[str, bool]:
        """(name, whether it is to be enrolled)."""
        name, new = self.combo.currentData() or (NEW, True)
        return (self.new_name.text(), True) if name == NEW else (name, new)

    def submit(self) -> None:
        db = self._database()
        if db is None or not self.button.isEnabled():
            return
        name, new = self.selection()
        if not name.strip():
            self.message.setText(tr("请输入经办人姓名。"))
            return
        self.button.setEnabled(False)
        self._tasks.run(lambda _ctx: officers.start_session(db, name, new=new).name, self._ok, self._failed, owner=self)

    def _ok(self, name: str) -> None:
        self.button.setEnabled(True)
        self.new_name.clear()
        self.message.clear()
        emit(self.chosen, name)

    def _failed(self, exc: BaseException) -> None:
        zh, en = error_text(exc)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(en if i18n.current() == "en" else zh)
        self.button.setEnabled(True)
