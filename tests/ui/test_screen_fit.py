"""Windows and dialogs fit the commonest office laptop: 1366×768 with a 40-pixel taskbar (1366×728 available).

The offscreen platform's screen is 800×800 with no taskbar, so the laptop's available area is handed in
through ``ui.screen_fit.available_area`` — the one function that asks the screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect

from tests.conftest import PASSWORD
from ui.pages import PAGES


def inside(widget: Any, window: Any) -> bool:
    """The widget is shown in full inside the window's client area."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def test_main_window_opens_inside_the_laptop_screen(laptop_window: Any, qtbot: Any) -> None:
    window = laptop_window
    # 1280×800 asked for; 728 - 39 (title bar and borders kept free) = 689 px high at most
    assert window.width() <= 1366 - 16 and window.height() <= 728 - 39
    for info in PAGES:  # and no page asks for more than that
        window.open_page(info.key)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 - 16 and hint.height() <= 728 - 39, (info.key, hint)
    window.open_page("pairing")
    assert inside(window.statusBar(), window)
    button = window.page("pairing").households.pair_button
    assert button.isVisible() and inside(button, window)


def test_geometry_saved_on_a_larger_monitor_is_shrunk(laptop: QRect, ctx: Any, qtbot: Any) -> None:
    from ui import state
    from ui.main_window import MainWindow

    big = MainWindow(ctx, PASSWORD)
    qtbot.addWidget(big)
    big.resize(1900, 1040)
    ctx.store.setValue(state.WINDOW_GEOMETRY, big.saveGeometry())
    ctx.tasks.wait_idle()
    again = MainWindow(ctx, PASSWORD)
    qtbot.addWidget(again)
    assert again.width() <= 1366 - 16 and again.height() <= 728 - 39
    ctx.tasks.wait_idle()


def test_household_dialog_fits_and_save_is_on_screen(laptop_window: Any, qtbot: Any) -> None:
    laptop_window.open_page("households")
    dialog = laptop_window.page("households").new_item()
    assert dialog.height() <= 728 - 39
    assert dialog.minimumSizeHint().height() <= 728 - 39
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert save.isVisible() and inside(save, dialog)
    dialog.reject()
