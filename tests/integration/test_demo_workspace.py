"""The throw-away demo database goes away on a clean exit, on SIGTERM, and — after a SIGKILL — at the next
start; a running demo's folder is never swept. Real processes, a real temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.demo_workspace import PREFIX, DemoWorkspace, sweep_stale

ROOT = Path(__file__).resolve().parents[2]
HOLD = (
    "import sys, time; from pathlib import Path; from app.demo_workspace import DemoWorkspace\n"
    "w = DemoWorkspace(Path(sys.argv[1])); (w.path / 'demo.db').write_bytes(b'x'); print(w.path, flush=True)\n"
    "time.sleep(60)\n"
)


def _demo_folders(root: Path) -> list[Path]:
    return sorted(root.glob(PREFIX + "*"))


def test_a_killed_demo_is_swept_at_the_next_start_and_a_running_one_is_not(tmp_path: Path) -> None:
    killed = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    running = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert killed.stdout is not None and running.stdout is not None
        stale, alive = Path(killed.stdout.readline().strip()), Path(running.stdout.readline().strip())
        killed.kill()  # SIGKILL (TerminateProcess on Windows): no clean-up code runs
        killed.wait()
        assert (stale / "demo.db").exists()  # left behind
        fresh = DemoWorkspace(tmp_path)  # the next start
        assert not stale.exists()
        assert (alive / "demo.db").exists()  # another demo still running keeps its folder
        assert _demo_folders(tmp_path) == sorted([alive, fresh.path])
        fresh.remove()
        assert not fresh.path.exists()
    finally:
        running.kill()
        running.wait()
    assert sweep_stale(tmp_path) == [alive]


def test_a_folder_just_made_and_not_yet_locked_is_not_swept(tmp_path: Path) -> None:
    """``DemoWorkspace`` makes its folder, then takes the lock inside it. A start sweeping in between found the
    lock free and removed a live demo's new folder (seen when two test workers started demos at once). A folder
    without its lock file is left alone while young, and swept once older than a minute (a crash in between)."""
    newborn = tmp_path / f"{PREFIX}newborn"
    newborn.mkdir()
    (newborn / "demo.db").write_bytes(b"x")
    assert sweep_stale(tmp_path) == []
    assert (newborn / "demo.db").exists()
    old = time.time() - 120
    os.utime(newborn, (old, old))
    assert sweep_stale(tmp_path) == [newborn]
    assert not newborn.exists()


@pytest.mark.posix("SIGTERM is a POSIX signal; Windows ends a program with TerminateProcess, covered above")
def test_sigterm_removes_the_demo_database(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "BANGFU_DATA_DIR": str(tmp_path / "d"),
    }
    gui = subprocess.Popen(
        [sys.executable, "main.py", "--demo", "--demo-households", "30"], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while not any((f / "demo.db").exists() for f in _demo_folders(tmp_path)) and time.monotonic() < deadline:
            assert gui.poll() is None, gui.stderr.read() if gui.stderr else ""
            time.sleep(0.2)
        assert _demo_folders(tmp_path), "the demo never started"
        time.sleep(1)
        gui.send_signal(signal.SIGTERM)
        assert gui.wait(timeout=60) == 0
    finally:
        if gui.poll() is None:
            gui.kill()
    assert _demo_folders(tmp_path) == []
