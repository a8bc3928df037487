"""The dashboard shows the policy's targets from the indicators service and follows the ledger's changes."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import wait_loaded


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


def test_scope_picker_shows_one_villages_numbers_and_is_remembered(window: Any, qtbot: Any) -> None:
    from app.services import indicators, scope
    from ui import state

    dashboard = window.page("dashboard")
    qtbot.waitUntil(lambda: dashboard.data is not None and dashboard.scope_box.count() > 1, timeout=20_000)
    whole = dashboard.indicator("coverage_households")
    with window.ctx.db.session() as session:
        village = next(c for c in scope.scope_choices(session) if c.level == "village")
        expected = indicators.compute(session, "coverage_households", village.code)
    assert expected.denominator < whole.denominator
    index = dashboard.scope_box.findData(village.code)
    assert dashboard.scope_box.itemText(index).strip() == village.name
    dashboard.scope_box.setCurrentIndex(index)
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=20_000)
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
    qtbot.waitUntil(lambda: again.data is not None and again.scope_box.count() > 1, timeout=20_000)
    assert again.scope_box.currentData() == village.code and again.year_box.value() == dashboard.year
    assert again.indicator("coverage_households").denominator == expected.denominator


def test_a_remembered_scope_missing_from_the_ledger_falls_back_to_the_whole(ctx: Any, qtbot: Any) -> None:
    from ui import state
    from ui.pages.dashboard import DashboardPage

    ctx.store.setValue(state.DASHBOARD_SCOPE, "999999999999")
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None and page.scope_box.count() > 1, timeout=20_000)
    assert page.scope_code == "" and page.scope_box.currentIndex() == 0
    ctx.tasks.wait_idle()


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
