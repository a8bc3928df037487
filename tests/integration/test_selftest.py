"""``--self-test`` and ``--startup-timing`` from the source tree (the frozen build runs the same code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__, selftest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "启动-Startup-123"


def _program(*args: str, data_dir: Path, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    if password is not None:
        env["BANGFU_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_self_test_passes_and_leaves_the_user_data_alone(tmp_path: Path) -> None:
    data = tmp_path / "user-data"
    data.mkdir()
    (data / "bangfu.db").write_bytes(b"the user's ledger")
    proc = _program("--self-test", data_dir=data)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((data / selftest.RESULT_NAME).read_text(encoding="utf-8"))
    assert report["ok"] and report["version"] == __version__ and not report["frozen"]
    names = [c["name"] for c in report["checks"]]
    assert (
        names[:4] == ["imports", "no-plain-export", "resources", "database"]
        and "main-window" in names
        and "chart" in names
    )
    assert all(c["status"] in ("ok", "skipped") for c in report["checks"])
    assert (data / "bangfu.db").read_bytes() == b"the user's ledger"
    pictures = ["self-test-chart.png", "self-test-main-window.png"]
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == sorted(
        ["bangfu.db", selftest.RESULT_NAME, *pictures]
    )
    assert all((data / picture).stat().st_size > 1000 for picture in pictures)
    assert "全部通过 / all passed" in proc.stdout


@pytest.mark.slow
def test_startup_timing_unlocks_a_ledger_and_reports_the_main_window(tmp_path: Path) -> None:
    from app.services import officers
    from app.storage.database import create_database

    ledger = tmp_path / "ledger.db"
    db = create_database(ledger, PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    officers.add(db, "李娟")  # unlock then asks who is working and offers her
    db.close()
    result = tmp_path / "startup.json"
    proc = _program(
        "--startup-timing", "--result", str(result), "--db", str(ledger), data_dir=tmp_path, password=PASSWORD
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(result.read_text(encoding="utf-8"))
    assert data["found"] is True
    if sys.platform.startswith("linux"):
        assert 0 < data["process_to_window_s"] < 120


def test_version_flag(tmp_path: Path) -> None:
    proc = _program("--version", data_dir=tmp_path)
    assert proc.returncode == 0 and __version__ in proc.stdout + proc.stderr


def test_failed_and_skipped_checks_are_reported(tmp_path: Path) -> None:
    def broken(work: Path) -> str:
        raise ValueError("disk says no")

    def absent(work: Path) -> str:
        raise selftest.SkipCheck("not here")

    def fine(work: Path) -> str:
        assert work.is_dir()
        return "fine"

    results = [selftest.run_check(name, func, tmp_path) for name, func in [("a", broken), ("b", absent), ("c", fine)]]
    assert [r.status for r in results] == [selftest.FAILED, selftest.SKIPPED, selftest.OK]
    assert results[0].detail.startswith("ValueError: disk says no")
    report = selftest.Report("p", "v", False, "x", "3", "t", results)
    assert not report.ok and json.loads(report.to_json())["ok"] is False
    assert any("失败 FAILED" in line for line in report.summary_lines())


def test_self_test_exit_code_is_one_on_a_failure(tmp_path: Path) -> None:
    result = tmp_path / "r.json"

    def broken(work: Path) -> str:
        return str(1 / 0)

    code = selftest.main(
        ["--result", str(result)], [("broken", broken)], base_checks=[("resources", selftest.check_resources)]
    )
    assert code == 1
    report = json.loads(result.read_text(encoding="utf-8"))
    assert report["ok"] is False and report["checks"][-1]["status"] == "failed"


def test_parts_not_built_yet_are_skipped() -> None:
    for missing in ("app.not_a_package_yet", "app.not_a_package_yet.module", "app.domain.not_a_module"):
        with pytest.raises(selftest.SkipCheck):
            selftest._require(missing)
    selftest._require("app.domain.models")  # present: no skip


def test_process_age_is_measured() -> None:
    age = selftest.seconds_since_process_start()
    if sys.platform.startswith("linux") or sys.platform == "win32":
        assert age is not None and 0 <= age < 24 * 3600


def test_runtime_hook_points_matplotlib_at_the_data_folder(tmp_path: Path) -> None:
    hook = ROOT / "build" / "rthooks" / "pyi_rth_bangfu.py"
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env["BANGFU_DATA_DIR"] = str(tmp_path)
    code = f"exec(open({str(hook)!r}).read()); import os; print(os.environ['MPLCONFIGDIR'])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == tmp_path / "matplotlib"
    assert (tmp_path / "matplotlib").is_dir()


def test_no_plain_export_check_finds_a_decrypting_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check passes on the program as it is (the benchmarks' decrypting export lives in tests/), and it
    fails, naming the function, when a loaded app module carries the SQL of a decrypted copy."""
    import types

    selftest.check_imports(tmp_path)
    assert "none exports a decrypted copy" in selftest.check_no_plain_export(tmp_path)
    module = types.ModuleType("app.storage.smuggled")
    exec(  # a module shaped like the export that used to live in app/storage/database.py
        "def export_copy(cursor, dest):\n"
        "    cursor.execute(f\"ATTACH DATABASE '{dest}' AS plain KEY ''\")\n"
        "    cursor.execute(\"SELECT sqlcipher_export('plain')\")\n",
        module.__dict__,
    )
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with pytest.raises(AssertionError, match=r"app\.storage\.smuggled\.export_copy"):
        selftest.check_no_plain_export(tmp_path)
