"""A progress dialog that appears only when a task takes longer than ~600 ms (Anki's habit), with cancel.

Short tasks never flash a dialog; long ones (import, export, backup, sync) show one the user can cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.tasks import Progress, Task

SHOW_AFTER_MS = 600


def tr(text: str) -> str:
    return QCoreApplication.translate("progress", text)


class DelayedProgress(QProgressDialog):
    """Watches one ``Task``; shows itself after ``SHOW_AFTER_MS`` if the task is still running."""

    def __init__(self, task: Task, parent: QWidget | None, label: str, cancellable: bool = True) -> None:
        super().__init__(label, tr("取消") if cancellable else "", 0, 0, parent)
        self.setWindowTitle(tr("请稍候"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(10**9)  # we decide when to show, not QProgressDialog's own estimate
        self.setAutoClose(False)
        self.setAutoReset(False)
        if not cancellable:
            self.setCancelButton(None)
        self._task = task
        self._base_label = label
        task.progressed.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        self.canceled.connect(self._on_cancel)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_if_running)
        self._timer.start(SHOW_AFTER_MS)

    def _show_if_running(self) -> None:
        if not self._task.done:
            self.show()

    def _on_progress(self, progress: Progress) -> None:
        if progress.total > 0:
            self.setMaximum(progress.total)
            self.setValue(min(progress.done, progress.total))
        if progress.text:
            self.setLabelText(f"{self._base_label}\n{progress.text}")

    def _on_cancel(self) -> None:
        self._task.cancel()
        self.setLabelText(tr("正在取消……"))

    def _on_finished(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()


def with_progress(task: Task, parent: QWidget | None, label: str, cancellable: bool = True) -> Task:
    # The task holds its dialog: without a parent widget nothing else would keep it alive.
    task.progress_dialog = DelayedProgress(task, parent, label, cancellable)  # type: ignore[attr-defined]
    return task
