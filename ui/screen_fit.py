"""Fit top-level windows and dialogs to the screen they open on (1366×768 office laptops above all).

A size asked for in code (1280×800 for the window, 760 px for a long form) is only a wish: on a laptop with
a taskbar it put the status bar and the Save button off-screen. ``fit_window`` shrinks a window to the
screen's available area, keeping room for the window frame, and centres it there. Long forms scroll inside
(``ui.form``), so a dialog may always be shorter than its content.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Title bar and borders the window manager adds around the client area before the window is shown (Windows
# 10/11 at 100 %: 8 px borders, a 31 px title bar). Once shown, the real frame is measured instead.
FRAME_ALLOWANCE = QSize(16, 39)


def available_area(widget: QWidget) -> QRect:
    """The part of the widget's screen not covered by taskbars and docks."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_allowance(widget: QWidget) -> QSize:
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and frame.size() != inner.size():
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return FRAME_ALLOWANCE


def fit_window(widget: QWidget, area: QRect | None = None, wanted: QSize | None = None) -> None:
    """Resize ``widget`` to ``wanted`` (default: its current size) but no larger than ``area`` (default: its
    screen's available area) minus the frame, and centre it there when it had to move."""
    area = area if area is not None else available_area(widget)
    extra = frame_allowance(widget)
    room = QSize(max(area.width() - extra.width(), 200), max(area.height() - extra.height(), 200))
    size = (wanted or widget.size()).boundedTo(room)
    widget.resize(size)
    outer = QRect(widget.pos(), size + extra)
    if not area.contains(outer):
        outer.moveCenter(area.center())
        widget.move(outer.topLeft())
