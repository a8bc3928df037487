"""Guard against the PySide6 release whose signal methods give away references to ``True``.

PySide6 6.12.0 returns a borrowed ``True`` from ``SignalInstance.emit()`` and ``disconnect()``; on Python
3.11 (``True`` not immortal) every call takes one reference until the interpreter aborts with
"bool_dealloc" — at exit after a long test run, or mid-session in a long GUI day. pytest-qt's waitSignal
calls disconnect, so no wrapper of ours can cover it; pyproject excludes the release. This test names the
problem if an installed binding has it again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_signal_methods_keep_their_references(qapp) -> None:
    emitter = _Emitter()

    def handler() -> None:
        pass

    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(20):
        emitter.fired.connect(handler)
        emitter.fired.emit()
        emitter.fired.disconnect(handler)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert after == before, "this PySide6 leaks references to True/False in signal calls; use another release"
