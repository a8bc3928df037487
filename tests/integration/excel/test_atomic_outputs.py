"""Exports and reports never leave a partial file under the final name, nor a plaintext temporary file
outside the destination folder: after a full disk, a cancel or kill -9 / TerminateProcess (``app.io.atomic``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.io import atomic
from app.io.xlsx import Column, WorkbookWriter
from tests.integration.test_cli_foundation import ROOT, cli

PASSWORD = "ledger-pw-1"  # what tests.integration.test_cli_foundation.cli creates ledgers with


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    assert cli("init", "--db", "d.db", "--code", "331102103", tmp=folder).returncode == 0
    assert cli("demo", "--db", "d.db", "--households", "1500", tmp=folder).returncode == 0
    return folder / "d.db"


def _export(db: Path, out: Path, tmp: Path, **popen: object) -> subprocess.Popen[str]:
    env = {**os.environ, "BANGFU_PASSWORD": PASSWORD, "BANGFU_DATA_DIR": str(tmp / "data"), "TMPDIR": str(tmp)}
    cmd = [sys.executable, str(ROOT / "main.py"), "export-excel", "--db", str(db), "--ledger", "visits", "--full-ids"]
    return subprocess.Popen(
        [*cmd, str(out)], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen
    )  # type: ignore[call-overload]


def test_a_kill_during_an_export_leaves_no_file_under_the_final_name_and_no_system_temp_file(
    demo_ledger: Path, tmp_path: Path
) -> None:
    system_tmp = tmp_path / "systemp"
    system_tmp.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    child = _export(demo_ledger, out / "visits.xlsx", system_tmp)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(atomic.PREFIX) for p in out.iterdir()):  # the export has started writing
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up code runs either way
    child.wait()
    assert not (out / "visits.xlsx").exists()
    assert [p for p in system_tmp.rglob("*") if p.is_file()] == []  # rows with full IDs never went there
    leftovers = [p for p in out.rglob("*") if p.is_file()]  # only inside the prefixed work folder
    assert all(p.name.startswith(atomic.PREFIX) or p.parent.name.startswith(atomic.PREFIX) for p in leftovers)
    again = _export(demo_ledger, out / "visits.xlsx", system_tmp)  # the next export clears what kill -9 left
    assert again.wait(120) == 0, again.stderr.read() if again.stderr else ""
    assert [p.name for p in out.iterdir()] == ["visits.xlsx"]


@pytest.mark.posix("RLIMIT_FSIZE makes the disk 'full'; Windows has no per-process file size limit")
def test_a_full_disk_keeps_the_previous_file_and_says_so_in_one_line(demo_ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "visits.xlsx"
    out.write_bytes(b"last month's export")

    def small_disk() -> None:  # the process may write files of at most 200 KB (Python ignores SIGXFSZ)
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    child = _export(demo_ledger, out, tmp_path, preexec_fn=small_disk)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == 2
    assert stderr.strip().splitlines() == [stderr.strip()] and "无法写入目标文件" in stderr and " / " in stderr
    assert out.read_bytes() == b"last month's export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(atomic.PREFIX)] == []


def test_a_failed_write_in_process_discards_the_part_and_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), WorkbookWriter(out) as writer:
        writer.table_sheet("s", "t", [Column("a")], [["x"]])
        raise RuntimeError("cancelled half-way")
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    with WorkbookWriter(out) as writer:
        writer.table_sheet("s", "t", [Column("a")], [["x"]])
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
