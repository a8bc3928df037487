"""同步 → 入网与密钥: joining the sync tree by file, step by step, for each role — no command line.

Township or county: make the join request and carry it to the parent; open the onboarding file the parent
issued, compare the city's root fingerprint over the phone, join; later, a new key (rotation). City (or a
county that has joined): open a child's request, compare its fingerprint over the phone, issue and save its
onboarding file; revoke a key it issued. Every step says which file to carry to whom.

All work runs on the one worker through ``app.services.sync_setup`` (which calls ``app.sync.onboarding``,
as the CLI's ``sync`` commands do). File dialogs and the yes/no question are module functions tests replace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import NodeRole
from app.services import sync_setup
from ui import i18n
from ui.context import AppContext
from ui.errors import confirm, error_text
from ui.qtfix import emit
from ui.step_label import StepLabel

FINGERPRINT_STYLE = (
    "font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: 16pt; font-weight: bold; color: #1a237e;"
)


def tr(text: str) -> str:
    return QCoreApplication.translate("onboarding", text)


def choose_save_file(parent: QWidget, title: str, name: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, name, tr("入网文件 (*.json)"))[0]


def choose_open_file(parent: QWidget, title: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, "", tr("入网文件 (*.json)"))[0]


def role_label(role: str) -> str:
    try:
        return NodeRole.from_label(role).label(i18n.current())
    except ValueError:
        return role


def fingerprint_label(name: str) -> QLabel:
    label = StepLabel()
    label.setObjectName(name)
    label.setStyleSheet(FINGERPRINT_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def wrapped(text: str = "", name: str = "") -> QLabel:
    label = StepLabel(text) if name else QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class OnboardingDialog(QDialog):
    """The guided sequence. ``state`` is the last ``SetupState`` read on the worker."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("onboarding")
        self.setWindowTitle(tr("入网与密钥"))
        self.state: sync_setup.SetupState | None = None
        self.pending_request: dict[str, Any] | None = None
        self.pending_onboarding: dict[str, Any] | None = None
        self.summary: sync_setup.RequestSummary | None = None
        self.header = wrapped(name="onboarding_header")
        self.header.setStyleSheet("font-size: 11pt;")
        self.error = wrapped(name="onboarding_error")
        self.error.setStyleSheet("color: #c62828;")

        # -- city: the root key
        self.root_box = QGroupBox(tr("第 1 步：生成市级根密钥"))
        self.root_button = QPushButton(tr("生成根密钥"))
        self.root_button.setObjectName("make_root")
        self.root_button.clicked.connect(self.make_root)
        self.root_done = wrapped(name="root_done")
        self.root_print = fingerprint_label("root_fingerprint_own")
        box = QVBoxLayout(self.root_box)
        box.addWidget(
            wrapped(
                tr("全市只做一次。根密钥是整个同步目录的信任起点：各县、乡镇入网时都要与市扶贫办电话核对它的指纹。")
            )
        )
        box.addWidget(self.root_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.root_done)
        box.addWidget(self.root_print)

        # -- child: request, then join
        self.request_box = QGroupBox(tr("第 1 步：生成入网申请文件，交给上级"))
        self.request_button = QPushButton(tr("生成入网申请文件…"))
        self.request_button.setObjectName("make_request")
        self.request_button.clicked.connect(self.make_request)
        self.request_done = wrapped(name="request_done")
        self.own_print = fingerprint_label("own_fingerprint")
        box = QVBoxLayout(self.request_box)
        box.addWidget(
            wrapped(
                tr(
                    "本机第一次生成时会同时生成同步密钥。把申请文件用U盘带给（或发给）上级——县扶贫办，"
                    "或直接向市扶贫办报送的乡镇交给市扶贫办。对方打开后会打电话，请您念出下面的本机指纹。"
                )
            )
        )
        box.addWidget(self.request_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.request_done)
        box.addWidget(self.own_print)

        self.join_box = QGroupBox(tr("第 2 步：导入上级签发的入网文件，核对市级根指纹"))
        self.open_onboarding_button = QPushButton(tr("打开入网文件…"))
        self.open_onboarding_button.setObjectName("open_onboarding")
        self.open_onboarding_button.clicked.connect(self.open_onboarding)
        self.join_text = wrapped(name="join_text")
        self.join_print = fingerprint_label("root_fingerprint_file")
        self.join_button = QPushButton(tr("指纹一致，加入同步目录"))
        self.join_button.setObjectName("join")
        self.join_button.clicked.connect(self.join)
        self.cancel_join_button = QPushButton(tr("不一致，放弃"))
        self.cancel_join_button.setObjectName("cancel_join")
        self.cancel_join_button.clicked.connect(self.cancel_join)
        buttons = QHBoxLayout()
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.cancel_join_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self.join_box)
        box.addWidget(
            wrapped(tr("上级签发后会把入网文件交给您（U盘或内部传输）。打开后，请打电话给市扶贫办核对根指纹。"))
        )
        box.addWidget(self.open_onboarding_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.join_text)
        box.addWidget(self.join_print)
        box.addLayout(buttons)

        self.rotate_box = QGroupBox(tr("更换本机密钥"))
        self.rotate_button = QPushButton(tr("生成新密钥和换钥申请…"))
        self.rotate_button.setObjectName("rotate")
        self.rotate_button.clicked.connect(self.rotate)
        self.rotate_done = wrapped(name="rotate_done")
        box = QVBoxLayout(self.rotate_box)
        box.addWidget(
            wrapped(
                tr(
                    "电脑更换、密钥可能泄露或按规定定期更换时使用。换钥申请由旧密钥一同签署，上级不必重新核对指纹；"
                    "上级签发后，在第 2 步导入新的入网文件。"
                )
            )
        )
        box.addWidget(self.rotate_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.rotate_done)

        # -- parent: issue, revoke
        self.issue_box = QGroupBox(tr("为下级签发入网文件"))
        self.open_request_button = QPushButton(tr("打开下级的入网申请…"))
        self.open_request_button.setObjectName("open_request")
        self.open_request_button.clicked.connect(self.open_request)
        self.request_text = wrapped(name="request_text")
        self.request_print = fingerprint_label("request_fingerprint")
        self.checked = QCheckBox(tr("已打电话请对方念出本机指纹，与上面逐字核对，一致"))
        self.checked.setObjectName("fingerprint_checked")
        self.issue_button = QPushButton(tr("签发并保存入网文件…"))
        self.issue_button.setObjectName("issue")
        self.issue_button.clicked.connect(self.issue)
        self.checked.toggled.connect(self.issue_button.setEnabled)
        self.issue_done = wrapped(name="issue_done")
        box = QVBoxLayout(self.issue_box)
        box.addWidget(wrapped(tr("下级（县或乡镇）把入网申请文件交给您后，在这里打开、核对指纹、签发。")))
        box.addWidget(self.open_request_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.request_text)
        box.addWidget(self.request_print)
        box.addWidget(self.checked)
        box.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.issue_done)

        self.issued_box = QGroupBox(tr("本机签发的下级密钥"))
        self.issued = QTableWidget(0, 5)
        self.issued.setObjectName("issued")
        self.issued.setHorizontalHeaderLabels([tr("节点"), tr("级别"), tr("第几代"), tr("指纹"), tr("状态")])
        self.issued.verticalHeader().setVisible(False)
        self.issued.horizontalHeader().setStretchLastSection(True)
        self.issued.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.issued.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.issued.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.issued.setMinimumHeight(140)
        self.revoke_button = QPushButton(tr("吊销所选密钥…"))
        self.revoke_button.setObjectName("revoke")
        self.revoke_button.clicked.connect(self.revoke)
        self.revoke_done = wrapped(name="revoke_done")
        box = QVBoxLayout(self.issued_box)
        box.addWidget(
            wrapped(
                tr(
                    "吊销后，该密钥此后签署的同步包一律拒收，它签发的下级密钥一并失效；"
                    "吊销声明随您下一次导出的同步包传给其他节点。"
                )
            )
        )
        box.addWidget(self.issued)
        box.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.revoke_done)

        content = QWidget()
        column = QVBoxLayout(content)
        for widget in (
            self.root_box,
            self.request_box,
            self.join_box,
            self.rotate_box,
            self.issue_box,
            self.issued_box,
        ):
            column.addWidget(widget)
        column.addStretch(1)
        scroll = QScrollArea()  # a 768-pixel-high screen does not hold every step
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.error)
        layout.addWidget(scroll, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.cancel_join()
        self._clear_request()
        self.resize(820, 640)
        self.refresh()

    # -- state -----------------------------------------------------------------------------------------

    def _run(self, fn: Any, done: Any) -> None:
        """``fn(db)`` on the worker; ``done(result)`` here; a refusal is shown in red at the top."""
        db = self.ctx.db
        self.error.clear()
        self.ctx.tasks.run(lambda _t: fn(db), done, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        zh, en = error_text(exc)
        self.error.setText(en if i18n.current() == "en" else zh)

    def refresh(self) -> None:
        self._run(sync_setup.state, self._show_state)

    def _show_state(self, state: sync_setup.SetupState) -> None:
        self.state = state
        city = state.role == NodeRole.CITY.value
        lines = [
            tr("本机：{name}（{code}），{role}").format(name=state.name, code=state.code, role=role_label(state.role))
        ]
        if state.joined and city:
            lines.append(tr("已生成市级根密钥。"))
        elif state.joined:
            lines.append(
                tr("已入网，上级 {parent}。可以在同步页导出同步包发给上级。").format(parent=state.parent or "—")
            )
        elif state.has_keys and not city:
            lines.append(tr("已生成密钥，尚未入网：等待上级签发的入网文件（第 2 步）。"))
        else:
            lines.append(tr("尚未入网。"))
        if state.root_fingerprint and not city:
            lines.append(tr("已信任的市级根指纹：{fp}").format(fp=state.root_fingerprint))
        self.header.setText("\n".join(lines))
        self.root_box.setVisible(city)
        self.root_button.setEnabled(not state.has_keys)
        if city and state.fingerprint:
            self.root_done.setText(tr("市级根指纹（各县、乡镇入网时电话核对）："))
            self.root_print.setText(state.fingerprint)
        for widget in (self.request_box, self.join_box):
            widget.setVisible(not city)
        if state.fingerprint and not city and not self.own_print.text():
            self.own_print.setText(state.fingerprint)
        self.rotate_box.setVisible(not city and state.joined)
        self.issue_box.setVisible(state.joined and state.role != NodeRole.TOWNSHIP.value)
        self.issued_box.setVisible(bool(state.issued))
        self.issued.setRowCount(len(state.issued))
        for row, cert in enumerate(state.issued):
            status = tr("已吊销") if cert.revoked else tr("有效")
            values = [f"{cert.code} {cert.name}", role_label(cert.role), str(cert.key_no), cert.fingerprint, status]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, (cert.code, cert.key_no, cert.revoked))
                self.issued.setItem(row, col, item)
        self.issued.resizeColumnsToContents()

    def _changed(self) -> None:
        emit(self.ctx.data_changed, "sync")
        self.refresh()

    # -- city ------------------------------------------------------------------------------------------

    def make_root(self) -> None:
        from app.sync import onboarding

        self._run(onboarding.init_identity, lambda _info: self._changed())

    # -- child -----------------------------------------------------------------------------------------

    def make_request(self) -> None:
        state = self.state
        name = f"{state.code}-入网申请.json" if state else "入网申请.json"
        chosen = choose_save_file(self, tr("保存入网申请文件（如存到U盘）"), name)
        if not chosen:
            return
        path = Path(chosen)

        def done(fingerprint: str) -> None:
            self.request_done.setText(
                tr(
                    "已保存：{path}\n请把这个文件交给上级（县扶贫办或市扶贫办）。对方打开后会打电话，请您念出本机指纹："
                ).format(path=path)
            )
            self.own_print.setText(fingerprint)
            self._changed()

        self._run(lambda db: sync_setup.make_request(db, path), done)

    def open_onboarding(self) -> None:
        chosen = choose_open_file(self, tr("打开上级签发的入网文件"))
        if not chosen:
            return
        path = Path(chosen)
        self._run(lambda _db: sync_setup.read_onboarding(path), self._show_onboarding)

    def _show_onboarding(self, result: tuple[sync_setup.OnboardingSummary, dict[str, Any]]) -> None:
        summary, data = result
        state = self.state
        if state is not None and summary.for_code != state.code:
            self.cancel_join()
            self.error.setText(
                tr("这个入网文件是发给 {other} 的，不是本机（{me}）的：请向上级要本机的入网文件。").format(
                    other=summary.for_code, me=state.code
                )
            )
            return
        self.pending_onboarding = data
        self.join_text.setText(
            tr(
                "入网文件由 {root}（{code}）的根密钥签发，含 {n} 份证书。"
                "请打电话给市扶贫办，请对方念出市级根指纹，与下面逐字核对："
            ).format(root=summary.root_name, code=summary.root_code, n=summary.certificates)
        )
        self.join_print.setText(summary.root_fingerprint)
        for widget in (self.join_print, self.join_button, self.cancel_join_button):
            widget.show()

    def cancel_join(self) -> None:
        self.pending_onboarding = None
        self.join_text.clear()
        for widget in (self.join_print, self.join_button, self.cancel_join_button):
            widget.hide()

    def join(self) -> None:
        data = self.pending_onboarding
        if data is None:
            return

        def done(root: str) -> None:
            self.cancel_join()
            self.join_text.setText(
                tr("已加入同步目录，信任的市级根指纹：{fp}。现在可以在同步页把同步包导出给上级。").format(fp=root)
            )
            self._changed()

        self._run(lambda db: sync_setup.join(db, data), done)

    def rotate(self) -> None:
        state = self.state
        if not confirm(
            self, tr("更换本机密钥"), tr("生成新密钥后，需要上级签发新的入网文件才能继续同步。现在更换吗？")
        ):
            return
        name = f"{state.code}-换钥申请.json" if state else "换钥申请.json"
        chosen = choose_save_file(self, tr("保存换钥申请文件（如存到U盘）"), name)
        if not chosen:
            return
        path = Path(chosen)

        def done(fingerprint: str) -> None:
            self.rotate_done.setText(
                tr("已保存：{path}\n请交给上级签发；新密钥指纹 {fp}。签发后在第 2 步导入新的入网文件。").format(
                    path=path, fp=fingerprint
                )
            )
            self.own_print.setText(fingerprint)
            self._changed()

        self._run(lambda db: sync_setup.rotate(db, path), done)

    # -- parent ----------------------------------------------------------------------------------------

    def _clear_request(self) -> None:
        self.pending_request = None
        self.request_text.clear()
        self.request_print.clear()
        self.checked.setChecked(False)
        self.checked.hide()
        self.issue_button.hide()
        self.issue_button.setEnabled(False)

    def open_request(self) -> None:
        chosen = choose_open_file(self, tr("打开下级的入网申请文件"))
        if not chosen:
            return
        path = Path(chosen)
        self._clear_request()
        self.issue_done.clear()
        self._run(lambda _db: sync_setup.read_request(path), self._show_request)

    def _show_request(self, result: tuple[sync_setup.RequestSummary, dict[str, Any]]) -> None:
        summary, request = result
        self.pending_request = request
        kind = (
            tr("换钥申请（第 {n} 代密钥，由旧密钥共同签署）").format(n=summary.key_no)
            if summary.rotation
            else tr("入网申请")
        )
        self.request_text.setText(
            tr("{name}（{code}），{role}：{kind}。\n请打电话给对方，请对方念出其本机指纹，与下面逐字核对：").format(
                name=summary.name, code=summary.code, role=role_label(summary.role), kind=kind
            )
        )
        self.request_print.setText(summary.fingerprint)
        self.checked.show()
        self.issue_button.show()
        self.summary = summary

    def issue(self) -> None:
        request, summary = self.pending_request, self.summary
        if request is None or summary is None or not self.checked.isChecked():
            return
        chosen = choose_save_file(self, tr("保存入网文件（如存到U盘）"), f"{summary.code}-入网文件.json")
        if not chosen:
            return
        path = Path(chosen)

        def done(root: str) -> None:
            self._clear_request()
            self.issue_done.setText(
                tr(
                    "已签发并保存：{path}\n请把这个文件交给 {name}（{code}）。对方导入时会打电话核对市级根指纹：{fp}"
                ).format(path=path, name=summary.name, code=summary.code, fp=root)
            )
            self._changed()

        self._run(lambda db: sync_setup.issue(db, request, path), done)

    def revoke(self) -> None:
        row = self.issued.currentRow()
        item = self.issued.item(row, 0) if row >= 0 else None
        if item is None:
            return
        code, key_no, revoked = item.data(Qt.ItemDataRole.UserRole)
        if revoked:
            self.revoke_done.setText(tr("该密钥已吊销。"))
            return
        text = tr("吊销 {code} 的第 {n} 代密钥？吊销后不能撤销，该节点需要换钥并重新签发才能再同步。").format(
            code=code, n=key_no
        )
        if not confirm(self, tr("吊销密钥"), text):
            return
        from app.sync import onboarding

        def done(number: int) -> None:
            self.revoke_done.setText(
                tr("已吊销 {code} 的第 {n} 代密钥。请导出同步包，把吊销声明传给其他节点。").format(code=code, n=number)
            )
            self._changed()

        self._run(lambda db: onboarding.revoke(db, code, key_no), done)
