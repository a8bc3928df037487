"""Working by keyboard: Ctrl+F from any page, Down/Enter from the search box into the results, Enter reads
the record, F2 changes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import rows, wait_loaded
from ui.pages import PAGES


def test_ctrl_f_focuses_a_search_box_on_every_page(window: Any, qtbot: Any) -> None:
    window.activateWindow()
    for info in PAGES:
        window.open_page(info.key)
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        focused = QApplication.focusWidget()
        assert focused is not None and focused.objectName() == "search", (info.key, focused)
    # from the dashboard it lands in the household search
    window.open_page("dashboard")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "households"
    assert QApplication.focusWidget() is window.page("households").list.search


def test_down_moves_from_search_into_results_and_enter_opens(window: Any, qtbot: Any) -> None:
    from ui.record_view import RecordViewDialog

    window.open_page("households")
    page = window.page("households")
    panel = page.list
    wait_loaded(qtbot, panel)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.focus_search()
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.view
    assert panel.view.currentIndex().row() == 0
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == 1
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.last_dialog, RecordViewDialog) and page.last_dialog.isVisible())
    assert page.last_dialog.record_id == panel.model.ids[1]
    page.last_dialog.reject()


def test_enter_in_search_with_one_match_opens_it(window: Any, qtbot: Any) -> None:
    from ui.record_view import RecordViewDialog

    window.open_page("households")
    page = window.page("households")
    panel = page.list
    wait_loaded(qtbot, panel)
    names = rows(panel, "head_name")
    unique = next(n for n in names if names.count(n) == 1 and not any(o != n and o.startswith(n) for o in names))
    panel.focus_search()
    panel.search.setText(unique)  # typed; Enter before the search has run
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(page.last_dialog, RecordViewDialog) and page.last_dialog.isVisible())
    qtbot.waitUntil(lambda: page.last_dialog.pane.title.text() == unique, timeout=5000)
    page.last_dialog.reject()
