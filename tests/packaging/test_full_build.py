"""The whole Linux build (bundle, self-test, start-up timing, .deb): minutes, so only with BANGFU_BUILD_TESTS=1.

BANGFU_BUILD_TESTS=1 .venv/bin/python -m pytest tests/packaging
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("BANGFU_BUILD_TESTS") != "1", reason="full build: set BANGFU_BUILD_TESTS=1"),
]


def test_build_produces_a_bundle_and_a_deb_that_pass_their_self_tests() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build" / "build.py"), "--runs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    report = json.loads((ROOT / "dist" / "build-report.json").read_text(encoding="utf-8"))
    assert report["problems"] == []
    assert report["self_test"]["database"].startswith("ok")
    assert report["startup"]["median_warm_s"] is not None
    if shutil.which("dpkg-deb"):
        assert report["deb_self_test_ok"] is True
        assert (ROOT / "dist" / report["deb"]["file"]).stat().st_size > 10 * 2**20
