"""The 异常情况 tab names whom each anomaly is about and opens that record on a double-click."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.domain.models import Benefit, Household
from app.services.uow import UnitOfWork


def test_anomaly_names_the_household_and_opens_it(township: Any, window: Any, qtbot: Any) -> None:
    from ui.record_view import RecordViewDialog

    with township.session() as s:
        exited = s.scalars(select(Household).where(Household.status == "exited")).first()
        assert exited is not None
        household_id, head = exited.id, exited.head_name
        exit_day = exited.status_date or date.today() - timedelta(days=30)
    with UnitOfWork(township) as uow:
        if exited.status_date is None:
            uow.update(uow.session.get(Household, household_id), status_date=exit_day)
        uow.add(
            Benefit(
                household_id=household_id,
                kind="medical_aid",
                benefit_date=exit_day + timedelta(days=5),
                amount_fen=10_000,
            )
        )
    window.open_page("audit")
    page = window.page("audit")
    page.setCurrentIndex(1)
    page.load_anomalies()
    table = page.anomaly_table

    def row_of_benefit() -> int:
        for r in range(table.rowCount()):
            if table.item(r, 0) is not None and table.item(r, 0).text() == "退出后仍享受政策":
                return r
        return -1

    qtbot.waitUntil(lambda: row_of_benefit() >= 0, timeout=10_000)
    row = row_of_benefit()
    assert table.item(row, 1).text() == f"低收入农户 {head}"  # whom it is about, by name
    assert head in table.item(row, 2).text() and str(exit_day) in table.item(row, 2).text()
    table.scrollToItem(table.item(row, 1))
    cell = table.visualItemRect(table.item(row, 1)).center()
    # a double-click as Qt 6 delivers it: press, release, then the double-click press and its release
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.waitUntil(lambda: page.last_dialog is not None, timeout=5000)
    dialog = page.last_dialog
    assert isinstance(dialog, RecordViewDialog) and dialog.record_id == household_id
    qtbot.waitUntil(lambda: dialog.pane.title.text() == head, timeout=5000)
    dialog.reject()
