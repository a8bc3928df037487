"""UI fixtures: a real encrypted ledger with a small township in it, the one worker, and the main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.ledger_template import fresh_ledger


def _township(db: Any) -> None:
    from tests.ui.township import fill

    db.set_node("331122101", "壶镇镇", "township")
    fill(db, households=60)


@pytest.fixture(autouse=True, scope="session")
def _gc_on_the_gui_thread(qapp: Any) -> None:
    """As the program does at start (``ui.gc_guard``): a cycle holding a Qt object is never freed by the
    worker thread."""
    from ui import gc_guard

    gc_guard.install(qapp)


@pytest.fixture
def township(db_path: Path) -> Iterator[Any]:
    """A small fixed township (6 villages, 14 cadres, 60 households, some unpaired): a copy of a ledger
    filled once per session (filling it costs seconds), the same node as the ``db`` fixture."""
    database = fresh_ledger(db_path, PASSWORD, name="township-60", build=_township)
    yield database
    database.close()


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[Any]:
    from ui.tasks import TaskManager

    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def store(tmp_path: Any) -> Any:
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def ctx(township: Any, tasks: Any, store: Any) -> Any:
    from ui.context import AppContext

    return AppContext(township, tasks, store)


def _shown_window(ctx: Any, qtbot: Any) -> Iterator[Any]:
    from ui.main_window import MainWindow

    win = MainWindow(ctx, PASSWORD)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.save_state()
    ctx.tasks.wait_idle()


@pytest.fixture
def window(ctx: Any, qtbot: Any) -> Iterator[Any]:
    yield from _shown_window(ctx, qtbot)


LAPTOP = (1366, 768 - 40)  # available area of the commonest office laptop above a Windows taskbar


@pytest.fixture
def laptop(monkeypatch: Any) -> Any:
    """The screen offers 1366×728 (the offscreen platform's own screen is 800×800, no taskbar)."""
    from PySide6.QtCore import QRect

    area = QRect(0, 0, *LAPTOP)
    monkeypatch.setattr("ui.screen_fit.available_area", lambda _widget: area)
    return area


@pytest.fixture
def laptop_window(laptop: Any, ctx: Any, qtbot: Any) -> Iterator[Any]:
    """The main window as it opens on that laptop."""
    yield from _shown_window(ctx, qtbot)


POPUP_WARNINGS = "This plugin does not support (raise|grabbing|propagateSizeHints)"  # offscreen popups


def pick_place(qtbot: Any, picker: Any, name: str) -> None:
    """What an officer does with a ``RegionPicker``: click it, type part of the name, Enter."""
    from PySide6.QtCore import Qt

    qtbot.mouseClick(picker, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(picker.popup.isVisible)
    picker.popup.filter_box.setText(name)  # Chinese arrives whole from the input method, not key by key
    qtbot.keyClick(picker.popup.filter_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not picker.popup.isVisible())


def wait_loaded(qtbot: Any, panel: Any) -> None:
    """Until the list's current query has answered (first page and the count)."""
    qtbot.waitUntil(lambda: not panel.model.loading and not panel.ctx.tasks.busy, timeout=10_000)


def rows(panel: Any, key: str) -> list[Any]:
    model = panel.model
    return [model.value(r, key) for r in range(model.rowCount())]


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """The offscreen platform warns that it cannot propagate size hints; that is the platform, not us."""
    for item in items:
        if "tests/ui" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
