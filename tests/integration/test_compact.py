"""``compact``: the ledger is rewritten without its free pages, every row and the audit trail intact; a copy
that cannot be made leaves the file byte for byte as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import WrongPassword
from app.services.audit_check import verify_ledger
from app.storage.database import open_database
from app.storage.replace import NotCompacted, compact
from tests.conftest import PASSWORD
from tests.integration.test_cli_foundation import cli


def _free_pages(db, megabytes: int = 4) -> None:
    """A scratch table of ``megabytes`` dropped again: its pages stay in the file as free pages."""
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE scratch (x BLOB)"))
        conn.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows) "
                "INSERT INTO scratch SELECT randomblob(1000) FROM n"
            ),
            {"rows": megabytes * 1000},
        )
        conn.execute(text("DROP TABLE scratch"))
    db.checkpoint()


def _counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_compact_gives_the_free_pages_back_and_keeps_every_row(db, places) -> None:
    _free_pages(db)
    counts = _counts(db)
    result = compact(db, PASSWORD)
    # 4 MB of dropped rows were free pages: the file shrinks by at least 3.5 MB (page overhead aside)
    assert result.done and result.before - result.after > 3_500_000
    assert db.path.stat().st_size == result.after
    assert _counts(db) == counts and verify_ledger(db).ok
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA freelist_count")).scalar_one() == 0
    assert compact(db, PASSWORD).done is False  # nothing left to give back


def test_compact_refuses_a_wrong_password_and_a_copy_it_cannot_write(db, places) -> None:
    _free_pages(db)
    before = _digest(db.path)
    with pytest.raises(WrongPassword):
        compact(db, "not the password")
    blocker = db.path.with_name(db.path.name + ".rekey-part")
    blocker.mkdir()
    (blocker / "keep").write_text("not ours")  # something in the way that is not a copy of ours
    with pytest.raises(NotCompacted) as refused:
        compact(db, PASSWORD)
    assert "未压缩" in refused.value.zh and "NOT compacted" in refused.value.en
    assert _digest(db.path) == before and (blocker / "keep").exists()
    assert verify_ledger(db).ok  # still open, still the same ledger


def test_cli_compact(tmp_path: Path) -> None:
    assert cli("init", "--db", "x.db", "--code", "331122101", "--name", "壶镇镇", tmp=tmp_path).returncode == 0
    ledger = tmp_path / "x.db"
    with open_database(ledger, "ledger-pw-1") as db:
        _free_pages(db, 2)
    done = cli("compact", "--db", "x.db", tmp=tmp_path)
    assert done.returncode == 0 and "已压缩台账文件" in done.stdout and "Ledger compacted" in done.stdout, done.stderr
    again = cli("compact", "--db", "x.db", tmp=tmp_path)
    assert again.returncode == 0 and "无需压缩" in again.stdout
    assert cli("audit", "verify", "--db", "x.db", tmp=tmp_path).returncode == 0
    wrong = cli("compact", "--db", "x.db", password="wrong-password-9", tmp=tmp_path)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
