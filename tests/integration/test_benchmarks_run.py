"""The benchmarks run end to end at a tiny size, so a change that breaks one is caught here, not months later
when someone needs the figures. Nothing is timed against a limit: the test only checks that every group
printed its rows with the baselines the benchmarks promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_every_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BANGFU_DATA_DIR": str(tmp_path / "data"),
        "BANGFU_SYNC_BENCH_HOUSEHOLDS": "10",
        "BANGFU_SYNC_BENCH_HUB": "2",
        "BANGFU_FORK_BENCH_HOUSEHOLDS": "10",
        "BANGFU_EXCEL_BENCH_ROWS": "50",
        "QT_QPA_PLATFORM": "offscreen",
    }
    command = [sys.executable, "tests/bench/run.py", "--households", "30", "--repeat", "1", "--workdir", str(tmp_path)]
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    for group in ("excel", "fork", "gui", "ledger", "search", "storage", "sync"):
        assert f"| {group} " in table, group
    assert "same SQLite, no key" in table  # the plain baseline is SQLCipher's own SQLite, not Python's
    assert "cold: indicator" in table and "whole process" in table and "measured growth" in table
    assert "nan" not in table.lower()
