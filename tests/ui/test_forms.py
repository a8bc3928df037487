"""Forms guess nothing the officer must decide, and fill what the ledger already knows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.domain.models import Household, Visit
from tests.ui.conftest import wait_loaded


def test_new_household_has_no_category_or_cause_pre_filled(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    page = window.page("households")
    dialog = page.new_item()
    assert dialog.value("category") is None  # today: 低保 shown as if chosen
    assert dialog.value("primary_cause") is None  # today: 因病
    assert dialog.editors["category"].currentText() == "（请选择）"
    picker = dialog.editors["village_id"]
    qtbot.waitUntil(lambda: picker.count() > 1, timeout=5000)
    picker.setCurrentIndex(1)
    dialog.editors["head_name"].setText("欧阳未选")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.field_error("category")), timeout=10_000)
    assert "不能为空" in dialog.field_error("category")
    assert "不能为空" in dialog.field_error("primary_cause")
    assert dialog.isVisible()
    dialog.reject()


def test_visit_form_fills_the_village_from_the_household(window: Any, qtbot: Any, township: Any) -> None:
    window.open_page("households")
    page = window.page("households")
    wait_loaded(qtbot, page.list)
    page.list.view.selectRow(0)
    qtbot.waitUntil(lambda: bool(page.pane.values), timeout=10_000)
    household_id = page.pane.record_id
    with township.session() as s:
        village_id = s.get(Household, household_id).village_id
    dialog = page.log_visit()
    village = dialog.editors["village_id"]
    qtbot.waitUntil(lambda: village.value() == village_id, timeout=10_000)
    assert village.currentText()  # the village's name is shown, not an empty box
    assert not village.isEnabled()  # it follows the household; choosing another would contradict it
    dialog.set_value("cadre_id", page.pane.values["cadre_id"] or dialog.editors["cadre_id"].itemData(1))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    with township.session() as s:
        visit = s.scalars(select(Visit).where(Visit.household_id == household_id).order_by(Visit.created_at.desc()))
        first = visit.first()
        assert first is not None and first.village_id == village_id


def test_a_members_doctor_contract_can_be_left_unknown(window: Any, qtbot: Any, township: Any) -> None:
    """责任医生签约 has three answers: 未填 (unknown, the default), 是, 否 — unknown is never saved as 否."""
    from app.domain.models import Member
    from ui.form import FormDialog

    with township.session() as s:
        household_id = s.scalars(select(Household.id).order_by(Household.id)).first()
    dialog = FormDialog(window.ctx, "member", fixed={"household_id": household_id}, parent=window)
    box = dialog.editors["doctor_contract"]
    assert box.currentText() == "未填" and dialog.value("doctor_contract") is None
    box.setCurrentIndex(box.findData(False))
    assert dialog.value("doctor_contract") is False
    box.setCurrentIndex(box.findData(None))
    dialog.editors["name"].setText("欧阳未填")
    dialog.set_value("relation", "child")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    with township.session() as s:
        saved = s.scalars(select(Member).where(Member.name == "欧阳未填")).one()
        assert saved.doctor_contract is None
