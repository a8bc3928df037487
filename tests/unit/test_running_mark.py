"""The running mark (app/running_mark.py): the named mutex the Windows installer checks before it touches files.

The installer's side is proven under Wine by build/windows.py (setup and uninstall exit 2 while the program runs)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.running_mark import RUNNING_MUTEX, hold_running_mark

ROOT = Path(__file__).resolve().parents[2]
SYNCHRONIZE = 0x00100000


def test_main_holds_the_mark_before_the_program_runs() -> None:
    # The entry point (also of the frozen build) takes the mark once it runs here; the installer reads the same name.
    main = (ROOT / "main.py").read_text(encoding="utf-8")
    assert main.index("handed_over = outside_environment()") < main.index("hold_running_mark()") < main.index("main()")
    assert "RUNNING_MUTEX" in (ROOT / "build" / "windows.py").read_text(encoding="utf-8")


@pytest.mark.posix("no mutex to hold: Linux packages replace files in use without harm")
def test_elsewhere_the_mark_is_nothing() -> None:
    hold_running_mark()  # no error, no handle, nothing to release


@pytest.mark.skipif(os.name != "nt", reason="Windows only: named mutexes")
def test_on_windows_the_mark_exists_while_the_process_runs_and_goes_with_it() -> None:
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    kernel32.OpenMutexW.restype = ctypes.c_void_p

    def marked() -> bool:
        handle = kernel32.OpenMutexW(SYNCHRONIZE, False, RUNNING_MUTEX)
        if handle:
            kernel32.CloseHandle(ctypes.c_void_p(handle))
        return bool(handle)

    code = "from app.running_mark import hold_running_mark; hold_running_mark(); print('held', flush=True); input()"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        assert marked()
    finally:
        proc.kill()  # TerminateProcess: Windows releases the mutex with the process
        proc.wait(timeout=30)
    assert not marked()
