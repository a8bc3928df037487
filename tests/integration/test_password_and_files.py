"""A password change that is true, the password rule, restoring into an open ledger, and owner-only files.

Every case runs on a real SQLCipher file. The disk-full case is a real write failure: the child process that
runs ``passwd`` has RLIMIT_FSIZE set below the ledger's size, so the re-encrypted copy cannot be completed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.models import Region
from app.domain.passwords import WeakPassword, password_problem
from app.errors import StorageError, WrongPassword
from app.services.uow import UnitOfWork
from app.storage.database import open_database
from app.storage.replace import change_password, restore_in_place
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "新密码-New-456"


def regions(path: Path, password: str) -> int:
    with open_database(path, password) as db, db.session() as s:
        return s.query(Region).count()


def cli(*args: str, env: dict[str, str], limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def cap_file_size() -> None:  # runs in the child only: a disk that fills up at ``limit`` bytes per file
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death; an ignored signal survives exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))  # type: ignore[arg-type]

    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap_file_size if limit else None,
    )


@pytest.fixture
def ledger(db, places, db_path: Path) -> Path:
    """The 5 places plus 300 villages, so the file is large enough to run out of room half-way."""
    with UnitOfWork(db) as uow:
        for n in range(300):
            uow.add(
                Region(code=f"331122101{n + 100:03d}", name=f"测试村{n}", level="village", parent_id=places.township_id)
            )
    db.checkpoint()
    db.close()
    return db_path


@pytest.mark.posix("RLIMIT_FSIZE and SIGXFSZ make the disk 'full'; Windows has no per-process file size limit")
def test_passwd_on_a_full_disk_fails_and_the_old_password_still_opens(ledger: Path) -> None:
    size = ledger.stat().st_size
    env = {"BANGFU_PASSWORD": PASSWORD, "BANGFU_NEW_PASSWORD": NEW_PASSWORD}
    result = cli("passwd", "--db", str(ledger), env=env, limit=size // 2)
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "密码未修改" in last and "NOT changed" in last
    assert "密码已修改" not in result.stdout
    assert regions(ledger, PASSWORD) == 5 + 300  # the old password opens every row
    with pytest.raises(WrongPassword):
        open_database(ledger, NEW_PASSWORD)
    assert sorted(p.name for p in ledger.parent.iterdir() if "rekey" in p.name) == []


def test_passwd_with_room_changes_it_for_real(ledger: Path) -> None:
    env = {"BANGFU_PASSWORD": PASSWORD, "BANGFU_NEW_PASSWORD": NEW_PASSWORD}
    result = cli("passwd", "--db", str(ledger), env=env)
    assert result.returncode == 0, result.stderr
    assert "密码已修改" in result.stdout and "旧密码" in result.stdout  # and the warning about older backups
    with pytest.raises(WrongPassword):
        open_database(ledger, PASSWORD)
    assert regions(ledger, NEW_PASSWORD) == 305
    with open_database(ledger, NEW_PASSWORD) as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"


def test_change_password_keeps_the_open_ledger_working(db, places, db_path: Path) -> None:
    change_password(db, PASSWORD, NEW_PASSWORD)
    with UnitOfWork(db) as uow:  # the same Database object writes on under the new key
        uow.add(Region(code="331122101099", name="新村", level="village", parent_id=places.township_id))
    db.close()
    assert regions(db_path, NEW_PASSWORD) == 6


def test_a_wrong_old_or_weak_new_password_changes_nothing(db, places, db_path: Path) -> None:
    with pytest.raises(WrongPassword):
        change_password(db, "not-the-password", NEW_PASSWORD)
    with pytest.raises(WeakPassword, match="too short"):
        change_password(db, PASSWORD, "abc123")
    with pytest.raises(WeakPassword, match="digits only"):
        change_password(db, PASSWORD, "1234567890")
    db.close()
    assert regions(db_path, PASSWORD) == 5


@pytest.mark.parametrize(
    ("password", "ok"),
    [("", False), ("Ab1-xyz", False), ("12345678", False), ("１２３４５６７８", False), ("abcdefgh", True),
     ("1234567a", True), ("壶镇镇扶贫台账", False), ("壶镇镇扶贫台账01", True)],
)  # fmt: skip
def test_password_rule(password: str, ok: bool) -> None:
    # 8 characters at least (壶镇镇扶贫台账 has 7), and not digits only (full-width digits are digits too)
    assert (password_problem(password) is None) is ok


def test_init_refuses_a_weak_password_and_leaves_no_file(tmp_path: Path) -> None:
    for weak in ("short", "20261130"):
        result = cli("init", "--db", str(tmp_path / "x.db"), "--code", "331122101", env={"BANGFU_PASSWORD": weak})
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert " / " in result.stderr.strip().splitlines()[-1]
        assert not (tmp_path / "x.db").exists()


def test_restore_into_the_open_ledger(db, places, db_path: Path, tmp_path: Path) -> None:
    copy = db.backup(tmp_path / "copy.db")
    with UnitOfWork(db) as uow:
        uow.add(Region(code="331122101099", name="新村", level="village", parent_id=places.township_id))
    keep = tmp_path / "kept"
    keep.mkdir()
    restored = restore_in_place(db, copy, PASSWORD, keep)
    with db.session() as s:  # the same object now reads the restored file
        assert s.query(Region).count() == 5
    assert db.node.code == "331122101"
    assert restored.kept is not None and restored.kept.parent == keep
    db.close()
    assert regions(restored.kept, PASSWORD) == 6  # the replaced ledger, kept whole


@pytest.mark.parametrize("in_place", [True, False])
def test_a_restored_backup_s_stored_indicator_sums_are_not_trusted(db, places, db_path, tmp_path, in_place) -> None:
    """A backup comes from outside. Sums the indicators stored in it (per village, with the village's stamp)
    are covered by no audit check, so a file whose sums were edited — stamps left matching — must not put
    them on the dashboard: a restore drops them and gives every village a new stamp, in the open ledger (设置 →
    从备份恢复) and by the CLI's restore of a closed one."""
    from app.domain.models import Household
    from app.services.indicators import clear_cache, compute
    from app.storage.replace import restore_file

    with UnitOfWork(db) as uow:
        for n in range(3):  # three households, none paired: coverage 0 of 3
            uow.add(Household(village_id=places.village_ids[0], head_name=f"户主{n}", head_id_number=f"X{n}",
                              category="other", primary_cause="illness"))  # fmt: skip
    with db.session() as s:
        truth = compute(s, "coverage_households", cache=False)
    with db.session() as s:  # stored when the session that computed them ended
        assert s.execute(text("SELECT count(*) FROM indicator_partials")).scalar()
    copy = db.backup(tmp_path / "copy.db")
    with open_database(copy, PASSWORD) as edited, edited.engine.begin() as conn:  # sums edited, stamps kept
        conn.execute(text("UPDATE indicator_partials SET s0 = 900, s1 = 0 WHERE key = 'coverage_households'"))
    if in_place:
        restore_in_place(db, copy, PASSWORD, None)
    else:
        db.close()
        restore_file(copy, db_path, PASSWORD)
        db = open_database(db_path, PASSWORD)
    clear_cache()
    with db.session() as s:
        figure = compute(s, "coverage_households", cache=False)
    assert (figure.numerator, figure.denominator) == (truth.numerator, truth.denominator) == (0, 3)
    db.close()


def test_restore_refuses_another_nodes_backup_and_a_wrong_password(db, places, tmp_path: Path) -> None:
    from app.storage.database import create_database

    other = create_database(tmp_path / "other.db", PASSWORD)
    other.set_node("331122102", "东方镇", "township")
    other.close()
    with pytest.raises(StorageError, match="331122102"):
        restore_in_place(db, tmp_path / "other.db", PASSWORD, tmp_path)
    copy = db.backup(tmp_path / "copy.db")
    with pytest.raises(WrongPassword):
        restore_in_place(db, copy, "not-the-password", tmp_path)
    with db.session() as s:
        assert s.query(Region).count() == 5


@pytest.mark.posix("owner-only permission bits (0700/0600); Windows keeps %LOCALAPPDATA% private by its ACLs")
def test_data_folder_and_files_are_the_owners_only(tmp_path: Path) -> None:
    from app import paths
    from app.storage.database import create_database

    paths.set_data_dir(tmp_path / "data")
    try:
        folder = paths.data_dir()
        db = create_database(paths.default_database(), PASSWORD)
        db.set_node("331122101", "壶镇镇", "township")
        backup = db.backup(paths.backups_dir())
        paths.logs_dir()
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        mode = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if not p.name.endswith(".lock")}
        db.close()
    finally:
        paths.set_data_dir(None)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert mode["backups"] == 0o700
    assert mode["bangfu.db"] == 0o600 and mode["bangfu.db-wal"] == 0o600 and mode["bangfu.db-shm"] == 0o600
    assert mode[backup.name] == 0o600
    assert mode["logs"] == 0o700


def test_a_cancelled_backup_leaves_no_file(ledger: Path, tmp_path: Path) -> None:
    from app.storage.database import BackupCancelled

    target = tmp_path / "stick"
    target.mkdir()
    seen: list[tuple[int, int]] = []
    with open_database(ledger, PASSWORD) as db:
        with pytest.raises(BackupCancelled):
            db.backup(target, progress=lambda done, total: seen.append((done, total)), cancel=lambda: bool(seen))
        assert list(target.iterdir()) == []  # not even the .part
        assert len(seen) == 1  # the file is one 1 MiB chunk: copied, then the cancel seen before the rename
        made = db.backup(target, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == ledger.stat().st_size
    assert regions(made, PASSWORD) == 305


def test_reencrypting_a_backup_that_has_its_wal_beside_it(db, places, db_path: Path, tmp_path: Path) -> None:
    """A kept copy from before a restore comes with its WAL (uncheckpointed changes): they are in the
    re-encrypted file, and nothing of the old WAL is left to be replayed into it."""
    import shutil

    from app.storage.replace import reencrypt_file

    with UnitOfWork(db) as uow:  # in the WAL only, not yet in the main file
        uow.add(Region(code="331122101099", name="新村", level="village", parent_id=places.township_id))
    kept = tmp_path / "kept.db"
    shutil.copyfile(db_path, kept)
    shutil.copyfile(db_path.with_name(db_path.name + "-wal"), tmp_path / "kept.db-wal")
    reencrypt_file(kept, PASSWORD, NEW_PASSWORD)
    assert not (tmp_path / "kept.db-wal").exists()
    assert regions(kept, NEW_PASSWORD) == 6


def test_a_full_audit_verify_leaves_no_stored_indicator_sums_behind(db, places) -> None:
    """The stored per-village sums are covered by neither the chain nor the rows check; an edit of them in the
    file (stamps left matching) would outlive ``audit verify``. After a full check every figure is computed
    again from the data just checked; an incremental check leaves them."""
    from app.domain.models import Household
    from app.services.audit_check import verify_ledger
    from app.services.indicators import clear_cache, compute

    with UnitOfWork(db) as uow:
        for n in range(3):
            uow.add(Household(village_id=places.village_ids[0], head_name=f"户主{n}", head_id_number=f"X{n}",
                              category="other", primary_cause="illness"))  # fmt: skip
    with db.session() as s:
        compute(s, "coverage_households", cache=False)
    with db.engine.begin() as conn:  # the file edited behind the program's back
        conn.execute(text("UPDATE indicator_partials SET s0 = 900, s1 = 0 WHERE key = 'coverage_households'"))
    assert verify_ledger(db, incremental=True).ok
    with db.session() as s:
        assert s.execute(text("SELECT max(s0) FROM indicator_partials")).scalar() == 900
    assert verify_ledger(db).ok
    clear_cache()
    with db.session() as s:
        figure = compute(s, "coverage_households", cache=False)
    assert (figure.numerator, figure.denominator) == (0, 3)  # 3 households on the register, none paired
