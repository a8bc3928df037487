"""设置 → 台账文件: back up to a folder or USB stick, restore from a backup, change the password.

Everything runs on the one worker through ``app.services.backups`` and ``app.storage.replace`` (the same
functions as the CLI's ``backup``, ``restore`` and ``passwd``). The dialogs that ask for a folder, a file, a
password or a yes are opened through the module-level ``choose_*`` / ``ask_*`` / ``confirm`` functions so tests
can replace them; message boxes are non-blocking.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.paths import backups_dir
from app.services import backups
from app.storage import replace
from ui.context import AppContext
from ui.errors import confirm, message_box, show_info
from ui.progress import with_progress
from ui.qtfix import emit
from ui.start import rule_message
from ui.step_label import StepLabel
from ui.tasks import TaskContext


def tr(text: str) -> str:
    return QCoreApplication.translate("ledger_file", text)


def choose_backup_folder(parent: QWidget) -> str:
    return QFileDialog.getExistingDirectory(parent, tr("选择备份到的文件夹（如U盘）"))


def choose_backup_file(parent: QWidget) -> str:
    return QFileDialog.getOpenFileName(parent, tr("选择备份文件"), str(backups_dir()), tr("台账备份 (*.db)"))[0]


def ask_backup_password(parent: QWidget) -> str | None:
    text, ok = QInputDialog.getText(
        parent, tr("备份的密码"), tr("请输入该备份的密码（做备份时台账所用的密码）："), QLineEdit.EchoMode.Password
    )
    return text if ok and text else None


class ChangePasswordDialog(QDialog):
    """Current password, the new one twice; the rule (``app.domain.passwords``) is shown as it is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("修改密码"))
        self.setObjectName("change_password")
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for name, edit in (("old_password", self.old), ("new_password", self.new), ("repeat_password", self.again)):
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._changed)
        self.hint = QLabel()
        self.hint.setObjectName("password_hint")
        self.hint.setStyleSheet("color: #b00020;")
        self.hint.setWordWrap(True)
        note = QLabel(
            tr(
                "修改后，以前做的备份仍然用旧密码打开，并且含有本机的同步密钥。"
                "修改完成后可以选择用新密码重新加密这些备份，或删除它们。"
            )
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("修改密码"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("当前密码"), self.old)
        form.addRow(tr("新密码"), self.new)
        form.addRow(tr("再次输入新密码"), self.again)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._changed()

    def problem(self) -> str:
        if not self.old.text():
            return tr("请输入当前密码。")
        if rule := rule_message(self.new.text()):
            return rule
        if self.new.text() != self.again.text():
            return tr("两次输入的新密码不一致。")
        if self.new.text() == self.old.text():
            return tr("新密码与当前密码相同。")
        return ""

    def _changed(self) -> None:
        problem = self.problem()
        self.hint.setText(problem if self.new.text() or self.again.text() else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)


class LedgerFileBox(QGroupBox):
    """The 台账文件 group of 设置: last backup and the reminder, backup, restore, change of password."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(tr("台账文件：备份、恢复与密码"))
        self.ctx = ctx
        self.last_label = QLabel()
        self.last_label.setObjectName("last_backup")
        self.last_label.setWordWrap(True)
        self.reminder = QLabel()
        self.reminder.setObjectName("backup_due")
        self.reminder.setStyleSheet("color: #c62828; font-weight: bold;")
        self.reminder.setWordWrap(True)
        self.reminder.hide()
        self.result = StepLabel()
        self.result.setObjectName("file_result")
        self.result.setWordWrap(True)
        self.backup_button = QPushButton(tr("备份到文件夹或U盘…"))
        self.backup_button.setObjectName("backup")
        self.backup_button.clicked.connect(self.backup)
        self.restore_button = QPushButton(tr("从备份恢复…"))
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.restore)
        self.password_button = QPushButton(tr("修改密码…"))
        self.password_button.setObjectName("change_password")
        self.password_button.clicked.connect(self.change_password)
        row = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.password_button):
            row.addWidget(button)
        row.addStretch(1)
        about = QLabel(
            tr(
                "备份是台账的加密副本，用做备份时的密码打开，含本机的同步密钥：请像台账本身一样妥善保管。"
                "恢复前，当前文件会先另存到数据文件夹的 backups，可以再恢复回来。"
            )
        )
        about.setWordWrap(True)
        about.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.last_label)
        layout.addWidget(self.reminder)
        layout.addLayout(row)
        layout.addWidget(about)
        layout.addWidget(self.result)
        self.old_backups_box: QMessageBox | None = None
        self._pending_old: tuple[list[Path], str, str] | None = None

    # -- the reminder ---------------------------------------------------------------------------------

    def reload(self) -> None:
        db = self.ctx.db
        self.ctx.tasks.run(lambda _t: backups.reminder(db), self._show_reminder, lambda _e: None, owner=self)

    def _show_reminder(self, reminder: backups.Reminder) -> None:
        last = reminder.last
        if last is None:
            self.last_label.setText(tr("上次备份：尚未备份"))
        else:
            when = last.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.last_label.setText(
                tr("上次备份：{when}（{n} 天前），存于 {path}").format(when=when, n=reminder.days_since, path=last.path)
            )
        due = reminder.overdue and not self.ctx.demo  # a throw-away demo ledger needs no backup
        if due and last is None:
            self.reminder.setText(tr("本台账还没有备份过，请现在备份到文件夹或U盘。"))
        elif due:
            self.reminder.setText(
                tr("已超过 {d} 天未备份，请现在备份（提醒间隔可在上方“备份提醒间隔”中修改）。").format(
                    d=reminder.interval_days
                )
            )
        self.reminder.setVisible(due)

    # -- backup ----------------------------------------------------------------------------------------

    def backup(self) -> None:
        folder = choose_backup_folder(self)
        if not folder:
            return
        db = self.ctx.db

        def work(task: TaskContext) -> Path:
            return backups.make_backup(
                db, Path(folder), lambda done, total: task.progress(done, total), lambda: task.cancelled
            )

        task = self.ctx.tasks.run(work, self._backed_up, self._failed, owner=self, label="backup")
        with_progress(task, self, tr("正在备份台账……"))

    def _backed_up(self, path: Path) -> None:
        self.result.setText(tr("已备份到：{path}").format(path=path))
        show_info(self.window(), tr("备份完成。"), tr("备份文件：{path}").format(path=path))
        emit(self.ctx.data_changed, "backup")
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        from ui.errors import error_text

        zh, en = error_text(exc)
        self.result.setText(zh)
        message_box(self.window(), QMessageBox.Icon.Warning, tr("出错了"), zh, en)

    # -- restore ---------------------------------------------------------------------------------------

    def restore(self) -> None:
        chosen = choose_backup_file(self)
        if not chosen:
            return
        password = ask_backup_password(self)
        if password is None:
            return
        text = tr("用备份 {name} 替换当前台账？\n替换前，当前文件会先另存到 {folder}，需要时可以再恢复回来。").format(
            name=Path(chosen).name, folder=backups_dir()
        )
        if not confirm(self, tr("从备份恢复"), text):
            return
        db = self.ctx.db

        def work(_task: TaskContext) -> replace.Restored:
            return replace.restore_in_place(db, Path(chosen), password, backups_dir())

        def done(result: replace.Restored) -> None:
            kept = str(result.kept) if result.kept else "—"
            self.result.setText(tr("已从备份恢复。当前文件已保留为 {kept}").format(kept=kept))
            show_info(
                self.window(),
                tr("已从备份恢复。"),
                tr("当前文件已保留为 {kept}\n台账的密码现在是该备份的密码。").format(kept=kept),
            )
            emit(self.ctx.password_changed, password)
            emit(self.ctx.data_changed, "*")

        # Replacing the file is one rename after a full copy: nothing to cancel half-way.
        task = self.ctx.tasks.run(work, done, self._failed, owner=self, label="restore")
        with_progress(task, self, tr("正在从备份恢复……"), cancellable=False)

    # -- password --------------------------------------------------------------------------------------

    def change_password(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self.window())
        dialog.accepted.connect(lambda: self._change(dialog.old.text(), dialog.new.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _change(self, old: str, new: str) -> None:
        db = self.ctx.db

        def work(_task: TaskContext) -> list[Path]:
            replace.change_password(db, old, new)
            return backups.old_backups(db.path) if db.path is not None else []

        def done(old_files: list[Path]) -> None:
            emit(self.ctx.password_changed, new)
            self.result.setText(tr("密码已修改：台账文件已用新密码重新加密并校验。"))
            if old_files:
                self.offer_old_backups(old_files, old, new)
            else:
                show_info(self.window(), tr("密码已修改。"), tr("台账文件已用新密码重新加密并校验。"))

        task = self.ctx.tasks.run(work, done, self._failed, owner=self, label="passwd")
        with_progress(task, self, tr("正在用新密码重新加密台账……"), cancellable=False)

    def offer_old_backups(self, files: list[Path], old: str, new: str) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("密码已修改"),
            tr("密码已修改。以下 {n} 个旧备份仍用旧密码打开，并含本机的同步密钥：").format(n=len(files)),
            QMessageBox.StandardButton.NoButton,
            self.window(),
        )
        box.setObjectName("old_backups")
        box.setInformativeText("\n".join(str(f) for f in files[:12]) + ("\n…" if len(files) > 12 else ""))
        again = box.addButton(tr("用新密码重新加密"), QMessageBox.ButtonRole.AcceptRole)
        again.setObjectName("reencrypt")
        remove = box.addButton(tr("删除这些备份"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("remove")
        keep = box.addButton(tr("保留"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keep")
        box.buttonClicked.connect(lambda button: self._old_backups(button.objectName(), files, old, new))
        box.finished.connect(box.deleteLater)
        self.old_backups_box = box
        box.open()
        return box

    def _old_backups(self, choice: str, files: list[Path], old: str, new: str) -> None:
        self.old_backups_box = None
        if choice not in ("reencrypt", "remove"):
            return
        ledger = self.ctx.db.path

        def work(_task: TaskContext) -> backups.OldBackupsResult:
            if choice == "reencrypt":
                return backups.reencrypt_backups(files, old, new)
            assert ledger is not None
            return backups.remove_backups(ledger, files)

        def done(result: backups.OldBackupsResult) -> None:
            verb = tr("已用新密码重新加密") if choice == "reencrypt" else tr("已删除")
            lines = [tr("{verb} {n} 个旧备份。").format(verb=verb, n=len(result.done))]
            lines += [f"{path.name}：{why}" for path, why in result.skipped]
            self.result.setText("\n".join(lines))
            emit(self.ctx.data_changed, "backup")

        task = self.ctx.tasks.run(work, done, self._failed, owner=self, label="old_backups")
        with_progress(task, self, tr("正在处理旧备份……"), cancellable=False)
