"""Start: the first-run wizard that creates the ledger, the unlock dialog, and the lock screen's password gate.

Opening and creating run on the worker (key derivation takes ~0.2 s and must not freeze the window). A wrong
password shows the storage layer's message; after repeated failures the next try waits longer each time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.enums import NodeRole
from app.domain.lishui import lishui
from app.domain.passwords import password_problem
from app.errors import WrongPassword
from app.storage.database import Database, open_database
from ui import i18n
from ui.errors import error_text
from ui.officer_picker import OfficerPicker
from ui.qtfix import emit
from ui.tasks import TaskManager

FAILURES_BEFORE_DELAY = 3
MAX_DELAY_S = 300


def tr(text: str) -> str:
    return QCoreApplication.translate("start", text)


def retry_delay_seconds(failures: int) -> int:
    """0 for the first tries, then 5, 10, 20 … seconds, at most five minutes."""
    if failures < FAILURES_BEFORE_DELAY:
        return 0
    return int(min(MAX_DELAY_S, 5 * 2 ** (failures - FAILURES_BEFORE_DELAY)))


def rule_message(password: str) -> str:
    """Why ``password`` may not be chosen (``app.domain.passwords``, the one rule), or "" when it may."""
    problem = password_problem(password)
    if problem is None:
        return ""
    return problem.en if i18n.current() == "en" else problem.zh


def strength_hint(password: str) -> tuple[int, str]:
    """A hint only (0–3) beyond the rule, which is ``app.domain.passwords`` (shown by ``rule_message``)."""
    kinds = sum(
        bool(f(password))
        for f in (
            lambda p: any(c.isdigit() for c in p),
            lambda p: any(c.islower() for c in p),
            lambda p: any(c.isupper() for c in p),
            lambda p: any(not c.isascii() or not c.isalnum() for c in p),
        )
    )
    if len(password) < 8:
        return 0, tr("太短：至少 8 位，建议 12 位以上")
    if len(password) >= 12 and kinds >= 3:
        return 3, tr("强")
    if kinds >= 2:
        return 2, tr("中等：可再加长或混用数字、字母和符号")
    return 1, tr("弱：请混用数字、字母和符号")


class PasswordGate(QWidget):
    """Password field + button; runs ``check(password)`` on the worker; ``accepted(result)`` on success.

    Used by the unlock dialog (check = open the database) and by the idle lock screen (check = compare with
    the password that opened it). Failures count up and, from the third, make the next try wait.
    """

    accepted = Signal(object)

    def __init__(
        self, tasks: TaskManager, check: Callable[[str], Any], prompt: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._check = check
        self.failures = 0
        self._wait_left = 0
        layout = QVBoxLayout(self)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("请输入密码"))
        self.password.setObjectName("password")
        self.button = QPushButton(tr("解锁"))
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.button)
        layout.addWidget(self.prompt)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def submit(self) -> None:
        if not self.button.isEnabled():
            return
        password = self.password.text()
        if not password:
            self.message.setText(tr("请输入密码。"))
            return
        self.button.setEnabled(False)
        self.password.setEnabled(False)
        self.message.setText(tr("正在验证……"))
        self._tasks.run(lambda _ctx: self._check(password), self._ok, self._failed, owner=self)

    def _ok(self, result: Any) -> None:
        self.failures = 0
        self.password.clear()
        self.message.clear()
        self.password.setEnabled(True)
        self.button.setEnabled(True)
        emit(self.accepted, result)

    def _failed(self, exc: BaseException) -> None:
        zh, en = error_text(exc)
        text = en if i18n.current() == "en" else zh
        self.password.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()
        if isinstance(exc, WrongPassword):
            self.failures += 1
            delay = retry_delay_seconds(self.failures)
            if delay:
                self._wait_left = delay
                self._timer.start()
                self.message.setText(
                    text + "\n" + tr("已连续输错 {n} 次，请 {s} 秒后再试。").format(n=self.failures, s=delay)
                )
                self.password.setEnabled(False)
                return
        self.message.setText(text)
        self.button.setEnabled(True)

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._timer.stop()
            self.button.setEnabled(True)
            self.password.setEnabled(True)
            self.password.setFocus()
            self.message.setText(tr("可以重试了。"))
        else:
            self.message.setText(tr("已连续输错 {n} 次，请 {s} 秒后再试。").format(n=self.failures, s=self._wait_left))


class UnlockDialog(QDialog):
    """Later runs: the password opens the ledger (on the worker), then the officer at work is chosen from the
    node's list (``ui.officer_picker``). ``database`` is set when accepted, with that officer as its actor."""

    def __init__(self, tasks: TaskManager, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("帮扶通 — 解锁数据库"))
        self.database: Database | None = None
        self.password_value = ""
        layout = QVBoxLayout(self)
        title = QLabel(tr("帮扶通 · 结对帮扶台账"))
        title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(QLabel(tr("数据库：{path}").format(path=str(path))))

        def check(password: str) -> Database:
            db = open_database(path, password)
            self.password_value = password
            return db

        self._tasks = tasks
        self._opened_db: Database | None = None
        self.gate = PasswordGate(tasks, check, tr("数据已加密，请输入密码解锁。"), self)
        self.picker = OfficerPicker(tasks, lambda: self._opened_db, self)
        self.steps = QStackedWidget()
        self.steps.addWidget(self.gate)
        self.steps.addWidget(self.picker)
        layout.addWidget(self.steps)
        self.gate.accepted.connect(self._opened)
        self.picker.chosen.connect(self._chosen)
        self.resize(520, 240)

    def _opened(self, db: Database) -> None:
        self._opened_db = db
        self.steps.setCurrentWidget(self.picker)
        self.picker.load()

    def _chosen(self, _name: str) -> None:
        self.database = self._opened_db
        self.accept()

    def reject(self) -> None:
        db, self._opened_db = self._opened_db, None
        if db is not None and self.database is None:  # opened but nobody chose to work: release the file
            self._tasks.run(lambda _ctx: db.close())
        super().reject()


def county_choices() -> list[tuple[str, str]]:
    data = lishui()
    return [(data["city"]["code"], data["city"]["name"])] + [(c["code"], c["name"]) for c in data["counties"]]


def township_choices(county_code: str) -> list[tuple[str, str]]:
    """The townships of a county in the shipped region list, as (9-digit code, name)."""
    county = next((c for c in lishui()["counties"] if c["code"] == county_code), None)
    return [(t["code"], t["name"]) for t in (county or {}).get("townships", [])]


class _NodePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("本机节点"))
        self.setSubTitle(tr("选择本台账所属的单位。区划代码取自丽水市统计用区划代码，建立后不能更改。"))
        form = QFormLayout(self)
        self.role = QComboBox()
        for role in NodeRole:
            self.role.addItem(role.label(i18n.current()), role.value)
        self.county = QComboBox()
        self.county_names = dict(county_choices())
        for code, name in county_choices():
            self.county.addItem(f"{name}（{code}）", code)
        self.county.setCurrentIndex(3)  # 缙云县: any county is fine, this one is the pilot
        self.township = QComboBox()
        self.township.setObjectName("township")
        self.township.setMaxVisibleItems(20)
        self.preview = QLabel()
        form.addRow(tr("节点类型"), self.role)
        form.addRow(tr("县（市、区）"), self.county)
        form.addRow(tr("乡镇（街道）"), self.township)
        form.addRow(tr("节点"), self.preview)
        self.role.currentIndexChanged.connect(self._changed)
        self.county.currentIndexChanged.connect(self._fill_townships)
        self.township.currentIndexChanged.connect(self._changed)
        self.role.setCurrentIndex(0)
        self._fill_townships()

    def _fill_townships(self) -> None:
        self.township.blockSignals(True)
        self.township.clear()
        self.township.addItem(tr("请选择乡镇（街道）"), "")
        for code, name in township_choices(self.county.currentData() or ""):
            self.township.addItem(f"{name}（{code}）", code)
        self.township.blockSignals(False)
        self._changed()

    def select_township(self, code: str) -> None:
        """Pick county and township by a 9-digit code (tests, screenshots)."""
        self.county.setCurrentIndex(self.county.findData(code[:6]))
        self.township.setCurrentIndex(self.township.findData(code))

    def node(self) -> tuple[str, str, str] | None:
        role = self.role.currentData()
        code = self.county.currentData() or ""
        name = self.county_names.get(code, "")
        city = lishui()["city"]
        if role == NodeRole.CITY.value:
            return (city["code"], city["name"], role)
        if role == NodeRole.COUNTY.value:
            return (code, name, role) if code != city["code"] else None
        town = self.township.currentData() or ""
        if not town:
            return None
        return (town, dict(township_choices(code))[town], role)

    def _changed(self) -> None:
        self.township.setEnabled(self.role.currentData() == NodeRole.TOWNSHIP.value)
        node = self.node()
        self.preview.setText(f"{node[1]}（{node[0]}）" if node else tr("请补全上面的信息"))
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return self.node() is not None


class _PasswordPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("设置密码"))
        self.setSubTitle(tr("数据库文件用此密码加密。经办人名单以您为首位，之后可在“设置”中增减。"))
        form = QFormLayout(self)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.warning = QLabel(
            tr("重要：密码遗失后，任何人（包括技术支持）都无法恢复数据。请把密码抄写后妥善保管，并定期备份。")
        )
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.understood = QCheckBox(tr("我已知晓密码无法找回"))
        self.officer = QLineEdit()
        self.officer.setObjectName("first_officer")
        self.officer.setMaxLength(50)
        self.officer.setPlaceholderText(tr("您的姓名，记为此后每项修改的经办人"))
        form.addRow(tr("首位经办人"), self.officer)
        form.addRow(tr("密码"), self.first)
        form.addRow(tr("再次输入"), self.second)
        form.addRow(tr("强度"), self.hint)
        form.addRow(self.warning)
        form.addRow(self.understood)
        for e in (self.first, self.second):
            e.textChanged.connect(self._changed)
        self.understood.toggled.connect(self._changed)
        self.officer.textChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        score, text = strength_hint(self.first.text())
        colour = ["#b00020", "#c77700", "#4a7f00", "#1b7f2a"][score]
        if rule_message(self.first.text()):
            text, colour = rule_message(self.first.text()), "#b00020"
        if self.second.text() and self.second.text() != self.first.text():
            text += " · " + tr("两次输入不一致")
            colour = "#b00020"
        self.hint.setText(text if self.first.text() else "")
        self.hint.setStyleSheet(f"color: {colour};")
        emit(self.completeChanged)

    def isComplete(self) -> bool:
        return (
            bool(self.officer.text().strip())
            and not rule_message(self.first.text())
            and self.first.text() == self.second.text()
            and self.understood.isChecked()
        )


class FirstRunWizard(QWizard):
    """First run: node, first officer and password; creating the encrypted file runs on the worker."""

    def __init__(self, tasks: TaskManager, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("帮扶通 — 首次使用"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self._tasks = tasks
        self._path = path
        self.database: Database | None = None
        self.password_value = ""
        self.node_page = _NodePage()
        self.password_page = _PasswordPage()
        self.addPage(self.node_page)
        self.addPage(self.password_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("创建数据库"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("上一步"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("取消"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.password_page.layout().addWidget(self.error)  # type: ignore[union-attr]
        self.resize(620, 460)

    def accept(self) -> None:
        node = self.node_page.node()
        password = self.password_page.first.text()
        officer = self.password_page.officer.text()
        if node is None or self.database is not None:
            return
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        path = self._path

        def create(_ctx: Any) -> Database:
            from app.services.node import create_ledger

            return create_ledger(path, password, *node, first_officer=officer)

        def done(db: Database) -> None:
            self.database = db
            self.password_value = password
            super(FirstRunWizard, self).accept()

        def failed(exc: BaseException) -> None:
            self.error.setText(error_text(exc)[0])
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)

        self._tasks.run(create, done, failed, owner=self)


class SessionVerifier:
    """Checks the lock screen's password against the one that opened the ledger, without keeping it.

    Only a salted PBKDF2 digest stays in memory; the check runs on the worker like every slow step.
    """

    def __init__(self, password: str) -> None:
        self._salt = secrets.token_bytes(16)
        self._digest = self._hash(password)

    def _hash(self, password: str) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), self._salt, 200_000)

    def check(self, password: str) -> bool:
        if not secrets.compare_digest(self._hash(password), self._digest):
            raise WrongPassword()
        return True


def centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)
    widget.setMaximumWidth(520)
    widget.setMinimumWidth(400)
    layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return holder
