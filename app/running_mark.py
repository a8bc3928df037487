"""The mark a running Bangfu leaves for its Windows installer: a named mutex (``RUNNING_MUTEX``).

The installer and the uninstaller (``build/installer/bangfu.nsi``, which gets the name from ``build/windows.py``)
open it to learn that the program is running, and refuse to replace or remove files that are in use. Windows
releases the mutex when the process ends, however it ends (a crash or TerminateProcess included). Elsewhere
nothing is needed: Linux packages replace files that are open without harm.
"""

from __future__ import annotations

import sys

RUNNING_MUTEX = "Local\\Bangfu.Running"
"""Per logon session (``Local\\``): the installer is per-user and runs in the user's own session."""

_held: list[int] = []  # the handle lives as long as the process; Windows closes it at exit


def hold_running_mark() -> None:
    """Create the mutex once per process (Windows only). A failure is ignored: the program must start anyway."""
    if sys.platform != "win32" or _held:
        return
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    create = kernel32.CreateMutexW
    create.argtypes = (wintypes.LPVOID, wintypes.BOOL, wintypes.LPCWSTR)
    create.restype = wintypes.HANDLE
    handle = create(None, False, RUNNING_MUTEX)
    if handle:
        _held.append(handle)
