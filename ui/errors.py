"""Errors as readable dialogs: Chinese first, English second, never a traceback.

Expected failures are ``app.errors.BangfuError`` (they carry ``zh`` and ``en``). Anything else is a bug: it is
logged with a short reference id and its stack (no exception message, no local values — those can hold
personal data) and the user sees the reference to quote when calling for help.

Message boxes are opened with ``open()`` (window-modal, not blocking) so the worker's callbacks and the tests
keep running; ``last_message_box`` lets a test read what the user saw.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import BangfuError

log = logging.getLogger("bangfu.ui")

_last: list[QMessageBox] = []


def tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def log_unexpected(exc: BaseException) -> str:
    """Record a bug in the shared crash log (``app.crash``: this machine's data folder only, SQL parameters
    hidden by the engine) and a one-line note in the UI log; return the reference shown to the user."""
    from app.crash import record_crash

    ref = record_crash(exc)
    log.error("unexpected error ref=%s type=%s", ref, type(exc).__name__)
    return ref


def error_text(exc: BaseException) -> tuple[str, str]:
    """(main text, secondary text) for a dialog or an inline label."""
    if isinstance(exc, BangfuError):
        return exc.zh, exc.en
    ref = log_unexpected(exc)
    return (
        tr("程序内部出错，操作未完成。请联系技术支持并提供参考编号：{ref}").format(ref=ref),
        f"Internal error; the operation did not complete. Reference: {ref}",
    )


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = "") -> QMessageBox:
    """The one factory for message boxes (non-blocking, deleted on close)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setInformativeText(detail)
    box.setObjectName("bangfuMessage")
    box.finished.connect(box.deleteLater)
    _last[:] = [box]
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question that must be answered before going on (restore, revoke). Blocking, so the pages
    import it by name and tests replace it there."""
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    zh, en = error_text(exc)
    return message_box(parent, QMessageBox.Icon.Warning, tr("出错了"), zh, en)


def show_info(parent: QWidget | None, text: str, detail: str = "") -> QMessageBox:
    return message_box(parent, QMessageBox.Icon.Information, tr("提示"), text, detail)


def last_message_box() -> QMessageBox | None:
    return _last[0] if _last else None
