"""设置 → 台账文件, driven through the real widgets on a real encrypted ledger: backup with the reminder,
restore into the open ledger (the replaced file kept), and a password change that re-encrypts old backups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import Household
from app.errors import WrongPassword
from app.services import backups
from app.storage.database import open_database
from app.storage.replace import _probe
from tests.conftest import PASSWORD

NEW_PASSWORD = "壶镇-New-2026"


def households(db: Any) -> int:
    with db.session() as s:
        return s.query(Household).filter(Household.deleted.is_(False)).count()


def settings_box(window: Any, qtbot: Any) -> Any:
    window.open_page("settings")
    box = window.page("settings").file_box
    qtbot.waitUntil(lambda: box.last_label.text() != "", timeout=10_000)
    return box


def test_backup_to_a_folder_and_the_reminder(window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from ui.pages import ledger_file

    db = window.ctx.db
    box = settings_box(window, qtbot)
    # Never backed up: the reminder shows on the page and in the status bar.
    assert "尚未备份" in box.last_label.text()
    assert box.reminder.isVisibleTo(box) and "还没有备份过" in box.reminder.text()
    qtbot.waitUntil(lambda: window.backup_label.isVisibleTo(window), timeout=10_000)

    stick = tmp_path / "usb"
    stick.mkdir()
    monkeypatch.setattr(ledger_file, "choose_backup_folder", lambda _p: str(stick))
    box.backup_button.click()
    qtbot.waitUntil(lambda: "已备份到" in box.result.text(), timeout=20_000)
    made = list(stick.glob("*.db"))
    assert len(made) == 1 and not list(stick.glob("*.part"))
    with open_database(made[0], PASSWORD) as copy:  # the backup opens with the ledger's password, same rows
        assert households(copy) == households(db) == 60
    qtbot.waitUntil(lambda: "0 天前" in box.last_label.text() and str(stick) in box.last_label.text(), timeout=10_000)
    assert not box.reminder.isVisibleTo(box)
    qtbot.waitUntil(lambda: not window.backup_label.isVisibleTo(window), timeout=10_000)

    # A backup 8 days old is older than the 7-day interval: reminded again, with the number of days.
    backups.record(db.path, made[0], datetime.now(UTC) - timedelta(days=8))
    box.reload()
    qtbot.waitUntil(lambda: box.reminder.isVisibleTo(box), timeout=10_000)
    assert "8 天前" in box.last_label.text() and "已超过 7 天未备份" in box.reminder.text()  # default: 7 days


def test_restore_keeps_the_current_file(window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from ui.pages import ledger_file

    db = window.ctx.db
    copy = db.backup(tmp_path / "before.db")
    _delete_one(db)
    assert households(db) == 59
    box = settings_box(window, qtbot)
    asked: list[str] = []
    monkeypatch.setattr(ledger_file, "choose_backup_file", lambda _p: str(copy))
    monkeypatch.setattr(ledger_file, "ask_backup_password", lambda _p: PASSWORD)
    monkeypatch.setattr(ledger_file, "confirm", lambda _p, _t, text: asked.append(text) or True)
    box.restore_button.click()
    qtbot.waitUntil(lambda: "当前文件已保留为" in box.result.text(), timeout=20_000)
    assert "before.db" in asked[0] and "另存" in asked[0]
    assert households(db) == 60  # the open ledger now reads the backup
    kept = Path(box.result.text().split("当前文件已保留为 ")[1].strip())
    with open_database(kept, PASSWORD) as before_restore:  # and the replaced file is kept whole
        assert households(before_restore) == 59


def _first_household_id(db: Any) -> str:
    with db.session() as s:
        return str(s.query(Household.id).order_by(Household.id).first()[0])


def _delete_one(db: Any) -> None:
    """Tombstone one household through the unit of work (a real, audited change)."""
    from app.services.uow import UnitOfWork

    with UnitOfWork(db) as uow:
        row = uow.session.get(Household, _first_household_id(db))
        row.deleted = True


@pytest.mark.parametrize("choice", ["reencrypt", "remove"])
def test_change_password_then_deal_with_old_backups(
    window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any, choice: str
) -> None:
    db = window.ctx.db
    old_backup = backups.make_backup(db, tmp_path)
    box = settings_box(window, qtbot)
    dialog = box.change_password()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.old.setText(PASSWORD)
    for weak, why in (("abc123", "太短"), ("1234567890", "全是数字")):
        dialog.new.setText(weak)
        dialog.again.setText(weak)
        assert why in dialog.hint.text() and not ok.isEnabled()
    dialog.new.setText(NEW_PASSWORD)
    dialog.again.setText(NEW_PASSWORD + "x")
    assert "不一致" in dialog.hint.text() and not ok.isEnabled()
    dialog.again.setText(NEW_PASSWORD)
    assert ok.isEnabled()
    ok.click()
    qtbot.waitUntil(lambda: box.old_backups_box is not None, timeout=20_000)
    assert "1 个旧备份" in box.old_backups_box.text()
    assert str(old_backup) in box.old_backups_box.informativeText()
    # The file on disk is keyed with the new password only.
    _probe(db.path, NEW_PASSWORD).close()
    with pytest.raises(WrongPassword):
        _probe(db.path, PASSWORD)
    assert households(db) == 60  # and the open ledger goes on working

    box.old_backups_box.findChild(type(ok), choice).click()
    if choice == "reencrypt":
        qtbot.waitUntil(lambda: "已用新密码重新加密 1 个旧备份" in box.result.text(), timeout=20_000)
        with open_database(old_backup, NEW_PASSWORD) as copy:
            assert households(copy) == 60
        with pytest.raises(WrongPassword):
            open_database(old_backup, PASSWORD)
    else:
        qtbot.waitUntil(lambda: "已删除 1 个旧备份" in box.result.text(), timeout=20_000)
        assert not old_backup.exists()
        assert backups.history(db.path) == []

    # The lock screen now wants the new password.
    window.lock()
    window.gate.password.setText(PASSWORD)
    window.gate.submit()
    qtbot.waitUntil(lambda: "密码错误" in window.gate.message.text(), timeout=10_000)
    window.gate.password.setText(NEW_PASSWORD)
    window.gate.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 2 and window.picker.button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(window.locked_changed, timeout=10_000):
        window.picker.submit()  # then who is working, as after every unlock


def test_a_password_change_that_fails_says_so_and_changes_nothing(window: Any, qtbot: Any) -> None:
    """The copy cannot be written (its temporary name is taken by a folder: a real write failure the test can
    make as root); the window reports it, the old password still opens the file and unlocks the window."""
    from ui.errors import last_message_box

    db = window.ctx.db
    (db.path.with_name(db.path.name + ".rekey-part")).mkdir()
    box = settings_box(window, qtbot)
    dialog = box.change_password()
    dialog.old.setText(PASSWORD)
    dialog.new.setText(NEW_PASSWORD)
    dialog.again.setText(NEW_PASSWORD)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "密码未修改" in box.result.text(), timeout=20_000)
    assert "原密码仍然有效" in box.result.text() and "已修改" not in box.result.text()
    shown = last_message_box()
    assert shown is not None and "密码未修改" in shown.text()
    _probe(db.path, PASSWORD).close()
    with pytest.raises(WrongPassword):
        _probe(db.path, NEW_PASSWORD)
    assert households(db) == 60
    window.lock()
    window.gate.password.setText(PASSWORD)
    window.gate.submit()
    qtbot.waitUntil(lambda: window.root.currentIndex() == 2 and window.picker.button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(window.locked_changed, timeout=10_000):
        window.picker.submit()
