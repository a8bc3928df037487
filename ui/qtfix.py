"""Work-around for a PySide6 reference-count bug: ``SignalInstance.emit()`` called from Python returns a
*borrowed* reference to ``True`` (seen with PySide6 6.12 on Python 3.11, where ``True`` is not immortal).
Every emit then takes one reference from ``True``; after a few thousand emits the interpreter aborts with
"bool_dealloc: deallocating True or False" — usually at exit, sometimes mid-session.

``emit(signal, *args)`` gives the reference back when (and only when) the probe at import shows the bug,
so a fixed PySide6 costs nothing. Every Python-side emit in ``ui/`` goes through it.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_steals_a_reference() -> bool:
    probe = _Probe()
    rounds = 16
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)  # give back what the probe itself took
    return lost >= rounds // 2


EMIT_STEALS = _emit_steals_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)`` without losing a reference to the returned bool."""
    result = signal.emit(*args)
    if EMIT_STEALS and isinstance(result, bool):
        _incref(result)
