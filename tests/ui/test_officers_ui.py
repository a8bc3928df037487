"""Who did it, in the GUI: the officer chosen at unlock is the actor of every change of that session; the
status bar names them; locking asks again; the settings page keeps the list (pytest-qt, real ledger)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.models import AuditEntry
from app.services import officers
from app.services import settings as data_settings
from tests.conftest import PASSWORD


def log(db: Any, entity: str) -> list[tuple[str, str]]:
    with db.session() as s:
        return [(e.action, e.actor) for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == entity))]


def unlock(tasks: Any, qtbot: Any, path: Path) -> Any:
    from ui.start import UnlockDialog

    dialog = UnlockDialog(tasks, path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.gate.password.setText(PASSWORD)
    dialog.gate.submit()
    qtbot.waitUntil(lambda: dialog.steps.currentWidget() is dialog.picker, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.picker.button.isEnabled(), timeout=10_000)
    return dialog


@pytest.fixture
def staffed_ledger(db: Any) -> Path:
    """The ``db`` ledger with two officers, closed so the dialog can open it."""
    officers.add(db, "李娟", post="驻村干部")
    officers.choose(db, "李娟")
    officers.add(db, "王强")
    path = db.path
    db.close()
    return path


def test_the_officer_chosen_at_unlock_is_the_actor_of_the_session(tasks: Any, qtbot: Any, staffed_ledger: Path) -> None:
    dialog = unlock(tasks, qtbot, staffed_ledger)
    combo = dialog.picker.combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == ["李娟（驻村干部）", "王强", "新增经办人……"]
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.picker.submit()
    db = dialog.database
    assert db is not None and db.actor == "王强"
    tasks.run(lambda _c: data_settings.save(db, {"visit_cadence_days": 20}))
    tasks.wait_idle()
    assert log(db, "setting") == [("setting", "王强")]
    tasks.run(lambda _c: db.close())
    tasks.wait_idle()


def test_an_older_ledger_offers_its_audit_names_and_a_new_officer_enrols(tasks: Any, qtbot: Any, db: Any) -> None:
    db.actor = "张三"  # as recorded before the list was kept
    data_settings.save(db, {"visit_cadence_days": 25})
    path = db.path
    db.close()
    dialog = unlock(tasks, qtbot, path)
    picker = dialog.picker
    labels = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert labels == ["张三（审计记录中，加入名单）", "新增经办人……"]
    assert "尚无经办人名单" in picker.message.text()
    picker.combo.setCurrentIndex(1)
    assert picker.new_name.isEnabled()
    picker.submit()
    assert "请输入经办人姓名" in picker.message.text()  # nothing typed: asked, nothing written
    picker.new_name.setText("赵敏")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        picker.submit()
    opened = dialog.database
    assert opened is not None and opened.actor == "赵敏"
    assert log(opened, "officer") == [("officer_add", "赵敏")]  # enrolling is her own first audited act
    assert log(opened, "setting") == [("setting", "张三")]  # the old trail keeps its name
    tasks.run(lambda _c: opened.close())
    tasks.wait_idle()


def test_status_bar_names_the_officer_and_a_lock_asks_again(ctx: Any, window: Any, qtbot: Any) -> None:
    db = ctx.db
    officers.add(db, "李娟")
    officers.choose(db, "李娟")
    officers.add(db, "王强")
    window.ctx.data_changed.emit("officer")
    assert window.actor_label.text() == "经办人：李娟"
    window.lock()
    window.gate.password.setText(PASSWORD)
    window.gate.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 2, timeout=10_000)
    # 2 officers + "new…" = 3 ("tester", who made the fixture's households, is offered only to an empty list)
    qtbot.waitUntil(lambda: window.picker.combo.count() == 3, timeout=10_000)
    assert window.picker.combo.currentText() == "李娟"  # who was working is offered first
    assert window.picker.combo.itemText(1) == "王强"
    window.picker.combo.setCurrentIndex(1)
    window.picker.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 0, timeout=10_000)
    assert window.actor_label.text() == "经办人：王强"
    window.ctx.tasks.wait_idle()
    data_settings.save(db, {"visit_cadence_days": 21})
    assert log(db, "setting")[-1] == ("setting", "王强")


def test_settings_page_adds_and_retires_officers(ctx: Any, window: Any, qtbot: Any) -> None:
    db = ctx.db
    officers.add(db, "李娟")
    officers.choose(db, "李娟")
    window.open_page("settings")
    box = window.page("settings").officers_box
    qtbot.waitUntil(lambda: box.table.rowCount() == 1, timeout=10_000)
    box.name.setText("王强")
    box.post.setText("村书记")
    box.add()
    qtbot.waitUntil(lambda: box.table.rowCount() == 2, timeout=10_000)
    assert box.table.item(1, 0).text() == "王强" and box.table.item(1, 1).text() == "村书记"
    box.table.selectRow(0)
    assert not box.retire_button.isEnabled()  # the officer at work cannot retire themself
    box.table.selectRow(1)
    box.retire()
    qtbot.waitUntil(lambda: box.table.rowCount() == 2 and box.table.item(1, 3).text() == "已离任", timeout=10_000)
    assert log(db, "officer") == [("officer_add", "李娟"), ("officer_add", "李娟"), ("officer_retire", "李娟")]
