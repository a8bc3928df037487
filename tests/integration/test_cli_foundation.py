"""The foundation commands as a script uses them: real processes, exit codes, one-line bilingual errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain import lishui
from app.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, password: str | None = "ledger-pw-1", tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "BANGFU_PASSWORD"}
    environ.update(BANGFU_DATA_DIR=str(tmp / "data"), **env)
    if password is not None:
        environ["BANGFU_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_clean_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert " / " in result.stderr.strip().splitlines()[-1]  # Chinese / English on one line


@pytest.fixture(scope="session")
def initialized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger made by a real ``init`` process, once per session (a process and its migrations cost seconds)."""
    folder = tmp_path_factory.mktemp("init")
    result = cli("init", "--db", "x.db", "--code", "331122101", "--name", "壶镇镇", tmp=folder)
    assert result.returncode == 0, result.stderr
    return folder / "x.db"


@pytest.fixture
def ledger(initialized: Path, tmp_path: Path) -> Path:
    """A copy of the ``init`` ledger for one test (the process closed it: one self-contained file)."""
    shutil.copyfile(initialized, tmp_path / "x.db")
    return tmp_path / "x.db"


def test_init_creates_node_and_places(ledger: Path, tmp_path: Path) -> None:
    with open_database(ledger, "ledger-pw-1") as db, db.engine.connect() as conn:
        assert db.node.code == "331122101" and db.node.role == "township"
        codes = {r[0] for r in conn.execute(text("SELECT code FROM region"))}
    # city, county, township, and every village the NBS 2023 list names under 壶镇镇
    villages = {v.code for v in lishui.villages("331122101")}
    assert len(villages) > 20
    assert codes == {"331100", "331122", "331122101"} | villages


def test_init_refuses_existing_file_and_bad_code(ledger: Path, tmp_path: Path) -> None:
    assert_clean_error(cli("init", "--db", "x.db", "--code", "331122101", "--name", "壶镇镇", tmp=tmp_path), 2)
    assert_clean_error(cli("init", "--db", "y.db", "--code", "12345", tmp=tmp_path), 2)
    assert not (tmp_path / "y.db").exists()
    assert_clean_error(cli("init", "--db", "z.db", "--code", "110101001", "--name", "北京某镇", tmp=tmp_path), 2)
    assert not (tmp_path / "z.db").exists()


def test_password_never_from_an_argument_and_missing_password_is_usage_error(ledger: Path, tmp_path: Path) -> None:
    assert_clean_error(cli("audit", "verify", "--db", "x.db", "--password", "ledger-pw-1", tmp=tmp_path), 2)
    assert_clean_error(cli("audit", "verify", "--db", "x.db", password=None, tmp=tmp_path), 2)


def test_password_file(ledger: Path, tmp_path: Path) -> None:
    (tmp_path / "pw.txt").write_text("ledger-pw-1\n", encoding="utf-8")
    result = cli("audit", "verify", "--db", "x.db", "--password-file", "pw.txt", password=None, tmp=tmp_path)
    assert result.returncode == 0, result.stderr


def test_wrong_password_exit_2(ledger: Path, tmp_path: Path) -> None:
    result = cli("audit", "verify", "--db", "x.db", password="nope", tmp=tmp_path)
    assert_clean_error(result, 2)
    assert "密码错误" in result.stderr


def test_missing_and_junk_files_exit_2(tmp_path: Path) -> None:
    assert_clean_error(cli("audit", "verify", "--db", "none.db", tmp=tmp_path), 2)
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert_clean_error(cli("audit", "verify", "--db", "junk.db", tmp=tmp_path), 2)


def test_audit_verify_catches_an_edited_row(ledger: Path, tmp_path: Path) -> None:
    ok = cli("audit", "verify", "--db", "x.db", tmp=tmp_path)
    assert ok.returncode == 0 and "审计校验通过" in ok.stdout
    with open_database(ledger, "ledger-pw-1") as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE region SET name = '改过的名字' WHERE code = '331122'"))
    bad = cli("audit", "verify", "--db", "x.db", tmp=tmp_path)
    assert bad.returncode == 1
    assert "region" in bad.stdout and "name" in bad.stdout


def test_audit_verify_incremental_hashes_only_what_is_new(ledger: Path, tmp_path: Path) -> None:
    first = cli("audit", "verify", "--incremental", "--chain-only", "--json", "--db", "x.db", tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    # init wrote the city, county and township rows, the township's official villages, an "init" event and
    # the first officer: 3 + villages + 1 + 1 entries (壶镇镇: 3 + 50 + 1 + 1 = 55), all new to a first walk
    # (no head verified yet, so a full one)
    from app.domain.lishui import villages

    written = 3 + len(villages("331122101")) + 1 + 1
    assert f'"entries": {written}' in first.stdout and '"incremental": false' in first.stdout
    again = cli("audit", "verify", "--incremental", "--db", "x.db", tmp=tmp_path)
    assert again.returncode == 0 and "新增 0 条记录" in again.stdout and "0 new entries" in again.stdout
    assert "涉及的 0 行数据相符" in again.stdout and "the 0 data rows they touch match" in again.stdout
    with open_database(ledger, "ledger-pw-1") as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET hash = 'x' WHERE node_seq = :n"), {"n": written})  # the head
    bad = cli("audit", "verify", "--incremental", "--db", "x.db", tmp=tmp_path)
    assert bad.returncode == 1 and "上次校验后" in bad.stdout and "officer" in bad.stdout  # the first officer


def test_backup_passwd_restore(ledger: Path, tmp_path: Path) -> None:
    assert cli("backup", "--db", "x.db", "--to", "copy.db", tmp=tmp_path).returncode == 0
    changed = cli("passwd", "--db", "x.db", tmp=tmp_path, BANGFU_NEW_PASSWORD="ledger-pw-2")
    assert changed.returncode == 0, changed.stderr
    assert_clean_error(cli("audit", "verify", "--db", "x.db", tmp=tmp_path), 2)
    assert cli("audit", "verify", "--db", "x.db", password="ledger-pw-2", tmp=tmp_path).returncode == 0
    restored = cli("restore", "--db", "x.db", "copy.db", tmp=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert cli("audit", "verify", "--db", "x.db", tmp=tmp_path).returncode == 0
    kept = list((tmp_path / "data" / "backups").glob("x-before-restore-*.db"))
    assert len(kept) == 1
    with open_database(kept[0], "ledger-pw-2"):
        pass


def test_unknown_command_is_usage_error(tmp_path: Path) -> None:
    result = cli("frobnicate", tmp=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_output_into_a_closed_pipe_is_not_an_error(ledger: Path, tmp_path: Path) -> None:
    environ = {**os.environ, "BANGFU_PASSWORD": "ledger-pw-1", "BANGFU_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", "x.db"],
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -0`: nobody reads
    _, err = proc.communicate(timeout=60)
    assert err == b""
    assert proc.returncode == 0


def test_main_outside_an_environment_says_how_to_set_up(tmp_path: Path) -> None:
    """``python3 main.py`` by a Python without the dependencies (-S: no site-packages) gives one line on how to
    set up, exit 2, no traceback (it used to die on ``No module named 'platformdirs'``). A checkout without .venv:
    main.py alone in a folder."""
    (tmp_path / "main.py").write_bytes((ROOT / "main.py").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-S", str(tmp_path / "main.py"), "stats", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "python3 dev.py demo" in lines[0] and " / " in lines[0]


def test_cli_output_survives_a_code_page_without_chinese(tmp_path: Path) -> None:
    """Redirected output on an English Windows is cp1252: ``init`` used to die there with an internal error
    (seen running the installed bangfu-cli.exe under Wine). The streams switch to UTF-8 instead."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "BANGFU_PASSWORD": "Cp1252-测试-pass"}
    db = tmp_path / "x.db"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "init", "--db", str(db), "--code", "331122101", "--name", "壶镇镇"],
        capture_output=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "已创建数据库 / Created database" in proc.stdout.decode("utf-8") and db.exists()
