"""The encrypted file under bad conditions: wrong password, junk, truncation, newer schema, second opener,
disk full during backup. Every case: a typed error, and the file on disk exactly as before."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.models import Region
from app.errors import DatabaseExists, DatabaseInUse, DatabaseTooNew, NotADatabase, WrongPassword
from app.services.uow import UnitOfWork
from app.storage.database import create_database, open_database
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed_db(db, places, db_path: Path) -> Path:
    """A ledger with a few rows, closed and checkpointed, so the main file holds everything."""
    db.checkpoint()
    db.close()
    return db_path


def test_wrong_password_is_refused_and_file_untouched(closed_db: Path) -> None:
    before = digest(closed_db)
    with pytest.raises(WrongPassword) as info:
        open_database(closed_db, "not the password")
    assert "密码错误" in info.value.zh and "Wrong password" in info.value.en
    assert "not the password" not in info.value.zh + info.value.en
    assert digest(closed_db) == before
    assert not closed_db.with_name(closed_db.name + "-wal").exists()
    with open_database(closed_db, PASSWORD) as db, db.session() as s:
        assert s.query(Region).count() == 5


def test_file_is_unreadable_to_plain_sqlite(closed_db: Path) -> None:
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(closed_db).execute("SELECT * FROM sqlite_master").fetchall()
    assert b"SQLite format 3" not in closed_db.read_bytes()[:16]
    assert "壶镇镇".encode() not in closed_db.read_bytes()


@pytest.mark.parametrize(
    "content",
    [b"", b"hello world" * 10, b"\x00" * 4096, b"PK\x03\x04 this is a zip, not a database" * 200],
    ids=["empty", "text", "zeros", "zip"],
)
def test_junk_file_is_not_a_database(tmp_path: Path, content: bytes) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(content)
    with pytest.raises((NotADatabase, WrongPassword)):
        open_database(junk, PASSWORD)
    assert junk.read_bytes() == content


def test_plain_sqlite_file_is_named_as_such(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t(x)").connection.commit()
    before = digest(plain)
    with pytest.raises(NotADatabase) as info:
        open_database(plain, PASSWORD)
    assert "未加密" in info.value.zh
    assert digest(plain) == before


def test_truncated_database_is_refused(closed_db: Path) -> None:
    data = closed_db.read_bytes()
    assert len(data) > 3 * 4096
    for cut in (len(data) // 2 + 100, 4096 * 2):
        closed_db.write_bytes(data[:cut])
        with pytest.raises((NotADatabase, WrongPassword)):
            open_database(closed_db, PASSWORD)
        assert closed_db.read_bytes() == data[:cut]


def test_database_from_newer_schema_is_refused_untouched(closed_db: Path) -> None:
    with open_database(closed_db, PASSWORD) as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    before = digest(closed_db)
    with pytest.raises(DatabaseTooNew) as info:
        open_database(closed_db, PASSWORD)
    assert "9999_future" in info.value.en and "升级" in info.value.zh
    assert digest(closed_db) == before


def test_create_refuses_to_overwrite(closed_db: Path) -> None:
    before = digest(closed_db)
    with pytest.raises(DatabaseExists):
        create_database(closed_db, "other")
    assert digest(closed_db) == before


def test_second_process_cannot_open_the_same_file(closed_db: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from app.storage.database import open_database
                db = open_database({str(closed_db)!r}, {PASSWORD!r})
                print("open", flush=True)
                sys.stdin.readline()
                db.close()
                """
            ),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseInUse) as info:
            open_database(closed_db, PASSWORD)
        assert "另一个" in info.value.zh
    finally:
        holder.communicate("\n", timeout=30)
    with open_database(closed_db, PASSWORD):
        pass  # free again once the other process closed it


def test_same_process_cannot_open_twice(db, db_path: Path) -> None:
    with pytest.raises(DatabaseInUse):
        open_database(db_path, PASSWORD)


@pytest.mark.posix("RLIMIT_FSIZE and SIGXFSZ make the disk 'full'; Windows has no per-process file size limit")
def test_disk_full_during_backup_leaves_original_and_no_partial_file(closed_db: Path, tmp_path: Path) -> None:
    """The copy runs out of space half-way (a real write failure: RLIMIT_FSIZE in a child process)."""
    before = digest(closed_db)
    target = tmp_path / "backups"
    target.mkdir()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from app.storage.database import open_database
        from app.errors import BackupFailed
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        db = open_database({str(closed_db)!r}, {PASSWORD!r})
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, resource.RLIM_INFINITY))
        try:
            db.backup({str(target)!r})
        except BackupFailed as exc:
            print(exc.zh)
            sys.exit(3)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            db.close()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "备份失败" in result.stdout and "原数据库未受影响" in result.stdout
    assert list(target.iterdir()) == []
    assert digest(closed_db) == before
    with open_database(closed_db, PASSWORD) as db, db.session() as s:
        assert s.query(Region).count() == 5


def test_backup_restore_round_trip(db, places, db_path: Path, tmp_path: Path) -> None:
    from app.storage.database import restore_database

    copy = db.backup(tmp_path / "copy.db")
    with UnitOfWork(db) as uow:
        uow.add(Region(code="331122101099", name="新村", level="village", parent_id=places.township_id))
    db.close()
    kept = restore_database(copy, db_path, PASSWORD, keep_dir=tmp_path)
    with open_database(db_path, PASSWORD) as reopened, reopened.session() as s:
        assert s.query(Region).filter_by(code="331122101099").count() == 0
    assert kept is not None
    with open_database(kept, PASSWORD) as undone, undone.session() as s:
        assert s.query(Region).filter_by(code="331122101099").count() == 1


def test_rekey_changes_password(db, places, db_path: Path) -> None:
    with pytest.raises(WrongPassword):
        db.rekey("wrong old", "new-pass")
    db.rekey(PASSWORD, "new-pass")
    db.close()
    with pytest.raises(WrongPassword):
        open_database(db_path, PASSWORD)
    with open_database(db_path, "new-pass") as reopened, reopened.session() as s:
        assert s.query(Region).count() == 5


def test_page_cache_grows_with_a_hubs_file_and_scans_give_it_back(closed_db: Path) -> None:
    """256 MiB for a township's ledger; an eighth of the file, up to 1 GiB, for a city's (500,000 households
    is a ~9–14 GB file). A whole-file scan runs on 16 MiB and hands the connection its own size back."""
    from app.storage.database import page_cache_kib, scan_cache

    gib_pages = (1 << 30) // 4096
    assert page_cache_kib(0) == page_cache_kib(gib_pages) == 256 * 1024  # a 1 GiB file: 128 MiB < 256 MiB
    assert page_cache_kib(6 * gib_pages) == 768 * 1024  # 6 GiB / 8
    assert page_cache_kib(14 * gib_pages) == 1024 * 1024  # 14 GiB / 8 = 1.75 GiB, capped
    db = open_database(closed_db, PASSWORD)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -256 * 1024
            with scan_cache(conn):
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -16 * 1024
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -256 * 1024
    finally:
        db.close()


def test_bound_none_and_blobs_are_stored_as_given(db) -> None:
    """The driver's fast paths for ``None`` and BLOBs (``database._bind_fast_paths``) store exactly what a
    plain bind stores: NULL stays NULL (not the text 'None', not an empty BLOB), bytes and memoryview the
    same BLOB, and an int bound beside them stays an integer."""
    blob = bytes(range(256)) * 3
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE bound (n, b, m, i)")
        conn.exec_driver_sql("INSERT INTO bound VALUES (?, ?, ?, ?)", [(None, blob, memoryview(blob), 7)] * 2)
        rows = conn.exec_driver_sql("SELECT typeof(n), n, typeof(b), b, typeof(m), m, typeof(i), i FROM bound")
        assert rows.all() == [("null", None, "blob", blob, "blob", blob, "integer", 7)] * 2
