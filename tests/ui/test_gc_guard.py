"""Cycles made on the worker thread are freed on the GUI thread (see ``ui/gc_guard.py``)."""

from __future__ import annotations

import gc
import threading
from typing import Any, ClassVar


class _Cycle:
    freed_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.get_ident())


def assert_collected_on_the_gui_thread_only(collector: Any) -> None:
    """Nothing was collected on the worker. The guard's own timer (every 500 ms, on this thread) may already
    have collected the cycles while the test waited for the worker; if not, its check does it now."""
    gui = threading.get_ident()
    assert set(_Cycle.freed_on) <= {gui}  # nothing was collected on the worker
    if not _Cycle.freed_on:
        assert collector.check() >= 0  # 5,000 new objects are past gen-0's threshold
    assert _Cycle.freed_on and set(_Cycle.freed_on) == {gui}


def test_cycles_made_on_the_worker_are_collected_on_the_gui_thread(qapp: Any, tasks: Any, qtbot: Any) -> None:
    from ui import gc_guard

    collector = gc_guard.install(qapp)
    _Cycle.freed_on.clear()
    assert not gc.isenabled()  # no collection can start on whichever thread allocates

    def work(_ctx: Any) -> None:
        for _ in range(5_000):  # far past gen-0's threshold (700): automatic collection would run here
            _Cycle()

    done: list[bool] = []
    tasks.run(work, lambda _r: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert_collected_on_the_gui_thread_only(collector)


def test_a_gc_enable_from_elsewhere_does_not_bring_collection_back_to_the_worker(
    qapp: Any, tasks: Any, qtbot: Any
) -> None:
    """A sync import's ``paused_gc`` begun before the guard started re-enables the collector when it ends; the
    guard's zero threshold keeps automatic collection off the worker all the same."""
    import gc as gc_module

    from ui import gc_guard

    collector = gc_guard.install(qapp)
    gc_module.enable()  # what the late end of such a pause does
    try:
        _Cycle.freed_on.clear()

        def work(_ctx: Any) -> None:
            for _ in range(5_000):
                _Cycle()

        done: list[bool] = []
        tasks.run(work, lambda _r: done.append(True))
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
        assert_collected_on_the_gui_thread_only(collector)
    finally:
        gc_module.disable()
