"""``python main.py --demo --screenshots DIR`` renders every page of a fresh demo to PNG and exits 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ui.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_screenshots_command_renders_every_page(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    data = tmp_path / "data"
    data.mkdir()
    saved = data / "bangfu-ui.ini"  # the user's own window state, which a run of pictures must not touch
    saved.write_text("[window]\nlast_page=visits\n\n[dashboard]\nscope=\n", encoding="utf-8")
    before = saved.read_bytes()
    # The demo folder in a temporary folder of this test's own: a demo starting elsewhere at the same moment (another
    # test worker, another checkout) sweeps the shared one for dead demos (app.demo_workspace).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--demo",
            "--demo-households",
            "120",
            "--screenshots",
            str(out),
            "--data-dir",
            str(data),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Fatal" not in result.stderr
    for n, page in enumerate(PAGES, start=1):
        png = out / f"{n:02d}_{page.key}.png"
        assert png.exists() and png.stat().st_size > 5_000, png
    assert (out / "21_wizard_password.png").exists()
    assert (out / "19_sync_onboarding.png").stat().st_size > 5_000
    assert saved.read_bytes() == before
    # every image the README shows can be made again by this run
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"docs/screenshots/([\w.]+\.png)", readme)
    assert shown and "17_sync_preview.png" in shown
    for name in shown:
        assert (out / name).exists() and (out / name).stat().st_size > 5_000, name
