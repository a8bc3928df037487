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
