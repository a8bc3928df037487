"""``demo``, ``stats`` and ``anomalies`` through the real entry point, as a script would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # each command is a fresh process with its own key derivation


def run(*args: str, password: str = "cli-密码", data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BANGFU_PASSWORD": password, "BANGFU_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "x.db"
    result = run("demo", "--db", str(path), "--households", "400", "--seed", "3", data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert "Demo data generated" in result.stdout and "400" in result.stdout
    return path, folder


def test_stats_json(demo_file):
    path, folder = demo_file
    result = run("stats", "--db", str(path), "--json", data_dir=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    figures = {i["key"]: i for i in data["indicators"]}
    assert data["scope"]["level"] == "all"
    assert 0 < figures["coverage_households"]["value"] < 100
    assert figures["coverage_households"]["denominator"] > 300
    village = run("stats", "--db", str(path), "--scope", "331122101200", "--json", data_dir=folder)
    assert village.returncode == 0
    small = {i["key"]: i for i in json.loads(village.stdout)["indicators"]}
    assert 0 < small["coverage_households"]["denominator"] < figures["coverage_households"]["denominator"]


def test_stats_table_and_anomalies(demo_file):
    path, folder = demo_file
    table = run("stats", "--db", str(path), "--year", "2025", data_dir=folder)
    assert table.returncode == 0
    assert "一户一干部" in table.stdout and "Households with exactly one cadre" in table.stdout
    anomalies = run("anomalies", "--db", str(path), data_dir=folder)
    assert anomalies.returncode == 1  # the demo plants some
    assert "身份证号重复登记" in anomalies.stdout and "anomalies found" in anomalies.stdout
    as_json = run("anomalies", "--db", str(path), "--json", data_dir=folder)
    found = json.loads(as_json.stdout)["anomalies"]
    # every anomaly names whom it is about, not only UUIDs
    assert found and all(any(ref["name"] for ref in item["refs"]) for item in found)


def test_bad_input_gives_one_bilingual_line(demo_file, tmp_path):
    path, folder = demo_file
    wrong = run("stats", "--db", str(path), password="not-it", data_dir=folder)
    assert wrong.returncode == 2 and "密码错误" in wrong.stderr and "Traceback" not in wrong.stderr
    scope = run("stats", "--db", str(path), "--scope", "999999", data_dir=folder)
    assert scope.returncode == 2 and "No such region" in scope.stderr and "Traceback" not in scope.stderr
    other_node = run("demo", "--db", str(path), "--role", "city", data_dir=folder)
    assert other_node.returncode == 2 and "Traceback" not in other_node.stderr
    bad_code = run("demo", "--db", str(tmp_path / "n.db"), "--role", "county", "--code", "123456", data_dir=folder)
    assert bad_code.returncode == 2 and "Lishui" in bad_code.stderr and "Traceback" not in bad_code.stderr


def test_anomalies_clean_database_exits_zero(tmp_path):
    path = tmp_path / "empty.db"
    created = run("demo", "--db", str(path), "--households", "0", data_dir=tmp_path)
    assert created.returncode == 2  # --households must be positive; nothing generated
    from app.storage.database import create_database

    db = create_database(path, "cli-密码") if not path.exists() else None
    if db is not None:
        db.set_node("331122101", "壶镇镇", "township")
        db.close()
    clean = run("anomalies", "--db", str(path), "--json", data_dir=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["anomalies"] == []
