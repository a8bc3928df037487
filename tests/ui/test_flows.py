"""The officer's flows, driven through the real widgets against a real encrypted ledger (offscreen)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.domain.validators import id_check_digit
from app.services import listing
from tests.conftest import PASSWORD
from tests.ui.conftest import rows, wait_loaded


def valid_id(serial: int) -> str:
    first17 = f"33112219800101{serial:03d}"
    return first17 + id_check_digit(first17)


@pytest.mark.parametrize("entity", sorted(listing.SPECS))
def test_every_table_model_passes_the_model_tester(ctx: Any, qtbot: Any, qtmodeltester: Any, entity: str) -> None:
    from ui.table_model import EntityTableModel

    model = EntityTableModel(ctx, entity)
    model.reload()
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)
    qtmodeltester.check(model)


def test_household_list_pages_in_sql_and_masks_ids(window: Any, qtbot: Any) -> None:
    page = window.page("households")
    window.open_page("households")
    panel = page.list
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() == 60
    ids = rows(panel, "head_id_number")
    assert all("********" in i for i in ids)
    assert "共 60 条" in panel.count_label.text()


def test_create_household_and_see_it_in_the_list(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    page = window.page("households")
    wait_loaded(qtbot, page.list)
    dialog = page.new_item()
    picker = dialog.editors["village_id"]
    qtbot.waitUntil(lambda: picker.count() > 1, timeout=5000)
    picker.setCurrentIndex(1)
    dialog.editors["head_name"].setText("欧阳新农")
    dialog.editors["head_id_number"].setText(valid_id(901))
    dialog.set_value("category", "dibao")
    dialog.set_value("primary_cause", "illness")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    page.list.search.setText("欧阳")
    page.list.refresh()
    qtbot.waitUntil(lambda: rows(page.list, "head_name") == ["欧阳新农"], timeout=10_000)


def test_invalid_id_is_shown_next_to_its_field(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    page = window.page("households")
    dialog = page.new_item()
    picker = dialog.editors["village_id"]
    qtbot.waitUntil(lambda: picker.count() > 1, timeout=5000)
    picker.setCurrentIndex(1)
    dialog.editors["head_name"].setText("李四")
    dialog.editors["head_id_number"].setText("331122198001019999")
    dialog.set_value("category", "dibao")
    dialog.set_value("primary_cause", "illness")
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.field_error("head_id_number")), timeout=10_000)
    assert "校验位" in dialog.field_error("head_id_number")
    assert dialog.isVisible()


def test_search_by_pinyin_initials(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    panel = window.page("households").list
    wait_loaded(qtbot, panel)
    name = rows(panel, "head_name")[0]
    from pypinyin import lazy_pinyin

    initials = "".join(p[0] for p in lazy_pinyin(name))
    panel.search.setText(initials)
    panel.refresh()
    wait_loaded(qtbot, panel)
    assert name in rows(panel, "head_name")
    assert all(n for n in rows(panel, "head_name"))


def test_end_pairing_and_household_reappears_unpaired(window: Any, qtbot: Any) -> None:
    window.open_page("pairing")
    page = window.page("pairing")
    unpaired = page.households.subjects
    wait_loaded(qtbot, unpaired)
    before = set(unpaired.model.ids)
    ledger = page.ledger.list
    ledger.apply_filters({"kind": "household_cadre", "active": True})
    wait_loaded(qtbot, ledger)
    ledger.view.selectRow(0)
    subject = ledger.model.value(0, "subject")
    dialog = page.ledger.end_selected()
    dialog.editors["end_reason"].setCurrentIndex(dialog.editors["end_reason"].findData("reassigned"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    page.setCurrentWidget(page.households)
    unpaired.reload()
    wait_loaded(qtbot, unpaired)
    after = set(unpaired.model.ids)
    assert len(after) == len(before) + 1
    assert subject in rows(unpaired, "head_name")


def test_end_pairing_needs_a_reason(window: Any, qtbot: Any) -> None:
    window.open_page("pairing")
    page = window.page("pairing")
    ledger = page.ledger.list
    ledger.apply_filters({"active": True})
    wait_loaded(qtbot, ledger)
    ledger.view.selectRow(0)
    dialog = page.ledger.end_selected()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["end_reason"].text() != "", timeout=10_000)
    assert "原因" in dialog.errors["end_reason"].text()


def test_assign_cadre_to_several_households(window: Any, qtbot: Any) -> None:
    window.open_page("pairing")
    tab = window.page("pairing").households
    wait_loaded(qtbot, tab.subjects)
    wait_loaded(qtbot, tab.helpers)
    count = tab.subjects.model.rowCount()
    assert count >= 2
    tab.subjects.view.selectRow(0)
    tab.subjects.view.selectionModel().select(
        tab.subjects.model.index(1, 0),
        tab.subjects.view.selectionModel().SelectionFlag.Select | tab.subjects.view.selectionModel().SelectionFlag.Rows,
    )
    helpers = tab.helpers
    light = min(range(helpers.model.rowCount()), key=lambda r: helpers.model.value(r, "caseload"))
    load_before = helpers.model.value(light, "caseload")
    helpers.view.selectRow(light)
    cadre_id = helpers.model.ids[light]
    tab.pair_selected()
    qtbot.waitUntil(
        lambda: tab.subjects.model.rowCount() == count - 2 and not tab.subjects.model.loading, timeout=10_000
    )
    wait_loaded(qtbot, helpers)
    row = helpers.model.row_of(cadre_id)
    assert helpers.model.value(row, "caseload") == load_before + 2


def test_lock_hides_data_and_unlock_restores_it(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    panel = window.page("households").list
    wait_loaded(qtbot, panel)
    assert panel.model.rowCount() > 0
    window.lock()
    assert window.root.currentIndex() == 1
    assert panel.model.rowCount() == 0
    assert window.page("households").pane.field_labels["head_name"].text() == ""
    window.gate.password.setText("wrong password")
    window.gate.submit()
    qtbot.waitUntil(lambda: "密码错误" in window.gate.message.text(), timeout=10_000)
    assert window.root.currentIndex() == 1
    window.gate.password.setText(PASSWORD)
    window.gate.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 2, timeout=10_000)  # who is working, asked again
    assert panel.model.rowCount() == 0
    qtbot.waitUntil(lambda: window.picker.button.isEnabled(), timeout=10_000)
    window.picker.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0, timeout=10_000)


def test_idle_timer_locks(window: Any, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not window.ctx.tasks.busy, timeout=10_000)  # the configured minutes have arrived
    assert window.idle.timer.interval() == 15 * 60_000
    window.idle.set_minutes(0.001)  # 60 ms
    qtbot.waitUntil(lambda: window.ctx.locked, timeout=5000)
    assert window.root.currentIndex() == 1


def test_keyboard_ctrl_f_focuses_search(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    panel = window.page("households").list
    qtbot.waitUntil(lambda: panel.search.hasFocus(), timeout=2000)


def test_log_visit_from_overdue_list_and_it_shrinks(window: Any, qtbot: Any) -> None:
    window.open_page("visits")
    page = window.page("visits")
    page.setCurrentIndex(2)
    overdue = page.overdue
    wait_loaded(qtbot, overdue)
    before = overdue.model.rowCount()
    assert before > 0
    overdue.view.selectRow(0)
    name = overdue.model.value(0, "head_name")
    dialog = page.visit_overdue()
    assert dialog.value("household_id") == overdue.model.ids[0]
    assert dialog.value("cadre_id") is not None
    assert dialog.value("visit_date").isoformat() == __import__("datetime").date.today().isoformat()
    dialog.editors["findings"].setPlainText("住房漏雨")
    dialog.editors["measures"].setPlainText("联系村里维修")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: overdue.model.rowCount() == before - 1 and not overdue.model.loading, timeout=10_000)
    assert name not in rows(overdue, "head_name")
    page.setCurrentIndex(0)
    wait_loaded(qtbot, page.all)
    assert "住房漏雨" in rows(page.all, "findings")


def test_close_follow_up(window: Any, qtbot: Any) -> None:
    window.open_page("visits")
    page = window.page("visits")
    page.setCurrentIndex(1)
    follow_ups = page.follow_ups
    wait_loaded(qtbot, follow_ups)
    before = follow_ups.model.rowCount()
    assert before > 0
    follow_ups.view.selectRow(0)
    dialog = page.close_follow_up()
    dialog.editors["follow_up_result"].setPlainText("救助已批复")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: follow_ups.model.rowCount() == before - 1, timeout=10_000)


def test_project_progress_and_stage(window: Any, qtbot: Any) -> None:
    window.open_page("projects")
    page = window.page("projects")
    wait_loaded(qtbot, page.list)
    row = rows(page.list, "stage").index("implement")
    page.list.view.selectRow(row)
    qtbot.waitUntil(lambda: bool(page.pane.values), timeout=10_000)
    before = page.pane.values["percent"]
    dialog = page.add_progress()
    dialog.editors["percent"].setText("95")
    dialog.editors["amount"].setText("1000")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: page.pane.values.get("percent") == 95, timeout=10_000)
    assert before < 95
    stage = page.change_stage()
    stage.editors["stage"].setCurrentIndex(stage.editors["stage"].findData("done"))
    stage.save()
    qtbot.waitUntil(lambda: stage.general_error.text() != "" or stage.errors["stage"].text() != "", timeout=10_000)
    assert "逐步" in (stage.general_error.text() + stage.errors["stage"].text())


def test_ctrl_n_opens_the_new_form_and_esc_closes_it(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    window.activateWindow()
    page = window.page("households")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible(), timeout=3000)
    dialog = page.last_dialog
    assert "新增" in dialog.windowTitle()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)


def test_enter_opens_the_selected_record_read_only_and_f2_edits(window: Any, qtbot: Any) -> None:
    from ui.record_view import RecordViewDialog

    window.open_page("households")
    page = window.page("households")
    wait_loaded(qtbot, page.list)
    page.list.view.setFocus()
    page.list.view.setCurrentIndex(page.list.model.index(0, 0))
    qtbot.keyClick(page.list.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible(), timeout=3000)
    view = page.last_dialog
    assert isinstance(view, RecordViewDialog)  # read, not edit: no editor to change by accident
    name = page.list.model.value(0, "head_name")
    qtbot.waitUntil(lambda: view.pane.title.text() == name, timeout=5000)
    phone = view.pane.field_labels["phone"].text()
    assert phone and "****" in phone  # the phone is masked on the read-only view
    assert "****" in view.pane.field_labels["head_id_number"].text()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.edit_dialog is not None and view.edit_dialog.isVisible(), timeout=3000)
    dialog = view.edit_dialog
    qtbot.waitUntil(lambda: dialog.value("head_name") == name, timeout=5000)
    assert dialog.editors["head_id_number"].text() == ""  # the full ID is never put on screen
    assert "****" in dialog.editors["head_id_number"].placeholderText()
    dialog.reject()
    view.reject()
    # F2 on the list edits straight away
    page.list.view.setFocus()
    qtbot.keyClick(page.list.view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: page.last_dialog is not view and page.last_dialog.isVisible(), timeout=3000)
    assert "修改" in page.last_dialog.windowTitle()
    page.last_dialog.reject()


def test_hand_over_a_departing_cadres_households(window: Any, qtbot: Any) -> None:
    window.open_page("pairing")
    page = window.page("pairing")
    page.setCurrentWidget(page.ledger)
    dialog = page.ledger.transfer()
    departing = dialog.editors["from"]
    qtbot.waitUntil(lambda: departing.count() > 3, timeout=5000)
    receivers = dialog.editors["to"]
    qtbot.waitUntil(lambda: receivers.count() > 3, timeout=5000)
    # the busiest cadre leaves; the two lightest take the households
    with window.ctx.db.session() as session:
        loads = listing.cadre_caseloads(session)
    busiest, light = loads[-1], loads[:2]
    departing.setCurrentIndex(departing.findData(busiest.id))
    for i in range(receivers.count()):
        item = receivers.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in {c.id for c in light}:
            item.setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    with window.ctx.db.session() as session:
        after = {c.id: c.caseload for c in listing.cadre_caseloads(session)}
    assert busiest.id not in after  # left: no longer serving
    assert sum(after[c.id] for c in light) == sum(c.caseload for c in light) + busiest.caseload


def test_settings_are_saved_through_the_service(window: Any, qtbot: Any) -> None:
    window.open_page("settings")
    page = window.page("settings")
    qtbot.waitUntil(lambda: page.editors["visit_cadence_days"].value() == 30, timeout=10_000)
    page.editors["visit_cadence_days"].setValue(45)
    page.save()
    qtbot.waitUntil(lambda: not window.ctx.tasks.busy, timeout=10_000)
    from app.services import settings as data_settings

    with window.ctx.db.session() as session:
        assert data_settings.get(session, "visit_cadence_days") == 45


def test_audit_chain_check_on_screen(window: Any, qtbot: Any) -> None:
    window.open_page("audit")
    page = window.page("audit")
    page.verify()
    qtbot.waitUntil(lambda: "完整" in page.result.text(), timeout=10_000)
    wait_loaded(qtbot, page.list)
    assert page.list.model.rowCount() > 0
    page.list.apply_filters({"entity": "pairing"})
    wait_loaded(qtbot, page.list)
    assert set(rows(page.list, "entity")) == {"pairing"}


@pytest.mark.parametrize("helper", [False, True])
def test_audit_chain_check_reports_progress_up_to_every_entry(window: Any, qtbot: Any, monkeypatch, helper) -> None:
    """Also with the helper process hashing part of the runs (``app.audit_helper``), as on a city's trail of
    millions of entries: the threshold lowered, runs of 5, so the small ledger takes that path."""
    import multiprocessing

    from sqlalchemy import func, select

    import app.audit as audit_module
    from app.domain.models import AuditEntry

    if helper:
        monkeypatch.setattr(audit_module, "HELPER_FROM", 0)
        monkeypatch.setattr(audit_module, "VERIFY_CHUNK", 5)
    with window.ctx.db.session() as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    window.open_page("audit")
    page = window.page("audit")
    seen: list[tuple[int, int]] = []
    task = page.verify()
    task.progressed.connect(lambda p: seen.append((p.done, p.total)))
    qtbot.waitUntil(lambda: "完整" in page.result.text(), timeout=10_000)
    assert seen and seen[-1] == (entries, entries)
    assert page.verify_button.isEnabled()
    assert multiprocessing.active_children() == []  # the helper, if any, is gone


def test_audit_chain_check_can_be_cancelled(window: Any, qtbot: Any) -> None:
    import threading

    window.open_page("audit")
    page = window.page("audit")
    window.ctx.tasks.wait_idle()
    gate = threading.Event()
    window.ctx.tasks.run(lambda _ctx: gate.wait(10))  # holds the worker so the check is still queued
    task = page.verify()
    assert not page.verify_button.isEnabled()
    from PySide6.QtWidgets import QPushButton

    task.progress_dialog.findChild(QPushButton).click()  # the dialog's cancel button
    gate.set()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=10_000)
    assert page.result.text() == "校验已取消。"


def test_member_opened_from_the_household_detail_is_edited_in_place(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    page = window.page("households")
    wait_loaded(qtbot, page.list)
    members = page.pane.related[0]
    qtbot.waitUntil(lambda: members.model.rowCount() > 0 and not members.model.loading, timeout=10_000)
    dialog = page.pane.edit_child("member", members.model.ids[0])
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled() and bool(dialog.value("name")), timeout=10_000)
    dialog.set_value("employment", "in_county")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: "in_county" in rows(members, "employment"), timeout=10_000)


def test_record_a_benefit_and_see_it_in_the_household_tab(window: Any, qtbot: Any) -> None:
    import datetime

    window.open_page("households")
    page = window.page("households")
    wait_loaded(qtbot, page.list)
    qtbot.waitUntil(lambda: bool(page.pane.values), timeout=10_000)
    tab = next(p for p in page.pane.related if p.model.spec.entity == "benefit")
    page.pane.tabs.setCurrentWidget(tab)
    wait_loaded(qtbot, tab)
    before = tab.model.rowCount()
    dialog = page.add_benefit()
    assert dialog.value("benefit_date") == datetime.date.today()
    dialog.set_value("kind", "industry_subsidy")
    dialog.editors["amount"].setText("1500.50")
    dialog.editors["provider"].setText("镇农业办")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1 and not tab.model.loading, timeout=10_000)
    assert "镇农业办" in rows(tab, "provider")
    assert "industry_subsidy" in rows(tab, "kind")
