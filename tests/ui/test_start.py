"""Start-up: the first-run wizard creates an encrypted ledger; the unlock dialog refuses a wrong password
with a message and a growing delay, and says when the file is open elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.services import officers
from app.storage.database import open_database
from tests.conftest import PASSWORD


def test_wizard_creates_the_ledger(tasks: Any, qtbot: Any, tmp_path: Path) -> None:
    from ui.start import FirstRunWizard

    path = tmp_path / "new.db"
    wizard = FirstRunWizard(tasks, path)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.node_page
    page.role.setCurrentIndex(page.role.findData("township"))
    page.county.setCurrentIndex(page.county.findData("331122"))
    assert not page.isComplete()
    # 缙云县's townships come from the shipped list (no typed code): 壶镇镇 is 331122101
    names = [page.township.itemText(i) for i in range(page.township.count())]
    assert "壶镇镇（331122101）" in names and "新建镇（331122102）" in names
    page.township.setCurrentIndex(page.township.findData("331122101"))
    assert page.isComplete() and "壶镇镇（331122101）" in page.preview.text()
    page.county.setCurrentIndex(page.county.findData("331102"))  # another county: its own list, nothing picked
    assert not page.isComplete() and page.township.findData("331122101") < 0
    page.select_township("331122101")
    wizard.next()
    pw = wizard.password_page
    pw.first.setText("Short1")
    assert "太短" in pw.hint.text()
    for weak in ("Short1", "2026113012"):  # the rule of app.domain.passwords: 8 characters, not digits only
        pw.first.setText(weak)
        pw.second.setText(weak)
        pw.understood.setChecked(True)
        assert not pw.isComplete()
    assert "全是数字" in pw.hint.text()
    pw.understood.setChecked(False)
    pw.first.setText("壶镇-Ledger-2024!")
    pw.second.setText("壶镇-Ledger-2024?")
    assert "不一致" in pw.hint.text()
    assert not pw.isComplete()
    pw.second.setText("壶镇-Ledger-2024!")
    assert not pw.isComplete()  # the warning must be acknowledged
    assert "无法恢复" in pw.warning.text()
    pw.understood.setChecked(True)
    assert not pw.isComplete()  # the first officer is named too
    pw.officer.setText("李娟")
    assert pw.isComplete()
    with qtbot.waitSignal(wizard.accepted, timeout=10_000):
        wizard.accept()
    db = wizard.database
    assert db is not None and db.node.code == "331122101" and db.node.name == "壶镇镇"
    assert db.actor == "李娟"  # the first officer is at work in this first session
    tasks.run(lambda _c: db.close())
    tasks.wait_idle()
    with open_database(path, "壶镇-Ledger-2024!") as reopened, reopened.session() as s:
        assert reopened.node.role == "township"
        assert [o.name for o in officers.list_officers(s)] == ["李娟"]


@pytest.fixture
def closed_ledger(db: Any) -> Path:
    path = db.path
    db.close()
    return path


def test_wrong_password_message_and_growing_delay(tasks: Any, qtbot: Any, closed_ledger: Path) -> None:
    from ui.start import UnlockDialog, retry_delay_seconds

    dialog = UnlockDialog(tasks, closed_ledger)
    qtbot.addWidget(dialog)
    dialog.show()
    gate = dialog.gate
    for attempt in range(1, 4):
        gate.password.setText(f"wrong-{attempt}")
        gate.submit()
        qtbot.waitUntil(lambda a=attempt: gate.failures == a, timeout=10_000)
        assert "密码错误" in gate.message.text()
    assert retry_delay_seconds(3) == 5 and retry_delay_seconds(4) == 10 and retry_delay_seconds(30) == 300
    assert not gate.button.isEnabled()
    assert "5 秒后再试" in gate.message.text()
    assert dialog.database is None
    gate._wait_left = 1  # the countdown itself is covered by retry_delay_seconds; do not wait 5 s here
    qtbot.waitUntil(gate.button.isEnabled, timeout=3000)
    gate.password.setText(PASSWORD)
    gate.submit()
    qtbot.waitUntil(lambda: dialog.steps.currentWidget() is dialog.picker, timeout=10_000)
    assert dialog.database is None  # the password was right; who is working is asked next
    qtbot.waitUntil(dialog.picker.button.isEnabled, timeout=10_000)
    dialog.picker.new_name.setText("李娟")  # an empty list: the first officer enrols here
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.picker.submit()
    db = dialog.database
    assert db is not None and db.actor == "李娟"
    tasks.run(lambda _c: db.close())
    tasks.wait_idle()


def test_database_in_use_is_explained(tasks: Any, qtbot: Any, closed_ledger: Path) -> None:
    from ui.start import UnlockDialog

    holder = open_database(closed_ledger, PASSWORD)
    try:
        dialog = UnlockDialog(tasks, closed_ledger)
        qtbot.addWidget(dialog)
        dialog.gate.password.setText(PASSWORD)
        dialog.gate.submit()
        qtbot.waitUntil(lambda: "另一个" in dialog.gate.message.text(), timeout=10_000)
        assert dialog.database is None
    finally:
        holder.close()
