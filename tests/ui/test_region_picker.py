"""The one place picker: a tree of the ledger's places (county → township → village), filtered as you type."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.conftest import POPUP_WARNINGS, pick_place


@pytest.fixture
def picker(ctx: Any, qtbot: Any) -> Any:
    from ui.region_picker import RegionPicker

    widget = RegionPicker(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 1, timeout=10_000)
    return widget


def test_places_nest_county_township_village(picker: Any, qtmodeltester: Any) -> None:
    from ui.region_picker import CODE_ROLE

    model = picker.model
    assert model.index(0, 0).data() == "全部（整个台账）"
    county = model.index(1, 0)
    assert county.data() == "缙云县" and county.data(CODE_ROLE) == "331122"
    township = model.index(0, 0, county)
    assert township.data() == "壶镇镇"
    villages = [model.index(r, 0, township).data() for r in range(model.rowCount(township))]
    assert villages == ["岩背村", "金竹村", "好溪村", "溶江村", "潜明村", "方川村"]  # tests/ui/township.py
    qtmodeltester.check(model)
    qtmodeltester.check(picker.popup.proxy)


@pytest.mark.qt_log_ignore(POPUP_WARNINGS)
def test_typing_pinyin_initials_and_enter_picks_a_village(picker: Any, qtbot: Any) -> None:
    changed: list[str] = []
    picker.changed.connect(changed.append)
    pick_place(qtbot, picker, "hx")  # 好溪村 hao xi cun
    assert picker.name() == "好溪村" and picker.level() == "village"
    assert changed == ["331122101003"] and picker.code() == "331122101003"
    assert picker.region_id() is not None
    assert "好溪村" in picker.text()
    pick_place(qtbot, picker, "全部")
    assert picker.code() == "" and picker.level() == "all" and changed[-1] == ""


def test_an_unknown_code_is_not_chosen(picker: Any) -> None:
    assert not picker.set_code("999999999999", notify=False)
    assert picker.code() == ""
    assert not picker.index_of("999999999999").isValid() and picker.index_of("331122101").isValid()
    assert picker.popup.proxy.rowCount(QModelIndex()) == picker.model.rowCount()
    assert picker.popup.tree.model().data(picker.popup.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole)


@pytest.mark.qt_log_ignore(POPUP_WARNINGS)
def test_household_list_filter_takes_a_place_from_the_tree(township: Any, window: Any, qtbot: Any) -> None:
    from sqlalchemy import func, select

    from app.domain.models import Household, Region
    from tests.ui.conftest import rows, wait_loaded

    window.open_page("households")
    panel = window.page("households").list
    wait_loaded(qtbot, panel)
    picker = panel.place_pickers["village"]
    qtbot.waitUntil(lambda: picker.model.rowCount() > 1, timeout=10_000)
    with township.session() as s:
        in_village = s.scalar(select(func.count()).select_from(Household).join(Region).where(Region.name == "金竹村"))
    pick_place(qtbot, picker, "金竹村")
    qtbot.waitUntil(lambda: set(rows(panel, "village")) == {"金竹村"}, timeout=10_000)
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == in_village
    pick_place(qtbot, picker, "缙云县")  # a county means every village in it
    qtbot.waitUntil(lambda: panel.model.rowCount() == 60, timeout=10_000)


def test_report_region_is_a_picker(window: Any, qtbot: Any) -> None:
    from ui.region_picker import RegionPicker

    window.open_page("reports")
    region = window.page("reports").findChild(RegionPicker, "report_region")
    assert region is not None and region.code() == ""
