"""Python's cyclic garbage collector runs on the GUI thread only.

Automatic collection starts in whichever thread happens to allocate when a threshold is crossed — often the
background worker (``ui/tasks.py``), which allocates most. A cycle it frees may hold a Qt wrapper (a closed
dialog, a model, a signal connection) whose C++ destructor then runs on the wrong thread: seen here as a
"Fatal Python error: Segmentation fault … Garbage-collecting" in the worker during the UI tests. qutebrowser
solves the same problem the same way (``qutebrowser/misc/objects``' GarbageCollector): switch automatic
collection off and collect from a timer on the GUI thread, generation by generation, when the thresholds
say so. Reference counting still frees everything that is not in a cycle at once, on any thread.

GUI thread only.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
"""How often the GUI thread looks at the allocation counts (a gen-0 collection takes well under 1 ms)."""


class MainThreadCollector(QObject):
    """Collects cycles on the GUI thread when the collector's own thresholds are crossed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.check)
        self._thresholds: tuple[int, int, int] = gc.get_threshold()

    def start(self) -> None:
        # Both switches: gc.disable(), and a first threshold of 0, which stops automatic collection even after
        # a gc.enable() from elsewhere (app.gc_pause re-enables what it found on when its pause began, and a
        # pause begun on a worker before this start ends after it).
        self._thresholds = gc.get_threshold()
        gc.disable()
        gc.set_threshold(0, *self._thresholds[1:])
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.set_threshold(*self._thresholds)
        gc.enable()

    def check(self) -> int:
        """Collect the oldest generation whose count has crossed its threshold; returns the generation, or -1."""
        counts, thresholds = gc.get_count(), self._thresholds
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return generation
        return -1


_collector: MainThreadCollector | None = None


def install(parent: QObject) -> MainThreadCollector:
    """Switch automatic collection to the GUI thread for the life of ``parent`` (the application)."""
    global _collector
    if _collector is None:
        _collector = MainThreadCollector(parent)
        _collector.start()
    return _collector
