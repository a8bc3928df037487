"""The dashboard shows the policy's targets from the indicators service and follows the ledger's changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import POPUP_WARNINGS, pick_place, rows, wait_loaded


def coverage(dashboard: Any) -> tuple[str, bool | None]:
    tile = dashboard.tiles["coverage_households"]
    return tile.value.text(), tile.ok


def test_tiles_show_targets_red_and_green(window: Any, qtbot: Any) -> None:
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    value, ok = coverage(dashboard)
    assert value.endswith("%") and ok is False  # the fixture leaves some households unpaired
    townships = dashboard.tiles["coverage_townships"]
    assert townships.value.text() == "100.0%" and townships.ok is True  # the township has its leader
    assert dashboard.coverage_chart.axes.get_title()  # the chart was drawn


def test_pairing_a_household_raises_coverage_on_the_dashboard(window: Any, qtbot: Any) -> None:
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    before = dashboard.indicator("coverage_households")
    # the tile leads to the unpaired households
    dashboard.open_tile("coverage_households")
    assert window.current_key() == "pairing"
    tab = window.page("pairing").households
    assert window.page("pairing").currentWidget() is tab
    wait_loaded(qtbot, tab.subjects)
    wait_loaded(qtbot, tab.helpers)
    tab.subjects.view.selectRow(0)
    tab.helpers.view.selectRow(0)
    tab.pair_selected()
    qtbot.waitUntil(lambda: not window.ctx.tasks.busy, timeout=10_000)
    window.open_page("dashboard")
    qtbot.waitUntil(
        lambda: (
            dashboard.data is not None and dashboard.indicator("coverage_households").numerator == before.numerator + 1
        ),
        timeout=20_000,
    )
    assert dashboard.indicator("coverage_households").value > before.value
    assert coverage(dashboard)[0] != f"{before.value:.1f}%"


def test_other_tiles_open_the_indicators_own_list(window: Any, qtbot: Any) -> None:
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    dialog = dashboard.open_tile("doctor_contract")
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    assert dialog.table.rowCount() == dashboard.indicator("doctor_contract").denominator - (
        dashboard.indicator("doctor_contract").numerator
    )
    dialog.close()


@pytest.mark.qt_log_ignore(POPUP_WARNINGS)
def test_scope_picker_shows_one_villages_numbers_and_is_remembered(window: Any, qtbot: Any) -> None:
    from app.services import indicators, scope
    from ui import state

    dashboard = window.page("dashboard")
    picker = dashboard.scope_picker
    qtbot.waitUntil(lambda: dashboard.data is not None and picker.model.rowCount() > 1, timeout=20_000)
    whole = dashboard.indicator("coverage_households")
    assert dashboard.tiles["coverage_townships"].isVisible()
    with window.ctx.db.session() as session:
        village = next(c for c in scope.scope_choices(session) if c.level == "village")
        expected = indicators.compute(session, "coverage_households", village.code)
    assert expected.denominator < whole.denominator
    # picked, not typed: open the tree, narrow it by the village's name, Enter
    pick_place(qtbot, picker, village.name)
    assert picker.code() == village.code and picker.level() == "village"
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    # the heading names the village; 一乡一领导 (about townships) is not shown at a village
    assert dashboard.heading.text().startswith(village.name)
    assert not dashboard.tiles["coverage_townships"].isVisible()
    assert dashboard.tiles["coverage_households"].isVisible()
    shown = dashboard.indicator("coverage_households")
    assert (shown.numerator, shown.denominator) == (expected.numerator, expected.denominator)
    assert f"/{expected.denominator}）" in dashboard.tiles["coverage_households"].target.text()
    assert window.ctx.store.value(state.DASHBOARD_SCOPE) == village.code
    # a past year is remembered too, and a new page opens on both
    dashboard.year_box.setValue(dashboard.year - 1)
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    assert int(window.ctx.store.value(state.DASHBOARD_YEAR)) == dashboard.year
    from ui.pages.dashboard import DashboardPage

    again = DashboardPage(window.ctx)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.data is not None and again.scope_picker.model.rowCount() > 1, timeout=20_000)
    assert again.scope_picker.code() == village.code and again.year_box.value() == dashboard.year
    assert again.indicator("coverage_households").denominator == expected.denominator


def test_a_remembered_scope_missing_from_the_ledger_falls_back_to_the_whole(ctx: Any, qtbot: Any) -> None:
    from ui import state
    from ui.pages.dashboard import DashboardPage

    ctx.store.setValue(state.DASHBOARD_SCOPE, "999999999999")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None and page.scope_picker.model.rowCount() > 1, timeout=20_000)
    assert page.scope_code == "" and page.scope_picker.code() == ""
    ctx.tasks.wait_idle()


def test_tiles_fill_their_rows() -> None:
    from ui.pages.dashboard import tile_rows

    keys = [f"k{n}" for n in range(13)]
    # 13 tiles, at most 4 a row: ceil(13 / 4) = 4 rows; 13 = 4 + 3 + 3 + 3 (not 4 + 4 + 4 + 1)
    assert [len(r) for r in tile_rows(keys, 4)] == [4, 3, 3, 3]
    assert [len(r) for r in tile_rows(keys[:12], 4)] == [4, 4, 4]
    assert [len(r) for r in tile_rows(keys[:5], 4)] == [3, 2]
    assert [k for row in tile_rows(keys, 4) for k in row] == keys  # order kept


def test_no_tile_row_is_left_with_one_tile(window: Any, qtbot: Any) -> None:
    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    rows: dict[int, list[int]] = {}
    for tile in dashboard.tiles.values():
        if tile.isVisible():
            rows.setdefault(tile.y(), []).append(tile.width())
    assert len(rows) >= 2 and min(len(r) for r in rows.values()) >= 2
    # every row spans the same width: the tiles of a short row are wider, not missing
    spans = [sum(widths) for widths in rows.values()]
    assert max(spans) - min(spans) <= 40


def test_villages_page_opens_on_villages(window: Any, qtbot: Any) -> None:
    window.open_page("villages")
    panel = window.page("villages").list
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == 6 and set(rows(panel, "level")) == {"village"}  # not 丽水市 first
    assert panel.model.value(0, "name") != "丽水市"


def test_projects_page_explains_its_red_rows(window: Any) -> None:
    from PySide6.QtWidgets import QLabel

    window.open_page("projects")
    legend = window.page("projects").findChild(QLabel, "red_legend")
    assert legend is not None and legend.isVisible() and "红色" in legend.text()


def test_incomplete_data_is_shown_beside_the_figure_and_lists_its_households(window: Any, qtbot: Any) -> None:
    from datetime import date

    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    # The fixture records incomes for last year only: this year every non-低保 household lacks a record.
    income = dashboard.indicator("income_average")
    tile = dashboard.tiles["income_average"]
    assert income.missing > 0 and tile.missing.text() == f"数据不全 {income.missing:,} 户"
    dialog = dashboard.open_missing("income_average")
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10_000)
    assert dialog.table.rowCount() == income.missing
    dialog.close()
    # Last year: the figure is Σ income ÷ Σ persons, shown in 元 with the persons beside it.
    dashboard.set_year(date.today().year - 1)
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
    last = dashboard.indicator("income_average")
    assert last.missing == 0 and not tile.missing.isVisible()
    assert tile.target.text().endswith(f" 元/{last.denominator:,} 人）")
