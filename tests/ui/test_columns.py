"""Columns fit what they hold: numbers whole and right-aligned, long text elided with the whole of it in a
tooltip, and no empty column taking the room (on a 1366×768 laptop)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.services import records
from app.services.visits import VISIT
from tests.ui.conftest import wait_loaded

LONG = "户主因病长期住院，配偶照料无法外出务工，两个孩子在读初中，家庭收入主要靠低保金和少量种植收入维持"


def shows_whole(panel: Any, key: str) -> None:
    """Every loaded cell of the column is inside the viewport and as wide as its text."""
    view, col = panel.view, panel.model.COL[key]
    header = view.horizontalHeader()
    left, width = header.sectionViewportPosition(col), header.sectionSize(col)
    assert left >= 0 and left + width <= view.viewport().width(), (key, left, width, view.viewport().width())
    metrics = view.fontMetrics()
    for row in range(panel.model.rowCount()):
        text = panel.model.index(row, col).data()
        assert metrics.horizontalAdvance(text) < width, (key, text, width)


def test_village_household_count_is_shown_whole(laptop_window: Any, qtbot: Any) -> None:
    laptop_window.open_page("villages")
    panel = laptop_window.page("villages").list
    wait_loaded(qtbot, panel)
    shows_whole(panel, "households")
    index = panel.model.index(0, panel.model.COL["households"])
    assert index.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_cadre_caseload_is_shown_whole_beside_the_unpaired_households(laptop_window: Any, qtbot: Any) -> None:
    laptop_window.open_page("pairing")
    helpers = laptop_window.page("pairing").households.helpers
    wait_loaded(qtbot, helpers)
    assert any(helpers.model.value(r, "caseload") for r in range(helpers.model.rowCount()))
    shows_whole(helpers, "caseload")


@pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")  # the tooltip, offscreen
def test_visit_text_gets_the_room_and_an_empty_date_does_not(township: Any, laptop_window: Any, qtbot: Any) -> None:
    from sqlalchemy import select

    from app.domain.models import Cadre, Household

    with township.session() as s:
        cadre = s.scalars(select(Cadre.id)).first()
        household = s.scalars(select(Household.id).where(Household.status == "active")).first()
    records.create(
        township,
        VISIT,
        {"cadre_id": cadre, "household_id": household, "mode": "home", "visit_date": date.today(), "findings": LONG},
    )
    laptop_window.open_page("visits")
    panel = laptop_window.page("visits").all
    wait_loaded(qtbot, panel)
    header = panel.view.horizontalHeader()
    closed = header.sectionSize(panel.model.COL["follow_up_closed_on"])
    findings = header.sectionSize(panel.model.COL["findings"])
    measures = header.sectionSize(panel.model.COL["measures"])
    assert closed <= 120  # a date and its header, not 500 px of nothing
    assert findings > 2 * closed and measures > closed
    assert not header.stretchLastSection()
    # the long finding is elided; hovering it shows all of it, a short cell shows no tooltip
    row = panel.model.row_of(
        next(i for i in panel.model.ids if panel.model.value(panel.model.row_of(i), "findings") == LONG)
    )
    cell = panel.view.visualRect(panel.model.index(row, panel.model.COL["findings"]))
    assert cell.width() < panel.view.fontMetrics().horizontalAdvance(LONG)
    tip = hover(qtbot, panel.view, cell.center())
    assert tip == LONG
    mode_cell = panel.view.visualRect(panel.model.index(row, panel.model.COL["mode"]))
    assert hover(qtbot, panel.view, mode_cell.center()) == ""


def hover(qtbot: Any, view: Any, point: QPoint) -> str:
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)
    event = QHelpEvent(QHelpEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""
